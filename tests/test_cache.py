"""The shared page cache: anonymous thread and home pages kept in Redis (many hosts) or on
disk (one host, the default install), keyed by versions that every change bumps, and never
shown to a signed-in reader.

These tests use a real Redis (``FORUM_TEST_REDIS_URL``, default database 7 on 127.0.0.1) and
fail, not skip, when it doesn't answer. ``exclusive_redis`` gives a test the database to itself.
The disk cache gets a folder of the test's own.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from redis import Redis

from forum import cache
from forum.extensions import db
from forum.kept import Kept
from forum.moderation import service as moderation
from forum.threads import promotion
from forum.threads.service import delete_comment, edit_comment, retag
from tests.factories import make_comment, make_moderator, make_thread, make_user

REDIS_URL = os.environ.get("FORUM_TEST_REDIS_URL", "redis://127.0.0.1:6379/7")


@contextmanager
def exclusive_redis(url: str = REDIS_URL) -> Iterator[Redis]:
    """The test Redis database, emptied (FLUSHDB, never FLUSHALL), for one test at a time.

    A file lock serialises the tests that use it across xdist workers and across test runs on
    this machine: they share one database (RQ's queue name and the cache keys are fixed).
    """
    lock_path = Path(tempfile.gettempdir()) / (
        "forum-test-redis-" + hashlib.sha256(url.encode()).hexdigest()[:8] + ".lock"
    )
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        client = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
        try:
            client.ping()  # raises when Redis is down: CI must have it
            client.flushdb()
            yield client
        finally:
            client.close()
            fcntl.flock(lock, fcntl.LOCK_UN)


DISK = {"CACHE_TYPE": "forum.cache.DiskCache"}


@pytest.fixture(params=["redis", "disk"])
def config_overrides(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Each test on both stores: Redis, and files shared by one host's workers."""
    if request.param == "disk":
        yield {**DISK, "CACHE_DIR": str(tmp_path / "cache")}
        return
    with exclusive_redis():
        yield {"REDIS_URL": REDIS_URL}


@pytest.fixture
def warm(client, count_queries) -> Callable[[str], str]:
    """GET a page anonymously until it comes from the cache (no SQL at all); its HTML."""

    def get(url: str) -> str:
        for _ in range(3):
            with count_queries() as queries:
                response = client.get(url)
            assert response.status_code == 200
            if queries.count == 0:
                return response.get_data(as_text=True)
        raise AssertionError(f"{url} never came from the cache")

    return get


def thread_url(thread: Any) -> str:
    return f"/threads/{thread.id}/{thread.slug}"


def stored_pages(app) -> list[str]:
    """The keys of the pages the app's store holds, whichever it is."""
    backend = app.extensions["cache"][cache.cache]
    if isinstance(backend, cache.DiskCache):
        return [key for key in backend._cache.iterkeys() if key.startswith("page:")]
    return [key.decode() for key in backend._write_client.scan_iter(match="forum:page:*")]


def test_an_anonymous_thread_page_is_served_without_a_query(app, client, warm) -> None:
    thread = make_thread(title="Cached for anonymous readers")
    html = warm(thread_url(thread))
    assert "Cached for anonymous readers" in html
    assert len(stored_pages(app)) == 1
    # The home page's first page too; later pages and query strings are not stored.
    assert "Cached for anonymous readers" in warm("/")
    client.get("/?page=2")
    client.get(f"{thread_url(thread)}?x=1")
    assert len(stored_pages(app)) == 2


def test_a_cached_page_is_one_read_of_the_store_and_no_template(app, client, warm) -> None:
    """The page comes with its versions in one round trip and nothing is rendered; a worker
    that already holds the page for the current versions reads only the versions, and a
    change makes it read the new page."""
    from flask import template_rendered

    thread = make_thread(title="Read once")
    warm(thread_url(thread))
    backend = app.extensions["cache"][cache.cache]
    reads: list[tuple[str, ...]] = []
    original_many, original_get = backend.get_many, backend.get

    def counted_many(*keys: str) -> list[Any]:
        reads.append(keys)
        return original_many(*keys)

    def counted_get(key: str) -> Any:
        reads.append((key,))
        return original_get(key)

    rendered: list[str] = []
    record = lambda _app, template, **_: rendered.append(template.name)  # noqa: E731
    fast_path = app.wsgi_app
    backend.get_many, backend.get = counted_many, counted_get
    template_rendered.connect(record, app)
    try:
        fast_path.held = Kept(64, max_age=cache.HELD_PAGE_SECONDS)  # a worker just started
        first = client.get(thread_url(thread))
        second = client.get(thread_url(thread))
        held = list(reads)
        make_comment(thread, body="A reply that makes a new version.")
        reads.clear()
        client.get(thread_url(thread))  # rendered by the app and kept
        changed = client.get(thread_url(thread))
    finally:
        template_rendered.disconnect(record, app)
        del backend.get_many, backend.get
    assert first.data == second.data and "Read once" in first.get_data(as_text=True)
    assert rendered == ["threads/view.html"]  # the page after the change, once
    pages = [any(key.startswith("page:") for key in keys) for keys in held]
    assert pages == [True, False], held  # the page once, then only the versions
    assert "A reply that makes a new version." in changed.get_data(as_text=True)
    assert any(key.startswith("page:") for key in reads[-1]), reads


def _post(thread, **_: Any) -> str:
    make_comment(thread, body="A brand new response about beds.")
    return "A brand new response about beds."


def _edit(thread, comment, **_: Any) -> str:
    edit_comment(comment, actor=comment.author, body="Edited: the figures were from 2021.")
    return "Edited: the figures were from 2021."


def _delete(thread, comment, **_: Any) -> str:
    delete_comment(comment, actor=comment.author)
    return "[deleted]"


def _moderate(thread, comment, **_: Any) -> str:
    moderation.flag_post(comment, actor=make_user(), reason="ad_hominem")
    item = moderation.open_item(comment)
    moderation.decide(item, actor=make_moderator(), decision="remove", reason="Attacks a person.")
    return "!" + comment.body_src  # the removed text is gone for anonymous readers


def _retag(thread, **_: Any) -> str:
    retag(thread, actor=thread.author, tags="housing, funding")
    return 'href="/tags/housing"'


def _promote(thread, question, **_: Any) -> str:
    promotion.promote_question(question, actor=make_moderator(), title="Who pays for beds")
    return "This question now has its own thread"


@pytest.mark.parametrize("change", [_post, _edit, _delete, _moderate, _retag, _promote])
def test_every_change_reaches_the_next_anonymous_reader(client, warm, change) -> None:
    thread = make_thread(title="Shelter funding")
    comment = make_comment(thread, body="The council cut the budget, I think.")
    question = make_comment(thread, body="Who pays for the beds in winter?")
    assert "The council cut the budget" in warm(thread_url(thread))

    expected = change(thread, comment=comment, question=question)

    html = client.get(thread_url(thread)).get_data(as_text=True)
    if expected.startswith("!"):
        assert expected[1:] not in html
    else:
        assert expected in html


def test_a_new_thread_reaches_the_cached_home_page(client, warm) -> None:
    make_thread(title="The first one")
    warm("/")
    make_thread(title="A newer thread")
    assert "A newer thread" in client.get("/").get_data(as_text=True)


def test_a_signed_in_reader_is_never_given_the_cached_page(app, client, warm, login_as) -> None:
    thread = make_thread()
    warm(thread_url(thread))
    reader = make_user("reader")
    response = login_as(reader).get(thread_url(thread))
    html = response.get_data(as_text=True)
    assert ">Sign out</button>" in html and "Post reply" in html
    assert response.headers["Cache-Control"] == "private, no-store"
    # And their page never lands in the cache for others.
    anonymous = app.test_client().get(thread_url(thread)).get_data(as_text=True)
    assert ">Sign out</button>" not in anonymous and "Post reply" not in anonymous


def test_bumps_from_another_host_invalidate_this_hosts_copy(
    app, client, warm, count_queries, config_overrides
) -> None:
    """Versions live in the store: a bump made by another process (another host's, or on
    disk another worker's) makes this copy unreachable."""
    from forum import create_app
    from tests.conftest import base_config

    thread = make_thread()
    warm(thread_url(thread))
    before = cache.thread_version(thread.id)
    other = create_app({**base_config(app.config["DATABASE_URL"]), **config_overrides})
    with other.app_context():
        cache.bump_thread(thread.id)
    after = cache.thread_version(thread.id)
    assert before is not None and after is not None and after.token != before.token
    with count_queries() as queries:
        assert client.get(thread_url(thread)).status_code == 200
    assert queries.count > 0  # rendered again, from the database
    warm(thread_url(thread))  # and cached under the new version


def test_redis_down_renders_pages_and_logs(migrated, caplog) -> None:
    from forum import create_app
    from tests.conftest import base_config

    app = create_app({**base_config(migrated), "REDIS_URL": "redis://127.0.0.1:1/0"})
    with caplog.at_level(logging.WARNING, logger="forum.cache"):
        with app.app_context():
            assert cache.thread_version(1, create=True) is None
            cache.bump_thread(1)  # logged, not raised: the change is already committed
        assert app.test_client().get("/").status_code == 200
    with app.app_context():
        db.engine.dispose()  # its pooled connection, closed now rather than by the GC
    assert "could not bump cache versions" in caplog.text


def test_without_redis_the_default_install_keeps_pages_on_disk(tmp_path) -> None:
    """The default settings: a folder per database under the instance folder."""
    from forum import create_app

    url = f"sqlite:///{tmp_path / 'forum.db'}"
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "DATABASE_URL": url})
    assert app.config["CACHE_TYPE"] == "forum.cache.DiskCache"
    folder = Path(app.config["CACHE_DIR"])
    assert folder.parent == Path(app.instance_path) / "cache"
    other = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "DATABASE_URL": url + "2"})
    assert Path(other.config["CACHE_DIR"]) != folder
    with app.app_context():
        assert cache.thread_version(1, create=True) is not None
        assert any(folder.iterdir())
    shutil.rmtree(folder)
    shutil.rmtree(other.config["CACHE_DIR"])


def test_the_cache_can_be_turned_off(migrated) -> None:
    from forum import create_app
    from tests.conftest import base_config

    app = create_app({**base_config(migrated), "CACHE_TYPE": "NullCache"})
    with app.app_context():
        cache.bump_thread(1)
        assert cache.thread_version(1, create=True) is None
