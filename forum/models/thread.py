"""Threads and their numbered, tree-shaped comments."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import bool_false, created_at, db, intpk, utcnow
from forum.models.tag import Tag, thread_tags
from forum.models.user import User

if TYPE_CHECKING:
    from forum.models.promotion import Promotion


class CommentStatus(enum.StrEnum):
    PUBLISHED = "published"
    PENDING = "pending_review"
    REMOVED = "removed"
    DELETED = "deleted"


class Thread(db.Model):
    __tablename__ = "threads"

    id: Mapped[intpk]
    title: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    body_src: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[created_at]
    edited_at: Mapped[datetime | None]
    # Home and tag pages sort on this; bumped by every published comment.
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # Published comments, kept in step by the threads service so listings need no COUNT.
    comment_count: Mapped[int] = mapped_column(default=0)
    # Last number handed out; incremented atomically so concurrent replies never share one.
    comment_seq: Mapped[int] = mapped_column(default=0)

    author: Mapped[User] = relationship(lazy="joined", innerjoin=True)
    tags: Mapped[list[Tag]] = relationship(secondary=thread_tags, order_by=Tag.slug)
    # Set when this thread was opened by promoting a question from a comment elsewhere.
    promotion: Mapped[Promotion | None] = relationship(
        primaryjoin="Thread.id == Promotion.thread_id", viewonly=True, uselist=False
    )

    @property
    def tag_ids(self) -> list[int]:
        """What a moderator's tag scope is checked against (forum.permissions.moderates)."""
        return [tag.id for tag in self.tags]

    def __repr__(self) -> str:
        return f"<Thread {self.id} {self.title!r}>"


class Comment(db.Model):
    __tablename__ = "comments"
    __table_args__ = (
        UniqueConstraint("thread_id", "number"),
        # The whole tree of a thread is one range scan in this order.
        Index("ix_comments_thread_id_path", "thread_id", "path"),
        # The open-questions page: the few question comments, newest first.
        Index("ix_comments_is_question_created_at", "is_question", "created_at"),
    )

    id: Mapped[intpk]
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"), index=True)
    # 1, 2, 3... in the order posted, as on a blog.
    number: Mapped[int]
    # Materialised path: the zero-padded numbers of the ancestors and this comment, so that
    # ORDER BY path yields the tree depth-first with siblings in posting order.
    path: Mapped[str] = mapped_column(String(200))
    depth: Mapped[int] = mapped_column(default=0)
    body_src: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=CommentStatus.PUBLISHED, index=True)
    created_at: Mapped[created_at]
    edited_at: Mapped[datetime | None]
    # Shown to the author when a moderator removes the comment.
    removal_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # An author may appeal a removal once.
    appealed: Mapped[bool_false]
    # The author's own words ask a question (forum.threads.rules.looks_like_question), set
    # when the comment is posted or edited.
    is_question: Mapped[bool_false]

    thread: Mapped[Thread] = relationship()
    author: Mapped[User] = relationship(lazy="joined", innerjoin=True)
    revisions: Mapped[list[CommentRevision]] = relationship(
        back_populates="comment", order_by="CommentRevision.id"
    )

    @property
    def is_visible(self) -> bool:
        return self.status == CommentStatus.PUBLISHED

    @property
    def tag_ids(self) -> list[int]:
        """A comment is moderated under its thread's tags."""
        return self.thread.tag_ids

    def __repr__(self) -> str:
        return f"<Comment {self.thread_id}#{self.number}>"


class CommentRevision(db.Model):
    """An earlier text of an edited comment; the current text lives on the comment."""

    __tablename__ = "comment_revisions"

    id: Mapped[intpk]
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    body_src: Mapped[str] = mapped_column(Text)
    created_at: Mapped[created_at]

    comment: Mapped[Comment] = relationship(back_populates="revisions")
