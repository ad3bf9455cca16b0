"""The moderation log: one ModerationAction row per action, in the action's transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from forum.extensions import db
from forum.models import (
    ModerationAction,
    User,
)

# --------------------------------------------------------------------------- the log


def log_action(
    action: str,
    *,
    actor: User | None,
    target_type: str,
    target_id: int,
    subject: User | None = None,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> ModerationAction:
    """Add a log row to the current transaction (the caller commits with its change)."""
    row = ModerationAction(
        actor_id=actor.id if actor else None,
        action=action,
        target_type=target_type,
        target_id=target_id,
        subject_id=subject.id if subject else None,
        reason=reason,
        details=details or {},
    )
    db.session.add(row)
    return row


def log_query(
    *, actor: str = "", action: str = "", subject: str = ""
) -> Select[tuple[ModerationAction]]:
    """The log, newest first, filtered by actor name, action and subject name."""
    stmt = select(ModerationAction).order_by(ModerationAction.id.desc())
    if action:
        stmt = stmt.where(ModerationAction.action == action)
    for name, column in (
        (actor, ModerationAction.actor_id),
        (subject, ModerationAction.subject_id),
    ):
        if name:
            ids = select(User.id).where(User.username_key == name.casefold())
            stmt = stmt.where(column.in_(ids))
    return stmt
