"""POST /api/v1/comments/{id}/promote: the thread's author or a moderator opens a new thread."""

from __future__ import annotations

import pytest

from forum.auth.service import create_token
from forum.models import CommentStatus, Thread
from tests.factories import make_comment, make_moderator, make_thread, make_user

QUESTION = "What should happen to people found in a raid once the police leave?"


def post(client, comment_id: int, token: str | None, json: object) -> object:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(f"/api/v1/comments/{comment_id}/promote", json=json, headers=headers)


@pytest.fixture
def question(app):
    host = make_user("quill")
    thread = make_thread(host, tags=["raids-and-law-enforcement", "survivor-services"])
    comment = make_comment(thread, author=make_user("fennel"), body=QUESTION)
    return host, thread, comment


def test_the_thread_author_promotes_and_gets_the_new_thread(client, db, question) -> None:
    host, thread, comment = question
    response = post(client, comment.id, create_token(host), {"intro": "A good question."})
    assert response.status_code == 201
    data = response.get_json()
    new = db.session.get(Thread, data["thread_id"])
    assert data["url"].endswith(f"/threads/{new.id}/{new.slug}")
    assert new.title == QUESTION
    assert "fennel" in new.body_src and "A good question." in new.body_src
    assert [t.slug for t in new.tags] == ["raids-and-law-enforcement", "survivor-services"]


def test_a_second_promotion_is_409_with_a_link(client, question) -> None:
    host, _, comment = question
    token = create_token(host)
    first = post(client, comment.id, token, {}).get_json()
    again = post(client, comment.id, token, {})
    assert again.status_code == 409
    error = again.get_json()["error"]
    assert error["fields"]["url"] == first["url"]
    assert error["fields"]["thread_id"] == str(first["thread_id"])


def test_moderators_may_and_other_members_may_not(client, question) -> None:
    _, _, comment = question
    assert post(client, comment.id, create_token(make_user()), {}).status_code == 403
    assert post(client, comment.id, None, {}).status_code == 401
    assert post(client, comment.id, create_token(make_moderator()), {}).status_code == 201


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"move_replies": "yes"}, "move_replies"),
        ({"title": 5}, "title"),
        ({"tags": [1, 2]}, "tags"),
        ({"unknown": 1}, "unknown"),
    ],
)
def test_malformed_input_is_400_naming_the_field(client, question, body, field) -> None:
    host, _, comment = question
    response = post(client, comment.id, create_token(host), body)
    assert response.status_code == 400
    assert field in response.get_json()["error"]["fields"]


def test_invalid_values_are_422(client, question) -> None:
    host, _, comment = question
    response = post(client, comment.id, create_token(host), {"title": "x" * 201})
    assert response.status_code == 422
    assert "title" in response.get_json()["error"]["fields"]


def test_a_held_comment_cannot_be_promoted(client, db, question) -> None:
    host, _, comment = question
    comment.status = CommentStatus.PENDING
    db.session.commit()
    # Hidden from the host, so it looks missing; a moderator sees it but can't promote it.
    assert post(client, comment.id, create_token(host), {}).status_code == 404
    assert post(client, comment.id, create_token(make_moderator()), {}).status_code == 409
    assert post(client, 999_999, create_token(host), {}).status_code == 404
