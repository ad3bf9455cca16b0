"""Threads and their numbered, tree-shaped comments."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    ColumnElement,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    and_,
    or_,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from forum.models.base import Model, bool_false, created_at, intpk, utcnow
from forum.models.tag import Tag, thread_tags
from forum.models.user import User

if TYPE_CHECKING:
    from forum.models.promotion import Promotion


class CommentStatus(enum.StrEnum):
    """Where a post stands: a comment, or a thread's opening post (which decides whether the
    thread is shown at all)."""

    PUBLISHED = "published"
    PENDING = "pending_review"
    REMOVED = "removed"
    DELETED = "deleted"


class Thread(Model):
    __tablename__ = "threads"
    # Only the threads that are not published: an index over every thread's status let
    # SQLite pick it for the home page's "published" and sort all threads to show 25
    # (28 pages a second at 10,000 threads) instead of walking last_activity_at's index.
    __table_args__ = (
        Index(
            "ix_threads_status_unpublished",
            "status",
            sqlite_where=text("status != 'published'"),
            postgresql_where=text("status != 'published'"),
        ),
        # The home and tag pages look for the few pinned threads on every view.
        Index(
            "ix_threads_pinned_at",
            "pinned_at",
            sqlite_where=text("pinned_at IS NOT NULL"),
            postgresql_where=text("pinned_at IS NOT NULL"),
        ),
    )

    id: Mapped[intpk]
    title: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    body_src: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[created_at]
    # When readers first could see it: at once, or when a moderator approved it after a hold
    # (digests and feeds announce it then, as if just posted).
    published_at: Mapped[datetime | None] = mapped_column(index=True)
    edited_at: Mapped[datetime | None]
    # Home and tag pages sort on this; bumped by every published comment.
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # Published comments, kept in step by the threads service so listings need no COUNT.
    comment_count: Mapped[int] = mapped_column(default=0)
    # Approved webmentions, kept in step by moderation, so a page without any asks for none.
    mention_count: Mapped[int] = mapped_column(default=0, server_default="0")
    # Last number handed out; incremented atomically so concurrent replies never share one.
    comment_seq: Mapped[int] = mapped_column(default=0)
    # Bumped by the database's triggers (migration d5a8c3e1f6b4) on every change to what the
    # page lists: a comment written, edited, moved or deleted, an author renamed. Workers keep
    # a page's comment rows under it (forum.threads.service.comment_page).
    comments_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # The opening post's moderation state: a held or removed thread is shown to its author
    # and moderators only; a deleted one keeps its replies under a "[deleted]" opening post.
    # Indexed for the few threads that are not published (ix_threads_status_unpublished).
    status: Mapped[str] = mapped_column(
        String(20), default=CommentStatus.PUBLISHED, server_default="published"
    )
    # What the author is told (removal_reason) and what everyone sees (removal_category).
    removal_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    removal_category: Mapped[str] = mapped_column(String(20), default="", server_default="")
    appealed: Mapped[bool_false]
    # Locked: no new replies (moderators excepted), with a note saying why.
    locked_at: Mapped[datetime | None]
    lock_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Pinned: first on its tags' pages (and on the home page when site_wide) until pinned_until.
    pinned_at: Mapped[datetime | None]
    pinned_until: Mapped[datetime | None]
    pinned_site_wide: Mapped[bool_false]

    author: Mapped[User] = relationship(lazy="joined", innerjoin=True)
    tags: Mapped[list[Tag]] = relationship(secondary=thread_tags, order_by=Tag.slug)
    # Set when this thread was opened by promoting a question from a comment elsewhere.
    promotion: Mapped[Promotion | None] = relationship(
        primaryjoin="Thread.id == Promotion.thread_id", viewonly=True, uselist=False
    )
    # Whether a promotion leads here or a live one leads away: read with the thread for its
    # page (forum.threads.service.get_thread), which then skips the promotions select when
    # there is none; None where a thread was loaded otherwise.
    has_promotions: Mapped[bool | None] = query_expression()
    # The follow button of the signed-in reader a page read the thread for
    # (forum.threads.service.get_thread): that reader's id, and whether they muted it (None:
    # they don't follow it). ``follow_reader`` is None where a thread was loaded otherwise.
    follow_reader: Mapped[int | None] = query_expression()
    reader_muted: Mapped[bool | None] = query_expression()
    # And whether that reader has comments of their own here that others don't see (held,
    # removed): then their page can't be the one every other reader gets.
    reader_has_hidden: Mapped[bool | None] = query_expression()

    @property
    def tag_ids(self) -> list[int]:
        """What a moderator's tag scope is checked against (forum.permissions.moderates)."""
        return [tag.id for tag in self.tags]

    @property
    def thread_id(self) -> int:
        """The opening post is moderated like a comment of its own thread."""
        return self.id

    @property
    def is_visible(self) -> bool:
        return self.status == CommentStatus.PUBLISHED

    @hybrid_property
    def is_listed(self) -> bool:
        """Shown to everyone in listings, feeds, search and digests: published, or deleted by
        its author with replies left to read beneath it."""
        return self.status == CommentStatus.PUBLISHED or (
            self.status == CommentStatus.DELETED and self.comment_count > 0
        )

    @is_listed.inplace.expression
    @classmethod
    def _is_listed_expression(cls) -> ColumnElement[bool]:
        return or_(
            cls.status == CommentStatus.PUBLISHED,
            and_(cls.status == CommentStatus.DELETED, cls.comment_count > 0),
        )

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    def is_pinned(self, now: datetime) -> bool:
        return self.pinned_at is not None and (self.pinned_until is None or self.pinned_until > now)

    def __repr__(self) -> str:
        return f"<Thread {self.id} {self.title!r}>"


class Comment(Model):
    __tablename__ = "comments"
    __table_args__ = (
        UniqueConstraint("thread_id", "number"),
        # The whole tree of a thread is one range scan in this order.
        Index("ix_comments_thread_id_path", "thread_id", "path"),
        # The open-questions page: the few question comments, newest first.
        Index("ix_comments_is_question_created_at", "is_question", "created_at"),
        # An author's comments by status, read from the index alone: the review queue counts
        # each author's published and removed comments for every item it shows.
        Index("ix_comments_author_id_status", "author_id", "status"),
    )

    id: Mapped[intpk]
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
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
    # Shown to the author when a moderator removes the comment; readers see the category.
    removal_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    removal_category: Mapped[str] = mapped_column(String(20), default="", server_default="")
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


class CommentRevision(Model):
    """An earlier text of an edited comment; the current text lives on the comment.

    ``created_at`` and ``editor`` describe the edit that replaced this text.
    """

    __tablename__ = "comment_revisions"

    id: Mapped[intpk]
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    body_src: Mapped[str] = mapped_column(Text)
    created_at: Mapped[created_at]
    # None for edits made before editors were recorded.
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    comment: Mapped[Comment] = relationship(back_populates="revisions")
    editor: Mapped[User | None] = relationship()


class ThreadRevision(Model):
    """An earlier title, opening post and tags of an edited thread, as CommentRevision."""

    __tablename__ = "thread_revisions"

    id: Mapped[intpk]
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    body_src: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[created_at]
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    editor: Mapped[User | None] = relationship()
