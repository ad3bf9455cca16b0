"""Webmentions: other sites' pages that link to a thread, shown under it once approved."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import Model, created_at, intpk
from forum.models.thread import Thread


class MentionStatus(enum.StrEnum):
    PENDING = "pending"  # verified, waiting for a moderator
    APPROVED = "approved"  # shown under the thread
    REJECTED = "rejected"  # a moderator said no; re-sent unchanged, it stays so
    GONE = "gone"  # the source stopped linking, or was deleted: its text is cleared


class Webmention(Model):
    """One source page linking to one target address of a thread, as last verified.

    ``key`` (a hash of source and target, forum.webmention.rules.mention_key) is unique, so
    a re-sent mention finds its row: two long URLs would not fit one index entry together.
    The title, author and excerpt are plain text, sanitised when they were fetched."""

    __tablename__ = "webmentions"

    id: Mapped[intpk]
    key: Mapped[str] = mapped_column(String(64), unique=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(Text)
    target: Mapped[str] = mapped_column(Text)
    # The source's host name, shown as "(site)" beside the title.
    source_host: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(Text, default="")
    excerpt: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=MentionStatus.PENDING)
    created_at: Mapped[created_at]
    # When the source was last fetched and found linking.
    verified_at: Mapped[datetime | None]

    thread: Mapped[Thread] = relationship()

    def __repr__(self) -> str:
        return f"<Webmention {self.id} {self.source_host} -> thread {self.thread_id} {self.status}>"
