"""Outbox handlers that tell followers: one set-based INSERT per event, whatever the audience.

Posting only adds an outbox row; these run in the worker. Each writes every follower's
notification with a single ``INSERT ... SELECT ... ON CONFLICT (user_id, key) DO NOTHING``,
so 100,000 followers cost one statement and no Python loop, and running an event twice (a
retry after a crash, or a re-tag after creation) tells nobody twice. Keys are shared with the
site's own notices: "thread:<id>" for a new thread, "comment:<id>" for a comment (which
``service.comment_published`` uses for replies and mentions, so the most specific notice,
written first in the request, wins).

Held or removed content is checked again here: it may have been removed since it was queued.
Threads are public in this schema, so "who can see it" is everyone who still has an account;
a private thread or tag would add its clause in ``_eligible``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, literal, select

from forum import outbox
from forum.extensions import db
from forum.models import (
    Comment,
    CommentStatus,
    Notification,
    NotificationKind,
    TagLevel,
    TagSubscription,
    Thread,
    ThreadSubscription,
    UserIgnore,
    thread_tags,
)
from forum.models.base import utcnow
from forum.subscriptions.service import dialect_insert

# Levels told of each new thread as it appears; digests are someone else's job.
NEW_THREAD_LEVELS = (TagLevel.NEW_THREADS.value, TagLevel.ALL.value)
MAIL_EVENT = "mail.fanout"

_COLUMNS = ("user_id", "kind", "key", "actor_id", "thread_id", "comment_id", "note", "created_at")


def _muted_tag_users(thread_id: int) -> Select[Any]:
    """People who muted any of the thread's tags."""
    return (
        select(TagSubscription.user_id)
        .join(thread_tags, thread_tags.c.tag_id == TagSubscription.tag_id)
        .where(thread_tags.c.thread_id == thread_id, TagSubscription.level == TagLevel.MUTED.value)
    )


def _muted_thread_users(thread_id: int) -> Select[Any]:
    return select(ThreadSubscription.user_id).where(
        ThreadSubscription.thread_id == thread_id, ThreadSubscription.muted.is_(True)
    )


def _ignoring_users(author_id: int) -> Select[Any]:
    """People who ignore the author: they hear nothing of what that person posts."""
    return select(UserIgnore.user_id).where(UserIgnore.ignored_id == author_id)


def _eligible(user_id: ColumnElement[int], thread: Thread, author_id: int) -> list[Any]:
    """Conditions every recipient meets: not the author, not muted on this thread, not
    ignoring the author."""
    return [
        user_id != author_id,
        user_id.not_in(_muted_thread_users(thread.id)),
        user_id.not_in(_ignoring_users(author_id)),
    ]


def _insert_notifications(recipients: Select[Any], values: dict[str, Any]) -> int:
    """Write one notification per recipient row (first column: user id); returns how many.

    ``recipients`` must carry a WHERE clause: SQLite can't otherwise tell the SELECT's end
    from the ON CONFLICT clause.
    """
    constants = [
        literal(values[name], Notification.__table__.c[name].type).label(name)
        for name in _COLUMNS[1:]
    ]
    rows = recipients.add_columns(*constants)
    stmt = (
        dialect_insert(Notification)
        .from_select(list(_COLUMNS), rows)
        .on_conflict_do_nothing(index_elements=["user_id", "key"])
    )
    # SQLAlchemy only keeps an INSERT's row count when asked to.
    result = db.session.execute(stmt, execution_options={"preserve_rowcount": True})
    return max(result.rowcount, 0)


def fan_out_thread(
    thread_id: int, tag_ids: list[int] | None = None, now: datetime | None = None
) -> int:
    """Tell followers of the thread's tags (or of just ``tag_ids``, for a re-tag) about it."""
    thread = db.session.get(Thread, thread_id)
    if thread is None or thread.status != CommentStatus.PUBLISHED:
        # Held for a moderator (approval announces it again), removed, deleted, or its
        # promotion undone before the worker got to it.
        return 0
    follower = TagSubscription.user_id
    recipients = (
        select(follower)
        .distinct()
        .join(thread_tags, thread_tags.c.tag_id == TagSubscription.tag_id)
        .where(
            thread_tags.c.thread_id == thread.id,
            TagSubscription.level.in_(NEW_THREAD_LEVELS),
            follower.not_in(_muted_tag_users(thread.id)),
            *_eligible(follower, thread, thread.author_id),
        )
    )
    if tag_ids is not None:
        # Still tagged: the join above only keeps tags the thread has now.
        recipients = recipients.where(TagSubscription.tag_id.in_(tag_ids))
    written = _insert_notifications(
        recipients,
        {
            "kind": NotificationKind.NEW_THREAD.value,
            "key": f"thread:{thread.id}",
            "actor_id": thread.author_id,
            "thread_id": thread.id,
            "comment_id": None,
            "note": "",
            "created_at": now or utcnow(),
        },
    )
    # A re-tag that reached nobody new sends no mail either; a new thread always announces.
    if written or tag_ids is None:
        outbox.emit(MAIL_EVENT, kind="new_thread", thread_id=thread.id)
    return written


def fan_out_comment(comment_id: int, now: datetime | None = None) -> int:
    """Tell the thread's followers, and followers of its tags at level "all", of a comment."""
    comment = db.session.get(Comment, comment_id)
    if comment is None or comment.status != CommentStatus.PUBLISHED:
        return 0  # held, removed or deleted since: nobody hears of it
    thread = db.session.get(Thread, comment.thread_id)
    if thread is None or not thread.is_listed:
        return 0  # the thread was held or removed since
    direct = select(ThreadSubscription.user_id.label("user_id")).where(
        ThreadSubscription.thread_id == thread.id, ThreadSubscription.muted.is_(False)
    )
    # Following a thread outranks muting one of its tags; an "all" follow of a tag doesn't.
    via_tags = (
        select(TagSubscription.user_id)
        .join(thread_tags, thread_tags.c.tag_id == TagSubscription.tag_id)
        .where(
            thread_tags.c.thread_id == thread.id,
            TagSubscription.level == TagLevel.ALL.value,
            TagSubscription.user_id.not_in(_muted_tag_users(thread.id)),
        )
    )
    union = direct.union(via_tags).subquery()
    recipients = select(union.c.user_id).where(
        *_eligible(union.c.user_id, thread, comment.author_id)
    )
    written = _insert_notifications(
        recipients,
        {
            "kind": NotificationKind.NEW_COMMENT.value,
            "key": f"comment:{comment.id}",
            "actor_id": comment.author_id,
            "thread_id": thread.id,
            "comment_id": comment.id,
            "note": "",
            "created_at": now or utcnow(),
        },
    )
    # Always: people told directly (a reply to them) hold this key already, and mail decides
    # for itself whom to write to.
    outbox.emit(MAIL_EVENT, kind="new_comment", thread_id=thread.id, comment_id=comment.id)
    return written


@outbox.handler("thread.created")
def on_thread_created(payload: dict[str, Any]) -> None:
    fan_out_thread(int(payload["thread_id"]))


@outbox.handler("thread.tagged")
def on_thread_tagged(payload: dict[str, Any]) -> None:
    fan_out_thread(int(payload["thread_id"]), [int(t) for t in payload["tag_ids"]])


@outbox.handler("comment.published")
def on_comment_published(payload: dict[str, Any]) -> None:
    fan_out_comment(int(payload["comment_id"]))
