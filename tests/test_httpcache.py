"""HTTP caching: 304s for anonymous readers on thread, tag and home pages (with and without
Redis), personal pages never cached, and fingerprinted static files kept for a year."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from forum import httpcache
from forum.extensions import db
from tests.factories import make_comment, make_thread, make_user
from tests.test_cache import REDIS_URL, exclusive_redis

PUBLIC = "public, max-age=0, must-revalidate"


@pytest.fixture(params=["no-cache", "disk", "redis"])
def config_overrides(request: pytest.FixtureRequest) -> Iterator[dict[str, Any]]:
    """Every test runs with no page cache (ETags from the body), with the default install's
    (one host's disk) and with Redis (every host's)."""
    if request.param == "no-cache":
        yield {"CACHE_TYPE": "NullCache"}
    elif request.param == "disk":
        yield {}  # conftest gives the database's test folder, emptied after each test
    else:
        with exclusive_redis():
            yield {"REDIS_URL": REDIS_URL}


def pages(thread: Any) -> list[str]:
    return [f"/threads/{thread.id}/{thread.slug}", "/tags/funding", "/"]


def test_anonymous_pages_revalidate_to_304_until_a_comment_changes_them(client) -> None:
    thread = make_thread(title="Winter shelter beds")
    first = {url: client.get(url) for url in pages(thread)}
    for url, response in first.items():
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == PUBLIC
        assert "Cookie" in response.headers["Vary"]
        etag = response.headers["ETag"]
        assert etag.startswith('W/"'), url
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304, url
        assert again.data == b""

    make_comment(thread, body="Beds are funded by the city until March.")
    for url, response in first.items():
        fresh = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
        assert fresh.status_code == 200, url
        assert fresh.headers["ETag"] != response.headers["ETag"], url
    page = client.get(pages(thread)[0]).get_data(as_text=True)
    assert "Beds are funded by the city until March." in page


def test_if_modified_since_gives_304_when_the_change_is_known(
    client, config_overrides, monkeypatch
) -> None:
    # Pages sent in the second of a change carry no Last-Modified; don't wait for it here.
    monkeypatch.setattr(httpcache, "FRESH_CHANGE_SECONDS", 0.0)
    thread = make_thread()
    for url in pages(thread):
        client.get(url)  # starts the page's version
        response = client.get(url)
        if config_overrides.get("CACHE_TYPE") == "NullCache":
            # No shared record of when a page changed: no Last-Modified, ETags only.
            assert "Last-Modified" not in response.headers
            continue
        modified = response.headers["Last-Modified"]
        again = client.get(url, headers={"If-Modified-Since": modified})
        assert again.status_code == 304, url


def test_a_page_changed_this_second_has_no_last_modified(client, monkeypatch) -> None:
    monkeypatch.setattr(httpcache, "FRESH_CHANGE_SECONDS", 60.0)  # "this second", however slow
    thread = make_thread()
    url = pages(thread)[0]
    client.get(url)
    make_comment(thread)
    assert "Last-Modified" not in client.get(url).headers


def test_signed_in_pages_are_private_and_never_304(client, login_as) -> None:
    thread = make_thread()
    anonymous = {url: client.get(url).headers["ETag"] for url in pages(thread)}
    login_as(make_user("reader"))
    for url, etag in anonymous.items():
        response = client.get(url, headers={"If-None-Match": etag})
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "private, no-store", url
        assert "ETag" not in response.headers and "Last-Modified" not in response.headers


def test_a_page_that_starts_a_session_is_private(client) -> None:
    # The login form puts a CSRF token into a new session and into the page.
    response = client.get("/login")
    assert response.headers["Cache-Control"] == "private, no-store"


def test_a_flashed_message_makes_the_page_personal(client, login_as) -> None:
    thread = make_thread()
    url = pages(thread)[0]
    etag = client.get(url).headers["ETag"]
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "Tags saved.")]
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert "Tags saved." in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "private, no-store"
    # Shown once: the next page is the public one again, without the message.
    after = client.get(url)
    assert after.headers["Cache-Control"] == PUBLIC
    assert "Tags saved." not in after.get_data(as_text=True)


def test_static_files_have_fingerprinted_urls_cached_for_a_year(app, client) -> None:
    html = client.get("/").get_data(as_text=True)
    href = re.search(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert href is not None
    url = href.group(1)
    content = Path(app.static_folder or "", "css", "forum.css").read_bytes()
    assert url == f"/static/css/forum.css?v={hashlib.sha256(content).hexdigest()[:12]}"

    response = client.get(url)
    assert response.status_code == 200
    control = response.headers["Cache-Control"]
    assert "public" in control and "max-age=31536000" in control and "immutable" in control
    assert "no-cache" not in control
    response.close()

    # An old or missing fingerprint is answered, but never kept for long.
    for stale in ("/static/css/forum.css?v=0000000000", "/static/css/forum.css"):
        response = client.get(stale)
        assert response.status_code == 200
        assert "immutable" not in response.headers.get("Cache-Control", "")
        response.close()


def test_feeds_keep_their_etags(client) -> None:
    thread = make_thread()
    db.session.commit()
    response = client.get(f"/threads/{thread.id}/feed.atom")
    assert response.status_code == 200
    again = client.get(
        f"/threads/{thread.id}/feed.atom", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304
