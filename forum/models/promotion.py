"""A question promoted from a comment into its own thread, and what it moved."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ColumnElement, ForeignKey, Index, Text, and_, or_, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import Model, bool_false, created_at, intpk
from forum.models.thread import Comment, Thread
from forum.models.user import User

LIVE = "undone_at IS NULL"


class Promotion(Model):
    """One promotion; an undone one stays as a record with ``undone_at`` set.

    Only one live promotion per comment (a partial unique index), so an undone promotion
    does not stop the comment being promoted again.
    """

    __tablename__ = "promotions"
    __table_args__ = (
        Index(
            "uq_promotions_live_comment_id",
            "comment_id",
            unique=True,
            sqlite_where=text(LIVE),
            postgresql_where=text(LIVE),
        ),
    )

    id: Mapped[intpk]
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    # The new thread; None once the promotion is undone and the thread removed.
    thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("threads.id", ondelete="SET NULL"), unique=True
    )
    source_thread_id: Mapped[int] = mapped_column(
        ForeignKey("threads.id", ondelete="CASCADE"), index=True
    )
    promoted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]
    # The parts the thread body is composed from, so it can be recomposed (anonymised).
    quote: Mapped[str] = mapped_column(Text)
    intro: Mapped[str] = mapped_column(Text, default="")
    # The asker chose to be quoted as "a reader".
    attribution_hidden: Mapped[bool_false]
    # Replies moved into the new thread, as they were: [{"id", "number", "path", "depth",
    # "parent_id"}], in their original order. Undo puts them back from this.
    moved: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    undone_at: Mapped[datetime | None]
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    comment: Mapped[Comment] = relationship(lazy="joined", innerjoin=True)
    thread: Mapped[Thread | None] = relationship(foreign_keys=[thread_id])
    source_thread: Mapped[Thread] = relationship(foreign_keys=[source_thread_id])
    promoted_by: Mapped[User | None] = relationship(foreign_keys=[promoted_by_id])

    @classmethod
    def shown_on(cls, thread_id: ColumnElement[int]) -> ColumnElement[bool]:
        """The promotions a thread page links: live ones out of its comments, and the one
        (live or undone) that opened it. One predicate for the page's select and for the
        check, read with the thread, that lets the page skip it."""
        return or_(
            and_(cls.source_thread_id == thread_id, cls.undone_at.is_(None)),
            cls.thread_id == thread_id,
        )

    @property
    def is_live(self) -> bool:
        return self.undone_at is None

    @property
    def moved_count(self) -> int:
        return len(self.moved)

    def __repr__(self) -> str:
        return f"<Promotion comment {self.comment_id} -> thread {self.thread_id}>"
