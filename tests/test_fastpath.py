"""The cached-page fast path (forum.httpcache.CachedPages): a kept anonymous page is answered
before Flask, with the headers the app sends, and everything personal, changed or unknown
still reaches the app."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask, request_started

from forum.extensions import db
from forum.moderation import service as moderation
from tests.factories import make_comment, make_moderator, make_thread, make_user
from tests.test_cache import REDIS_URL, exclusive_redis


@pytest.fixture(params=["disk", "redis"])
def config_overrides(request: pytest.FixtureRequest) -> Iterator[dict[str, Any]]:
    if request.param == "disk":
        yield {}
    else:
        with exclusive_redis():
            yield {"REDIS_URL": REDIS_URL}


@contextmanager
def flask_requests(app: Flask) -> Iterator[list[str]]:
    """The paths Flask itself handled while open (the fast path sends no signal)."""
    seen: list[str] = []

    def started(sender: Flask, **extra: Any) -> None:
        from flask import request

        seen.append(request.full_path)

    request_started.connect(started, app)
    try:
        yield seen
    finally:
        request_started.disconnect(started, app)


def _headers(response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k != "Date"}


# As a browser asks (gzip: the page's kept bytes as they are), and as a bare client does.
ENCODINGS = [{"Accept-Encoding": "gzip, deflate, br"}, {}]


@pytest.mark.parametrize("asks", ENCODINGS, ids=["gzip", "identity"])
def test_a_kept_page_is_answered_before_flask_as_the_app_would(app, client, asks) -> None:
    thread = make_thread(title="Shelter beds by region")
    url = f"/threads/{thread.id}/{thread.slug}"
    for path in (url, "/"):
        # A page is kept from its first rendering under a version that already exists (the
        # very first rendering only starts the version): then only the cache answers.
        with flask_requests(app) as handled:
            responses = [client.get(path, headers=asks) for _ in range(4)]
        assert handled in ([f"{path}?"], [f"{path}?"] * 2), handled
        rendered, kept = responses[len(handled) - 1], responses[-1]
        assert kept.status_code == 200 and kept.data == rendered.data
        assert _headers(kept) == _headers(rendered)
        assert "Content-Security-Policy" in kept.headers and "Cookie" in kept.headers["Vary"]
        assert ("Content-Encoding" in kept.headers) == bool(asks)
        with flask_requests(app) as handled:
            revalidated = client.get(path, headers={**asks, "If-None-Match": kept.headers["ETag"]})
            head = client.head(path, headers=asks)
        assert handled == []
        assert revalidated.status_code == 304 and revalidated.data == b""
        assert head.status_code == 200 and head.data == b""


def test_a_change_reaches_every_reader_at_once(app, client) -> None:
    thread = make_thread()
    url = f"/threads/{thread.id}/{thread.slug}"
    client.get(url)
    make_comment(thread, body="The county funds twelve more beds from March.")
    with flask_requests(app) as handled:
        fresh = client.get(url).get_data(as_text=True)
        again = client.get(url).get_data(as_text=True)
    assert handled == [f"{url}?"]
    assert "twelve more beds" in fresh and "twelve more beds" in again


def test_a_removed_thread_is_never_served_from_the_cache(app, client) -> None:
    thread = make_thread(title="A thread that goes")
    url = f"/threads/{thread.id}/{thread.slug}"
    client.get(url)
    assert client.get(url).status_code == 200
    moderation.remove_post(thread, actor=make_moderator(), reason="Personal attack.")
    db.session.commit()
    assert client.get(url).status_code == 404


def test_personal_unknown_and_other_requests_go_to_the_app(app, client, login_as) -> None:
    thread = make_thread()
    url = f"/threads/{thread.id}/{thread.slug}"
    client.get(url)
    client.get("/")
    with flask_requests(app) as handled:
        client.get(url + "?after=1")  # a query string
        client.post(url)  # any method but GET and HEAD
        client.get("/threads/999999")  # nothing kept there: the app's 404
        client.get("/tags/funding")  # a page the app doesn't keep
        other = app.test_client()
        other.set_cookie("remember_token", "1|abc")  # remember-me alone signs someone in
        other.get(url)
    assert len(handled) == 5
    login_as(make_user())
    with flask_requests(app) as handled:
        page = client.get(url).get_data(as_text=True)
    assert handled == [f"{url}?"] and ">Sign out</button>" in page


@pytest.mark.parametrize("config_overrides", [{"CACHE_TYPE": "NullCache"}], indirect=False)
def test_without_a_cache_every_request_reaches_the_app(app, client) -> None:
    thread = make_thread()
    with flask_requests(app) as handled:
        for _ in range(2):
            client.get(f"/threads/{thread.id}")
    assert len(handled) == 2


@pytest.mark.parametrize(
    "config_overrides", [{"PROXY_COUNT": 1, "SECURE_COOKIES": True}], indirect=False
)
def test_behind_https_the_fast_path_sends_hsts_too(app, client) -> None:
    thread = make_thread()
    https = {"X-Forwarded-Proto": "https"}
    for _ in range(2):  # the version, then the kept page
        client.get(f"/threads/{thread.id}", headers=https)
    with flask_requests(app) as handled:
        kept = client.get(f"/threads/{thread.id}", headers=https)
    assert handled == []
    assert kept.headers["Strict-Transport-Security"].startswith("max-age=")


def test_a_kept_page_goes_compressed_to_browsers_that_accept_it(app, client) -> None:
    thread = make_thread(title="Beds and budgets")
    url = f"/threads/{thread.id}/{thread.slug}"
    plain = [client.get(url) for _ in range(3)][-1]  # rendered and kept by now
    gzip_ok = {"Accept-Encoding": "gzip, deflate, br"}
    with flask_requests(app) as handled:
        packed = client.get(url, headers=gzip_ok)
        refused = client.get(url, headers={"Accept-Encoding": "gzip;q=0, identity"})
        again = client.get(url, headers={**gzip_ok, "If-None-Match": packed.headers["ETag"]})
    assert handled == []
    assert packed.headers["Content-Encoding"] == "gzip"
    assert len(packed.data) < len(plain.data) / 2
    assert gzip.decompress(packed.data) == plain.data == refused.data
    assert "Content-Encoding" not in refused.headers and "Content-Encoding" not in plain.headers
    for response in (packed, refused, plain):
        assert {"Accept-Encoding", "Cookie"} <= {
            v.strip() for v in response.headers["Vary"].split(",")
        }
    assert again.status_code == 304


def test_readers_without_gzip_share_one_decompression_per_page(app, client, monkeypatch) -> None:
    """Scripts and some bots don't take gzip: the kept page is decompressed once per page
    (by its ETag), not for each of them, and a change still reaches them at once."""
    thread = make_thread(title="Outreach van schedule")
    url = f"/threads/{thread.id}/{thread.slug}"
    first = [client.get(url) for _ in range(3)][-1]  # rendered and kept by now
    decompressed: list[int] = []
    real = gzip.decompress
    monkeypatch.setattr(gzip, "decompress", lambda data: decompressed.append(1) or real(data))
    with flask_requests(app) as handled:
        pages = [client.get(url) for _ in range(5)]
    assert handled == [] and len(decompressed) <= 1
    assert all(p.data == first.data and "Content-Encoding" not in p.headers for p in pages)
    make_comment(thread, body="The van now stops at the station on Thursdays.")
    [client.get(url) for _ in range(2)]  # rendered and kept again
    later = [client.get(url) for _ in range(3)]
    assert all(b"The van now stops at the station on Thursdays." in p.data for p in later)
    assert len(decompressed) <= 2
