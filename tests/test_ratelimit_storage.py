"""Rate-limit counters shared by every worker on one host without Redis: a SQLite file
(forum.ratelimit_storage), proven with two gunicorn workers (issue 14, item 6)."""

from __future__ import annotations

import multiprocessing
import re
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from forum import create_app
from forum.ratelimit_storage import SCHEME, SQLiteStorage
from tests.conftest import base_config
from tests.factories import make_user
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


def _hits(path: str, n: int) -> None:
    counters = SQLiteStorage(f"{SCHEME}://{path}")
    for _ in range(n):
        counters.incr("shared", 600)


def test_processes_hitting_at_once_lose_no_hit(tmp_path: Path) -> None:
    path = str(tmp_path / "limits.sqlite")
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_hits, args=(path, 200)) for _ in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    assert SQLiteStorage(f"{SCHEME}://{path}").get("shared") == 800


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


def test_two_gunicorn_workers_refuse_the_sixth_failed_sign_in_between_them(app, migrated) -> None:
    """Failed sign-ins to one account, two at a time so that both workers answer: five are
    let through in all, not five per worker, and the rest wait (429)."""
    make_user("hazel")
    log = Path(tempfile.mkdtemp(prefix="forum-access-")) / "access.log"
    env = server_env(
        migrated,
        None,
        FORUM_RATELIMIT_ENABLED="true",
        FORUM_RATELIMIT_LOGIN_FAILURES="5 per 15 minutes",
        FORUM_ACCESS_LOG=str(log),
    )
    server = start_gunicorn(env, workers=2)
    try:
        server.wait_until_up()

        def guess(n: int) -> int:
            browser = Browser()
            token = browser.csrf(f"{server.base}/login")
            form = {"csrf_token": token, "username": "hazel", "password": f"guess {n}"}
            return browser.request(f"{server.base}/login", form)[0]

        with ThreadPoolExecutor(max_workers=2) as pool:
            answers = [status for pair in range(5) for status in pool.map(guess, (pair, pair))]
    finally:
        server.stop()
    assert sorted(answers) == [422] * 5 + [429] * 5
    workers = set(re.findall(r'"POST /login HTTP/1.1" \d+ \S+ \S+ <(\d+)>', log.read_text()))
    assert len(workers) == 2, log.read_text()[-2000:]
