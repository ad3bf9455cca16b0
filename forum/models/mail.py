"""Mail deliveries: one row per message a person should get, claimed before it is sent."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from forum.models.base import Model, created_at, intpk


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by one worker; never claimed again, so never sent twice
    SENT = "sent"
    FAILED = "failed"  # claimable again until the attempts run out


class MailDelivery(Model):
    """``key`` ("thread:7", "comment:42", "digest:daily:2026-11-22") is unique per person,
    so a retried job finds the row and sends nothing twice. No address is stored here."""

    __tablename__ = "mail_deliveries"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(10), default=DeliveryStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[created_at]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    message_id: Mapped[str | None] = mapped_column(String(200))

    def __repr__(self) -> str:
        return f"<MailDelivery {self.user_id} {self.key} {self.status}>"
