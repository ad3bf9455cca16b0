"""App hosts are interchangeable: sessions, rate limits, jobs and the page cache all live in
the database or Redis, never in one process.

The two-instance test starts two gunicorn servers with the shipped config on the test run's
database (the SQLite file, or PostgreSQL with FORUM_TEST_DATABASE_URL) and Redis database 7
(FORUM_TEST_REDIS_URL), and drives them with a cookie jar as a browser would. Redis must
answer: these tests fail rather than skip without it.
"""

from __future__ import annotations

import logging
import urllib.parse
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from redis import Redis
from sqlalchemy import select

from forum import create_app
from forum.extensions import db, limiter
from forum.models import Notification, TagSubscription, User
from forum.tags.service import resolve_or_create_tags
from tests.conftest import base_config
from tests.factories import PASSWORD, make_user
from tests.servers import Browser, Server, run_flask, server_env, start_gunicorn
from tests.test_cache import REDIS_URL, exclusive_redis

# --------------------------------------------------------------------------- in-process


@pytest.fixture
def redis() -> Iterator[Redis]:
    with exclusive_redis() as client:
        yield client


@pytest.fixture
def host(app) -> Iterator[Callable[..., Flask]]:
    """Makes another app "host" on the same database and Redis, rate limits on."""
    made: list[Flask] = []

    def make(**overrides: Any) -> Flask:
        config = {
            **base_config(app.config["DATABASE_URL"]),
            "REDIS_URL": REDIS_URL,
            "RATELIMIT_STORAGE_URI": REDIS_URL,
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_LOGIN": "3 per minute",
            **overrides,
        }
        made.append(create_app(config))
        return made[-1]

    yield make
    for other in made:
        with other.app_context():
            db.engine.dispose()  # its pooled connections, closed now rather than by the GC


def test_a_rate_limit_counts_across_hosts_through_redis(host, redis) -> None:
    make_user("hazel")
    first = host().test_client()
    second = host().test_client()
    for _ in range(3):
        response = first.post("/login", data={"username": "hazel", "password": "guess-guess"})
        assert response.status_code == 422
    response = second.post("/login", data={"username": "hazel", "password": PASSWORD})
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 60
    assert any(b"LIMITER" in key for key in redis.scan_iter())


def test_with_redis_down_limits_fall_back_to_memory_and_log(host, monkeypatch, caplog) -> None:
    # The limiter is one object shared by every app in this process: undo its "storage dead"
    # state afterwards (monkeypatch restores the attribute).
    monkeypatch.setattr(limiter, "_storage_dead", False)
    make_user("hazel")
    dead = "redis://127.0.0.1:1/0"
    down = host(REDIS_URL=dead, RATELIMIT_STORAGE_URI=dead).test_client()
    with caplog.at_level(logging.WARNING, logger="flask-limiter"):
        statuses = [
            down.post("/login", data={"username": "hazel", "password": "guess"}).status_code
            for _ in range(4)
        ]
    # Requests go through (no 500), and the limit is still counted, in this process.
    assert statuses == [422, 422, 422, 429]
    assert "falling back to in-memory storage" in caplog.text


# --------------------------------------------------------------------------- two instances


def _env(database_url: str, **extra: str) -> dict[str, str]:
    return server_env(database_url, REDIS_URL, FORUM_RATELIMIT_LOGIN="3 per minute", **extra)


@pytest.fixture
def instances(migrated, redis) -> Iterator[tuple[Server, Server]]:
    pair = (start_gunicorn(_env(migrated)), start_gunicorn(_env(migrated)))
    try:
        for instance in pair:
            instance.wait_until_up()
        yield pair
    finally:
        for instance in pair:
            instance.terminate()  # both shut down at once; stop() waits for each
        for instance in pair:
            instance.stop()


def test_two_gunicorn_instances_share_sessions_limits_jobs_and_cache(app, redis, instances) -> None:
    a, b = instances
    follower = make_user("tag_follower")
    (tag,) = resolve_or_create_tags(["shelters"])
    db.session.add(TagSubscription(user_id=follower.id, tag_id=tag.id, level="new_threads"))
    db.session.commit()

    # Registered (CSRF on) on A; the same cookie is signed in on B and posts a thread there.
    me = Browser()
    token = me.csrf(f"{a.base}/register")
    status, headers, _ = me.request(
        f"{a.base}/register",
        {"csrf_token": token, "username": "two_hosts", "password": "long enough pass"},
    )
    assert status == 302, "registration failed"
    token = me.csrf(f"{b.base}/threads/new")
    status, headers, _ = me.request(
        f"{b.base}/threads/new",
        {
            "csrf_token": token,
            "title": "Beds across hosts",
            "body": "Who pays?",
            "tags": "shelters",
        },
    )
    assert status == 302
    thread_path = urllib.parse.urlsplit(headers["Location"]).path
    thread_id = int(thread_path.split("/")[2])

    # The new thread's outbox event went onto RQ; a worker process does the job.
    job_key = next(k for k in redis.scan_iter("rq:job:outbox-*"))
    assert redis.llen("rq:queue:forum") >= 1
    run_flask(_env(app.config["DATABASE_URL"]), "forum", "worker", "--burst")
    assert redis.hget(job_key, "status") == b"finished"
    db.session.rollback()  # a fresh snapshot: the worker wrote in another process
    user = db.session.scalar(select(User).where(User.username == "tag_follower"))
    assert user is not None
    notified = db.session.scalars(
        select(Notification.thread_id).where(Notification.user_id == user.id)
    ).all()
    assert thread_id in notified

    # B caches the anonymous page; a comment posted through A reaches B's next reader.
    reader = Browser()
    status, headers, html = reader.request(f"{b.base}{thread_path}")
    assert status == 200 and "Beds across hosts" in html
    status, headers, html = reader.request(f"{b.base}{thread_path}")
    assert any(redis.scan_iter("forum:page:*")), "B did not cache the page"
    etag = headers["ETag"]
    assert reader.request(f"{b.base}{thread_path}", headers={"If-None-Match": etag})[0] == 304
    token = me.csrf(f"{a.base}{thread_path}")
    status, _, _ = me.request(
        f"{a.base}/threads/{thread_id}/comments",
        {"csrf_token": token, "body": "The city pays until March, posted on A."},
    )
    assert status == 302
    status, headers, html = reader.request(
        f"{b.base}{thread_path}", headers={"If-None-Match": etag}
    )
    assert status == 200 and "The city pays until March, posted on A." in html

    # Three failed logins on A; the fourth attempt, on B, is refused.
    stranger = Browser()
    token = stranger.csrf(f"{a.base}/login")
    for _ in range(3):
        status, _, _ = stranger.request(
            f"{a.base}/login", {"csrf_token": token, "username": "two_hosts", "password": "no"}
        )
        assert status == 422
    status, headers, _ = stranger.request(
        f"{b.base}/login",
        {"csrf_token": token, "username": "two_hosts", "password": "long enough pass"},
    )
    assert status == 429
    assert 0 < int(headers["Retry-After"]) <= 60
