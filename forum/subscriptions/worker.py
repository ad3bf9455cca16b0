"""Running the outbox: a polling loop, an RQ worker with a sweep, or a thread inside the app.

- ``flask --app wsgi forum worker``: without ``FORUM_REDIS_URL``, polls the outbox (sleeping
  about a second when idle); with it, runs an RQ worker on the "forum" queue, which the app
  fills after each commit that emitted events, plus a sweep of the outbox every
  ``OUTBOX_SWEEP_SECONDS`` for what the queue missed (Redis down, retries after backoff).
  If Redis doesn't answer when the worker starts, it polls the outbox instead, as without
  Redis (the outbox rows are the durable copy); restart it to go back to RQ. An RQ worker
  that loses Redis later retries by itself while the sweep keeps delivering.
- ``FORUM_INLINE_WORKER=true`` (``make run``): a daemon thread in the web process polls, so a
  single-process install delivers without Redis or a second command.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, has_app_context

from forum import outbox
from forum.extensions import db
from forum.subscriptions import fanout

QUEUE_NAME = "forum"
# Events this process ran as RQ jobs, for ``worker --burst``'s report.
JOBS_DONE = [0]
IDLE_SLEEP = 1.0

log = logging.getLogger(__name__)

# Importing fanout registers its handlers; keep the name used so linters see why.
HANDLED_KINDS = (fanout.on_thread_created, fanout.on_thread_tagged, fanout.on_comment_published)


def init_app(app: Flask) -> None:
    """Hand committed events to RQ when Redis is configured; start the inline worker if asked."""
    if app.config.get("REDIS_URL"):
        app.extensions[outbox.ENQUEUE_EXTENSION] = RQEnqueuer(app.config["REDIS_URL"])
    if app.config.get("INLINE_WORKER") and not app.testing:
        start_inline_worker(app)


class RQEnqueuer:
    """Puts event ids on the "forum" queue; connects lazily with short timeouts and a pause
    after a failure (forum.redis_clients), so a Redis outage costs a request a second at most
    (and the sweep delivers later)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._queue: Any = None

    def queue(self) -> Any:
        if self._queue is None:
            from redis import Redis
            from rq import Queue

            from forum import redis_clients

            connection = Redis.from_url(self.url, **redis_clients.options(self.url))
            self._queue = Queue(QUEUE_NAME, connection=connection)
        return self._queue

    def __call__(self, event_ids: list[int]) -> None:
        queue = self.queue()
        for event_id in event_ids:
            queue.enqueue(run_event, event_id, job_id=f"outbox-{event_id}")


def redis_answers(url: str) -> bool:
    """True when Redis at ``url`` answers a PING within a second or so."""
    from redis import Redis
    from redis.exceptions import RedisError

    from forum import redis_clients

    client = Redis.from_url(url, **redis_clients.options(url))
    try:
        return bool(client.ping())
    except RedisError:
        return False
    finally:
        client.close()


def run_event(event_id: int) -> bool:
    """The RQ job: run one outbox event (a no-op if it is already done)."""
    if not has_app_context():
        raise RuntimeError("Run jobs with 'flask --app wsgi forum worker', which sets up the app.")
    try:
        done = outbox.process_event(event_id)
        JOBS_DONE[0] += done
        return done
    finally:
        db.session.rollback()  # hand the connection back to the pool between jobs


def poll(
    *,
    burst: bool = False,
    stop: threading.Event | None = None,
    idle_sleep: float = IDLE_SLEEP,
    sleep: Callable[[float], Any] | None = None,
) -> int:
    """Process the outbox until ``stop`` is set (or, with ``burst``, until nothing is due).

    Returns how many events succeeded. A failing database is logged and retried after a pause
    rather than ending the loop: the inline worker must outlive a restart of PostgreSQL.
    """
    stop = stop or threading.Event()
    wait = sleep or stop.wait
    total = 0
    while not stop.is_set():
        try:
            done = outbox.drain()
            outbox.run_periodic(time.monotonic(), force=burst)
        except Exception:  # noqa: BLE001 - keep the loop alive; the event rows are safe
            log.exception("outbox worker: processing failed; retrying shortly")
            done = 0
            if burst:
                raise
        finally:
            # No connection (or PostgreSQL transaction) held open while idle.
            db.session.rollback()
        total += done
        if burst:
            return total
        if not done:
            wait(idle_sleep)
    return total


def start_inline_worker(app: Flask) -> threading.Thread:
    """A daemon thread polling the outbox with its own app context (``make run``)."""

    def loop() -> None:
        with app.app_context():
            poll()

    thread = threading.Thread(target=loop, name="forum-outbox-worker", daemon=True)
    thread.start()
    app.extensions["forum.inline_worker"] = thread
    return thread


def run_rq(*, burst: bool = False, sweep_seconds: float | None = None) -> int:
    """An RQ worker on the "forum" queue, with a sweep thread for anything it never got.

    The RQ worker runs jobs in this process (SimpleWorker): no fork, so database connections
    are never shared between processes. Returns the sweep's count in burst mode.
    """
    from redis import Redis
    from rq import Queue, SimpleWorker

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    connection = Redis.from_url(app.config["REDIS_URL"])
    queue = Queue(QUEUE_NAME, connection=connection)
    if burst:

        class BurstWorker(SimpleWorker):
            """One pass over the queue, listening on no command channel. RQ subscribes every
            worker to a channel for commands (stop a job, shut down), read in a thread that
            waits up to 60 s per read; with redis-py 8, leaving the channel waits for that
            read, so a burst run done in a second could take a minute to exit. A burst run
            ends on its own: it has no use for commands."""

            def subscribe(self) -> None:
                pass

            def unsubscribe(self) -> None:
                pass

        before = JOBS_DONE[0]
        BurstWorker([queue], connection=connection).work(burst=True)
        return JOBS_DONE[0] - before + poll(burst=True)
    worker = SimpleWorker([queue], connection=connection)
    interval = sweep_seconds or app.config["OUTBOX_SWEEP_SECONDS"]
    stop = threading.Event()

    def sweep() -> None:
        with app.app_context():
            poll(stop=stop, idle_sleep=interval)

    sweeper = threading.Thread(target=sweep, name="forum-outbox-sweep", daemon=True)
    sweeper.start()
    try:
        worker.work()  # handles Ctrl-C itself: finishes the current job, then returns
    finally:
        stop.set()
        sweeper.join(timeout=5)
    return 0
