"""When Redis or PostgreSQL fail, the forum degrades and recovers by itself.

- Redis: the tests start a redis-server of their own on a free port (never the shared one),
  point gunicorn at it, then hang it (SIGSTOP) and kill it. Pages still serve, posting still
  works (the job waits in the outbox, and ``forum worker --burst`` delivers it from the
  database), rate limits count in memory, and the page cache is skipped. A hung Redis costs a
  process one timeout, then a pause in which every call fails at once.
- PostgreSQL: a TCP proxy between the app and 127.0.0.1:5432 that the test can cut (refuse new
  connections, drop open ones) and restore. While cut, pages are a 503 in the site layout and
  the API a JSON 503, both with Retry-After; after the restore the same app serves again. On
  SQLite runs this test still runs, on a PostgreSQL database of its own.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from types import SimpleNamespace

import psycopg
import pytest
from redis import Redis
from sqlalchemy import exc as sa_exc
from sqlalchemy import select
from werkzeug.test import TestResponse

from forum import create_app, outbox, redis_clients
from forum.cache import cache
from forum.errors import database_unavailable
from forum.extensions import db, limiter
from forum.models import Comment, Notification, OutboxEvent, ThreadSubscription
from forum.threads import service as threads_service
from tests.conftest import base_config
from tests.databases import PG_HOST, PG_PORT, own_postgres_database
from tests.factories import PASSWORD, make_thread, make_user, sign_in_id
from tests.servers import Browser, free_port, run_flask, server_env, start_gunicorn

# --------------------------------------------------------------------------- Redis


@contextmanager
def own_redis() -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """A throwaway redis-server (no persistence) on a free port, and its URL."""
    port = free_port()
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except OSError:
                pass
            except Exception:  # noqa: BLE001 - redis-py's ConnectionError while it starts
                if process.poll() is not None or time.monotonic() > deadline:
                    raise
            time.sleep(0.05)
        yield process, url
    finally:
        client.close()
        with suppress(ProcessLookupError):
            process.kill()  # SIGKILL also ends a stopped process
        process.wait(timeout=10)


def test_every_redis_client_of_the_app_gives_up_within_a_second(migrated) -> None:
    """A hung Redis costs a request a second per call at most, never gunicorn's 30 s."""
    down = "redis://127.0.0.1:1/0"
    config = {"REDIS_URL": down, "RATELIMIT_STORAGE_URI": down, "RATELIMIT_ENABLED": True}
    app = create_app({**base_config(migrated), **config})
    with app.app_context():
        clients = {
            "page cache": cache.cache._write_client,
            "rate limits": limiter.storage.storage,
            "job queue": app.extensions[outbox.ENQUEUE_EXTENSION].queue().connection,
        }
        for name, client in clients.items():
            kwargs = client.connection_pool.connection_kwargs
            assert kwargs["socket_connect_timeout"] <= 1, name
            assert kwargs["socket_timeout"] <= 1, name
        db.engine.dispose()


def test_a_hung_redis_costs_a_process_one_timeout_per_pause_not_one_per_call(
    app, migrated, monkeypatch
) -> None:
    """Hung (connections taken, never answered): the first call waits out its timeout and
    pauses Redis for the process; the page cache, the rate limits and the job queue then fail
    at once, so a post costs no second timeout. After the pause the next call tries again."""
    monkeypatch.setattr(redis_clients, "_paused_until", {})  # this test's pauses end with it
    hung = CuttableProxy()
    hung.hang()
    url = f"redis://127.0.0.1:{hung.port}/0"
    config = {"REDIS_URL": url, "RATELIMIT_STORAGE_URI": url, "RATELIMIT_ENABLED": True}
    author = make_user("rota_keeper")
    thread = make_thread(author, title="The Tuesday rota")
    page, user_id = f"/threads/{thread.id}", sign_in_id(author)
    db.session.commit()
    served = create_app({**base_config(migrated), **config})
    try:
        reader, member = served.test_client(), served.test_client()
        with member.session_transaction() as session:
            session["_user_id"] = user_id
        assert reader.get(page).status_code == 200
        assert hung.accepted == 1
        posted = member.post(f"{page}/comments", data={"body": "Posted while Redis hangs."})
        assert posted.status_code == 302
        assert reader.get(page).status_code == 200
        assert hung.accepted == 1  # nothing else waited on Redis

        later = SimpleNamespace(monotonic=lambda: time.monotonic() + redis_clients.PAUSE_SECONDS)
        monkeypatch.setattr(redis_clients, "time", later)
        assert reader.get(page).status_code == 200
        assert hung.accepted == 2
    finally:
        hung.cut()
        with served.app_context():
            db.engine.dispose()
    db.session.rollback()
    assert db.session.scalars(select(Comment.body_src)).all() == ["Posted while Redis hangs."]


def _timed(browser: Browser, url: str, data: dict[str, str] | None = None) -> tuple[int, float]:
    started = time.monotonic()
    status, _, _ = browser.request(url, data)
    return status, time.monotonic() - started


def test_with_redis_down_pages_serve_posts_land_and_the_worker_delivers_later(
    app, migrated
) -> None:
    keeper, poster, follower = make_user("rota_keeper"), make_user("night_owl"), make_user("quiet")
    thread = make_thread(keeper, title="The Tuesday rota")
    db.session.add(ThreadSubscription(user_id=follower.id, thread_id=thread.id, muted=False))
    db.session.commit()
    with own_redis() as (redis_server, redis_url):
        env = server_env(migrated, redis_url, FORUM_RATELIMIT_LOGIN="4 per minute")
        server = start_gunicorn(env)
        try:
            server.wait_until_up()
            page = f"{server.base}/threads/{thread.id}"
            reader, writer = Browser(), Browser()
            csrf = writer.sign_in(server.base, poster.username, PASSWORD)
            # Redis up: the anonymous page is kept in it.
            for _ in range(2):
                assert reader.request(page)[0] == 200
            assert Redis.from_url(redis_url).keys("forum:page:*")

            # Hung (stopped, so connections open but nothing answers): the first call times
            # out and pauses Redis for this worker (forum.redis_clients); the rest fail at once.
            os.kill(redis_server.pid, signal.SIGSTOP)
            hung_read = _timed(reader, page)
            hung_post = _timed(
                writer,
                f"{page}/comments",
                {"csrf_token": csrf, "body": "Posted while Redis hangs."},
            )
            # Down (killed): refused at once.
            redis_server.kill()
            redis_server.wait(timeout=10)
            down_read = _timed(reader, page)
            status, headers, _ = writer.request(
                f"{page}/comments", {"csrf_token": csrf, "body": "Posted with Redis gone."}
            )
            assert status == 302
            number = int(re.search(r"#c(\d+)$", headers["Location"]).group(1))
            # Rendered, not cached: the new comment is on the anonymous page at once.
            status, _, html = reader.request(page)
            assert status == 200 and "Posted with Redis gone." in html
            # Limits are still enforced: counted in this process's memory (Flask-Limiter's
            # fallback; its warning goes to the "flask-limiter" logger).
            stranger = Browser()
            token = stranger.csrf(f"{server.base}/login")
            attempts = [
                stranger.request(
                    f"{server.base}/login",
                    {"csrf_token": token, "username": "night_owl", "password": "wrong"},
                )[0]
                for _ in range(5)
            ]
            assert attempts == [422, 422, 422, 422, 429]
        finally:
            log = server.stop()
    print(
        f"\nRedis hung: page {hung_read[1]:.2f} s, post {hung_post[1]:.2f} s; "
        f"Redis down: page {down_read[1]:.2f} s"
    )
    assert hung_read[0] == down_read[0] == 200
    assert hung_post[0] == 302
    assert "Unhandled error" not in log, log[-3000:]

    # Both comments are in; the followers' notice waits in the outbox (RQ never got it).
    db.session.rollback()
    bodies = db.session.scalars(
        select(Comment.body_src).where(Comment.thread_id == thread.id).order_by(Comment.number)
    ).all()
    assert bodies == ["Posted while Redis hangs.", "Posted with Redis gone."]
    comment_id = db.session.scalar(
        select(Comment.id).where(Comment.thread_id == thread.id, Comment.number == number)
    )
    pending = db.session.scalars(
        select(OutboxEvent).where(
            OutboxEvent.kind == "comment.published", OutboxEvent.processed_at.is_(None)
        )
    ).all()
    assert {event.payload["comment_id"] for event in pending} >= {comment_id}

    # The worker, with the same settings (Redis still gone), runs the outbox from the database.
    worker = run_flask(env, "forum", "worker", "--burst")
    assert "Redis doesn't answer" in worker.stderr
    db.session.rollback()
    told = db.session.scalars(
        select(Notification.comment_id).where(Notification.user_id == follower.id)
    ).all()
    assert comment_id in told


# --------------------------------------------------------------------------- PostgreSQL

PG_SERVER = (PG_HOST, PG_PORT)


class CuttableProxy:
    """A TCP proxy to PostgreSQL that the test can break and restore.

    ``cut()`` is a restart or a network reset: open connections are dropped and new ones
    refused. ``hang()`` is a host that stopped answering: open connections are dropped and new
    ones accepted but never answered. ``restore()`` forwards again.
    """

    def __init__(self, upstream: tuple[str, int] = PG_SERVER) -> None:
        self.upstream = upstream
        self.port = free_port()
        self.hanging = False
        self.accepted = 0  # connections taken, answered or not
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._accepting: threading.Thread | None = None

    def restore(self) -> None:
        self.hanging = False
        if self._listener is None:
            self._listener = socket.create_server(("127.0.0.1", self.port))
            self._listener.settimeout(0.05)
            self._accepting = threading.Thread(target=self._accept, args=(self._listener,))
            self._accepting.start()

    def cut(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None and self._accepting is not None:
            self._accepting.join()  # it sees the listener gone within 50 ms
            listener.close()
        self._drop_open()

    def hang(self) -> None:
        self.restore()
        self.hanging = True
        self._drop_open()

    def _drop_open(self) -> None:
        with self._lock:
            for sock in self._open:
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self._open.clear()

    def _accept(self, listener: socket.socket) -> None:
        while self._listener is listener:
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            with self._lock:
                self._open.add(client)
                self.accepted += 1
            if self.hanging:
                continue  # accepted, and never a byte back
            server = socket.create_connection(self.upstream)
            with self._lock:
                self._open.add(server)
            for src, dst in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(src, dst), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass  # cut, or the other side went away
        with suppress(OSError):
            dst.shutdown(socket.SHUT_WR)


@pytest.fixture
def postgres_url(worker: str) -> str:
    return own_postgres_database("outage", worker)


def _in_time(request: Callable[[], TestResponse], seconds: float = 20) -> TestResponse:
    """Run ``request`` in a thread; fail (rather than hang the suite) if it doesn't return."""
    answers: list[TestResponse] = []
    runner = threading.Thread(target=lambda: answers.append(request()), daemon=True)
    runner.start()
    runner.join(seconds)
    assert answers, f"no answer within {seconds} s"
    return answers[0]


def _is_unavailable_page(response: TestResponse) -> bool:
    body = response.get_data(as_text=True)
    return (
        response.status_code == 503
        and response.headers.get("Retry-After") == "5"
        and response.mimetype == "text/html"
        and '<nav class="site-nav"' in body
        and "The forum is briefly unavailable" in body
    )


def test_with_postgresql_cut_requests_get_a_503_and_recover_when_it_returns(
    postgres_url, caplog
) -> None:
    proxy = CuttableProxy()
    proxy.restore()
    via_proxy = postgres_url.replace(f"{PG_SERVER[0]}:{PG_SERVER[1]}", f"127.0.0.1:{proxy.port}")
    # No page cache: a reader's page kept from before the cut would (rightly) still be served.
    config = {"DATABASE_CONNECT_TIMEOUT": 2, "CACHE_TYPE": "NullCache"}
    app = create_app({**base_config(via_proxy), **config})
    try:
        with app.app_context():
            author = make_user("rota_keeper")
            thread = make_thread(author, title="Who covers Tuesday")
            thread_id, user_id = thread.id, sign_in_id(author)
            db.session.remove()
        reader, member = app.test_client(), app.test_client()
        with member.session_transaction() as session:
            session["_user_id"] = user_id
        page = f"/threads/{thread_id}"
        assert reader.get(page).status_code == 200
        assert member.get(page).status_code == 200  # connections now sit in the pool

        # Refused (a restart): pages and the API answer 503 at once, with Retry-After.
        proxy.cut()
        with caplog.at_level("WARNING", logger=app.logger.name):
            responses = [
                reader.get(page),
                member.get(page),
                member.post(f"{page}/comments", data={"body": "Sent while it was down."}),
            ]
            api = reader.get("/api/v1/threads")
        assert all(_is_unavailable_page(r) for r in responses), [r.status for r in responses]
        assert "Sign out" not in responses[1].get_data(as_text=True)  # drawn without a query
        assert api.status_code == 503 and api.headers["Retry-After"] == "5"
        assert api.get_json()["error"]["code"] == "unavailable"
        assert "Database unavailable on GET /threads/" in caplog.text

        # Back: the same app, not restarted, serves and takes posts again.
        proxy.restore()
        assert reader.get(page).status_code == 200
        posted = member.post(f"{page}/comments", data={"body": "Sent once it was back."})
        assert posted.status_code == 302
        assert reader.get("/api/v1/threads").status_code == 200

        # Cut and back with no request in between: the pool's dead connections are noticed
        # before use (pool_pre_ping), so the first request afterwards already succeeds.
        proxy.cut()
        proxy.restore()
        assert reader.get(page).status_code == 200

        # Not answering at all: connecting gives up after DATABASE_CONNECT_TIMEOUT.
        proxy.hang()
        assert _is_unavailable_page(_in_time(lambda: reader.get(page)))
        proxy.restore()
        assert member.get(page).status_code == 200

        with app.app_context():
            assert db.session.scalars(select(Comment.body_src)).all() == ["Sent once it was back."]
    finally:
        proxy.cut()
        with app.app_context():
            db.engine.dispose()


def _wrapped(orig: Exception, kind: type[sa_exc.DBAPIError] = sa_exc.OperationalError) -> Exception:
    return kind("SELECT 1", {}, orig)


@pytest.mark.parametrize(
    ("error", "unavailable"),
    [
        (_wrapped(sqlite3.OperationalError("database is locked")), True),
        (_wrapped(psycopg.OperationalError("connection refused")), True),
        (sa_exc.TimeoutError("QueuePool limit reached"), True),
        (_wrapped(sqlite3.OperationalError("no such table: threads")), False),
        (_wrapped(sqlite3.IntegrityError("UNIQUE failed"), sa_exc.IntegrityError), False),
        (_wrapped(psycopg.ProgrammingError("syntax error"), sa_exc.ProgrammingError), False),
    ],
)
def test_only_errors_that_pass_by_themselves_count_as_unavailable(error, unavailable) -> None:
    assert database_unavailable(error) is unavailable


def test_a_broken_query_is_still_a_500_not_a_503(client, monkeypatch, caplog) -> None:
    def broken(thread_id: int, **_: object) -> None:
        raise _wrapped(sqlite3.OperationalError("no such table: threads"))

    monkeypatch.setattr(threads_service, "get_thread", broken)
    response = client.get("/threads/1")
    assert response.status_code == 500
    assert "Retry-After" not in response.headers
    assert "Unhandled error on GET /threads/1" in caplog.text
    assert "no such table: threads" in caplog.text  # the error raised, not another one


def test_a_lock_held_past_the_busy_timeout_is_a_503(client, monkeypatch) -> None:
    def locked(thread_id: int, **_: object) -> None:
        raise _wrapped(sqlite3.OperationalError("database is locked"))

    monkeypatch.setattr(threads_service, "get_thread", locked)
    response = client.get("/threads/1")
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
