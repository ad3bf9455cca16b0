"""The pure rules of Webmention: which requests are accepted, how URLs compare, which
addresses are public, and what a source page is found to say. No app, no network."""

from __future__ import annotations

import pytest

from forum.webmention.parse import EXCERPT_MAX, decode, read_source
from forum.webmention.rules import (
    host_of,
    is_public_address,
    mention_key,
    normalize_url,
    request_problem,
)
from tests.webmention.blog import post_html

TARGET = "http://forum.example/threads/7/funding"
SOURCE = "https://blog.example/2026/funding"


@pytest.mark.parametrize(
    ("source", "target", "problem"),
    [
        ("", TARGET, "'source' is missing"),
        (SOURCE, "", "'target' is missing"),
        ("blog.example/post", TARGET, "'source' must be an absolute http or https URL"),
        ("javascript:alert(1)", TARGET, "'source' must be an absolute http or https URL"),
        ("ftp://blog.example/post", TARGET, "'source' must be an absolute http or https URL"),
        ("http:///no-host", TARGET, "'source' must be an absolute http or https URL"),
        ("https://blog.example:99999/", TARGET, "'source' is not a valid URL"),
        ("https://blog.example/a b", TARGET, "'source' contains spaces"),
        ("https://me:pw@blog.example/", TARGET, "must not carry a user name or password"),
        ("https://blog.example/" + "a" * 2000, TARGET, "'source' is longer than 2000"),
        (TARGET, TARGET, "The source and the target are the same URL."),
        ("HTTP://Forum.Example:80/threads/7/funding#c2", TARGET, "the same URL"),
    ],
)
def test_bad_requests_are_refused_with_a_reason(source: str, target: str, problem: str) -> None:
    found = request_problem(source, target)
    assert found is not None and problem in found


def test_a_good_request_has_no_problem() -> None:
    assert request_problem(SOURCE, TARGET) is None


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("HTTP://Blog.Example/Post", "http://blog.example/Post"),
        ("https://blog.example:443/post#top", "https://blog.example/post"),
        ("http://blog.example:8080", "http://blog.example:8080/"),
        ("http://blog.example/post?page=2", "http://blog.example/post?page=2"),
        ("http://[::1]:80/x", "http://[::1]/x"),
    ],
)
def test_urls_compare_in_one_form(url: str, normal: str) -> None:
    assert normalize_url(url) == normal


def test_a_mention_is_one_per_source_and_target_however_spelled() -> None:
    assert mention_key(SOURCE, TARGET) == mention_key(
        SOURCE + "#x", TARGET.upper()[:7] + TARGET[7:]
    )
    assert mention_key(SOURCE, TARGET) != mention_key(SOURCE, TARGET + "?page=2")


def test_host_of() -> None:
    assert host_of("https://Blog.Example:8443/post") == "blog.example"
    assert host_of("not a url") == "" and host_of("http://[bad") == ""


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.9.9.9",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # carrier NAT
        "0.0.0.0",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fe80::1%eth0",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "not-an-address",
    ],
)
def test_private_loopback_link_local_reserved_and_multicast_are_not_public(address: str) -> None:
    assert not is_public_address(address)


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111"])
def test_internet_addresses_are_public(address: str) -> None:
    assert is_public_address(address)


# --- reading the source ------------------------------------------------------------------------


def _read(html: bytes, url: str = SOURCE, target: str = TARGET):  # noqa: ANN202
    return read_source(decode(html, None), url, target)


def test_an_h_entry_gives_its_name_author_and_summary() -> None:
    found = _read(post_html(link=TARGET))
    assert found is not None
    assert found.title == "Why the funding debate matters"
    assert found.author == "Ada Blogger"
    assert found.excerpt == "A reply to the forum's thread on funding, from my blog."


def test_a_page_without_microformats_gives_its_title_and_text() -> None:
    found = _read(post_html(link=TARGET, h_entry=False, page_title="Plain page"))
    assert found is not None and found.title == "Plain page" and found.author == ""
    assert found.excerpt.startswith("Why the funding debate matters A reply")
    assert "Home" not in found.excerpt  # the article, not the navigation


def test_a_note_without_a_name_takes_the_page_title() -> None:
    html = (
        f'<title>Ada\'s notes</title><div class="h-entry"><div class="e-content">Short note '
        f'on <a href="{TARGET}">this</a></div></div>'
    ).encode()
    found = _read(html)
    assert found is not None and found.title == "Ada's notes"
    assert found.excerpt == "Short note on this"


def test_no_link_to_the_target_means_no_mention() -> None:
    assert _read(post_html(link=None)) is None
    assert _read(post_html(link=TARGET + "?other")) is None
    assert _read(b"") is None


@pytest.mark.parametrize(
    "href",
    [
        "/threads/7/funding",  # relative to the source's host: not the forum
    ],
)
def test_a_relative_link_resolves_against_the_source(href: str) -> None:
    html = f'<title>t</title><a href="{href}">x</a>'.encode()
    assert _read(html) is None
    assert _read(html, url="http://forum.example/elsewhere") is not None


def test_a_base_element_is_honoured_and_spelling_is_normalised() -> None:
    html = b'<base href="HTTP://FORUM.EXAMPLE:80/"><a href="threads/7/funding#c3">x</a>'
    assert _read(html) is not None


def test_a_broken_href_is_skipped() -> None:
    html = f'<a href="http://[oops">x</a><a href="http://h:99999/">y</a><a href="{TARGET}">z</a>'
    assert _read(html.encode()) is not None


def test_hostile_markup_becomes_plain_text() -> None:
    html = (
        "<title><script>alert('title')</script>Evil</title>"
        '<article class="h-entry"><h1 class="p-name">Hi<img src=x onerror=alert(1)></h1>'
        '<p class="p-author">\u202eeve\u200b</p>'
        '<div class="e-content"><script>alert("body")</script><style>p{}</style>'
        f'<p onclick="x()">Read <a href="{TARGET}">this</a> &lt;b&gt;</p></div></article>'
    ).encode()
    found = _read(html)
    assert found is not None
    # An image in a name reads as its address (microformats2); its attributes are dropped.
    assert found.title.startswith("Hi") and found.author == "eve"
    assert found.excerpt == "Read this <b>"  # text (escaped when shown), not markup
    assert not any(word in found.excerpt + found.title for word in ("alert", "onerror", "p{}"))


def test_the_excerpt_is_short() -> None:
    found = _read(post_html(link=TARGET, summary="word " * 500))
    assert found is not None and len(found.excerpt) <= EXCERPT_MAX
    assert found.excerpt.endswith("…")


@pytest.mark.parametrize(
    ("body", "charset", "text"),
    [
        ("café".encode("latin-1"), "latin-1", "café"),
        ('<meta charset="windows-1252"><p>caf\xe9'.encode("cp1252"), None, "café"),
        ("café".encode(), None, "café"),
        (b"caf\xff", "no-such-charset", "caf\ufffd"),
    ],
)
def test_decoding(body: bytes, charset: str | None, text: str) -> None:
    assert text in decode(body, charset)
