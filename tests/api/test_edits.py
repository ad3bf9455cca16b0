"""PATCH and DELETE for threads and comments, flags on opening posts, and decisions with a
removal category, through the API: the happy path, bad input, and who may not."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.models import CommentRevision, ThreadRevision
from forum.moderation import service as moderation
from forum.threads import service as threads
from tests.factories import make_comment, make_moderator, make_thread, make_user

ATTACK = "Are some of you traffickers yourselves? What is your real motivation?"


def test_the_author_edits_a_thread_and_the_revision_is_kept(client, auth_for, db) -> None:
    author = make_user()
    thread = make_thread(author, title="Shelter beds", tags=["housing"])
    response = client.patch(
        f"/api/v1/threads/{thread.id}",
        json={"title": "Shelter beds in winter", "tags": ["housing", "funding"]},
        headers=auth_for(author),
    )
    assert response.status_code == 200
    data = response.get_json()
    assert data["title"] == "Shelter beds in winter" and data["edited_at"]
    assert data["tags"] == ["funding", "housing"] and data["status"] == "published"
    assert db.session.scalar(select(ThreadRevision.title)) == "Shelter beds"


def test_an_edit_into_an_accusation_answers_202_with_the_matches(client, auth_for) -> None:
    author = make_user()
    thread = make_thread(author)
    response = client.patch(
        f"/api/v1/threads/{thread.id}", json={"body": ATTACK}, headers=auth_for(author)
    )
    assert response.status_code == 202
    data = response.get_json()
    assert data["status"] == "pending_review" and data["matches"]
    comment = make_comment(author=author, body="A fair point about method.")
    response = client.patch(
        f"/api/v1/comments/{comment.id}", json={"body": ATTACK}, headers=auth_for(author)
    )
    assert response.status_code == 202 and response.get_json()["status"] == "pending_review"


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({}, 400, "body"),
        ({"colour": "red"}, 400, "colour"),
        ({"title": 5}, 400, "title"),
        ({"tags": [1, 2]}, 400, "tags"),
        ({"title": ""}, 422, "title"),
        ({"title": "x" * 201}, 422, "title"),
        ({"body": "y" * 50_001}, 422, "body"),
        ({"tags": "a, b, c, d, e, f"}, 422, "tags"),
    ],
)
def test_bad_thread_edits_say_what_to_fix_and_change_nothing(
    client, auth_for, db, body, status, field
) -> None:
    author = make_user()
    thread = make_thread(author, title="Shelter beds")
    response = client.patch(f"/api/v1/threads/{thread.id}", json=body, headers=auth_for(author))
    assert response.status_code == status
    assert field in response.get_json()["error"]["fields"]
    db.session.refresh(thread)
    assert thread.title == "Shelter beds" and thread.edited_at is None


def test_only_the_author_or_a_moderator_edits_or_deletes(client, auth_for, db) -> None:
    author = make_user()
    thread = make_thread(author)
    comment = make_comment(thread, author=author)
    stranger = auth_for(make_user())
    assert (
        client.patch(f"/api/v1/threads/{thread.id}", json={"title": "Mine now"}).status_code == 401
    )
    for method, url in (
        ("PATCH", f"/api/v1/threads/{thread.id}"),
        ("DELETE", f"/api/v1/threads/{thread.id}"),
        ("PATCH", f"/api/v1/comments/{comment.id}"),
        ("DELETE", f"/api/v1/comments/{comment.id}"),
    ):
        response = client.open(url, method=method, json={"body": "Mine now."}, headers=stranger)
        assert response.status_code == 403, (method, url)
    moderator = auth_for(make_moderator())
    response = client.patch(
        f"/api/v1/comments/{comment.id}", json={"body": "Edited by a moderator."}, headers=moderator
    )
    assert response.status_code == 200
    assert db.session.scalar(select(CommentRevision.editor_id)) is not None
    # Moderators remove threads; only the author deletes one.
    assert client.delete(f"/api/v1/threads/{thread.id}", headers=moderator).status_code == 403
    assert (
        client.delete(f"/api/v1/threads/{thread.id}", headers=auth_for(author)).status_code == 204
    )
    data = client.get(f"/api/v1/threads/{thread.id}").get_json()
    assert data["status"] == "deleted" and data["author"] is None and data["body_html"] == ""
    assert client.delete(f"/api/v1/comments/{comment.id}", headers=moderator).status_code == 204


def test_held_posts_look_missing_to_others(client, auth_for) -> None:
    author = make_user()
    thread = threads.create_thread(
        author=author, title="Are some of you pimps?", body=ATTACK, tags="housing", confirmed=True
    )
    other = auth_for(make_user())
    assert (
        client.patch(f"/api/v1/threads/{thread.id}", json={"title": "x"}, headers=other).status_code
        == 404
    )
    assert (
        client.post(
            f"/api/v1/threads/{thread.id}/flags", json={"reason": "spam"}, headers=other
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/threads/{thread.id}", headers=auth_for(author)).status_code == 200


def test_flagging_an_opening_post(client, auth_for) -> None:
    author = make_user()
    thread = make_thread(author)
    reader = auth_for(make_user())
    url = f"/api/v1/threads/{thread.id}/flags"
    bad = client.post(url, json={"reason": "rude"}, headers=reader)
    assert bad.status_code == 422 and "reason" in bad.get_json()["error"]["fields"]
    response = client.post(url, json={"reason": "off_topic"}, headers=reader)
    assert response.status_code == 201
    data = response.get_json()
    assert (data["thread_id"], data["comment_id"], data["hidden"]) == (thread.id, None, False)
    assert client.post(url, json={"reason": "spam"}, headers=reader).status_code == 409
    assert client.post(url, json={"reason": "spam"}, headers=auth_for(author)).status_code == 403
    assert client.post(url, json={"reason": "spam"}).status_code == 401


def test_a_decision_takes_a_category_and_the_queue_shows_thread_items(client, auth_for, db) -> None:
    threads.create_thread(
        author=make_user(),
        title="Are some of you pimps?",
        body=ATTACK,
        tags="housing",
        confirmed=True,
    )
    moderator = auth_for(make_moderator())
    (item,) = client.get("/api/v1/moderation/queue", headers=moderator).get_json()["items"]
    assert item["kind"] == "thread" and item["comment"] is None
    assert item["thread"]["body"] == ATTACK and item["thread"]["status"] == "pending_review"
    url = f"/api/v1/moderation/queue/{item['id']}"
    bad = client.post(
        url, json={"decision": "remove", "reason": "x", "category": "rude"}, headers=moderator
    )
    assert bad.status_code == 422 and "category" in bad.get_json()["error"]["fields"]
    wrong = client.post(url, json={"decision": "remove", "override": "yes"}, headers=moderator)
    assert wrong.status_code == 400
    done = client.post(
        url,
        json={"decision": "remove", "reason": "Personal attack.", "category": "personal_attack"},
        headers=moderator,
    )
    assert done.status_code == 200 and done.get_json()["state"] == "removed"
    row = db.session.scalar(moderation.log_query(action="remove").limit(1))
    assert row.target_type == "thread" and row.details["category"] == "personal_attack"
