"""Moderation records: rule overrides and their versions, reader flags, the review queue,
and the append-only log of every moderator action."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import Model, created_at, intpk
from forum.models.thread import Comment, Thread
from forum.models.user import User
from forum.models.webmention import Webmention

# A flag or queue item without a comment is about its thread's opening post.
ABOUT_OPENING_POST = "comment_id IS NULL"


class FlagReason(enum.StrEnum):
    AD_HOMINEM = "ad_hominem"
    HARASSMENT = "harassment"
    SPAM = "spam"
    OFF_TOPIC = "off_topic"
    OTHER = "other"


class QueueState(enum.StrEnum):
    OPEN = "open"
    APPROVED = "approved"
    REMOVED = "removed"
    DISMISSED = "dismissed"


class QueueSource(enum.StrEnum):
    RULES = "rules"  # the author posted anyway after a nudge, or a rule holds it
    FLAGS = "flags"  # readers flagged it
    NEW_USER = "new_user"  # a new account's first comments
    APPEAL = "appeal"  # the author appealed a removal
    WEBMENTION = "webmention"  # another site links to a thread (forum.webmention)


class ModerationRule(Model):
    """A moderator's version of a rule: overrides the packaged default with the same key."""

    __tablename__ = "moderation_rules"

    id: Mapped[intpk]
    key: Mapped[str] = mapped_column(String(64), unique=True)
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[created_at]
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))


class ModerationRuleVersion(Model):
    """Every saved definition of a rule, so an edit can be read back and undone."""

    __tablename__ = "moderation_rule_versions"
    __table_args__ = (UniqueConstraint("key", "version"),)

    id: Mapped[intpk]
    key: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[int]
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[created_at]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    created_by: Mapped[User | None] = relationship()


class Flag(Model):
    """A reader's report on a comment, or on a thread's opening post (no comment); one per
    reader per post."""

    __tablename__ = "flags"
    __table_args__ = (
        UniqueConstraint("comment_id", "user_id"),
        Index(
            "uq_flags_opening_post_user",
            "thread_id",
            "user_id",
            unique=True,
            sqlite_where=text(ABOUT_OPENING_POST),
            postgresql_where=text(ABOUT_OPENING_POST),
        ),
    )

    id: Mapped[intpk]
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    # The sentence the reader selected as the offending part, if any.
    excerpt: Mapped[str] = mapped_column(Text, default="")
    # Readers whose earlier flags moderators upheld count for more, declined ones for less.
    weight: Mapped[float] = mapped_column(default=1.0)
    # Why the flag does not count toward hiding the post (forum.moderation.policy.Uncounted),
    # or "" when it does: fresh accounts can report, not hide.
    uncounted: Mapped[str] = mapped_column(String(20), default="", server_default="")
    # None while open; "upheld" or "dismissed" once a moderator decided.
    outcome: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[created_at]

    user: Mapped[User] = relationship()
    comment: Mapped[Comment | None] = relationship()
    thread: Mapped[Thread] = relationship()


class QueueItem(Model):
    """A post waiting for a moderator, with why it is here: a comment, or the opening post
    of ``thread`` when there is no comment; or, with ``mention``, another site's page
    linking to ``thread``, which shows under it once approved."""

    __tablename__ = "queue_items"
    __table_args__ = (Index("ix_queue_items_state_priority", "state", "priority"),)

    id: Mapped[intpk]
    # Always set, so a moderator's tag scope is one join away whatever the item is about.
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), index=True)
    comment_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    mention_id: Mapped[int | None] = mapped_column(
        ForeignKey("webmentions.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20), default=QueueState.OPEN)
    # Higher first: harassment flags jump the queue.
    priority: Mapped[int] = mapped_column(default=0)
    # Rule matches as JSON: [{"rule_id", "start", "end", "explanation", "action"}].
    matches: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    score: Mapped[float] = mapped_column(default=0.0)
    created_at: Mapped[created_at]
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text, default="")

    comment: Mapped[Comment | None] = relationship()
    thread: Mapped[Thread] = relationship()
    mention: Mapped[Webmention | None] = relationship()
    resolved_by: Mapped[User | None] = relationship()

    @property
    def post(self) -> Comment | Thread:
        """What the item is about: the comment, or the thread's opening post."""
        return self.comment if self.comment is not None else self.thread


class ModerationAction(Model):
    """One line of the moderation log. Rows are only ever added, never changed."""

    __tablename__ = "moderation_actions"

    id: Mapped[intpk]
    # None for actions the system took by itself (a rule held a comment).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int]
    # The person acted upon (author warned or suspended, comment author), for their record.
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[created_at]

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    subject: Mapped[User | None] = relationship(foreign_keys=[subject_id])


class ModeratorScope(Model):
    """Limits a moderator to threads in some tags; a moderator with no scopes moderates all."""

    __tablename__ = "moderator_scopes"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True)
