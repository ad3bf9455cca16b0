"""The house rules page, one row per saved version (the shipped text is version 0, not stored)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from forum.models.base import Model, created_at, intpk
from forum.models.user import User


class HouseRulesVersion(Model):
    """A version of the rules as an admin saved it; rows are only added, never changed, so
    every earlier version can be read and compared."""

    __tablename__ = "house_rules_versions"

    id: Mapped[intpk]
    # 1, 2, 3...: unique, so two admins saving at once can't both become version n.
    number: Mapped[int] = mapped_column(unique=True)
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # What changed and why, in the admin's words, shown in the history.
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[created_at]

    author: Mapped[User | None] = relationship()
