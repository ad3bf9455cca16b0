"""The private feed of followed tags, its secret URL, and the settings page that shows it."""

from __future__ import annotations

import re

from forum.extensions import db
from forum.models import Tag, TagLevel, User
from forum.tags.service import merge_tags
from tests.factories import make_user
from tests.feeds.helpers import ATOM, at, follow, iso, parse_atom, thread_at


def _tag(slug: str) -> Tag:
    return db.session.scalar(db.select(Tag).where(Tag.slug == slug))


def _feed_url(user: User) -> str:
    return f"/users/me/feed/{user.feed_token}.atom"


def _token_user() -> User:
    user = make_user("reader")
    user.feed_token = "t" * 43
    db.session.commit()
    return user


def test_private_feed_has_new_threads_in_followed_tags_only(client) -> None:
    reader = _token_user()
    levels = {
        "alerts": TagLevel.NEW_THREADS,
        "housing": TagLevel.ALL,
        "funding": TagLevel.DAILY,
        "policy": TagLevel.WEEKLY,
    }
    for minute, slug in enumerate([*levels, "muted", "ignored"]):
        thread_at(minute, title=f"In {slug}", tags=(slug,))
    thread_at(10, title="Followed but also muted", tags=("alerts", "muted"))
    for slug, level in {**levels, "muted": TagLevel.MUTED}.items():
        follow(db, reader, _tag(slug).id, level)

    response = client.get(_feed_url(reader))

    assert response.status_code == 200
    assert response.headers["Content-Type"] == ATOM
    assert response.headers["Cache-Control"] == "private, no-store"
    assert response.headers["X-Robots-Tag"] == "noindex"
    parsed = parse_atom(response.data)
    assert [e.title for e in parsed.entries] == [
        "In policy",
        "In funding",
        "In housing",
        "In alerts",
    ]
    assert parsed.feed.id == f"tag:localhost,2026:feed:user:{reader.id}"
    assert iso(parsed.feed.updated) == at(3)
    links = {link["rel"]: link["href"] for link in parsed.feed.links}
    assert links["self"] == f"http://localhost{_feed_url(reader)}"
    assert links["alternate"] == "http://localhost/"


def test_following_a_tag_since_merged_follows_its_target(client) -> None:
    reader = _token_user()
    thread_at(1, title="Old money thread", tags=("money",))
    thread_at(2, title="Funding thread", tags=("funding",))
    follow(db, reader, _tag("money").id, TagLevel.NEW_THREADS)
    merge_tags(_tag("money"), _tag("funding"))

    parsed = parse_atom(client.get(_feed_url(reader)).data)

    assert [e.title for e in parsed.entries] == ["Funding thread", "Old money thread"]


def test_an_empty_private_feed_is_valid_and_dated_by_the_account(client) -> None:
    reader = _token_user()
    parsed = parse_atom(client.get(_feed_url(reader)).data)
    assert parsed.entries == []
    assert iso(parsed.feed.updated) == reader.created_at


def test_unknown_tokens_get_the_same_404_whatever_the_reason(client) -> None:
    _token_user()
    pages = []
    for token in ["u" * 43, "short", "t" * 42 + "!", "t" * 65]:
        response = client.get(f"/users/me/feed/{token}.atom")
        assert response.status_code == 404, token
        # The sign-in link carries the path back; everything else must match.
        pages.append(response.get_data(as_text=True).replace(token, "TOKEN"))
    assert len(set(pages)) == 1


def test_private_feed_queries_do_not_grow_with_entries(client, count_queries) -> None:
    reader = _token_user()
    thread_at(0, tags=("funding", "housing"))
    follow(db, reader, _tag("funding").id, TagLevel.ALL)

    url = _feed_url(reader)

    def queries() -> int:
        db.session.expire_all()  # nothing cached from the set-up: count a cold request
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.count

    small = queries()
    for minute in range(1, 6):
        thread_at(minute, tags=("funding", "housing"))
    assert queries() == small <= 3


# --- Settings -------------------------------------------------------------------------------


def _shown_url(html: str) -> str:
    match = re.search(r'id="feed-url"[^>]*value="([^"]+)"', html)
    assert match, html
    return match.group(1)


def test_settings_needs_sign_in(client) -> None:
    response = client.get("/settings/feed")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert client.post("/settings/feed/reset").status_code == 302


def test_settings_creates_a_token_once_and_shows_a_working_url(client, login_as) -> None:
    reader = make_user("reader")
    assert reader.feed_token is None
    login_as(reader)

    response = client.get("/settings/feed")

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"
    url = _shown_url(response.get_data(as_text=True))
    db.session.refresh(reader)
    token = reader.feed_token
    assert re.fullmatch(r"[A-Za-z0-9_-]{43,64}", token)  # 32+ random bytes, URL-safe
    assert url == f"http://localhost/users/me/feed/{token}.atom"
    assert _shown_url(client.get("/settings/feed").get_data(as_text=True)) == url
    assert client.get(url).status_code == 200


def test_reset_replaces_the_token_and_the_old_url_stops_working(client, login_as) -> None:
    reader = make_user("reader")
    login_as(reader)
    old_url = _shown_url(client.get("/settings/feed").get_data(as_text=True))

    response = client.post("/settings/feed/reset", follow_redirects=True)

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "the old one no longer works" in html
    new_url = _shown_url(html)
    assert new_url != old_url
    assert client.get(old_url).status_code == 404
    assert client.get(new_url).status_code == 200


def test_tokens_differ_between_people(client, login_as) -> None:
    urls = set()
    for name in ("reader", "writer"):
        login_as(make_user(name))
        urls.add(_shown_url(client.get("/settings/feed").get_data(as_text=True)))
    assert len(urls) == 2
