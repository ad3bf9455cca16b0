"""The outbox's table: work recorded in an action's transaction, done after it commits
(forum.outbox)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from forum.models.base import Model, created_at, intpk, utcnow


class OutboxEvent(Model):
    """Work to do after a commit (fan-out, mail), written in the same transaction as the
    action, so nothing is lost if the process dies and nothing is sent for a rollback."""

    __tablename__ = "outbox_events"
    __table_args__ = (Index("ix_outbox_events_due", "processed_at", "next_attempt_at"),)

    id: Mapped[intpk]
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[created_at]
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    processed_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
