"""Deleting an account: with the password and a choice; the person is signed out for good,
their name is gone from every page and can't be taken, and what they wrote stays without a
name or is removed, as they chose."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import func, inspect, select, text

from forum.account.rules import DELETED_NAME
from forum.models import (
    ApiToken,
    Comment,
    CommentRevision,
    CommentStatus,
    Flag,
    MailDelivery,
    ModerationAction,
    Notification,
    QueueItem,
    QueueState,
    TagSubscription,
    Thread,
    ThreadRevision,
    ThreadSubscription,
    User,
    UserIgnore,
)
from forum.moderation import service as moderation
from forum.threads import promotion
from forum.threads.rules import quote_markdown
from forum.threads.service import edit_comment, reply
from tests.account.conftest import Life
from tests.api.conftest import bearer
from tests.factories import PASSWORD, make_comment, make_moderator, make_thread, make_user


def _html(response: Any) -> str:
    return response.get_data(as_text=True)


def _delete(client: Any, choice: str, password: str = PASSWORD) -> Any:
    return client.post("/settings/account/delete", data={"password": password, "choice": choice})


def _count(db: Any, model: Any, *where: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _thread_page(client: Any, thread: Thread) -> str:
    return _html(client.get(f"/threads/{thread.id}/{thread.slug}"))


REFUSED_DELETIONS = [
    ({"password": "not my password", "choice": "anonymise"}, "password", "current password"),
    ({"password": PASSWORD}, "choice", "Choose whether"),
    ({"password": PASSWORD, "choice": "vanish"}, "choice", "Choose whether"),
]


def test_deleting_needs_the_password_and_a_choice(client, login_as, db) -> None:
    hazel = make_user("hazel")
    comment = make_comment(author=hazel, body="Still mine.")
    login_as(hazel)
    for data, field, message in REFUSED_DELETIONS:
        response = client.post("/settings/account/delete", data=data)

        assert response.status_code == 422, field
        html = _html(response)
        error = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', html)
        assert error and message in error.group(1)
        assert "Your account was not deleted." in html
        assert f'value="{data["password"]}"' not in html
        if data.get("choice") == "anonymise":
            assert 'value="anonymise" checked' in html  # the choice is kept, the password not
    db.session.refresh(hazel)
    assert hazel.username == "hazel" and hazel.deleted_at is None
    page = _thread_page(client, comment.thread)
    assert "Still mine." in page and 'href="/users/hazel">hazel</a>' in page


@pytest.mark.parametrize("choice", ["anonymise", "remove"])
def test_the_person_is_signed_out_everywhere_and_their_name_is_retired(
    app, client, db, life: Life, choice: str
) -> None:
    client.post("/login", data={"username": "hazel", "password": PASSWORD})
    elsewhere = app.test_client()
    elsewhere.post("/login", data={"username": "hazel", "password": PASSWORD, "remember": "1"})
    remember = elsewhere.get_cookie("session").value

    response = _delete(client, choice)

    assert (response.status_code, response.location) == (302, "/")
    home = _html(client.get("/"))
    assert "Your account is deleted and you are signed out." in home
    assert ">Sign out</button>" not in home
    assert ">Sign out</button>" not in _html(elsewhere.get("/"))
    stale = app.test_client()
    stale.set_cookie("session", remember)
    assert ">Sign out</button>" not in _html(stale.get("/"))
    # No way back in, and the name can't be taken by someone else, in any case.
    refused = client.post("/login", data={"username": "hazel", "password": PASSWORD})
    assert refused.status_code == 422
    taken = client.post("/register", data={"username": "HAZEL", "password": "a long passphrase"})
    assert taken.status_code == 422 and "That name is taken" in _html(taken)
    assert client.get("/api/v1/subscriptions", headers=bearer(life.token)).status_code == 401
    assert client.get("/users/hazel").status_code == 404
    gone = client.get("/users/" + DELETED_NAME)
    assert gone.status_code == 404 and "That account was deleted." in _html(gone)


@pytest.mark.parametrize("choice", ["anonymise", "remove"])
def test_personal_data_is_wiped_from_the_row_and_what_belongs_to_it_is_removed(
    client, login_as, db, life: Life, choice: str
) -> None:
    login_as(life.hazel)
    _delete(client, choice)
    row = db.session.get(User, life.hazel.id)
    db.session.refresh(row)
    assert row.username == DELETED_NAME and row.username_key.startswith("#")
    assert "hazel" not in row.username_key
    assert (row.email, row.email_verified_at, row.feed_token) == (None, None, None)
    assert row.deleted_at is not None and not row.password_hash.startswith(("scrypt", "pbkdf2"))
    for model in (ApiToken, TagSubscription, ThreadSubscription, Notification, MailDelivery):
        assert _count(db, model, model.user_id == row.id) == 0, model
    # Flags stay (moderators weigh them); the row they point at is the placeholder.
    assert _count(db, Flag, Flag.user_id == row.id) == 1


def test_anonymise_keeps_their_words_under_the_placeholder(client, login_as, db, life) -> None:
    login_as(life.hazel)
    _delete(client, "anonymise")
    client.post("/logout")

    for thread in (life.own_thread, life.their_thread):
        html = _thread_page(client, thread)
        assert DELETED_NAME in html
        assert "hazel" not in html.casefold()
    assert "winter beds" in _thread_page(client, life.own_thread)
    assert "A considered point about vans." in _thread_page(client, life.their_thread)
    assert "Beds in winter" in _html(client.get("/"))


def test_remove_blanks_their_words_and_keeps_the_discussion(client, login_as, db, life) -> None:
    login_as(life.hazel)
    _delete(client, "remove")
    client.post("/logout")

    theirs = _thread_page(client, life.their_thread)
    assert "considered point" not in theirs and "First draft" not in theirs
    assert '<p class="placeholder">[deleted]</p>' in theirs
    assert "Rowan answers the point." in theirs  # the reply, with its number and place
    assert f'id="c{life.reply.number}"' in theirs
    own = _thread_page(client, life.own_thread)
    assert "Beds in winter" not in own and "winter beds" not in own  # title and post go
    assert "[removed by its author]" in own
    assert "Rowan replies about the cold." in own
    assert "hazel" not in (theirs + own).casefold()
    comment = db.session.get(Comment, life.comment.id)
    db.session.refresh(comment)
    assert (comment.status, comment.body_src) == (CommentStatus.DELETED, "")
    assert _count(db, CommentRevision, CommentRevision.comment_id == comment.id) == 0
    assert _count(db, ThreadRevision, ThreadRevision.thread_id == life.own_thread.id) == 0
    assert _count(db, UserIgnore, UserIgnore.user_id == life.hazel.id) == 0
    thread = db.session.get(Thread, life.their_thread.id)
    db.session.refresh(thread)
    assert thread.comment_count == 1  # only Rowan's reply is a published comment now
    assert db.session.scalar(select(Flag.note)) == ""
    found = _html(client.get("/search?q=considered"))
    assert "considered point" not in found


MARKER = "quillmarker"


def test_remove_leaves_no_copy_of_their_words_in_any_table_or_page(
    app, client, login_as, db
) -> None:
    """Their words, quoted by the Quote button and by hand, flagged as an excerpt, matched by
    a rule, taken as a promoted thread's title, edited and indexed: after "remove", a marker
    word in all of them is in no column of any table and on no page."""
    hazel, rowan, keeper = make_user("hazel"), make_user("rowan"), make_moderator("keeper")
    own = make_thread(
        hazel, title=f"Beds for {MARKER} winter", body=f"Who pays for {MARKER} beds?",
        tags=["funding"],
    )  # fmt: skip
    theirs = make_thread(rowan, title="Outreach vans", body="Vans need drivers.", tags=["funding"])
    said = make_comment(theirs, author=hazel, body=f"The {MARKER} shelter closes at nine.")
    edit_comment(said, actor=hazel, body=f"The {MARKER} shelter closes at nine every night.")
    quoting = make_comment(
        theirs, author=rowan, parent=said,
        body=quote_markdown("hazel", said.number, said.body_src) + "Not on Sundays.",
    )  # fmt: skip
    edit_comment(quoting, actor=rowan, body=quoting.body_src + " I checked.")
    by_hand = make_comment(own, author=rowan, body=f"> pays for {MARKER} beds\n\nThe council.")
    moderation.flag_post(said, actor=rowan, reason="spam", excerpt=f"The {MARKER} shelter")
    reply(thread=theirs, author=hazel, body=f"You are a pimp, {MARKER} rowan.", confirmed=True)
    question = make_comment(theirs, author=hazel, body=f"Who funds the {MARKER} vans at night?")
    new = promotion.promote_question(question, actor=keeper)
    assert MARKER in new.title

    login_as(hazel)
    assert _delete(client, "remove").status_code == 302
    client.post("/logout")

    with db.engine.connect() as conn:
        found = []
        for table in inspect(conn).get_table_names():
            for column in inspect(conn).get_columns(table):
                hits = conn.execute(
                    text(f'SELECT count(*) FROM "{table}" '
                         f'WHERE lower(CAST("{column["name"]}" AS TEXT)) LIKE :marker'),
                    {"marker": f"%{MARKER}%"},
                ).scalar()  # fmt: skip
                if hits:
                    found.append((table, column["name"]))
    assert found == []
    pages = [
        "/", "/tags/funding", "/tags/funding/feed.atom",
        f"/threads/{theirs.id}", f"/threads/{own.id}", f"/threads/{new.id}",
        f"/comments/{quoting.id}/history", f"/comments/{by_hand.id}",
        f"/threads/{theirs.id}/feed.atom", "/api/v1/threads", f"/api/v1/threads/{theirs.id}",
    ]  # fmt: skip
    for reader in (client, login_as(rowan), login_as(keeper)):
        for page in pages + ["/notifications", "/mod/queue", "/mod/log"]:
            response = reader.get(page, follow_redirects=True)
            assert MARKER not in _html(response).casefold(), page
        # The search page says what was asked; nothing is found.
        assert "No results for “quillmarker”" in _html(reader.get(f"/search?q={MARKER}"))
        assert reader.get(f"/api/v1/search?q={MARKER}").get_json()["results"] == []
    assert "[removed by its author]" in _thread_page(client, db.session.get(Thread, theirs.id))


def test_remove_closes_their_comments_open_in_the_queue(client, login_as, db) -> None:
    hazel = make_user("hazel")
    comment = make_comment(author=hazel, body="Something readers flagged.")
    moderation.flag_post(comment, actor=make_user(), reason="spam")
    assert moderation.open_item(comment) is not None
    login_as(hazel)
    _delete(client, "remove")
    item = db.session.scalar(select(QueueItem))
    assert item.state == QueueState.DISMISSED
    assert item.reason == "The author deleted their account."


def test_the_moderation_log_keeps_the_id_and_shows_the_placeholder(
    client, login_as, db, life
) -> None:
    login_as(life.hazel)
    _delete(client, "anonymise")
    login_as(life.moderator)
    log = _html(client.get("/mod/log"))
    assert "Keep it about the argument." in log
    assert DELETED_NAME in log and "hazel" not in log.casefold()
    warning = db.session.scalar(select(ModerationAction).where(ModerationAction.action == "warn"))
    assert warning.subject_id == life.hazel.id


@pytest.mark.parametrize(("choice", "quote"), [("anonymise", "vans"), ("remove", "[deleted]")])
def test_a_thread_promoted_from_their_question_names_a_reader(
    client, login_as, db, choice, quote
) -> None:
    hazel = make_user("hazel")
    source = make_thread(title="Vans", body="About outreach vans.")
    question = make_comment(source, author=hazel, body="Who maintains the outreach vans?")
    new = promotion.promote_question(question, actor=make_moderator(), title="Who maintains vans?")
    assert "hazel" in new.body_src
    login_as(hazel)
    _delete(client, choice)
    client.post("/logout")
    html = _thread_page(client, new)
    assert "a reader, on" in html and "hazel" not in html.casefold()
    assert quote in re.search(r"<blockquote>(.*?)</blockquote>", html, re.S).group(1)


def test_remove_takes_the_intro_they_wrote_for_someone_elses_question(client, login_as, db):
    asker, promoter = make_user("asker"), make_user("promoter")
    source = make_thread(promoter, title="Vans", body="About outreach vans.")
    question = make_comment(source, author=asker, body="Who maintains the outreach vans?")
    new = promotion.promote_question(
        question, actor=promoter, title="Who maintains vans?", intro="My own framing here."
    )
    login_as(promoter)
    _delete(client, "remove")
    # The asker has the thread name them again: the body is rebuilt, without the intro.
    found = promotion.live_promotion(question.id)
    promotion.hide_attribution(found, actor=db.session.get(User, asker.id), hidden=False)
    html = _thread_page(client, new)
    assert "Who maintains the outreach vans?" in html and "My own framing" not in html


@pytest.mark.parametrize(
    "config_overrides", [{"RATELIMIT_ENABLED": True, "RATELIMIT_LOGIN": "2 per minute"}]
)
def test_guessing_the_password_on_these_forms_spends_the_sign_in_budget(client, login_as):
    login_as(make_user("hazel"))
    assert _delete(client, "anonymise", password="guess one").status_code == 422
    password_form = {"current_password": "guess two", "new_password": "x" * 9}
    response = client.post("/settings/account/password", data=password_form)
    assert response.status_code == 422
    assert _delete(client, "anonymise").status_code == 429
    assert client.post("/login", data={"username": "hazel", "password": "x"}).status_code == 429
