"""Hostile titles, names and bodies come out of every feed as inert text or clean HTML."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from forum.extensions import db
from forum.models import Tag, TagLevel
from forum.tags.service import update_tag
from forum.text import ALLOWED_ATTRIBUTES, ALLOWED_TAGS
from forum.threads.service import reply
from tests.factories import make_user
from tests.feeds.helpers import at, follow, parse_atom, thread_at

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "]]><injected/>",
    "&amp; &lt;b&gt; &#0; &bogus;",
]
# Bodies a feed reader might run: bleach at write time turns them into text or drops them.
HOSTILE_MARKDOWN = (
    "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
    "[click](javascript:alert(1)) ]]> done"
)
# As if stored before the allow-list was tightened: the feed must clean it again.
LEGACY_HTML = (
    '<p onclick="x()">ok</p><script>alert(1)</script><img src=x onerror=alert(1)>'
    '<a href="javascript:alert(1)" onmouseover="y()">link</a><iframe src="//evil"></iframe>'
    "\x0c<style>body{}</style>]]>"
)
# No NUL: PostgreSQL can't store one, and the services strip it (forum.text.clean_text),
# so no row can hold it; every other control character a legacy row might.
CONTROL = "\x01\x07\x0b\x1b\x7f\u202e\ufffe"


class _Elements(HTMLParser):
    """Every element and attribute a browser would build from an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def _assert_inert(html: str) -> None:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.found:
        assert tag in ALLOWED_TAGS, (tag, html)
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        assert set(attrs) <= ALLOWED_ATTRIBUTES.get(tag, frozenset()), (tag, attrs)
        href = "".join((attrs.get("href") or "").split()).lower()
        assert not href.startswith(("javascript:", "data:", "vbscript:")), (tag, attrs)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_titles_are_plain_text_in_tag_and_thread_feeds(client, payload) -> None:
    thread = thread_at(1, title=f"Title {payload}", body=HOSTILE_MARKDOWN)
    reply(thread=thread, author=make_user(), body=HOSTILE_MARKDOWN, now=at(2))

    for url in ("/tags/funding/feed.atom", f"/threads/{thread.id}/feed.atom"):
        response = client.get(url)
        assert b"<script" not in response.data and b"<injected" not in response.data
        parsed = parse_atom(response.data)
        post = parsed.entries[-1]
        assert post.title == f"Title {payload}"
        assert post.title_detail.type == "text/plain"
        for entry in parsed.entries:
            assert entry.content[0].type == "text/html"
            _assert_inert(entry.content[0].value)
    # The Markdown's raw HTML reached the reader as the text the author typed.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in post.content[0].value


def test_legacy_unclean_html_and_control_characters_parse_and_stay_inert(client) -> None:
    villain = make_user("villain")
    thread = thread_at(1, title="Placeholder", author=villain, tags=("funding", "housing"))
    comment = reply(thread=thread, author=make_user(), body="placeholder", now=at(2))
    # Written straight to the rows, skipping the services' cleaning, as old or imported data.
    villain.username = f'e{CONTROL}"><script>'  # fits the 30-character column
    thread.title = f"Bad{CONTROL}title ]]> <b>"
    thread.body_html = LEGACY_HTML
    comment.body_html = LEGACY_HTML + CONTROL
    tag = db.session.scalar(db.select(Tag).where(Tag.slug == "housing"))
    tag.name = f'Housing{CONTROL}"><img src=x onerror=alert(1)>'
    tag.description = f"About{CONTROL} <script>housing</script>"
    villain.feed_token = "v" * 43
    db.session.commit()
    follow(db, villain, tag.id, TagLevel.WEEKLY)

    feeds = [
        "/tags/housing/feed.atom",
        f"/threads/{thread.id}/feed.atom",
        "/users/me/feed/" + "v" * 43 + ".atom",
    ]
    for url in feeds:
        response = client.get(url)
        assert response.status_code == 200, url
        parsed = parse_atom(response.data)
        post = parsed.entries[-1]
        assert post.title == "Badtitle ]]> <b>"
        assert post.author == 'e"><script>'
        for entry in parsed.entries:
            _assert_inert(entry.content[0].value)
            assert "ok" in entry.content[0].value
    tag_feed = parse_atom(client.get(feeds[0]).data).feed
    assert tag_feed.title == 'Threads tagged Housing"><img src=x onerror=alert(1)>'
    assert tag_feed.title_detail.type == "text/plain"
    assert tag_feed.subtitle == "About <script>housing</script>"
    categories = {t.term: t.label for t in parse_atom(client.get(feeds[0]).data).entries[0].tags}
    assert categories["housing"] == 'Housing"><img src=x onerror=alert(1)>'


def test_a_hostile_tag_name_set_through_the_service_is_text(client) -> None:
    thread_at(1, tags=("housing",))
    tag = db.session.scalar(db.select(Tag).where(Tag.slug == "housing"))
    update_tag(tag, name="</title><script>alert(1)</script>", description="]]>")
    parsed = parse_atom(client.get("/tags/housing/feed.atom").data)
    assert parsed.feed.title == "Threads tagged </title><script>alert(1)</script>"
    page = client.get("/tags/housing").get_data(as_text=True)
    assert 'title="Threads tagged &lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in page
