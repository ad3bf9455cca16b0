"""The durable outbox: work written in the action's transaction, done after it commits.

``emit`` adds an event to the caller's transaction. A worker (``flask forum worker``) runs
``process_due``, which hands each due event to the handler registered for its kind, in a
transaction of its own, retrying failures with exponential backoff. Handlers must be
idempotent: an event may run again after a crash between its work and its commit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from forum.extensions import db
from forum.models import OutboxEvent
from forum.models.base import utcnow

Handler = Callable[[dict[str, Any]], None]
HANDLERS: dict[str, Handler] = {}
MAX_ATTEMPTS = 8
BATCH = 50


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the function that does the work for events of ``kind``."""

    def register(func: Handler) -> Handler:
        HANDLERS[kind] = func
        return func

    return register


def emit(kind: str, **payload: Any) -> OutboxEvent:
    """Add an event to the current transaction (the caller commits with its own change)."""
    event = OutboxEvent(kind=kind, payload=payload, next_attempt_at=utcnow())
    db.session.add(event)
    return event


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, ... capped at 1 hour."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def _due(now: datetime, limit: int) -> list[int]:
    stmt = (
        select(OutboxEvent.id)
        .where(
            OutboxEvent.processed_at.is_(None),
            OutboxEvent.next_attempt_at <= now,
            OutboxEvent.attempts < MAX_ATTEMPTS,
        )
        .order_by(OutboxEvent.id)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def process_event(event_id: int, now: datetime | None = None) -> bool:
    """Run one event if it is still pending; True when it is done.

    On PostgreSQL the row is locked with SKIP LOCKED, so two workers never run one event.
    """
    stmt = select(OutboxEvent).where(OutboxEvent.id == event_id, OutboxEvent.processed_at.is_(None))
    if db.engine.dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    event = db.session.scalar(stmt)
    if event is None:
        db.session.rollback()
        return False
    run = HANDLERS.get(event.kind)
    try:
        if run is None:
            raise LookupError(f"no handler for outbox event kind {event.kind!r}")
        run(dict(event.payload))
    except Exception as exc:  # noqa: BLE001 - any failure is retried later, and recorded
        db.session.rollback()
        event = db.session.get(OutboxEvent, event_id)
        assert event is not None
        event.attempts += 1
        event.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        event.next_attempt_at = (now or utcnow()) + backoff(event.attempts)
        db.session.commit()
        return False
    event.processed_at = now or utcnow()
    event.attempts += 1
    db.session.commit()
    return True


def process_due(limit: int = BATCH, now: datetime | None = None) -> int:
    """Run the events that are due, oldest first; returns how many succeeded."""
    done = 0
    for event_id in _due(now or utcnow(), limit):
        done += process_event(event_id, now)
    return done


def pending_count() -> int:
    return len(_due(utcnow(), 10_000))
