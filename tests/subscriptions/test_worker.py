"""The outbox worker: burst runs, retries with backoff, waiting kinds, the hand-off to a queue."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum import outbox
from forum.models import Notification, OutboxEvent
from forum.models.base import utcnow
from forum.subscriptions import service, worker
from forum.tags.service import get_tag
from tests.factories import make_thread, make_user


@pytest.fixture
def flaky_handler():
    """A handler for "test.flaky" that fails until told otherwise."""
    state = {"fail": True, "calls": 0}

    def run(payload: dict) -> None:
        state["calls"] += 1
        if state["fail"]:
            raise RuntimeError("smtp is down")

    outbox.HANDLERS["test.flaky"] = run
    yield state
    outbox.HANDLERS.pop("test.flaky", None)


def test_worker_burst_processes_what_is_due_and_says_how_many(app, db) -> None:
    reader = make_user()
    make_thread(tags=["housing"])
    service.follow_tag(reader, get_tag("housing"), "new_threads")
    make_thread(tags=["housing"])
    reader_id = reader.id
    result = app.test_cli_runner().invoke(args=["forum", "worker", "--burst"])
    assert result.exit_code == 0, result.output
    # Two thread.created, then the mail.fanout each emitted, if a mail handler is installed.
    assert result.output.startswith("Processed ")
    assert int(result.output.split()[1]) >= 2
    # Fan-out happens when the worker runs, so both threads reach the new follower.
    told = db.session.scalars(select(Notification.kind).where(Notification.user_id == reader_id))
    assert list(told) == ["new_thread", "new_thread"]
    again = app.test_cli_runner().invoke(args=["forum", "worker", "--burst"])
    assert again.output.strip() == "Processed 0 outbox events."


def test_a_failing_handler_is_retried_with_backoff(app, db, flaky_handler) -> None:
    event = outbox.emit("test.flaky", n=1)
    db.session.commit()
    start = utcnow()
    assert outbox.process_due(now=start) == 0
    db.session.refresh(event)
    assert event.attempts == 1 and event.processed_at is None
    assert event.last_error == "RuntimeError: smtp is down"
    assert event.next_attempt_at == start + timedelta(seconds=30)
    assert outbox.process_due(now=start + timedelta(seconds=29)) == 0  # not due yet
    assert flaky_handler["calls"] == 1
    assert outbox.process_due(now=start + timedelta(seconds=31)) == 0
    db.session.refresh(event)
    assert event.attempts == 2
    assert event.next_attempt_at == start + timedelta(seconds=31 + 60)  # doubled
    flaky_handler["fail"] = False
    assert outbox.process_due(now=start + timedelta(seconds=200)) == 1
    db.session.refresh(event)
    assert event.processed_at is not None and event.attempts == 3


def test_events_with_no_handler_wait_without_spending_attempts(app, db) -> None:
    event = outbox.emit("someone.elses.kind", x=1)
    db.session.commit()
    assert outbox.process_due() == 0
    assert outbox.process_event(event.id) is False
    db.session.refresh(event)
    assert (event.attempts, event.processed_at, event.last_error) == (0, None, "")


def test_an_event_runs_once_even_if_two_workers_reach_it(app, db, flaky_handler) -> None:
    flaky_handler["fail"] = False
    event = outbox.emit("test.flaky")
    db.session.commit()
    assert outbox.process_event(event.id) is True
    assert outbox.process_event(event.id) is False
    assert flaky_handler["calls"] == 1


def test_poll_keeps_going_until_stopped(app, db) -> None:
    import threading

    make_thread()
    stop = threading.Event()
    sleeps: list[float] = []

    def fake_sleep(seconds: float) -> None:
        sleeps.append(seconds)
        stop.set()

    assert worker.poll(stop=stop, sleep=fake_sleep) >= 1
    assert sleeps == [worker.IDLE_SLEEP]  # slept once idle, then stopped


def test_the_inline_worker_is_never_started_in_tests(migrated) -> None:
    from forum import create_app
    from tests.conftest import base_config

    app = create_app({**base_config(migrated), "INLINE_WORKER": True})
    assert "forum.inline_worker" not in app.extensions


# --- the hand-off to RQ after commit -----------------------------------------------------------


@pytest.fixture
def queued(app) -> list[int]:
    """Stands in for the RQ queue: collects the ids handed over after each commit."""
    ids: list[int] = []
    app.extensions[outbox.ENQUEUE_EXTENSION] = ids.extend
    yield ids
    app.extensions.pop(outbox.ENQUEUE_EXTENSION, None)


def test_committed_events_are_handed_to_the_queue_after_commit(app, db, queued) -> None:
    thread = make_thread()
    created = db.session.scalar(select(OutboxEvent.id).where(OutboxEvent.kind == "thread.created"))
    assert queued == [created]
    assert worker.run_event(created) is True
    assert worker.run_event(created) is False  # already done: a duplicate job is harmless
    assert thread.id


def test_rolled_back_events_are_never_handed_over(app, db, queued) -> None:
    outbox.emit("test.nothing")
    db.session.flush()
    db.session.rollback()
    make_user()  # a later commit in the same session
    assert queued == []


def test_a_queue_failure_does_not_break_the_request(client, login_as, db, app) -> None:
    def broken(_ids: list[int]) -> None:
        raise ConnectionError("redis is down")

    app.extensions[outbox.ENQUEUE_EXTENSION] = broken
    try:
        login_as(make_user())
        response = client.post(
            "/threads/new", data={"title": "Still posted", "body": "Body text.", "tags": "housing"}
        )
    finally:
        app.extensions.pop(outbox.ENQUEUE_EXTENSION, None)
    assert response.status_code == 302
    # The outbox row is the durable copy: the polling worker still finds it.
    assert outbox.drain() >= 1


def test_redis_url_installs_the_rq_hand_off(migrated) -> None:
    from forum import create_app
    from tests.conftest import base_config

    app = create_app({**base_config(migrated), "REDIS_URL": "redis://127.0.0.1:1/0"})
    enqueue = app.extensions[outbox.ENQUEUE_EXTENSION]
    assert isinstance(enqueue, worker.RQEnqueuer)
    assert enqueue.url == "redis://127.0.0.1:1/0"  # connects lazily, on first use
