"""Notifications: written in the same transaction as the action that causes them.

Callers add notifications and commit with their own change, so a rolled-back action tells
nobody, and held content tells nobody until it is approved.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Select, func, select, update
from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.models import Comment, CommentStatus, Notification, NotificationKind, Thread, User
from forum.models.base import utcnow
from forum.subscriptions import rules


def notify(
    user_id: int,
    kind: str,
    *,
    key: str,
    actor: User | None = None,
    thread_id: int | None = None,
    comment_id: int | None = None,
    note: str = "",
) -> None:
    """Add one notification unless this person already has one with this key (no commit)."""
    try:
        with db.session.begin_nested():
            db.session.add(
                Notification(
                    user_id=user_id,
                    kind=kind,
                    key=key[:80],
                    actor_id=actor.id if actor else None,
                    thread_id=thread_id,
                    comment_id=comment_id,
                    note=note[:500],
                )
            )
    except IntegrityError:
        pass  # already told: retries and re-approvals must not repeat themselves


def comment_published(comment: Comment) -> None:
    """Tell the parent's author, the thread's author and those @mentioned (no commit)."""
    if comment.status != CommentStatus.PUBLISHED:
        return
    names = rules.extract_mentions(comment.body_src)
    mentioned = (
        list(db.session.scalars(select(User.id).where(User.username_key.in_(names))))
        if names
        else []
    )
    parent_author = (
        db.session.scalar(select(Comment.author_id).where(Comment.id == comment.parent_id))
        if comment.parent_id
        else None
    )
    thread_author = db.session.scalar(
        select(Thread.author_id).where(Thread.id == comment.thread_id)
    )
    recipients = rules.reply_recipients(
        actor_id=comment.author_id,
        parent_author_id=parent_author,
        thread_author_id=thread_author,
        mentioned_ids=mentioned,
    )
    for user_id, kind in recipients.items():
        notify(
            user_id,
            kind,
            key=f"comment:{comment.id}",
            actor=comment.author,
            thread_id=comment.thread_id,
            comment_id=comment.id,
        )


def tell_author(
    comment: Comment, kind: str, *, event: int, actor: User | None = None, note: str = ""
) -> None:
    """Tell a comment's author what moderation did with it (no commit).

    ``event`` (a log row id) keeps a second removal after an appeal a separate notice.
    """
    notify(
        comment.author_id,
        kind,
        key=f"{kind}:{comment.id}:{event}",
        actor=actor,
        thread_id=comment.thread_id,
        comment_id=comment.id,
        note=note,
    )


def tell_flaggers(comment: Comment, flagger_ids: Iterable[int], outcome: str) -> None:
    """Readers who flagged a comment learn what moderators decided (no commit)."""
    for user_id in flagger_ids:
        notify(
            user_id,
            NotificationKind.FLAG_OUTCOME,
            key=f"flag:{comment.id}",
            thread_id=comment.thread_id,
            comment_id=comment.id,
            note=outcome,
        )


def notifications_for(user: User) -> Select[tuple[Notification]]:
    return (
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id.desc())
    )


def unread_count(user: User) -> int:
    return (
        db.session.scalar(
            select(func.count(Notification.id)).where(
                Notification.user_id == user.id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def mark_read(user: User, ids: Iterable[int] | None = None) -> int:
    """Mark some (or, with None, all) of the user's own notifications read."""
    stmt = update(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    if ids is not None:
        stmt = stmt.where(Notification.id.in_(list(ids)))
    changed = db.session.execute(stmt.values(read_at=utcnow())).rowcount
    db.session.commit()
    return changed
