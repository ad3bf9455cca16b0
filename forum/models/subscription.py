"""What people follow and what they are told: tag and thread subscriptions, notifications."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ColumnElement, ForeignKey, Index, String, UniqueConstraint, and_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import Model, created_at, intpk
from forum.models.thread import Comment, Thread
from forum.models.user import User


class TagLevel(enum.StrEnum):
    """How closely someone follows a tag."""

    NEW_THREADS = "new_threads"  # each new thread, as it appears
    ALL = "all"  # new threads and every comment in them
    DAILY = "daily"  # one digest a day
    WEEKLY = "weekly"  # one digest a week
    MUTED = "muted"  # the tag's threads leave my home page


class TagSubscription(Model):
    __tablename__ = "tag_subscriptions"
    # Fan-out reads "who follows tag T at level L": this index serves it without a scan.
    __table_args__ = (Index("ix_tag_subscriptions_tag_id_level", "tag_id", "level"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True)
    level: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[created_at]


class ThreadSubscription(Model):
    """Following one thread: its new comments reach me (or, muted, nothing does)."""

    __tablename__ = "thread_subscriptions"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    muted: Mapped[bool] = mapped_column(default=False, server_default="0")
    created_at: Mapped[created_at]


class NotificationKind(enum.StrEnum):
    REPLY = "reply"  # someone answered my comment
    THREAD_REPLY = "thread_reply"  # someone answered in my thread
    MENTION = "mention"  # someone wrote @me
    NEW_THREAD = "new_thread"  # a new thread in a tag I follow
    NEW_COMMENT = "new_comment"  # a new comment in a thread (or an "all" tag) I follow
    QUESTION_PROMOTED = "question_promoted"  # my question got its own thread
    COMMENT_HELD = "comment_held"
    COMMENT_APPROVED = "comment_approved"
    COMMENT_REMOVED = "comment_removed"
    FLAG_OUTCOME = "flag_outcome"
    WARNING = "warning"


class Notification(Model):
    """One thing a person should hear about; ``key`` makes writing it twice a no-op."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("user_id", "key"),
        # The notifications page and the unread badge: newest first for one person.
        Index("ix_notifications_user_id_id", "user_id", "id"),
    )

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    key: Mapped[str] = mapped_column(String(80))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    # A short line the moderators wrote (a removal reason, a warning), never user content.
    note: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[created_at]
    read_at: Mapped[datetime | None]

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id], lazy="joined")
    thread: Mapped[Thread | None] = relationship(lazy="joined")
    comment: Mapped[Comment | None] = relationship(lazy="joined")

    @classmethod
    def unread_of(cls, user_id: ColumnElement[int] | int) -> ColumnElement[bool]:
        """One person's unread notifications: the header's badge, read with the sign-in or
        on its own, and what "mark all read" marks."""
        return and_(cls.user_id == user_id, cls.read_at.is_(None))
