"""The durable outbox: work written in the action's transaction, done after it commits.

``emit`` adds an event to the caller's transaction. A worker (``flask forum worker``) runs
``process_due``, which hands each due event to the handler registered for its kind, in a
transaction of its own, retrying failures with exponential backoff. Handlers must be
idempotent: an event may run again after a crash between its work and its commit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, has_app_context
from sqlalchemy import event as sa_event
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from forum import redis_clients
from forum.extensions import db
from forum.models import OutboxEvent
from forum.models.base import utcnow

Handler = Callable[[dict[str, Any]], None]
HANDLERS: dict[str, Handler] = {}
MAX_ATTEMPTS = 8
BATCH = 50
# Where the ids of events committed in a session wait to be handed to a queue (see below).
_SESSION_IDS = "outbox_event_ids"
# app.extensions key of a callable taking a list of event ids, set when a queue (RQ) is used.
ENQUEUE_EXTENSION = "forum.outbox_enqueue"

log = logging.getLogger(__name__)


def handler(kind: str) -> Callable[[Handler], Handler]:
    """Register the function that does the work for events of ``kind``."""

    def register(func: Handler) -> Handler:
        HANDLERS[kind] = func
        return func

    return register


def emit(kind: str, /, **payload: Any) -> OutboxEvent:
    """Add an event to the current transaction (the caller commits with its own change).

    ``kind`` is positional-only so a payload may carry its own "kind" (mail.fanout does).
    """
    event = OutboxEvent(kind=kind, payload=payload, next_attempt_at=utcnow())
    db.session.add(event)
    return event


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, ... capped at 1 hour."""
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def _due(now: datetime, limit: int) -> list[int]:
    # Kinds nobody handles yet (another feature's, not deployed) wait without spending attempts.
    stmt = (
        select(OutboxEvent.id)
        .where(
            OutboxEvent.processed_at.is_(None),
            OutboxEvent.next_attempt_at <= now,
            OutboxEvent.attempts < MAX_ATTEMPTS,
            OutboxEvent.kind.in_(sorted(HANDLERS)),
        )
        .order_by(OutboxEvent.id)
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def process_event(event_id: int, now: datetime | None = None) -> bool:
    """Run one event if it is still pending; True when it is done.

    On PostgreSQL the row is locked with SKIP LOCKED, so two workers never run one event.
    SQLite has no row locks: a no-op UPDATE first takes the database's write lock, so a second
    worker waits and then finds the event processed (a read first would see a stale snapshot).
    An event whose kind has no handler here is left pending, attempts untouched.
    """
    if db.engine.dialect.name == "sqlite":
        db.session.execute(
            update(OutboxEvent)
            .where(OutboxEvent.id == event_id, OutboxEvent.processed_at.is_(None))
            .values(attempts=OutboxEvent.attempts)
        )
    stmt = select(OutboxEvent).where(OutboxEvent.id == event_id, OutboxEvent.processed_at.is_(None))
    if db.engine.dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    event = db.session.scalar(stmt)
    if event is None:
        db.session.rollback()
        return False
    run = HANDLERS.get(event.kind)
    if run is None:
        db.session.rollback()
        return False
    try:
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
    return _run_batch(limit, now)[1]


def _run_batch(limit: int, now: datetime | None) -> tuple[int, int]:
    due = _due(now or utcnow(), limit)
    db.session.rollback()  # end the read: no transaction left open between events
    done = sum(process_event(event_id, now) for event_id in due)
    return len(due), done


def drain(now: datetime | None = None, *, limit: int = BATCH) -> int:
    """Run batches until nothing is due (failures wait for their backoff); how many succeeded.

    Events emitted by handlers (a fan-out's "mail.fanout") are due at once, so they run too.
    """
    total = 0
    while True:
        attempted, done = _run_batch(limit, now)
        total += done
        # Nothing left, or nothing succeeded (all failed, or other workers hold them): stop.
        if attempted == 0 or done == 0:
            return total


# Periodic jobs (digests): run by the worker loop every ``seconds``, registered by features.
PERIODIC: dict[str, tuple[float, Callable[[], Any]]] = {}
_last_run: dict[str, float] = {}


def every(seconds: float) -> Callable[[Callable[[], Any]], Callable[[], Any]]:
    """Register a job the worker runs about every ``seconds`` (it must be safe to repeat)."""

    def register(func: Callable[[], Any]) -> Callable[[], Any]:
        PERIODIC[f"{func.__module__}.{func.__qualname__}"] = (seconds, func)
        return func

    return register


def run_periodic(clock: float, *, force: bool = False) -> int:
    """Run the periodic jobs whose interval has passed (all of them with ``force``)."""
    ran = 0
    for name, (seconds, func) in PERIODIC.items():
        if force or clock - _last_run.get(name, float("-inf")) >= seconds:
            _last_run[name] = clock
            func()
            db.session.commit()
            ran += 1
    return ran


# --- handing committed events to a queue ------------------------------------------------------
# Ids are collected when events are flushed and handed to the configured queue only after the
# commit, so a worker never looks for a row that isn't there yet (or never will be, after a
# rollback). The outbox row stays the durable copy: a failed hand-off is logged, not raised,
# and the worker's periodic sweep finds the event anyway.


@sa_event.listens_for(Session, "after_flush")
def _collect_ids(session: Session, _flush_context: Any) -> None:
    ids = [obj.id for obj in session.new if isinstance(obj, OutboxEvent)]
    if ids:
        session.info.setdefault(_SESSION_IDS, []).extend(ids)


@sa_event.listens_for(Session, "after_commit")
def _enqueue_committed(session: Session) -> None:
    ids = session.info.pop(_SESSION_IDS, None)
    if not ids or not has_app_context():
        return
    enqueue = current_app.extensions.get(ENQUEUE_EXTENSION)
    if enqueue is None:
        return
    try:
        enqueue(list(ids))
    except Exception:  # noqa: BLE001 - the request already succeeded; the sweep will catch up
        redis_clients.warn_failure(
            log, "could not enqueue outbox events %s; the sweep will run them", ids
        )


@sa_event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session: Session) -> None:
    session.info.pop(_SESSION_IDS, None)
