"""Readers' flags: who may flag, how much a flag weighs, when flags hide a post, and flaggers
who act together."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from forum import permissions
from forum.cache import bump_thread
from forum.errors import ConflictError, PermissionDeniedError, ValidationError
from forum.extensions import db
from forum.models import (
    Comment,
    CommentStatus,
    Flag,
    FlagReason,
    NotificationKind,
    QueueSource,
    Thread,
    User,
)
from forum.models.base import utcnow
from forum.moderation.audit import log_action
from forum.moderation.common import Post, about, noun, post_kind
from forum.moderation.policy import (
    COORDINATION_WINDOW_DAYS,
    FLAG_NOTE_MAX,
    PRIORITY,
    Coordination,
    OpenFlag,
    coordination,
    flag_weight,
    flags_hide,
    uncounted_reason,
)
from forum.moderation.review import set_status
from forum.moderation.screening import enqueue, published_posts
from forum.subscriptions import service as subscriptions
from forum.text import clean_text

# Flags read when looking for flaggers who act together: a week of a few accounts' flags.
COORDINATION_SCAN = 2_000


def check_can_flag(actor: User, post: Post) -> None:
    """Refuse (403) a flag ``actor`` may not make, saying why: the site and the API alike."""
    if permissions.can_flag(actor, post):
        return
    if actor.is_suspended:
        until = f"{actor.suspended_until:%-d %b %Y}"
        raise PermissionDeniedError(
            f"Your account is suspended until {until}: you can read, but not flag {noun(post)}s."
        )
    if permissions.is_author(actor, post):
        raise PermissionDeniedError(f"You can't flag your own {noun(post)}.")
    raise PermissionDeniedError(f"This {noun(post)} can't be flagged.")


def _already_flagged(post: Post) -> ConflictError:
    return ConflictError(f"You have already flagged this {noun(post)}; moderators will look at it.")


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
    already = db.session.scalar(select(Flag.id).where(about(Flag, post), Flag.user_id == actor.id))
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
                about(Flag, post), Flag.outcome.is_(None)
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
            ~about(Flag, post),
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
