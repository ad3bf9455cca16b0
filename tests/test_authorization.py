"""Authorisation beyond the matrix: ids of others' objects lead nowhere, suspensions and
moderator scopes hold on the site and in the API alike.

tests/test_authorization_matrix.py says who gets which answer on every route; these tests
follow up on the objects: after a refused or an "answered but not yours" request, the other
person's notification, comment, token, link or promotion is as it was.
"""

from __future__ import annotations

from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import func, select

from forum.auth.service import create_token
from forum.extensions import db
from forum.models import Flag, User
from forum.models.base import utcnow
from tests.factories import make_comment, make_thread, make_user


def _html(response) -> str:  # noqa: ANN001 - a test response
    return response.get_data(as_text=True)


def _suspend(user: User) -> User:
    user.suspended_until = utcnow() + timedelta(days=3)
    db.session.commit()
    return user


def _bearer(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {create_token(user, 'tests')}"}


def _flags() -> int:
    return db.session.scalar(select(func.count(Flag.id))) or 0


# --- suspended accounts read, and don't write for others to see -------------------------------


def test_a_suspended_reader_cannot_flag_on_the_site_and_is_told_why(client, login_as) -> None:
    comment = make_comment()
    login_as(_suspend(make_user()))
    page = _html(client.get(f"/threads/{comment.thread_id}"))
    assert f"/comments/{comment.id}/flag" not in page  # no button for a refused action

    for response in (
        client.get(f"/comments/{comment.id}/flag"),
        client.post(f"/comments/{comment.id}/flag", data={"reason": "spam"}),
    ):
        assert response.status_code == 403
        assert "Your account is suspended until" in _html(response)
        assert "you can read, but not flag comments" in _html(response)
    assert _flags() == 0


def test_a_suspended_reader_cannot_flag_through_the_api(client: FlaskClient) -> None:
    comment = make_comment()
    headers = _bearer(_suspend(make_user()))
    response = client.post(
        f"/api/v1/comments/{comment.id}/flags", json={"reason": "spam"}, headers=headers
    )
    assert response.status_code == 403
    error = response.get_json()["error"]
    assert error["code"] == "forbidden"
    assert "you can read, but not flag comments" in error["message"]
    assert _flags() == 0


def test_the_reply_form_is_refused_to_a_suspended_reader(client, login_as) -> None:
    thread = make_thread()
    login_as(_suspend(make_user()))
    assert client.get(f"/threads/{thread.id}/reply").status_code == 403
    assert "Reply</a>" not in _html(client.get(f"/threads/{thread.id}"))
