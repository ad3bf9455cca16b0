"""Input limits: each too-long or too-many input is a 422 naming the field, with the author's
text kept (site) or named in the JSON error (API); an oversized body is a 413 that says what
to do; control and bidi characters never reach a one-line field."""

from __future__ import annotations

import html as html_lib
import re
from typing import Any

from sqlalchemy import func, select

from forum.auth.service import create_token
from forum.models import Comment, ModerationRule, Tag, Thread, User
from forum.moderation import service as moderation
from forum.tags.rules import MAX_TAGS_PER_THREAD, TAG_MAX_LENGTH
from forum.threads.rules import COMMENT_MAX, THREAD_BODY_MAX, TITLE_MAX
from tests.api.test_threads import assert_error
from tests.factories import make_admin, make_moderator, make_thread, make_user

GOOD = {"title": "Beds in winter", "body": "Who pays for the beds?", "tags": "funding"}
TOO_MANY_TAGS = ", ".join(f"topic{n}" for n in range(MAX_TAGS_PER_THREAD + 1))
THREAD_CASES = [
    ("title", {"title": "t" * (TITLE_MAX + 1)}, f"Keep the title to {TITLE_MAX} characters"),
    ("body", {"body": "b" * (THREAD_BODY_MAX + 1)}, f"Keep it to {THREAD_BODY_MAX:,} characters"),
    ("tags", {"tags": TOO_MANY_TAGS}, f"{MAX_TAGS_PER_THREAD}"),
    ("tags", {"tags": "x" * (TAG_MAX_LENGTH + 1)}, "too long"),
]


def _html(response: Any) -> str:
    return response.get_data(as_text=True)


def _count(db: Any, model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_thread_over_a_limit_is_a_422_naming_the_field_with_the_text_kept(
    client, login_as, db
) -> None:
    login_as(make_user())
    for field, change, message in THREAD_CASES:  # one app for the table: nothing is written
        form = {**GOOD, **change}

        response = client.post("/threads/new", data=form)

        assert response.status_code == 422, field
        page = _html(response)
        error = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', page)
        assert error and message in html_lib.unescape(error.group(1)), field
        assert f'value="{form["title"]}"' in page
        assert f">{form['body']}</textarea>" in page
        assert f'value="{form["tags"]}"' in page
    assert _count(db, Thread) == 0


def test_a_comment_over_the_limit_is_a_422_with_the_text_kept(client, login_as, db) -> None:
    thread = make_thread()
    login_as(make_user())
    body = "c" * (COMMENT_MAX + 1)
    response = client.post(f"/threads/{thread.id}/comments", data={"body": body})
    assert response.status_code == 422
    page = _html(response)
    assert f"Keep it to {COMMENT_MAX:,} characters" in page
    assert f">{body}</textarea>" in page
    assert _count(db, Comment) == 0


def test_the_api_names_the_field_over_a_limit(client, db) -> None:
    headers = {"Authorization": f"Bearer {create_token(make_user())}"}
    for field, change, message in THREAD_CASES:
        body = {**GOOD, **change}
        response = client.post("/api/v1/threads", json=body, headers=headers)
        error = assert_error(response, 422, field)
        assert message in error["fields"][field], field
    assert _count(db, Thread) == 0


def test_the_api_names_the_body_of_a_comment_over_the_limit(client, db) -> None:
    thread = make_thread()
    headers = {"Authorization": f"Bearer {create_token(make_user())}"}
    url = f"/api/v1/threads/{thread.id}/comments"
    body = {"body": "c" * (COMMENT_MAX + 1)}
    error = assert_error(client.post(url, json=body, headers=headers), 422, "body")
    assert f"{COMMENT_MAX:,}" in error["fields"]["body"]


# --- request bodies ----------------------------------------------------------------------------


def test_an_oversized_form_is_a_413_page_that_says_how_to_get_the_text_back(
    app, client, login_as, db
) -> None:
    login_as(make_user())
    huge = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = client.post("/threads/new", data={**GOOD, "body": huge})
    assert response.status_code == 413
    page = _html(response)
    assert "<h1>413</h1>" in page and '<nav class="site-nav"' in page
    assert "Go back with your browser&#39;s Back button: your text is still in the form" in page
    assert f"{COMMENT_MAX:,}" in page and f"{THREAD_BODY_MAX:,}" in page
    assert _count(db, Thread) == 0


def test_an_oversized_api_body_is_a_json_413(app, client, db) -> None:
    headers = {"Authorization": f"Bearer {create_token(make_user())}"}
    huge = {**GOOD, "body": "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)}
    error = assert_error(client.post("/api/v1/threads", json=huge, headers=headers), 413)
    assert "too large" in error["message"]


def test_a_thread_body_at_its_limit_in_four_byte_characters_is_not_a_413(client, login_as):
    """50,000 emoji are 600 KB form-encoded: the body limit must leave room for them."""
    login_as(make_user())
    response = client.post("/threads/new", data={**GOOD, "body": "\U0001f6cf" * THREAD_BODY_MAX})
    assert response.status_code == 302


# --- control and bidi characters in one-line fields --------------------------------------------

# Bidi embeddings, overrides, isolates and marks, and C0 and C1 controls.
INVISIBLE = [
    *(chr(c) for c in range(0x202A, 0x202F)),
    *(chr(c) for c in range(0x2066, 0x206A)),
    "\u200e",
    "\u200f",
    "\x00",
    "\x07",
    "\x1b",
    "\x7f",
    "\x9b",
]


def _sprinkle(word: str) -> str:
    """``word`` with every invisible character wedged into it, one after each letter."""
    return "".join(ch + INVISIBLE[i % len(INVISIBLE)] for i, ch in enumerate(word * 2))[:-1]


def _visible(value: str) -> bool:
    return not any(ch in value for ch in INVISIBLE)


def test_titles_lose_control_and_bidi_characters(client, login_as, db) -> None:
    login_as(make_user())
    title = "Beds" + "".join(INVISIBLE) + " in winter"
    assert client.post("/threads/new", data={**GOOD, "title": title}).status_code == 302
    assert db.session.scalar(select(Thread.title)) == "Beds in winter"


def test_usernames_lose_them_too(client, db) -> None:
    name = "wil\u202elow\u2066\x07"
    response = client.post("/register", data={"username": name, "password": "a long passphrase"})
    assert response.status_code == 302
    assert db.session.scalar(select(User.username)) == "willow"


def test_tag_names_lose_them_on_the_thread_form_and_the_tag_editor(client, login_as, db) -> None:
    login_as(make_moderator())
    tags = "fund\u202eing, " + _sprinkle("housing")[:13]
    response = client.post("/threads/new", data={**GOOD, "tags": tags})
    assert response.status_code == 302, _html(response)
    assert all(_visible(slug) for slug in db.session.scalars(select(Tag.slug)))
    assert "funding" in set(db.session.scalars(select(Tag.slug)))
    client.post(
        "/tags/funding/edit", data={"name": "Fund\u202eing \u2067money\x1b", "description": ""}
    )
    assert db.session.scalar(select(Tag.name).where(Tag.slug == "funding")) == "Funding money"


def test_a_refused_tag_is_echoed_without_them(client, login_as) -> None:
    login_as(make_user())
    response = client.post("/threads/new", data={**GOOD, "tags": "\u202e" + "x" * 50})
    assert response.status_code == 422
    error = re.search(r'<p class="field-error" id="tags-error">([^<]*)</p>', _html(response))
    assert error and _visible(error.group(1)) and "too long" in error.group(1)


def test_rule_messages_lose_them(db) -> None:
    moderator = make_admin()
    rule = {
        "id": "gatekeeper",
        "kind": "lexicon",
        "terms": ["gatekeepers"],
        "action": "flag",
        "message": "calls \u202epeople\u2069 {term}\x07",
    }
    moderation.save_rule(rule, actor=moderator)
    stored = db.session.scalar(select(ModerationRule.definition))
    assert stored["message"] == "calls people {term}"
    assert moderation.get_rule("gatekeeper").message == "calls people {term}"
