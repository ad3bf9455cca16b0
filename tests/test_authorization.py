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

from forum.auth.service import TOKEN_PREFIX, create_token
from forum.extensions import db
from forum.feeds.service import ensure_feed_token, new_feed_token
from forum.mail import service as mail
from forum.models import ApiToken, Comment, Flag, Notification, Promotion, Thread, User
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
    moderation.flag_post(comment, actor=make_user(), reason="spam")
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
        moderation.flag_post(
            make_comment(make_thread(tags=[tag])), actor=make_user(), reason="spam"
        )
    login_as(_scoped_moderator("housing"))
    assert "Review queue (1)" in _html(client.get("/"))
    login_as(make_moderator())
    assert "Review queue (3)" in _html(client.get("/"))


# --- ids of other people's objects lead nowhere -----------------------------------------------


def _upto(model: type, extra: int = 3) -> range:
    """Every id a guesser would try: all that exist, and a few beyond."""
    return range(1, (db.session.scalar(select(func.max(model.id))) or 0) + extra)


def _unread(user: User) -> set[int]:
    stmt = select(Notification.id).where(
        Notification.user_id == user.id, Notification.read_at.is_(None)
    )
    return set(db.session.scalars(stmt))


def _removed_after_a_flag() -> tuple[Comment, User]:
    """A comment removed on a flag: its author gets the removal notice, the flagger the outcome."""
    comment = make_comment(body="A link to a scam.")
    flagger = make_user()
    moderation.flag_post(comment, actor=flagger, reason="spam")
    item = moderation.open_item(comment)
    moderation.decide(item, actor=make_moderator(), decision="remove", reason="Spam.")
    return comment, flagger


def test_guessed_notification_ids_mark_only_ones_own_read(client, login_as) -> None:
    comment, flagger = _removed_after_a_flag()
    snoop, api_snoop = make_user(), make_user()
    for user in (snoop, api_snoop):
        moderation.warn_user(user, actor=make_moderator(), reason="Keep to the argument.")
    theirs = _unread(comment.author) | _unread(flagger)
    assert len(theirs) == 2
    guesses = list(_upto(Notification))

    login_as(snoop)
    response = client.post("/notifications/read", data={"id": [str(i) for i in guesses]})
    assert response.status_code == 302
    assert _unread(snoop) == set()
    response = client.post(
        "/api/v1/notifications/read", json={"ids": guesses}, headers=_bearer(api_snoop)
    )
    assert response.get_json() == {"marked": 1}  # their own warning, nothing else
    assert _unread(comment.author) | _unread(flagger) == theirs


def test_a_flag_outcome_is_the_flaggers_alone(client, login_as) -> None:
    """The flagger hears the outcome; the flagged author and others never learn who flagged."""
    comment, flagger = _removed_after_a_flag()
    login_as(flagger)
    assert "Moderators looked at a comment you flagged" in _html(client.get("/notifications"))
    for reader in (comment.author, make_user()):
        login_as(reader)
        for url in ("/notifications", f"/threads/{comment.thread_id}", f"/comments/{comment.id}"):
            page = _html(client.get(url, follow_redirects=True))
            assert "you flagged" not in page, url
            assert flagger.username not in page, url
        listed = client.get("/api/v1/notifications", headers=_bearer(reader)).get_json()
        assert "flag_outcome" not in {n["kind"] for n in listed["notifications"]}


def test_an_api_token_acts_only_for_its_owner(client) -> None:
    owner = make_user()
    raw = create_token(owner, "laptop")
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == owner.id))
    moderation.warn_user(owner, actor=make_moderator(), reason="Keep to the argument.")
    # Its id, its hash, a near miss and a well-formed guess open nothing.
    for guess in (str(row.id), f"{TOKEN_PREFIX}{row.id}", row.token_hash, raw[:-1], raw + "x"):
        response = client.get("/api/v1/notifications", headers={"Authorization": f"Bearer {guess}"})
        assert response.status_code == 401, guess
    other = client.get("/api/v1/notifications", headers=_bearer(make_user())).get_json()
    assert other["notifications"] == [] and other["unread"] == 0
    mine = client.get("/api/v1/notifications", headers={"Authorization": f"Bearer {raw}"})
    assert [n["kind"] for n in mine.get_json()["notifications"]] == ["warning"]
    row.revoked_at = utcnow()
    db.session.commit()
    response = client.get("/api/v1/notifications", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 401


def test_guessed_comment_ids_edit_or_delete_nothing_of_anyone_elses(client, login_as) -> None:
    thread = make_thread()
    others = [make_comment(thread, body=f"Someone else's point {n}.") for n in range(3)]
    snoop = make_user()
    own = make_comment(thread, author=snoop, body="My own point.")
    login_as(snoop)
    for comment_id in _upto(Comment):
        if comment_id == own.id:
            continue
        edit = client.post(f"/comments/{comment_id}/edit", data={"body": "Overwritten."})
        delete = client.post(f"/comments/{comment_id}/delete")
        assert (edit.status_code, delete.status_code) in {(403, 403), (404, 404)}, comment_id
        # The API edits and deletes only the token's own comments.
        for method, expected in (("PUT", {405}), ("PATCH", {403, 404}), ("DELETE", {403, 404})):
            api = client.open(
                f"/api/v1/comments/{comment_id}",
                method=method,
                headers=_bearer(snoop),
                json={"body": "Overwritten."},
            )
            assert api.status_code in expected, (method, comment_id)
    for comment in others:
        db.session.refresh(comment)
        assert comment.status == "published" and comment.body_src.startswith("Someone else's")
    assert client.post(f"/comments/{own.id}/delete").status_code == 302


def test_a_private_feed_address_is_its_owners_alone(client, login_as) -> None:
    owner = make_user()
    token = ensure_feed_token(owner)
    login_as(make_user())
    settings = _html(client.get("/settings/feed"))
    assert "/users/me/feed/" in settings and token not in settings
    assert client.post("/settings/feed/reset").status_code == 302
    db.session.refresh(owner)
    assert owner.feed_token == token
    assert client.get(f"/users/me/feed/{token}.atom").status_code == 200
    near_miss = token[:-1] + ("A" if token[-1] != "A" else "B")
    for guess in (near_miss, new_feed_token(), str(owner.id), owner.username):
        assert client.get(f"/users/me/feed/{guess}.atom").status_code == 404, guess


def test_a_mailed_link_cannot_be_turned_on_another_account(client) -> None:
    victim, attacker = make_user(email="v@example.org"), make_user(email="a@example.org")
    for user in (victim, attacker):
        user.email_notifications = True
    db.session.commit()
    own = mail.unsubscribe_token(attacker.id, mail.ALL_MAIL)
    # The victim's payload under the attacker's signature, and a link made for another purpose.
    victims_payload = mail.unsubscribe_token(victim.id, mail.ALL_MAIL).split(".")[0]
    forged = victims_payload + "." + own.split(".", 1)[1]
    for bad in (forged, mail.verification_token(victim)):
        assert client.get(f"/unsubscribe/{bad}").status_code == 400
        response = client.post(f"/unsubscribe/{bad}")
        assert response.status_code == 400
        assert "not valid" in _html(response)
    db.session.refresh(victim)
    assert victim.email_notifications is True


def test_guessed_promotion_ids_anonymise_or_undo_nothing(client, login_as) -> None:
    moderator = make_moderator()
    askers = [make_user(), make_user()]
    threads = []
    for asker in askers:
        question = make_comment(make_thread(), author=asker, body="Who audits the budget?")
        threads.append(promotion.promote_question(question, actor=moderator, title="Who audits?"))
    snoop = make_user()
    login_as(snoop)
    for promotion_id in _upto(Promotion):
        for action in ("anonymise", "undo"):
            response = client.post(f"/promotions/{promotion_id}/{action}")
            exists = db.session.get(Promotion, promotion_id) is not None
            assert response.status_code == (403 if exists else 404), (action, promotion_id)
    for thread in threads:
        found = db.session.get(Thread, thread.id)
        assert found is not None and found.promotion.attribution_hidden is False
        assert any(asker.username in found.body_src for asker in askers)
