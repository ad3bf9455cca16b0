"""Rate-limit counters shared by every worker on one host without Redis: a SQLite file
(forum.ratelimit_storage), proven with two gunicorn workers (issue 14, item 6)."""

from __future__ import annotations

import multiprocessing
import re
import socket
import stat
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

import pytest
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from forum import create_app
from forum.ratelimit_storage import SCHEME, SQLiteStorage
from tests.conftest import base_config
from tests.factories import make_user
from tests.ratelimit_hits import first_hits, hits
from tests.servers import Browser, server_env, start_gunicorn


@pytest.fixture
def storage(tmp_path: Path) -> SQLiteStorage:
    found = storage_from_string(f"{SCHEME}://{tmp_path / 'limits.sqlite'}")
    assert isinstance(found, SQLiteStorage)
    return found


def test_counts_expire_and_clear(storage: SQLiteStorage, monkeypatch) -> None:
    clock = [1_000.0]
    monkeypatch.setattr(time, "time", lambda: clock[0])
    assert [storage.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    assert storage.get("k") == 3 and storage.get_expiry("k") == 1_060.0
    assert storage.incr("other", 60, amount=5) == 5
    clock[0] = 1_061.0  # the window is over: the key counts afresh
    assert storage.get("k") == 0
    assert storage.incr("k", 60) == 1 and storage.get_expiry("k") == 1_121.0
    storage.clear("k")
    assert storage.get("k") == 0
    assert storage.reset() == 1  # only "other" was left
    assert storage.check()


def test_hits_given_back_never_count_below_zero(storage: SQLiteStorage, monkeypatch) -> None:
    clock = [1_000.0]
    monkeypatch.setattr(time, "time", lambda: clock[0])
    assert storage.incr("k", 60, amount=2) == 2
    assert storage.incr("k", 60, amount=-1) == 1
    assert storage.incr("k", 60, amount=-5) == 0
    assert storage.incr("fresh", 60, amount=-1) == 0
    clock[0] = 1_061.0  # given back after its window ended: a fresh window at 0, not -1
    assert storage.incr("k", 60, amount=-1) == 0
    assert storage.incr("k", 60) == 1


def test_only_the_forums_user_may_read_the_counters(storage: SQLiteStorage) -> None:
    """The keys name client addresses: the file and its WAL are private, like secret_key."""
    storage.incr("login-failures/hazel/203.0.113.9", 60)
    files = [storage.path, storage.path.with_name(f"{storage.path.name}-wal")]
    assert [stat.S_IMODE(path.stat().st_mode) for path in files] == [0o600, 0o600]


def test_processes_hitting_at_once_lose_no_hit(tmp_path: Path) -> None:
    path = str(tmp_path / "limits.sqlite")
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(4)
    workers = [context.Process(target=hits, args=(path, 2_000, start)) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    assert SQLiteStorage(f"{SCHEME}://{path}").get("shared") == 8_000


def test_processes_opening_a_new_file_at_once_all_count(tmp_path: Path) -> None:
    """Workers whose first hits meet on a file nobody has made yet: each waits for the other
    to set the file up instead of failing (which sent Flask-Limiter to count in memory)."""
    rounds, context = 40, multiprocessing.get_context("spawn")
    start = context.Barrier(4)
    workers = [
        context.Process(target=first_hits, args=(str(tmp_path), rounds, start)) for _ in range(4)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert [worker.exitcode for worker in workers] == [0] * 4
    files = (f"{SCHEME}://{tmp_path}/round-{n}.sqlite" for n in range(rounds))
    counts = [SQLiteStorage(uri).get("shared") for uri in files]
    assert counts == [4] * rounds


def test_a_limit_holds_across_two_storages_on_one_file(tmp_path: Path) -> None:
    """Two workers' limiters, one file: the fifth hit overall is the last one allowed."""
    uri = f"{SCHEME}://{tmp_path / 'limits.sqlite'}"
    five = parse("5 per minute")
    one, two = (FixedWindowRateLimiter(storage_from_string(uri)) for _ in range(2))
    answers = [(one if n % 2 else two).hit(five, "login", "hazel") for n in range(7)]
    assert answers == [True] * 5 + [False] * 2


def test_without_redis_the_default_is_the_instance_file(migrated) -> None:
    config = {**base_config(migrated), "RATELIMIT_ENABLED": True}
    del config["RATELIMIT_STORAGE_URI"]
    app = create_app(config)
    assert app.config["RATELIMIT_STORAGE_URI"] == (
        f"{SCHEME}://{Path(app.instance_path) / 'ratelimits.sqlite'}"
    )
    with_redis = create_app({**config, "REDIS_URL": "redis://127.0.0.1:6379/7"})
    assert with_redis.config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/7"


def _held_guess(base: str, n: int) -> tuple[socket.socket, bytes]:
    """A failed sign-in sent all but its last byte, and that byte. Gunicorn's sync worker
    that accepts the connection waits for the byte, so a second held guess goes to the other
    worker (nearly always; the test checks the access log rather than rely on it)."""
    browser = Browser()
    token = browser.csrf(f"{base}/login")
    cookies = "; ".join(f"{cookie.name}={cookie.value}" for cookie in browser.jar)
    body = urlencode({"csrf_token": token, "username": "hazel", "password": f"guess {n}"})
    host, port = base.removeprefix("http://").split(":")
    request = (
        f"POST /login HTTP/1.1\r\nHost: {host}:{port}\r\nCookie: {cookies}\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n{body}"
    ).encode()
    sock = socket.create_connection((host, int(port)), timeout=10)
    sock.sendall(request[:-1])
    return sock, request[-1:]


def _status(sock: socket.socket) -> int:
    with sock, sock.makefile("rb") as response:
        return int(response.readline().split()[1])


@pytest.mark.parametrize(
    "storage",
    [
        None,  # the default without Redis: the instance's SQLite file, shared
        "memory://",  # what it was: each worker counts its own
    ],
)
def test_two_gunicorn_workers_let_five_failed_sign_ins_through_between_them(
    app, migrated, storage
) -> None:
    """Failed sign-ins to one account in pairs, held so that the two workers answer at the
    same moment: five get through in all, not five per worker, and the rest wait (429)."""
    make_user("hazel")
    log = Path(tempfile.mkdtemp(prefix="forum-access-")) / "access.log"
    extra = {"FORUM_RATELIMIT_STORAGE_URI": storage} if storage else {}
    env = server_env(
        migrated,
        None,
        FORUM_RATELIMIT_ENABLED="true",
        FORUM_RATELIMIT_LOGIN_FAILURES="5 per 15 minutes",
        FORUM_ACCESS_LOG=str(log),
        **extra,
    )
    server = start_gunicorn(env, workers=2)
    answers = []
    try:
        server.wait_until_up()
        for pair in range(5):
            held = [_held_guess(server.base, 2 * pair + n) for n in range(2)]
            for sock, last in held:
                sock.sendall(last)
            answers.append(sorted(_status(sock) for sock, _ in held))
    finally:
        server.stop()
    posts = Counter(re.findall(r'"POST /login HTTP/1.1" \d+ \S+ \S+ <(\d+)>', log.read_text()))
    # Both workers answered guesses: five each nearly always, though gunicorn doesn't promise
    # it (a loaded host has given six and four), so counting per worker is judged by the log.
    assert len(posts) == 2 and sum(posts.values()) == 10, log.read_text()[-2000:]
    let_through = sum(min(n, 5) for n in posts.values()) if storage else 5
    statuses = sorted(status for pair in answers for status in pair)
    assert statuses == [422] * let_through + [429] * (10 - let_through), (answers, posts)
