"""The source fetch keeps its bounds against a real (local) server: addresses, redirects,
size, time and type. No app is needed: forum.webmention.fetch is plain Python."""

from __future__ import annotations

import time

import pytest

from forum.webmention.fetch import CHUNK, FetchError, FetchLimits, fetch
from tests.webmention.blog import Blog, Page, post_html

# A generous deadline where time is not what a test is about: a loaded CI host (eight
# processes posting at once beside this one) once took 2 s to answer a local request.
LIMITS = FetchLimits(timeout=10.0, max_bytes=1024 * 1024, max_redirects=3, allow_private=True)
PRIVATE_OFF = FetchLimits(timeout=10.0, max_bytes=1024 * 1024, max_redirects=3)


def test_a_page_is_read_with_its_final_address_and_charset(blog: Blog) -> None:
    blog.pages["/old"] = Page(status=301, headers={"Location": "/post"})
    blog.pages["/post"] = Page(post_html(link="http://localhost/threads/1"))
    page = fetch(blog.url("/old"), LIMITS)
    assert page.status == 200 and page.url == blog.url("/post")
    assert page.charset == "utf-8" and b"h-entry" in page.body


def test_loopback_is_refused_unless_private_addresses_are_allowed(blog: Blog) -> None:
    blog.pages["/post"] = Page(post_html(link=None))
    with pytest.raises(FetchError, match=r"non-public address \(127\.0\.0\.1\)"):
        fetch(blog.url("/post"), PRIVATE_OFF)
    assert blog.requests == []  # refused before connecting


def test_a_redirect_to_a_private_address_is_refused_at_that_hop(blog: Blog) -> None:
    """The blog (127.0.0.1) is taken for public here, so its redirect to 127.0.0.2, another
    loopback address (as an attacker's public page would point at the forum's own network),
    meets the same check as the first hop."""
    port = blog.server.server_address[1]
    blog.pages["/innocent"] = Page(status=302, headers={"Location": f"http://127.0.0.2:{port}/"})
    with pytest.raises(FetchError, match=r"non-public address \(127\.0\.0\.2\)"):
        fetch(blog.url("/innocent"), PRIVATE_OFF, is_public=lambda a: a == "127.0.0.1")
    assert blog.requests == ["/innocent"]


def test_every_resolved_address_must_be_public() -> None:
    """A name that resolves to a public and a private address is refused: the connection
    could go to either."""

    def resolver(host: str, port: int) -> list[str]:
        return ["93.184.215.14", "10.0.0.7"]

    with pytest.raises(FetchError, match=r"non-public address \(10\.0\.0\.7\)"):
        fetch("http://two-faced.example/post", PRIVATE_OFF, resolver=resolver)


def test_the_connection_goes_to_the_checked_address_not_a_second_lookup(blog: Blog) -> None:
    """DNS rebinding: the name is resolved once; the request carries the name as its Host
    but is sent to the address that was checked."""
    blog.pages["/post"] = Page(post_html(link=None))
    lookups = []

    def resolver(host: str, port: int) -> list[str]:
        lookups.append(host)
        return ["127.0.0.1"]

    port = blog.server.server_address[1]
    page = fetch(f"http://blog.invalid:{port}/post", LIMITS, resolver=resolver)
    assert page.status == 200 and lookups == ["blog.invalid"]


def test_redirects_are_capped(blog: Blog) -> None:
    for n in range(5):
        blog.pages[f"/r{n}"] = Page(status=302, headers={"Location": f"/r{n + 1}"})
    with pytest.raises(FetchError, match="more than 3 redirects"):
        fetch(blog.url("/r0"), LIMITS)
    assert blog.requests == ["/r0", "/r1", "/r2", "/r3"]


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/post", "file:///etc/passwd"])
def test_only_http_and_https_are_fetched(url: str) -> None:
    with pytest.raises(FetchError, match="only http and https"):
        fetch(url, LIMITS)


def test_a_redirect_to_another_scheme_is_refused(blog: Blog) -> None:
    blog.pages["/post"] = Page(status=302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(FetchError, match="only http and https"):
        fetch(blog.url("/post"), LIMITS)


def test_a_50_mb_body_is_dropped_at_the_cap(blog: Blog) -> None:
    """Read to the cap and no further: the bytes read, not the time taken, decide."""
    blog.pages["/huge"] = Page(b"<html><body>", stream=50 * 1024 * 1024)
    with pytest.raises(FetchError, match="larger than 1048576 bytes") as caught:
        fetch(blog.url("/huge"), LIMITS)
    assert LIMITS.max_bytes < caught.value.bytes_read <= LIMITS.max_bytes + CHUNK
    blog.release.wait(0.2)  # the blog notices the reader left
    assert blog.sent["/huge"] < 20 * 1024 * 1024  # the rest was never sent


def test_a_declared_length_over_the_cap_is_refused_before_reading(blog: Blog) -> None:
    blog.pages["/huge"] = Page(b"<html>", declared=50 * 1024 * 1024)
    with pytest.raises(FetchError, match="50 ?[0-9]* declared|52428800 declared") as caught:
        fetch(blog.url("/huge"), LIMITS)
    assert caught.value.bytes_read == 0


def test_a_slow_server_times_out_within_the_deadline(blog: Blog) -> None:
    blog.pages["/slow"] = Page(post_html(link=None), delay=30)
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out"):
        fetch(
            blog.url("/slow"),
            FetchLimits(timeout=0.3, max_bytes=1024, max_redirects=0, allow_private=True),
        )
    assert time.monotonic() - started < 2


def test_a_server_dripping_bytes_is_dropped_at_the_deadline(blog: Blog) -> None:
    """Every read waits only for what is left of one deadline, so a byte now and then
    doesn't keep the worker for ever."""
    blog.pages["/drip"] = Page(b"<html>", drip=0.05)
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out"):
        fetch(
            blog.url("/drip"),
            FetchLimits(timeout=0.5, max_bytes=1024 * 1024, max_redirects=0, allow_private=True),
        )
    assert time.monotonic() - started < 2


@pytest.mark.parametrize(
    "content_type", ["application/json", "text/plain", "image/svg+xml", "application/pdf"]
)
def test_only_html_is_read(blog: Blog, content_type: str) -> None:
    blog.pages["/data"] = Page(b'{"a": 1}', content_type=content_type)
    with pytest.raises(FetchError, match="not an HTML page"):
        fetch(blog.url("/data"), LIMITS)


@pytest.mark.parametrize("status", [404, 410])
def test_a_deleted_page_comes_back_as_gone(blog: Blog, status: int) -> None:
    blog.pages["/post"] = Page(b"<p>deleted</p>", status=status)
    page = fetch(blog.url("/post"), LIMITS)
    assert page.gone and page.body == b""


def test_a_server_error_is_a_fetch_error(blog: Blog) -> None:
    blog.pages["/post"] = Page(b"oops", status=500)
    with pytest.raises(FetchError, match="answered 500"):
        fetch(blog.url("/post"), LIMITS)
