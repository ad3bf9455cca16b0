"""Moderation use cases: screen comments, reader flags, the review queue, rules and the log.

Every moderator action adds one ModerationAction row in the same transaction as the change.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, Select, func, select, update
from sqlalchemy.exc import IntegrityError

from forum import permissions
from forum.cache import bump_thread
from forum.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from forum.extensions import db
from forum.models import (
    Comment,
    CommentRevision,
    CommentStatus,
    Flag,
    FlagReason,
    ModerationAction,
    ModerationRule,
    ModerationRuleVersion,
    ModeratorScope,
    NotificationKind,
    QueueItem,
    QueueSource,
    QueueState,
    Tag,
    Thread,
    ThreadRevision,
    User,
    thread_tags,
)
from forum.models.base import utcnow
from forum.moderation import Assessment, Match, Rule, RuleError, assess, default_rules, dry_run
from forum.moderation.policy import (
    COORDINATION_WINDOW_DAYS,
    FLAG_NOTE_MAX,
    PRIORITY,
    REASON_MAX,
    REMOVAL_CATEGORIES,
    Coordination,
    OpenFlag,
    conflict_of_interest,
    coordination,
    default_category,
    flag_weight,
    flags_hide,
    opening_post_text,
    uncounted_reason,
)
from forum.moderation.rules import Context, rule_from_dict, rule_to_dict
from forum.subscriptions import service as subscriptions
from forum.text import clean_line, clean_text, render_markdown

log = logging.getLogger(__name__)

DRY_RUN_WINDOW = 1_000
# A preview stops, and says why, once the rule has run out of time on this many comments.
DRY_RUN_TIMEOUTS = 3
# A comment, or a thread's opening post: both are screened, flagged, queued and decided alike.
Post = Comment | Thread
# Flags read when looking for flaggers who act together: a week of a few accounts' flags.
COORDINATION_SCAN = 2_000


class NudgeRequired(ValidationError):
    """The rules matched: show the author why, and let them rephrase or post anyway."""

    code = "nudge"

    def __init__(self, assessment: Assessment) -> None:
        super().__init__(
            "This reads as aimed at a person rather than an argument. Rephrase it, or post "
            "anyway and a moderator will review it.",
            fields={"body": "; ".join(dict.fromkeys(m.explanation for m in assessment.matches))},
        )
        self.assessment = assessment


_rules_cache: dict[tuple[tuple[str, int], ...], tuple[Rule, ...]] = {}


# --------------------------------------------------------------------------- the log


def log_action(
    action: str,
    *,
    actor: User | None,
    target_type: str,
    target_id: int,
    subject: User | None = None,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> ModerationAction:
    """Add a log row to the current transaction (the caller commits with its change)."""
    row = ModerationAction(
        actor_id=actor.id if actor else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        subject_id=subject.id if subject else None,
        reason=reason,
        details=details or {},
    )
    db.session.add(row)
    return row


def log_query(
    *, actor: str = "", action: str = "", subject: str = ""
) -> Select[tuple[ModerationAction]]:
    """The log, newest first, filtered by actor name, action and subject name."""
    stmt = select(ModerationAction).order_by(ModerationAction.id.desc())
    if action:
        stmt = stmt.where(ModerationAction.action == action)
    for name, column in (
        (actor, ModerationAction.actor_id),
        (subject, ModerationAction.subject_id),
    ):
        if name:
            ids = select(User.id).where(User.username_key == name.casefold())
            stmt = stmt.where(column.in_(ids))
    return stmt


# --------------------------------------------------------------------------- rules


def effective_rules() -> tuple[Rule, ...]:
    """The packaged rules with moderators' edits laid over them, plus rules they added."""
    versions = tuple(
        (key, version)
        for key, version in db.session.execute(
            select(ModerationRule.key, ModerationRule.version).order_by(ModerationRule.key)
        )
    )
    cached = _rules_cache.get(versions)
    if cached is not None:
        return cached
    overrides = {r.key: r.definition for r in db.session.scalars(select(ModerationRule))}
    rules = [
        rule_from_dict(overrides.pop(r.id)) if r.id in overrides else r for r in default_rules()
    ]
    rules += [rule_from_dict(definition) for definition in overrides.values()]
    _rules_cache.clear()
    _rules_cache[versions] = tuple(rules)
    return _rules_cache[versions]


def get_rule(key: str) -> Rule | None:
    return next((r for r in effective_rules() if r.id == key), None)


def _parse_rule(definition: dict[str, Any]) -> Rule:
    message = definition.get("message")
    if isinstance(message, str):
        # Shown to authors: no control or bidi characters to disguise it. Line by line, so a
        # message on two lines is still refused as such by the rule's validation.
        cleaned = "\n".join(clean_line(line) for line in message.splitlines())
        definition = {**definition, "message": cleaned}
    try:
        return rule_from_dict(definition)
    except RuleError as exc:
        raise ValidationError(f"The rule can't be saved: {exc}", fields={"rule": str(exc)}) from exc


def save_rule(definition: dict[str, Any], *, actor: User) -> Rule:
    """Create or edit a rule; each save is a new version, and the log says who and why.

    Only admins write rules for the whole forum (every default rule is one). A moderator
    writes rules limited to tags: any tags for a moderator of the whole forum, their own for
    one scoped to some tags; a rule that reaches further stays as it is for them."""
    _require_moderator(actor)
    rule = _parse_rule(definition)
    if not actor.is_admin:
        scope = rule_scope(actor)
        current = get_rule(rule.id)
        if current is not None and not permissions.can_edit_rule(actor, current.tags, scope):
            raise PermissionDeniedError(
                "This rule applies beyond the tags you moderate (every default rule applies to "
                "the whole forum); only an admin can change it."
            )
        if not permissions.can_edit_rule(actor, rule.tags, scope):
            mine = f"your tags: {', '.join(sorted(scope))}" if scope else "one or more tags"
            raise ValidationError(
                f"Limit the rule to {mine}. Only an admin writes rules for the whole forum.",
                fields={"tags": "Give one or more of the tags you moderate."},
            )
    row = db.session.scalar(select(ModerationRule).where(ModerationRule.key == rule.id))
    created = row is None and get_rule(rule.id) is None
    if row is None:
        row = ModerationRule(key=rule.id, definition=rule_to_dict(rule), version=1)
        db.session.add(row)
    else:
        row.version += 1
        row.definition = rule_to_dict(rule)
    row.updated_at = utcnow()
    row.updated_by_id = actor.id
    db.session.add(
        ModerationRuleVersion(
            key=rule.id, version=row.version, definition=rule_to_dict(rule), created_by_id=actor.id
        )
    )
    db.session.flush()
    log_action(
        "rule_create" if created else "rule_edit",
        actor=actor,
        target_type="rule",
        target_id=row.id,
        details={"key": rule.id, "version": row.version, "enabled": rule.enabled},
    )
    db.session.commit()
    return rule


def edited_rules() -> dict[str, ModerationRule]:
    """Moderators' versions of rules by key; each row carries its current version number."""
    return {row.key: row for row in db.session.scalars(select(ModerationRule))}


def rule_versions(key: str) -> list[ModerationRuleVersion]:
    return list(
        db.session.scalars(
            select(ModerationRuleVersion)
            .where(ModerationRuleVersion.key == key)
            .order_by(ModerationRuleVersion.version.desc())
        )
    )


def rule_scope(actor: User) -> frozenset[str] | None:
    """The tags a moderator is limited to, by slug; None for admins and moderators of the
    whole forum."""
    if actor.is_admin:
        return None
    slugs = db.session.scalars(
        select(Tag.slug)
        .join(ModeratorScope, ModeratorScope.tag_id == Tag.id)
        .where(ModeratorScope.user_id == actor.id)
    )
    return frozenset(slugs) or None


def dry_run_rule(
    definition: dict[str, Any], *, actor: User | None = None
) -> list[tuple[Comment, tuple[Match, ...]]]:
    """Which of the last 1,000 comments this rule (alone) would catch, and where, before it
    is saved; for a moderator scoped to some tags, of the comments in those tags. Only the
    rule runs (no scorer, no context), and it stops when the rule keeps running out of time."""
    rule = _parse_rule(definition)
    stmt = select(Comment).where(
        Comment.status.in_((CommentStatus.PUBLISHED, CommentStatus.PENDING))
    )
    scope = moderator_scope_tag_ids(actor) if actor is not None and not actor.is_admin else []
    if scope:
        in_scope = select(thread_tags.c.thread_id).where(thread_tags.c.tag_id.in_(scope))
        stmt = stmt.where(Comment.thread_id.in_(in_scope))
    if rule.tags:  # a rule limited to tags previews over those tags' comments
        tagged = (
            select(thread_tags.c.thread_id)
            .join(Tag, Tag.id == thread_tags.c.tag_id)
            .where(Tag.slug.in_([t.casefold() for t in rule.tags]))
        )
        stmt = stmt.where(Comment.thread_id.in_(tagged))
    recent = list(db.session.scalars(stmt.order_by(Comment.id.desc()).limit(DRY_RUN_WINDOW)))
    slow: list[int] = []
    caught = dry_run(
        rule,
        [c.body_src for c in recent],
        tags=rule.tags,
        timed_out=slow,
        validate=False,  # _parse_rule just did
        give_up_after=DRY_RUN_TIMEOUTS,
    )
    if len(slow) >= DRY_RUN_TIMEOUTS:
        problem = (
            f"rule {rule.id}: ran out of time on {len(slow)} recent comments; "
            "simplify its repeats (fewer nested or overlapping parts)"
        )
        raise ValidationError(f"The rule can't be previewed: {problem}", fields={"rule": problem})
    return [(recent[i], matches) for i, matches in caught]


# --------------------------------------------------------------------------- screening


def thread_participants(thread: Thread, *, exclude: User | None = None) -> list[str]:
    """Names of the people in a thread, so "Jody is a shill" reads as aimed at a person."""
    names = set(
        db.session.scalars(
            select(User.username)
            .join(Comment, Comment.author_id == User.id)
            .where(Comment.thread_id == thread.id)
        )
    )
    names.add(thread.author.username)
    if exclude is not None:
        names.discard(exclude.username)
    return sorted(names)


def screen_text(
    text: str, *, thread: Thread | None, author: User, parent: Comment | None = None
) -> Assessment:
    """Run the effective rules (and the shipped scorer) over a comment before it is posted,
    in its context: the comment it answers (or the opening post) and the thread's people."""
    participants = thread_participants(thread, exclude=author) if thread else []
    tags = [t.slug for t in thread.tags] if thread else []
    assessment = assess(
        text,
        participants,
        rules=effective_rules(),
        tags=tags,
        context=reply_context(thread, parent, author),
        use_scorer=True,
    )
    if assessment.timed_out:
        log.warning("moderation rules ran out of time and were skipped: %s", assessment.timed_out)
    return assessment


def reply_context(thread: Thread | None, parent: Comment | None, author: User) -> Context:
    """Whom a reply answers: the parent comment's author and words, or the opening post's
    for a reply at the top; nobody for one's own words or a new thread."""
    if thread is None:
        return Context()
    answered: Post = parent if parent is not None else thread
    if answered.author_id == author.id or not answered.is_visible:
        return Context(thread_title=thread.title)
    return Context(
        parent_author=answered.author.username,
        parent_text=post_text(answered),
        thread_title=thread.title,
    )


def screen_opening_post(
    title: str, body: str, *, author: User, thread: Thread | None = None
) -> Assessment:
    """Screen a thread's title and opening post together, as a reply is screened (a new
    thread has no participants yet; an edited one has its thread's)."""
    return screen_text(opening_post_text(title, body), thread=thread, author=author)


def post_text(post: Post) -> str:
    """The text the rules screened and moderators read: a comment, or title and opening post."""
    if isinstance(post, Comment):
        return post.body_src
    return opening_post_text(post.title, post.body_src)


def post_kind(post: Post) -> str:
    """The log's ``target_type`` for a post."""
    return "comment" if isinstance(post, Comment) else "thread"


def needs_new_user_review(author: User, review_count: int | None = None) -> bool:
    """A new account's first ``review_count`` posts (comments or threads) wait for a
    moderator (setting)."""
    if review_count is None:
        review_count = current_app.config["NEW_USER_REVIEW_COUNT"]
    if review_count <= 0 or author.is_moderator:
        return False
    return published_posts(author, limit=review_count) < review_count


def published_posts(author: User, *, limit: int) -> int:
    """How many of the author's comments and threads are published, counted up to ``limit``
    (enough to decide; a prolific author's whole history is not read)."""
    counted = 0
    for model in (Comment, Thread):
        mine = (
            select(model.id)
            .where(model.author_id == author.id, model.status == CommentStatus.PUBLISHED)
            .limit(limit - counted)
            .subquery()
        )
        counted += db.session.scalar(select(func.count()).select_from(mine)) or 0
        if counted >= limit:
            break
    return counted


def matches_json(assessment: Assessment) -> list[dict[str, Any]]:
    return [
        {
            "rule_id": m.rule_id,
            "start": m.start,
            "end": m.end,
            "explanation": m.explanation,
            "action": m.action,
            "sentence_start": m.sentence_start,
            "sentence_end": m.sentence_end,
        }
        for m in assessment.matches
    ]


def _about(model: type[QueueItem] | type[Flag], post: Post) -> ColumnElement[bool]:
    """Rows of ``model`` (flags, queue items) about this post."""
    if isinstance(post, Comment):
        return model.comment_id == post.id
    return (model.thread_id == post.id) & model.comment_id.is_(None)


def open_item(post: Post) -> QueueItem | None:
    """The post's open queue item, if a moderator still has to look at it."""
    return db.session.scalar(
        select(QueueItem).where(_about(QueueItem, post), QueueItem.state == QueueState.OPEN)
    )


def enqueue(
    post: Post,
    source: str,
    *,
    priority: int,
    assessment: Assessment | None = None,
) -> QueueItem:
    """Add the post to the queue, or raise the priority of its open item."""
    item = open_item(post)
    if item is None:
        item = QueueItem(
            thread_id=post.thread_id,
            comment_id=post.id if isinstance(post, Comment) else None,
            source=source,
            priority=priority,
            matches=[],
        )
        db.session.add(item)
    item.priority = max(item.priority or 0, priority)
    if assessment is not None:
        item.matches = matches_json(assessment)
        item.score = assessment.score
    return item


def record_screening(
    post: Post, assessment: Assessment, *, queue: str | None, nudged: bool
) -> None:
    """Log and queue what the rules did to a post that was just written or edited, and tell
    its author when it waits for a moderator (no commit)."""
    if queue is None and not nudged and not assessment.matches:
        return
    if nudged and not assessment.matches:
        action = "author_rephrased"
    elif queue == QueueSource.NEW_USER:
        action = "new_user_hold"
    else:
        action = f"rules_{assessment.action}"
    row = log_action(
        action,
        actor=None,
        target_type=post_kind(post),
        target_id=post.id,
        subject=post.author,
        details={"rules": list(assessment.rule_ids), "posted_anyway": bool(assessment.matches)},
    )
    if queue is None:
        return
    priority = PRIORITY["hold"] if assessment.action == "hold" else PRIORITY["flag"]
    if queue == QueueSource.NEW_USER:
        priority = PRIORITY["new_user"]
    enqueue(post, queue, priority=priority, assessment=assessment)
    if post.status == CommentStatus.PENDING:
        db.session.flush()
        subscriptions.tell_author(post, NotificationKind.COMMENT_HELD, event=row.id)


# --------------------------------------------------------------------------- flags


def check_can_flag(actor: User, post: Post) -> None:
    """Refuse (403) a flag ``actor`` may not make, saying why: the site and the API alike."""
    if permissions.can_flag(actor, post):
        return
    if actor.is_suspended:
        until = f"{actor.suspended_until:%-d %b %Y}"
        raise PermissionDeniedError(
            f"Your account is suspended until {until}: you can read, but not flag {_noun(post)}s."
        )
    if permissions.is_author(actor, post):
        raise PermissionDeniedError(f"You can't flag your own {_noun(post)}.")
    raise PermissionDeniedError(f"This {_noun(post)} can't be flagged.")


def _noun(post: Post) -> str:
    return "comment" if isinstance(post, Comment) else "thread"


def _already_flagged(post: Post) -> ConflictError:
    return ConflictError(
        f"You have already flagged this {_noun(post)}; moderators will look at it."
    )


def flag_record(user: User) -> tuple[int, int]:
    """How many of ``user``'s decided flags moderators upheld, and how many they declined."""
    outcomes = dict(
        db.session.execute(
            select(Flag.outcome, func.count(Flag.id))
            .where(Flag.user_id == user.id, Flag.outcome.is_not(None))
            .group_by(Flag.outcome)
        ).all()
    )
    return outcomes.get("upheld", 0), outcomes.get("dismissed", 0)


def _uncounted(actor: User, weight: float, min_account_days: int, now: datetime) -> str:
    age_days = (now - actor.created_at).total_seconds() / 86_400
    posts = published_posts(actor, limit=1) if min_account_days > 0 else 0
    return uncounted_reason(
        account_age_days=age_days,
        published_posts=posts,
        weight=weight,
        min_account_days=min_account_days,
    )


def flag_post(
    post: Post,
    *,
    actor: User,
    reason: str,
    note: str = "",
    excerpt: str = "",
    hide_threshold: float | None = None,
    min_account_days: int | None = None,
    now: datetime | None = None,
) -> Flag:
    """Record a reader's flag on a comment or an opening post, once; enough weighted flags
    from trusted readers hide the post pending review.

    Every flag reaches the queue, but flags from fresh accounts, from accounts with no
    published post and from flaggers whose flags moderators keep declining don't count
    toward hiding, and readers who keep flagging one author together count as one."""
    check_can_flag(actor, post)
    note, excerpt = clean_text(note), clean_text(excerpt)
    errors = {}
    if reason not in set(FlagReason):
        errors["reason"] = f"Choose a reason: {', '.join(FlagReason)}."
    if len(note) > FLAG_NOTE_MAX:
        errors["note"] = f"Keep the note to {FLAG_NOTE_MAX} characters."
    if reason == FlagReason.OTHER and not note.strip():
        errors["note"] = "Say briefly what is wrong when the reason is 'other'."
    if len(excerpt) > FLAG_NOTE_MAX:
        errors["excerpt"] = f"Select at most {FLAG_NOTE_MAX} characters."
    if errors:
        raise ValidationError("Please fix the marked fields.", fields=errors)
    already = db.session.scalar(select(Flag.id).where(_about(Flag, post), Flag.user_id == actor.id))
    if already is not None:
        raise _already_flagged(post)
    config = current_app.config
    if min_account_days is None:
        min_account_days = config["FLAG_MIN_ACCOUNT_DAYS"]
    now = now or utcnow()
    weight = flag_weight(*flag_record(actor))
    flag = Flag(
        thread_id=post.thread_id,
        comment_id=post.id if isinstance(post, Comment) else None,
        user_id=actor.id,
        reason=reason,
        note=note.strip(),
        excerpt=excerpt.strip(),
        weight=weight,
        uncounted=_uncounted(actor, weight, min_account_days, now),
        created_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(flag)
    except IntegrityError as exc:  # the same reader, twice at the same moment
        raise _already_flagged(post) from exc
    open_flags = [
        OpenFlag(*row)
        for row in db.session.execute(
            select(Flag.user_id, Flag.weight, Flag.reason, Flag.uncounted).where(
                _about(Flag, post), Flag.outcome.is_(None)
            )
        )
    ]
    priority = PRIORITY["harassment"] if reason == FlagReason.HARASSMENT else PRIORITY["flag"]
    enqueue(post, QueueSource.FLAGS, priority=priority + len(open_flags))
    if hide_threshold is None:
        hide_threshold = config["FLAG_HIDE_THRESHOLD"]
    if post.status == CommentStatus.PUBLISHED:
        together = flag_coordination(post, [f.user_id for f in open_flags], now=now)
        coordinated = together.suspicious if together else frozenset()
        if flags_hide(open_flags, hide_threshold, coordinated):
            _hide_for_flags(post, len(open_flags))
    db.session.commit()
    bump_thread(post.thread_id)  # page cache (issue 6)
    return flag


def _hide_for_flags(post: Post, flags: int) -> None:
    set_status(post, CommentStatus.PENDING)
    row = log_action(
        "auto_hide",
        actor=None,
        target_type=post_kind(post),
        target_id=post.id,
        subject=post.author,
        details={"flags": flags},
    )
    db.session.flush()
    subscriptions.tell_author(post, NotificationKind.COMMENT_HELD, event=row.id)


def flag_coordination(
    post: Post, flagger_ids: Sequence[int], *, now: datetime | None = None
) -> Coordination | None:
    """Whether this post's flaggers flagged its author together elsewhere this week.

    One query over at most COORDINATION_SCAN flags: the flaggers' recent flags on posts by
    the same author (a comment's author, or the thread's for an opening post)."""
    flaggers = set(flagger_ids)
    if len(flaggers) < 2:
        return None
    since = (now or utcnow()) - timedelta(days=COORDINATION_WINDOW_DAYS)
    author = func.coalesce(Comment.author_id, Thread.author_id)
    rows = db.session.execute(
        select(Flag.user_id, Flag.thread_id, Flag.comment_id, Flag.outcome)
        .join(Thread, Thread.id == Flag.thread_id)
        .outerjoin(Comment, Comment.id == Flag.comment_id)
        .where(
            Flag.user_id.in_(sorted(flaggers)),
            Flag.created_at >= since,
            author == post.author_id,
            ~_about(Flag, post),
        )
        .order_by(Flag.id.desc())
        .limit(COORDINATION_SCAN)
    ).all()
    posts: dict[object, tuple[set[int], bool]] = defaultdict(lambda: (set(), False))
    for user_id, thread_id, comment_id, outcome in rows:
        key = (thread_id, comment_id)
        who, upheld = posts[key]
        who.add(user_id)
        posts[key] = (who, upheld or outcome == "upheld")
    return coordination(flaggers, posts)


# --------------------------------------------------------------------------- queue


def moderator_scope_tag_ids(user: User) -> list[int]:
    return list(
        db.session.scalars(select(ModeratorScope.tag_id).where(ModeratorScope.user_id == user.id))
    )


def can_moderate_post(actor: User | None, post: Post) -> bool:
    """Moderators act on a post when its thread is inside their scope."""
    return permissions.moderates(actor, post)


def _open_items(viewer: User) -> Select[tuple[QueueItem]]:
    """Open items in the viewer's scope: the queue page and the header's count agree."""
    stmt = select(QueueItem).where(QueueItem.state == QueueState.OPEN)
    scopes = [] if viewer.is_admin else moderator_scope_tag_ids(viewer)
    if scopes:
        in_scope = select(thread_tags.c.thread_id).where(thread_tags.c.tag_id.in_(scopes))
        stmt = stmt.where(QueueItem.thread_id.in_(in_scope))
    return stmt


def open_queue(viewer: User, *, limit: int = 100) -> list[QueueItem]:
    """Open items the viewer may act on: highest priority, then oldest, first."""
    _require_moderator(viewer)
    stmt = _open_items(viewer).order_by(
        QueueItem.priority.desc(), QueueItem.created_at, QueueItem.id
    )
    return list(db.session.scalars(stmt.limit(limit)))


def queue_size(viewer: User) -> int:
    """How many items wait for this moderator (the header's "Review queue (N)")."""
    count = select(func.count()).select_from(_open_items(viewer).subquery())
    return db.session.scalar(count) or 0


def get_queue_item(item_id: int, *, viewer: User) -> QueueItem:
    item = db.session.get(QueueItem, item_id)
    if item is None or not can_moderate_post(viewer, item.post):
        # Out-of-scope items look like missing ones, so ids can't be probed.
        raise NotFoundError("There is no such queue item.")
    return item


def flags_for(post: Post) -> list[Flag]:
    return list(db.session.scalars(select(Flag).where(_about(Flag, post)).order_by(Flag.id)))


def author_record(user: User) -> dict[str, int]:
    """What a moderator sees of the author: posts, removals, warnings, suspensions."""
    counts: dict[str, int] = defaultdict(int)
    for model in (Comment, Thread):
        for status, n in db.session.execute(
            select(model.status, func.count(model.id))
            .where(model.author_id == user.id)
            .group_by(model.status)
        ):
            counts[status] += n
    actions = dict(
        db.session.execute(
            select(ModerationAction.action, func.count(ModerationAction.id))
            .where(
                ModerationAction.subject_id == user.id,
                ModerationAction.action.in_(("warn", "suspend")),
            )
            .group_by(ModerationAction.action)
        ).all()
    )
    return {
        "published": counts[CommentStatus.PUBLISHED],
        "removed": counts[CommentStatus.REMOVED],
        "warnings": actions.get("warn", 0),
        "suspensions": actions.get("suspend", 0),
    }


def set_status(post: Post, status: str, now: datetime | None = None) -> None:
    """Change a post's status (no commit). A comment keeps its thread's published count in
    step; a thread published after a hold comes up as new activity, like an approved reply."""
    was = post.status == CommentStatus.PUBLISHED
    post.status = status
    now_published = status == CommentStatus.PUBLISHED
    if was == now_published:
        return
    if isinstance(post, Thread):
        if now_published:
            post.last_activity_at = now or utcnow()
            post.published_at = post.published_at or post.last_activity_at
        return
    values: dict[str, Any] = {"comment_count": Thread.comment_count + (1 if now_published else -1)}
    if now_published:
        values["last_activity_at"] = now or utcnow()
    db.session.execute(update(Thread).where(Thread.id == post.thread_id).values(**values))


def _require_moderator(actor: User | None) -> None:
    if not permissions.can_moderate(actor):
        raise PermissionDeniedError("Only moderators can do that.")


def _settle_flags(post: Post, outcome: str) -> None:
    db.session.execute(
        update(Flag).where(_about(Flag, post), Flag.outcome.is_(None)).values(outcome=outcome)
    )


def _close(item: QueueItem, state: str, actor: User, reason: str) -> None:
    """Close an open item; a conditional UPDATE, so two moderators can't both decide it."""
    closed = db.session.execute(
        update(QueueItem)
        .where(QueueItem.id == item.id, QueueItem.state == QueueState.OPEN)
        .values(state=state, resolved_at=utcnow(), resolved_by_id=actor.id, reason=reason)
        .execution_options(synchronize_session="fetch")
    ).rowcount
    if closed != 1:
        db.session.rollback()
        raise ConflictError("Another moderator has already decided this item.")


# --------------------------------------------------------------------------- who may decide


def decision_conflicts(actor: User, posts: Sequence[Post]) -> dict[tuple[str, int], str]:
    """Why ``actor`` must leave each of these posts to another moderator, keyed by (kind, id);
    posts they may decide are left out. Three queries whatever the number of posts."""
    thread_ids = sorted({post.thread_id for post in posts})
    if not thread_ids:
        return {}
    took_part = set(
        db.session.scalars(
            select(Thread.id).where(Thread.id.in_(thread_ids), Thread.author_id == actor.id)
        )
    )
    took_part |= set(
        db.session.scalars(
            select(Comment.thread_id)
            .distinct()
            .where(Comment.thread_id.in_(thread_ids), Comment.author_id == actor.id)
        )
    )
    parent_ids = sorted(
        {p.parent_id for p in posts if isinstance(p, Comment) and p.parent_id is not None}
    )
    answered = (
        set(
            db.session.scalars(
                select(Comment.id).where(Comment.id.in_(parent_ids), Comment.author_id == actor.id)
            )
        )
        if parent_ids
        else set()
    )
    found = {}
    for post in posts:
        why = conflict_of_interest(
            took_part=post.thread_id in took_part,
            answered=isinstance(post, Comment) and post.parent_id in answered,
            text=post_text(post),
            moderator_name=actor.username,
        )
        if why:
            found[(post_kind(post), post.id)] = why
    return found


def check_may_decide(actor: User, post: Post, *, override: bool = False) -> str:
    """Refuse a moderator who is a party to the post's argument; an admin may ``override``.
    Returns the conflict an admin overrode ("" when there was none), for the log."""
    why = decision_conflicts(actor, [post]).get((post_kind(post), post.id), "")
    if not why or (override and actor.is_admin):
        return why
    hint = " As an admin you may override this; it is logged." if actor.is_admin else ""
    raise PermissionDeniedError(f"Someone else must decide: {why}.{hint}")


# --------------------------------------------------------------------------- decisions

DECISIONS = ("approve", "remove", "edit_approve", "dismiss")


def removal_category(category: str | None, item: QueueItem | None, post: Post) -> str:
    """The category readers will see: the moderator's choice, else the likeliest one."""
    if category:
        if category not in REMOVAL_CATEGORIES:
            choices = ", ".join(REMOVAL_CATEGORIES)
            raise ValidationError(
                f"Choose what kind of problem it was: one of {choices}.",
                fields={"category": f"one of {choices}"},
            )
        return category
    reasons = [f.reason for f in flags_for(post)]
    return default_category(reasons, rule_matched=bool(item and item.matches))


def _revise(post: Post, body: str, *, editor: User, now: datetime) -> None:
    """Replace a post's text, keeping the earlier one as a revision (no commit)."""
    if isinstance(post, Comment):
        db.session.add(CommentRevision(comment=post, body_src=post.body_src, editor_id=editor.id))
    else:
        db.session.add(
            ThreadRevision(
                thread_id=post.id,
                title=post.title,
                body_src=post.body_src,
                tags=[t.slug for t in post.tags],
                editor_id=editor.id,
            )
        )
    post.body_src = body
    post.body_html = render_markdown(body)
    post.edited_at = now


def decide(
    item: QueueItem,
    *,
    actor: User,
    decision: str,
    reason: str = "",
    body: str | None = None,
    category: str | None = None,
    override: bool = False,
) -> QueueItem:
    """Approve, remove (with a reason the author sees and a category readers see),
    edit-and-approve, or dismiss flags. A moderator who takes part in the argument can't
    decide it; an admin may ``override`` that, and the log says so."""
    post = item.post
    if not can_moderate_post(actor, post):
        raise PermissionDeniedError("This item is outside what you moderate.")
    if item.state != QueueState.OPEN:
        raise ConflictError("Another moderator has already decided this item.")
    if decision not in DECISIONS:
        raise ValidationError(
            f"Decision must be one of {', '.join(DECISIONS)}.", fields={"decision": decision}
        )
    overridden = check_may_decide(actor, post, override=override)
    reason = clean_text(reason).strip()
    if body is not None:
        body = clean_text(body)
    if len(reason) > REASON_MAX:
        raise ValidationError("Keep the reason short.", fields={"reason": "too long"})
    was_hidden = post.status in (CommentStatus.PENDING, CommentStatus.REMOVED)
    details: dict[str, Any] = {"source": item.source}
    if overridden:
        details["override"] = overridden
    if decision == "remove":
        if not reason:
            raise ValidationError(
                "Give the author a reason for the removal.", fields={"reason": "required"}
            )
        details["category"] = _remove(post, reason, removal_category(category, item, post))
        _close(item, QueueState.REMOVED, actor, reason)
    else:
        if decision == "edit_approve":
            if body is None or not body.strip():
                raise ValidationError("The edited text is empty.", fields={"body": "required"})
            _revise(post, body, editor=actor, now=utcnow())
            details["edited"] = True
        if post.status in (CommentStatus.PENDING, CommentStatus.REMOVED):
            set_status(post, CommentStatus.PUBLISHED)
            post.removal_reason = post.removal_category = ""
        _settle_flags(post, "dismissed")
        _close(
            item,
            QueueState.DISMISSED if decision == "dismiss" else QueueState.APPROVED,
            actor,
            reason,
        )
    row = log_action(
        decision,
        actor=actor,
        target_type=post_kind(post),
        target_id=post.id,
        subject=post.author,
        reason=reason,
        details=details,
    )
    db.session.flush()
    _announce(post, decision, reason=reason, was_hidden=was_hidden, actor=actor, event=row.id)
    db.session.commit()
    bump_thread(post.thread_id)  # page cache (issue 6)
    return item


def _remove(post: Post, reason: str, category: str) -> str:
    """Take a post down with the author's reason and the readers' category (no commit)."""
    set_status(post, CommentStatus.REMOVED)
    post.removal_reason = reason
    post.removal_category = category
    _settle_flags(post, "upheld")
    return category


def published(post: Post) -> None:
    """A post just became public (posted, or approved after a hold): tell those it would
    have reached had it been published at once (no commit)."""
    if isinstance(post, Comment):
        subscriptions.comment_published(post)
    else:
        subscriptions.thread_published(post)


def _announce(
    post: Post, decision: str, *, reason: str, was_hidden: bool, actor: User, event: int
) -> None:
    """After a decision: the author and flaggers hear the outcome; content held back until
    now reaches the people it would have reached when it was posted."""
    if decision == "remove":
        subscriptions.tell_author(
            post, NotificationKind.COMMENT_REMOVED, event=event, actor=actor, note=reason
        )
    elif was_hidden:
        subscriptions.tell_author(post, NotificationKind.COMMENT_APPROVED, event=event)
        published(post)
    flaggers = db.session.scalars(select(Flag.user_id).where(_about(Flag, post)))
    outcome = "removed" if decision == "remove" else "left up"
    subscriptions.tell_flaggers(post, flaggers, outcome)


def remove_post(
    post: Post,
    *,
    actor: User,
    reason: str,
    category: str | None = None,
    override: bool = False,
) -> Post:
    """A moderator removes a comment or a whole thread from its page, with a reason the
    author sees and a category readers see; an open queue item about it is closed too."""
    if not can_moderate_post(actor, post):
        raise PermissionDeniedError("This is outside what you moderate.")
    if post.status not in (CommentStatus.PUBLISHED, CommentStatus.PENDING):
        raise ConflictError(f"This {_noun(post)} is not up: there is nothing to remove.")
    overridden = check_may_decide(actor, post, override=override)
    reason = clean_text(reason).strip()
    if not reason or len(reason) > REASON_MAX:
        raise ValidationError(
            "Give the author a short reason for the removal.", fields={"reason": "required"}
        )
    item = open_item(post)
    category = removal_category(category, item, post)
    details: dict[str, Any] = {"category": _remove(post, reason, category)}
    if item is not None:
        details["source"] = item.source
        _close(item, QueueState.REMOVED, actor, reason)
    if overridden:
        details["override"] = overridden
    row = log_action(
        "remove",
        actor=actor,
        target_type=post_kind(post),
        target_id=post.id,
        subject=post.author,
        reason=reason,
        details=details,
    )
    db.session.flush()
    _announce(post, "remove", reason=reason, was_hidden=False, actor=actor, event=row.id)
    db.session.commit()
    bump_thread(post.thread_id)  # page cache (issue 6)
    return post


def restore_post(post: Post, *, actor: User, override: bool = False) -> Post:
    """Undo a removal (a moderator's mistake, or an appeal decided outside the queue): the
    post is public again and its author is told."""
    if not can_moderate_post(actor, post):
        raise PermissionDeniedError("This is outside what you moderate.")
    if post.status != CommentStatus.REMOVED:
        raise ConflictError(f"Only a removed {_noun(post)} can be restored.")
    overridden = check_may_decide(actor, post, override=override)
    set_status(post, CommentStatus.PUBLISHED)
    post.removal_reason = post.removal_category = ""
    item = open_item(post)
    if item is not None:
        _close(item, QueueState.APPROVED, actor, "restored")
    row = log_action(
        "restore",
        actor=actor,
        target_type=post_kind(post),
        target_id=post.id,
        subject=post.author,
        details={"override": overridden} if overridden else {},
    )
    db.session.flush()
    _announce(post, "restore", reason="", was_hidden=True, actor=actor, event=row.id)
    db.session.commit()
    bump_thread(post.thread_id)  # page cache (issue 6)
    return post


def decide_many(
    items: Sequence[QueueItem],
    *,
    actor: User,
    decision: str,
    reason: str = "",
    category: str | None = None,
) -> int:
    """Apply one decision to several items; ones already decided, and ones the moderator
    takes part in (someone else must decide those), are skipped."""
    conflicts = decision_conflicts(actor, [item.post for item in items])
    done = 0
    for item in items:
        if item.state == QueueState.OPEN and (post_kind(item.post), item.post.id) not in conflicts:
            decide(item, actor=actor, decision=decision, reason=reason, category=category)
            done += 1
    return done


def warn_user(user: User, *, actor: User, reason: str, comment: Comment | None = None) -> None:
    _require_moderator(actor)
    reason = clean_text(reason)
    if not reason.strip():
        raise ValidationError("Say what the warning is for.", fields={"reason": "required"})
    row = log_action(
        "warn",
        actor=actor,
        target_type="comment" if comment else "user",
        target_id=comment.id if comment else user.id,
        subject=user,
        reason=reason.strip(),
    )
    db.session.flush()
    subscriptions.notify(
        user.id,
        NotificationKind.WARNING,
        key=f"warning:{row.id}",
        actor=actor,
        comment_id=comment.id if comment else None,
        thread_id=comment.thread_id if comment else None,
        note=reason.strip(),
    )
    db.session.commit()


def suspend_user(
    user: User, *, actor: User, days: int, reason: str, now: datetime | None = None
) -> None:
    """Suspended people can read but not post until the date passes."""
    _require_moderator(actor)
    reason = clean_text(reason)
    if user.is_moderator and not actor.is_admin:
        raise PermissionDeniedError("Only an admin can suspend a moderator.")
    errors = {}
    if not 1 <= days <= 365:
        errors["days"] = "Suspend for 1 to 365 days."
    if not reason.strip():
        errors["reason"] = "Say why."
    if errors:
        raise ValidationError("Please fix the marked fields.", fields=errors)
    user.suspended_until = (now or utcnow()) + timedelta(days=days)
    log_action(
        "suspend",
        actor=actor,
        target_type="user",
        target_id=user.id,
        subject=user,
        reason=reason.strip(),
        details={"days": days},
    )
    db.session.commit()


def appeal_removal(post: Post, *, actor: User, reason: str) -> QueueItem:
    """The author asks once for a removed post to be looked at again."""
    if not permissions.is_author(actor, post):
        raise PermissionDeniedError("Only the author can appeal.")
    reason = clean_text(reason)
    if post.status != CommentStatus.REMOVED:
        raise ConflictError("Only removed posts can be appealed.")
    if post.appealed:
        raise ConflictError("This removal has already been appealed.")
    if not reason.strip() or len(reason) > REASON_MAX:
        raise ValidationError(
            f"Say in a few words why the {_noun(post)} should stand.", fields={"reason": "required"}
        )
    post.appealed = True
    item = enqueue(post, QueueSource.APPEAL, priority=PRIORITY["appeal"])
    db.session.flush()
    log_action(
        "appeal",
        actor=actor,
        target_type=post_kind(post),
        target_id=post.id,
        subject=actor,
        reason=reason.strip(),
    )
    db.session.commit()
    return item


def set_moderator_scopes(user: User, tag_slugs: Iterable[str], *, actor: User) -> list[Tag]:
    """Admins limit a moderator to some tags (none = every tag)."""
    if not permissions.can_manage_users(actor):
        raise PermissionDeniedError("Only admins can change moderators.")
    slugs = list(tag_slugs)
    tags = list(db.session.scalars(select(Tag).where(Tag.slug.in_(slugs)))) if slugs else []
    missing = sorted(set(slugs) - {t.slug for t in tags})
    if missing:
        raise ValidationError(f"Unknown tags: {', '.join(missing)}.", fields={"tags": "unknown"})
    db.session.execute(ModeratorScope.__table__.delete().where(ModeratorScope.user_id == user.id))
    for tag in tags:
        db.session.add(ModeratorScope(user_id=user.id, tag_id=tag.id))
    log_action(
        "scope",
        actor=actor,
        target_type="user",
        target_id=user.id,
        subject=user,
        details={"tags": [t.slug for t in tags]},
    )
    db.session.commit()
    return tags
