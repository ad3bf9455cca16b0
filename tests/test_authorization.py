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
from forum.models import Flag, Thread, User
from forum.models.base import utcnow
from forum.moderation import service as moderation
from forum.tags import service as tags
from forum.threads import promotion
from tests.factories import make_admin, make_comment, make_moderator, make_thread, make_user


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


def test_a_suspended_author_keeps_their_own_house_but_cannot_retag_or_promote(
    client, login_as
) -> None:
    """Deleting one's own comment and appealing a removal stay open; retagging (it reaches
    the new tags' followers) and promoting are writing for others, so refused."""
    author = make_user()
    thread = make_thread(author, tags=["housing"])
    question = make_comment(thread, body="Who pays for the night shelter?")
    own = make_comment(thread, author=author)
    login_as(_suspend(author))

    assert client.post(f"/threads/{thread.id}/tags", data={"tags": "funding"}).status_code == 403
    assert client.get(f"/comments/{question.id}/promote").status_code == 403
    assert client.get(f"/comments/{own.id}/edit").status_code == 403
    db.session.refresh(thread)
    assert [t.slug for t in thread.tags] == ["housing"]
    page = _html(client.get(f"/threads/{thread.id}"))
    assert "Edit tags" not in page and "Promote to thread" not in page

    assert client.post(f"/comments/{own.id}/delete").status_code == 302
    db.session.refresh(own)
    assert own.status == "deleted"


def test_a_suspended_moderator_loses_moderator_powers(client, login_as) -> None:
    moderator = make_moderator()
    moderation.suspend_user(moderator, actor=make_admin(), days=2, reason="Stepping back.")
    comment = make_comment()
    moderation.flag_comment(comment, actor=make_user(), reason="spam")
    login_as(moderator)

    assert client.get("/mod/queue").status_code == 403
    assert client.post(f"/comments/{comment.id}/delete").status_code == 403
    assert client.get("/api/v1/moderation/queue", headers=_bearer(moderator)).status_code == 403
    assert "Review queue" not in _html(client.get("/"))
    db.session.refresh(comment)
    assert comment.status == "published"


# --- moderator tag scopes --------------------------------------------------------------------


def _scoped_moderator(*slugs: str) -> User:
    moderator = make_moderator()
    moderation.set_moderator_scopes(moderator, slugs, actor=make_admin())
    return moderator


def _threads() -> int:
    return db.session.scalar(select(func.count(Thread.id))) or 0


def test_a_scoped_moderator_promotes_only_in_their_tags(client, login_as) -> None:
    outside = make_comment(make_thread(tags=["funding"]), body="Who funds the van?")
    inside = make_comment(make_thread(tags=["housing"]), body="Who runs the shelter?")
    moderator = _scoped_moderator("housing")
    login_as(moderator)
    before = _threads()

    assert client.get(f"/comments/{outside.id}/promote").status_code == 403
    data = {"title": "Who funds the outreach van?", "tags": "funding"}
    assert client.post(f"/comments/{outside.id}/promote", data=data).status_code == 403
    response = client.post(
        f"/api/v1/comments/{outside.id}/promote", json={}, headers=_bearer(moderator)
    )
    assert response.status_code == 403
    assert "Promote to thread" not in _html(client.get(f"/threads/{outside.thread_id}"))
    assert _threads() == before

    assert "Promote to thread" in _html(client.get(f"/threads/{inside.thread_id}"))
    data = {"title": "Who runs the night shelter?", "tags": "housing"}
    assert client.post(f"/comments/{inside.id}/promote", data=data).status_code == 302
    assert _threads() == before + 1


def test_a_scoped_moderator_edits_deletes_and_retags_only_in_their_tags(client, login_as) -> None:
    outside = make_comment(make_thread(tags=["funding"]), body="Grants went to the police.")
    inside = make_comment(make_thread(tags=["housing"]), body="Beds went unused.")
    login_as(_scoped_moderator("housing"))

    page = _html(client.get(f"/threads/{outside.thread_id}"))
    assert f"/comments/{outside.id}/edit" not in page
    assert f"/comments/{outside.id}/delete" not in page
    assert "Edit tags" not in page
    assert client.get(f"/comments/{outside.id}/edit").status_code == 403
    response = client.post(f"/comments/{outside.id}/edit", data={"body": "Rewritten."})
    assert response.status_code == 403
    assert client.post(f"/comments/{outside.id}/delete").status_code == 403
    retag = client.post(f"/threads/{outside.thread_id}/tags", data={"tags": "housing"})
    assert retag.status_code == 403
    db.session.refresh(outside)
    assert outside.body_src == "Grants went to the police." and outside.status == "published"
    assert [t.slug for t in outside.thread.tags] == ["funding"]

    assert f"/comments/{inside.id}/delete" in _html(client.get(f"/threads/{inside.thread_id}"))
    assert client.post(f"/comments/{inside.id}/delete").status_code == 302
    db.session.refresh(inside)
    assert inside.status == "deleted"


def test_a_scoped_moderator_undoes_promotions_only_in_their_tags(client, login_as) -> None:
    make_thread(tags=["housing"])
    question = make_comment(make_thread(tags=["funding"]), body="Who funds the van?")
    new = promotion.promote_question(question, actor=make_moderator(), title="Who funds it?")
    login_as(_scoped_moderator("housing"))
    assert "Undo promotion" not in _html(client.get(f"/threads/{new.id}"))
    found = promotion.live_promotion(question.id)
    assert client.post(f"/promotions/{found.id}/undo").status_code == 403
    assert db.session.get(Thread, new.id) is not None


def test_a_scoped_moderator_curates_only_their_tags(client, login_as) -> None:
    make_thread(tags=["housing"])
    make_thread(tags=["funding"])
    login_as(_scoped_moderator("housing"))

    assert "Edit tag" not in _html(client.get("/tags/funding"))
    assert client.get("/tags/funding/edit").status_code == 403
    response = client.post("/tags/funding/edit", data={"name": "Money", "description": ""})
    assert response.status_code == 403
    merge = client.post("/tags/housing/merge", data={"target": "funding"})
    assert merge.status_code == 403
    assert "You can only merge into a tag you moderate." in _html(merge)
    funding, housing = tags.get_tag("funding"), tags.get_tag("housing")
    assert funding.name == "funding" and housing.canonical_id is None

    assert "Edit tag" in _html(client.get("/tags/housing"))
    assert client.get("/tags/housing/edit").status_code == 200


def test_the_header_counts_only_a_scoped_moderators_items(client, login_as) -> None:
    for tag in ("housing", "funding", "funding"):
        moderation.flag_comment(
            make_comment(make_thread(tags=[tag])), actor=make_user(), reason="spam"
        )
    login_as(_scoped_moderator("housing"))
    assert "Review queue (1)" in _html(client.get("/"))
    login_as(make_moderator())
    assert "Review queue (3)" in _html(client.get("/"))
