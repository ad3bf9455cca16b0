"""The review queue as moderators read it, and who may decide which item."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select, update

from forum import permissions
from forum.errors import ConflictError, NotFoundError, PermissionDeniedError
from forum.extensions import db
from forum.models import (
    Comment,
    CommentStatus,
    Flag,
    ModerationAction,
    QueueItem,
    QueueState,
    Thread,
    User,
    thread_tags,
)
from forum.models.base import utcnow
from forum.moderation.common import (
    Post,
    about,
    moderator_scope_tag_ids,
    post_kind,
    post_text,
    require_moderator,
)
from forum.moderation.policy import (
    conflict_of_interest,
)

# --------------------------------------------------------------------------- queue


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


def open_queue(viewer: User, *, limit: int = 100, mentions: bool = True) -> list[QueueItem]:
    """Open items the viewer may act on: highest priority, then oldest, first. Without
    ``mentions``, only posts (the API's queue, whose items are all posts)."""
    require_moderator(viewer)
    stmt = _open_items(viewer).order_by(
        QueueItem.priority.desc(), QueueItem.created_at, QueueItem.id
    )
    if not mentions:
        stmt = stmt.where(QueueItem.mention_id.is_(None))
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


def close_item(item: QueueItem, state: str, actor: User, reason: str) -> None:
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


def flags_for(post: Post) -> list[Flag]:
    return list(db.session.scalars(select(Flag).where(about(Flag, post)).order_by(Flag.id)))


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
