"""API: following tags and reading notifications, always as the token's own user."""

from __future__ import annotations

import pytest

from forum import outbox
from forum.subscriptions import service
from tests.api.test_openapi import check
from tests.factories import make_comment, make_thread, make_user

PREFIX = "/api/v1"


@pytest.fixture
def doc(client):
    return client.get(f"{PREFIX}/openapi.json").get_json()


@pytest.mark.parametrize("level", ["new_threads", "all", "daily", "weekly", "muted"])
def test_put_follows_a_tag_at_each_level(client, member, member_auth, doc, level) -> None:
    make_thread(tags=["housing"])
    url = f"{PREFIX}/tags/housing/subscription"
    response = client.put(url, json={"level": level}, headers=member_auth)
    assert response.status_code == 200
    assert response.get_json()["tag"] == "housing" and response.get_json()["level"] == level
    check(doc, "/tags/{slug}/subscription", "put", response)


def test_bad_level_unknown_tag_and_no_token(client, member_auth, doc) -> None:
    make_thread(tags=["housing"])
    url = f"{PREFIX}/tags/housing/subscription"
    path = "/tags/{slug}/subscription"
    bad = client.put(url, json={"level": "hourly"}, headers=member_auth)
    assert bad.status_code == 422 and "level" in bad.get_json()["error"]["fields"]
    check(doc, path, "put", bad)
    wrong_type = client.put(url, json={"level": 3}, headers=member_auth)
    assert wrong_type.status_code == 400
    missing = client.put(
        f"{PREFIX}/tags/nowhere/subscription", json={"level": "all"}, headers=member_auth
    )
    assert missing.status_code == 404
    check(doc, path, "put", missing)
    anonymous = client.put(url, json={"level": "all"})
    assert anonymous.status_code == 401
    check(doc, path, "put", anonymous)
    assert client.delete(url).status_code == 401
    assert client.get(f"{PREFIX}/subscriptions").status_code == 401
    assert client.get(f"{PREFIX}/notifications").status_code == 401
    assert client.post(f"{PREFIX}/notifications/read", json={}).status_code == 401
    revoked = {"Authorization": "Bearer fat_nope"}
    assert client.get(f"{PREFIX}/notifications", headers=revoked).status_code == 401


def test_delete_unfollows_and_is_idempotent(client, member, member_auth) -> None:
    make_thread(tags=["housing"])
    url = f"{PREFIX}/tags/housing/subscription"
    client.put(url, json={"level": "all"}, headers=member_auth)
    assert client.delete(url, headers=member_auth).status_code == 204
    assert client.delete(url, headers=member_auth).status_code == 204
    assert client.get(f"{PREFIX}/subscriptions", headers=member_auth).get_json()["tags"] == []
    assert (
        client.delete(f"{PREFIX}/tags/nowhere/subscription", headers=member_auth).status_code == 404
    )


def test_subscriptions_list_tags_and_threads(client, member, member_auth, doc) -> None:
    thread = make_thread(tags=["housing"])
    client.put(f"{PREFIX}/tags/housing/subscription", json={"level": "weekly"}, headers=member_auth)
    service.follow_thread(member, thread, "mute")
    response = client.get(f"{PREFIX}/subscriptions", headers=member_auth)
    check(doc, "/subscriptions", "get", response)
    data = response.get_json()
    assert [(t["tag"], t["level"]) for t in data["tags"]] == [("housing", "weekly")]
    assert [(t["thread_id"], t["muted"]) for t in data["threads"]] == [(thread.id, True)]
    assert data["auto_follow_threads"] is True


def test_notifications_newest_first_with_read_state_and_urls(
    client, member, member_auth, doc
) -> None:
    thread = make_thread(tags=["housing"])
    service.follow_thread(member, thread, "follow")
    first = make_comment(thread)
    second = make_comment(thread)
    outbox.drain()
    response = client.get(f"{PREFIX}/notifications", headers=member_auth)
    check(doc, "/notifications", "get", response)
    data = response.get_json()
    assert [n["comment_id"] for n in data["notifications"]] == [second.id, first.id]
    item = data["notifications"][0]
    assert item["kind"] == "new_comment" and item["read"] is False
    assert item["thread_id"] == thread.id
    assert item["thread_url"].endswith(f"/threads/{thread.id}/{thread.slug}")
    assert item["comment_url"].endswith(f"/comments/{second.id}")
    assert data["unread"] == 2 and data["next_page"] is None
    assert client.get(f"{PREFIX}/notifications?page=0", headers=member_auth).status_code == 400
    later = client.get(f"{PREFIX}/notifications?page=5", headers=member_auth).get_json()
    assert later["notifications"] == []


def test_mark_read_some_then_all(client, member, member_auth, doc) -> None:
    thread = make_thread()
    service.follow_thread(member, thread, "follow")
    make_comment(thread), make_comment(thread), make_comment(thread)
    outbox.drain()
    ids = [
        n["id"]
        for n in client.get(f"{PREFIX}/notifications", headers=member_auth).get_json()[
            "notifications"
        ]
    ]
    url = f"{PREFIX}/notifications/read"
    one = client.post(url, json={"ids": ids[:1]}, headers=member_auth)
    check(doc, "/notifications/read", "post", one)
    assert one.get_json() == {"marked": 1}
    assert client.post(url, headers=member_auth).get_json() == {"marked": 2}  # empty body: all
    assert client.post(url, json={}, headers=member_auth).get_json() == {"marked": 0}
    listed = client.get(f"{PREFIX}/notifications", headers=member_auth).get_json()
    assert all(n["read"] for n in listed["notifications"])


def test_mark_read_touches_only_ones_own_and_checks_ids(client, member, member_auth) -> None:
    other = make_user()
    thread = make_thread()
    service.follow_thread(other, thread, "follow")
    make_comment(thread)
    outbox.drain()
    theirs = service.notifications_for(other)
    from forum.extensions import db

    their_id = db.session.scalars(theirs).first().id
    url = f"{PREFIX}/notifications/read"
    assert client.post(url, json={"ids": [their_id]}, headers=member_auth).get_json() == {
        "marked": 0
    }
    assert service.unread_count(other) == 1
    for bad in ({"ids": "all"}, {"ids": [True]}, {"ids": ["1"]}, {"what": 1}):
        assert client.post(url, json=bad, headers=member_auth).status_code == 400
