"""Topic tags; a merged tag stays as a synonym pointing at its canonical tag."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import Model, created_at, db, intpk

thread_tags = Table(
    "thread_tags",
    db.metadata,
    Column("thread_id", ForeignKey("threads.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tags.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Tag(Model):
    __tablename__ = "tags"

    id: Mapped[intpk]
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(Text, default="")
    # Set when this tag was merged into another: its slug keeps resolving there.
    canonical_id: Mapped[int | None] = mapped_column(ForeignKey("tags.id"))
    created_at: Mapped[created_at]

    canonical: Mapped[Tag | None] = relationship(remote_side="Tag.id")

    def __repr__(self) -> str:
        return f"<Tag {self.slug}>"
