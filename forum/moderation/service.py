"""Moderation use cases: screen comments, reader flags, the review queue, rules and the log.

Every moderator action adds one ModerationAction row in the same transaction as the change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import Select, func, select, update
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
    User,
    thread_tags,
)
from forum.models.base import utcnow
from forum.moderation import Assessment, Rule, RuleError, assess, default_rules
from forum.moderation.policy import (
    FLAG_NOTE_MAX,
    PRIORITY,
    REASON_MAX,
    flag_weight,
    flags_hide,
)
from forum.moderation.rules import rule_from_dict, rule_to_dict
from forum.subscriptions import service as subscriptions
from forum.text import clean_line, clean_text, render_markdown

DRY_RUN_WINDOW = 1_000


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
    """Create or edit a rule; each save is a new version, and the log says who and why."""
    _require_moderator(actor)
    rule = _parse_rule(definition)
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


def dry_run_rule(definition: dict[str, Any]) -> list[tuple[Comment, Assessment]]:
    """Which of the last 1,000 comments this rule (alone) would catch, before it is saved."""
    rule = _parse_rule(definition)
    recent = db.session.scalars(
        select(Comment)
        .where(Comment.status.in_((CommentStatus.PUBLISHED, CommentStatus.PENDING)))
        .order_by(Comment.id.desc())
        .limit(DRY_RUN_WINDOW)
    )
    caught = []
    for comment in recent:
        result = assess(comment.body_src, rules=[rule], use_scorer=False)
        if result.matches:
            caught.append((comment, result))
    return caught


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


def screen_text(text: str, *, thread: Thread | None, author: User) -> Assessment:
    """Run the effective rules (and the shipped scorer) over a comment before it is posted."""
    participants = thread_participants(thread, exclude=author) if thread else []
    tags = [t.slug for t in thread.tags] if thread else []
    return assess(text, participants, rules=effective_rules(), tags=tags, use_scorer=True)


def needs_new_user_review(author: User, review_count: int | None = None) -> bool:
    """A new account's first ``review_count`` comments wait for a moderator (setting)."""
    if review_count is None:
        review_count = current_app.config["NEW_USER_REVIEW_COUNT"]
    if review_count <= 0 or author.is_moderator:
        return False
    published = db.session.scalar(
        select(func.count(Comment.id)).where(
            Comment.author_id == author.id, Comment.status == CommentStatus.PUBLISHED
        )
    )
    return (published or 0) < review_count


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


def open_item(comment: Comment) -> QueueItem | None:
    """The comment's open queue item, if a moderator still has to look at it."""
    return db.session.scalar(
        select(QueueItem).where(
            QueueItem.comment_id == comment.id, QueueItem.state == QueueState.OPEN
        )
    )


def enqueue(
    comment: Comment,
    source: str,
    *,
    priority: int,
    assessment: Assessment | None = None,
) -> QueueItem:
    """Add the comment to the queue, or raise the priority of its open item."""
    item = open_item(comment)
    if item is None:
        item = QueueItem(comment_id=comment.id, source=source, priority=priority, matches=[])
        db.session.add(item)
    item.priority = max(item.priority or 0, priority)
    if assessment is not None:
        item.matches = matches_json(assessment)
        item.score = assessment.score
    return item


def record_screening(
    comment: Comment, assessment: Assessment, *, queue: str | None, nudged: bool
) -> None:
    """Queue and log what the rules did to a comment that was just written (no commit)."""
    if queue is not None:
        priority = PRIORITY["hold"] if assessment.action == "hold" else PRIORITY["flag"]
        if queue == QueueSource.NEW_USER:
            priority = PRIORITY["new_user"]
        enqueue(comment, queue, priority=priority, assessment=assessment)
        if comment.status == CommentStatus.PENDING:
            subscriptions.tell_author(comment, NotificationKind.COMMENT_HELD, event=comment.id)
    if nudged or assessment.matches:
        rephrased = nudged and not assessment.matches
        log_action(
            "author_rephrased" if rephrased else f"rules_{assessment.action}",
            actor=None,
            target_type="comment",
            target_id=comment.id,
            subject=comment.author,
            details={"rules": list(assessment.rule_ids), "posted_anyway": bool(assessment.matches)},
        )


# --------------------------------------------------------------------------- flags


def check_can_flag(actor: User, comment: Comment) -> None:
    """Refuse (403) a flag ``actor`` may not make, saying why: the site and the API alike."""
    if permissions.can_flag(actor, comment):
        return
    if actor.is_suspended:
        until = f"{actor.suspended_until:%-d %b %Y}"
        raise PermissionDeniedError(
            f"Your account is suspended until {until}: you can read, but not flag comments."
        )
    if permissions.is_author(actor, comment):
        raise PermissionDeniedError("You can't flag your own comment.")
    raise PermissionDeniedError("This comment can't be flagged.")


def flag_comment(
    comment: Comment,
    *,
    actor: User,
    reason: str,
    note: str = "",
    excerpt: str = "",
    hide_threshold: float | None = None,
) -> Flag:
    """Record a reader's flag once; enough weighted flags hide the comment pending review."""
    check_can_flag(actor, comment)
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
    already = db.session.scalar(
        select(Flag.id).where(Flag.comment_id == comment.id, Flag.user_id == actor.id)
    )
    if already is not None:
        raise ConflictError("You have already flagged this comment; moderators will look at it.")
    upheld = db.session.scalar(
        select(func.count(Flag.id)).where(Flag.user_id == actor.id, Flag.outcome == "upheld")
    )
    flag = Flag(
        comment_id=comment.id,
        user_id=actor.id,
        reason=reason,
        note=note.strip(),
        excerpt=excerpt.strip(),
        weight=flag_weight(upheld or 0),
    )
    try:
        with db.session.begin_nested():
            db.session.add(flag)
    except IntegrityError as exc:  # the same reader, twice at the same moment
        raise ConflictError(
            "You have already flagged this comment; moderators will look at it."
        ) from exc
    open_flags = db.session.execute(
        select(Flag.weight, Flag.reason).where(
            Flag.comment_id == comment.id, Flag.outcome.is_(None)
        )
    ).all()
    priority = PRIORITY["harassment"] if reason == FlagReason.HARASSMENT else PRIORITY["flag"]
    enqueue(comment, QueueSource.FLAGS, priority=priority + len(open_flags))
    if hide_threshold is None:
        hide_threshold = current_app.config["FLAG_HIDE_THRESHOLD"]
    if comment.status == CommentStatus.PUBLISHED and flags_hide(
        [(w, r) for w, r in open_flags], hide_threshold
    ):
        _set_status(comment, CommentStatus.PENDING)
        row = log_action(
            "auto_hide",
            actor=None,
            target_type="comment",
            target_id=comment.id,
            subject=comment.author,
            details={"flags": len(open_flags)},
        )
        db.session.flush()
        subscriptions.tell_author(comment, NotificationKind.COMMENT_HELD, event=row.id)
    db.session.commit()
    bump_thread(comment.thread_id)  # page cache (issue 6)
    return flag


# --------------------------------------------------------------------------- queue


def moderator_scope_tag_ids(user: User) -> list[int]:
    return list(
        db.session.scalars(select(ModeratorScope.tag_id).where(ModeratorScope.user_id == user.id))
    )


def can_moderate_comment(actor: User | None, comment: Comment) -> bool:
    """Moderators act on a comment when its thread is inside their scope."""
    return permissions.moderates(actor, comment)


def _open_items(viewer: User) -> Select[tuple[QueueItem]]:
    """Open items in the viewer's scope: the queue page and the header's count agree."""
    stmt = select(QueueItem).where(QueueItem.state == QueueState.OPEN)
    scopes = [] if viewer.is_admin else moderator_scope_tag_ids(viewer)
    if scopes:
        in_scope = (
            select(Comment.id)
            .join(thread_tags, thread_tags.c.thread_id == Comment.thread_id)
            .where(thread_tags.c.tag_id.in_(scopes))
        )
        stmt = stmt.where(QueueItem.comment_id.in_(in_scope))
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
    if item is None or not can_moderate_comment(viewer, item.comment):
        # Out-of-scope items look like missing ones, so ids can't be probed.
        raise NotFoundError("There is no such queue item.")
    return item


def flags_for(comment: Comment) -> list[Flag]:
    return list(
        db.session.scalars(select(Flag).where(Flag.comment_id == comment.id).order_by(Flag.id))
    )


def author_record(user: User) -> dict[str, int]:
    """What a moderator sees of the author: comments, removals, warnings, suspensions."""
    counts = dict(
        db.session.execute(
            select(Comment.status, func.count(Comment.id))
            .where(Comment.author_id == user.id)
            .group_by(Comment.status)
        ).all()
    )
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
        "published": counts.get(CommentStatus.PUBLISHED, 0),
        "removed": counts.get(CommentStatus.REMOVED, 0),
        "warnings": actions.get("warn", 0),
        "suspensions": actions.get("suspend", 0),
    }


def _set_status(comment: Comment, status: str, now: datetime | None = None) -> None:
    """Change a comment's status, keeping the thread's published count in step."""
    was = comment.status == CommentStatus.PUBLISHED
    comment.status = status
    now_published = status == CommentStatus.PUBLISHED
    if was != now_published:
        values: dict[str, Any] = {
            "comment_count": Thread.comment_count + (1 if now_published else -1)
        }
        if now_published:
            values["last_activity_at"] = now or utcnow()
        db.session.execute(update(Thread).where(Thread.id == comment.thread_id).values(**values))


def _require_moderator(actor: User | None) -> None:
    if not permissions.can_moderate(actor):
        raise PermissionDeniedError("Only moderators can do that.")


def _settle_flags(comment: Comment, outcome: str) -> None:
    db.session.execute(
        update(Flag)
        .where(Flag.comment_id == comment.id, Flag.outcome.is_(None))
        .values(outcome=outcome)
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


DECISIONS = ("approve", "remove", "edit_approve", "dismiss")


def decide(
    item: QueueItem, *, actor: User, decision: str, reason: str = "", body: str | None = None
) -> QueueItem:
    """Approve, remove (with a reason the author sees), edit-and-approve, or dismiss flags."""
    if not can_moderate_comment(actor, item.comment):
        raise PermissionDeniedError("This item is outside what you moderate.")
    if item.state != QueueState.OPEN:
        raise ConflictError("Another moderator has already decided this item.")
    if decision not in DECISIONS:
        raise ValidationError(
            f"Decision must be one of {', '.join(DECISIONS)}.", fields={"decision": decision}
        )
    reason = clean_text(reason).strip()
    if body is not None:
        body = clean_text(body)
    if len(reason) > REASON_MAX:
        raise ValidationError("Keep the reason short.", fields={"reason": "too long"})
    comment = item.comment
    was_hidden = comment.status in (CommentStatus.PENDING, CommentStatus.REMOVED)
    details: dict[str, Any] = {"source": item.source}
    if decision == "remove":
        if not reason:
            raise ValidationError(
                "Give the author a reason for the removal.", fields={"reason": "required"}
            )
        _set_status(comment, CommentStatus.REMOVED)
        comment.removal_reason = reason
        _settle_flags(comment, "upheld")
        _close(item, QueueState.REMOVED, actor, reason)
    else:
        if decision == "edit_approve":
            if body is None or not body.strip():
                raise ValidationError("The edited text is empty.", fields={"body": "required"})
            db.session.add(CommentRevision(comment=comment, body_src=comment.body_src))
            comment.body_src = body
            comment.body_html = render_markdown(body)
            comment.edited_at = utcnow()
            details["edited"] = True
        if comment.status in (CommentStatus.PENDING, CommentStatus.REMOVED):
            _set_status(comment, CommentStatus.PUBLISHED)
            comment.removal_reason = ""
        _settle_flags(comment, "dismissed")
        _close(
            item,
            QueueState.DISMISSED if decision == "dismiss" else QueueState.APPROVED,
            actor,
            reason,
        )
    row = log_action(
        decision,
        actor=actor,
        target_type="comment",
        target_id=comment.id,
        subject=comment.author,
        reason=reason,
        details=details,
    )
    db.session.flush()
    _announce(item, comment, decision, was_hidden=was_hidden, actor=actor, event=row.id)
    db.session.commit()
    bump_thread(comment.thread_id)  # page cache (issue 6)
    return item


def _announce(
    item: QueueItem, comment: Comment, decision: str, *, was_hidden: bool, actor: User, event: int
) -> None:
    """After a decision: the author and flaggers hear the outcome; content held back until
    now reaches the people it would have reached when it was posted."""
    if decision == "remove":
        subscriptions.tell_author(
            comment, NotificationKind.COMMENT_REMOVED, event=event, actor=actor, note=item.reason
        )
    elif was_hidden:
        subscriptions.tell_author(comment, NotificationKind.COMMENT_APPROVED, event=event)
        subscriptions.comment_published(comment)
    flaggers = db.session.scalars(select(Flag.user_id).where(Flag.comment_id == comment.id))
    outcome = "removed" if decision == "remove" else "left up"
    subscriptions.tell_flaggers(comment, flaggers, outcome)


def decide_many(items: Sequence[QueueItem], *, actor: User, decision: str, reason: str = "") -> int:
    """Apply one decision to several items; ones already decided are skipped."""
    done = 0
    for item in items:
        if item.state == QueueState.OPEN:
            decide(item, actor=actor, decision=decision, reason=reason)
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


def appeal_removal(comment: Comment, *, actor: User, reason: str) -> QueueItem:
    """The author asks once for a removed comment to be looked at again."""
    if not permissions.is_author(actor, comment):
        raise PermissionDeniedError("Only the author can appeal.")
    reason = clean_text(reason)
    if comment.status != CommentStatus.REMOVED:
        raise ConflictError("Only removed comments can be appealed.")
    if comment.appealed:
        raise ConflictError("This removal has already been appealed.")
    if not reason.strip() or len(reason) > REASON_MAX:
        raise ValidationError(
            "Say in a few words why the comment should stand.", fields={"reason": "required"}
        )
    comment.appealed = True
    item = enqueue(comment, QueueSource.APPEAL, priority=PRIORITY["appeal"])
    db.session.flush()
    log_action(
        "appeal",
        actor=actor,
        target_type="comment",
        target_id=comment.id,
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
