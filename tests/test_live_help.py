"""Help while writing: the live Markdown preview (POST /preview) and the moderation nudge as
the author types (POST /moderation/assess). Both answer JSON, write nothing, and are for
people who may post."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from forum.models import Comment, ModerationAction, QueueItem
from forum.models.base import utcnow
from forum.text import render_markdown
from forum.threads.rules import THREAD_BODY_MAX
from tests.factories import make_comment, make_thread, make_user

JSON = {"Accept": "application/json"}
ENDPOINTS = ["/preview", "/moderation/assess"]
ACCUSATION = "Are some of you pimps yourselves? What is your real agenda here?"
ARGUMENT = "The hotline figures count calls, not confirmed cases, so they overstate the need."


def _error(response) -> dict[str, Any]:
    assert response.is_json, response.get_data(as_text=True)[:200]
    return response.get_json()["error"]


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- the preview ------------------------------------------------------------------------------


def test_the_preview_is_the_sanitised_html_the_post_will_show(client, login_as) -> None:
    login_as(make_user())
    body = (
        "**Beds** first.\r\n\r\n<script>alert(1)</script> "
        "[click](javascript:alert(1)) ![pixel](https://tracker.example/p.gif)"
    )
    response = client.post("/preview", data={"body": body}, headers=JSON)
    assert response.status_code == 200
    html = response.get_json()["html"]
    assert "<strong>Beds</strong>" in html
    assert "<script" not in html and "<img" not in html
    assert 'href="javascript' not in html  # left as the text it was
    assert html == render_markdown(body.replace("\r\n", "\n"))


def test_assess_explains_an_accusation_and_writes_nothing(client, login_as, db) -> None:
    thread = make_thread()
    make_comment(thread)
    login_as(make_user())
    response = client.post(
        "/moderation/assess", data={"body": ACCUSATION, "thread_id": thread.id}, headers=JSON
    )
    assert response.status_code == 200
    result = response.get_json()
    assert result["nudge"] is True and result["action"] in ("nudge", "flag", "hold")
    assert result["matches"], result
    for match in result["matches"]:
        assert match["text"] == ACCUSATION[match["start"] : match["end"]]
        assert match["explanation"]
    assert any("pimps" in m["text"] for m in result["matches"])
    # Nothing posted, queued or logged: the real check runs when the comment is posted.
    assert _count(db, Comment) == 1
    assert _count(db, QueueItem) == 0
    assert _count(db, ModerationAction) == 0


def test_assess_lets_hard_disagreement_through(client, login_as) -> None:
    login_as(make_user())
    response = client.post("/moderation/assess", data={"body": ARGUMENT}, headers=JSON)
    assert response.get_json() == {
        "action": "allow",
        "nudge": False,
        "holds": False,
        "matches": [],
    }


def test_assess_offsets_count_the_text_as_stored(client, login_as) -> None:
    """Browsers send line ends as CRLF; the offsets refer to the text with plain newlines."""
    login_as(make_user())
    body = "First line.\r\nSecond line: " + ACCUSATION
    result = client.post("/moderation/assess", data={"body": body}, headers=JSON).get_json()
    stored = body.replace("\r\n", "\n")
    assert result["matches"]
    for match in result["matches"]:
        assert stored[match["start"] : match["end"]] == match["text"]


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ENDPOINTS)
@pytest.mark.parametrize(
    ("body", "says"),
    [("", "Write something first"), ("  \n ", "Write something first"), ("x" * 50_001, "50,000")],
)
def test_empty_or_oversized_text_is_a_422_naming_the_field(
    client, login_as, url: str, body: str, says: str
) -> None:
    login_as(make_user())
    response = client.post(url, data={"body": body}, headers=JSON)
    assert response.status_code == 422
    error = _error(response)
    assert error["code"] == "invalid"
    assert says in error["fields"]["body"]


def test_the_longest_opening_post_still_gets_a_preview(client, login_as) -> None:
    login_as(make_user())
    body = "word " * (THREAD_BODY_MAX // 5)
    assert len(body) == THREAD_BODY_MAX
    assert client.post("/preview", data={"body": body}, headers=JSON).status_code == 200


@pytest.mark.parametrize("thread_id", ["abc", "0", "-3", str(2**64)])
def test_assess_refuses_a_thread_id_that_is_not_one(client, login_as, thread_id: str) -> None:
    login_as(make_user())
    response = client.post(
        "/moderation/assess", data={"body": ARGUMENT, "thread_id": thread_id}, headers=JSON
    )
    assert response.status_code == 422
    assert "thread_id" in _error(response)["fields"]


def test_assess_in_a_thread_that_does_not_exist_is_a_404(client, login_as) -> None:
    login_as(make_user())
    response = client.post(
        "/moderation/assess", data={"body": ARGUMENT, "thread_id": "999999"}, headers=JSON
    )
    assert response.status_code == 404
    assert _error(response)["code"] == "not_found"


# --- who may not ----------------------------------------------------------------------------


@pytest.mark.parametrize("url", ENDPOINTS)
def test_signed_out_scripts_get_a_401_and_browsers_the_sign_in_page(client, url: str) -> None:
    response = client.post(url, data={"body": ARGUMENT}, headers=JSON)
    assert response.status_code == 401
    error = _error(response)
    assert error["code"] == "unauthorized" and "sign in" in error["message"]

    response = client.post(url, data={"body": ARGUMENT})
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")


@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_suspended_member_gets_a_403(client, login_as, db, url: str) -> None:
    user = make_user()
    user.suspended_until = utcnow() + timedelta(days=2)
    db.session.commit()
    login_as(user)
    response = client.post(url, data={"body": ARGUMENT}, headers=JSON)
    assert response.status_code == 403
    assert _error(response)["code"] == "forbidden"


@pytest.mark.parametrize("config_overrides", [{"WTF_CSRF_ENABLED": True}])
@pytest.mark.parametrize("url", ENDPOINTS)
def test_csrf_is_required(client, login_as, url: str) -> None:
    thread = make_thread()
    login_as(make_user())
    page = client.get(f"/threads/{thread.id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]

    refused = client.post(url, data={"body": ARGUMENT}, headers=JSON)
    assert refused.status_code == 400
    assert "Reload the page" in _error(refused)["message"]
    forged = client.post(url, data={"body": ARGUMENT, "csrf_token": "forged"}, headers=JSON)
    assert forged.status_code == 400

    assert client.post(url, data={"body": ARGUMENT, "csrf_token": token}, headers=JSON).is_json
    with_header = client.post(url, data={"body": ARGUMENT}, headers={**JSON, "X-CSRFToken": token})
    assert with_header.status_code == 200


LIMITED = {"RATELIMIT_ENABLED": True, "RATELIMIT_PREVIEW": "2/minute", "RATELIMIT_ASSESS": "2/hour"}


@pytest.mark.parametrize("config_overrides", [LIMITED])
@pytest.mark.parametrize("url", ENDPOINTS)
def test_each_is_rate_limited_on_its_own(client, login_as, url: str) -> None:
    login_as(make_user())
    for _ in range(2):
        assert client.post(url, data={"body": ARGUMENT}, headers=JSON).status_code == 200
    limited = client.post(url, data={"body": ARGUMENT}, headers=JSON)
    assert limited.status_code == 429
    assert _error(limited)["code"] == "too_many_requests"
    other = next(u for u in ENDPOINTS if u != url)
    assert client.post(other, data={"body": ARGUMENT}, headers=JSON).status_code == 200


# --- the reply's context ---------------------------------------------------------------------


def test_assess_reads_a_reply_against_the_comment_it_answers(client, login_as) -> None:
    """A name the thread doesn't know yet is a person once the reply answers its author, and
    the words a reply copies from its parent are not the reply's. Alone, the insinuation may
    be nudged by the models, but only the rule that knows who is addressed holds it."""
    thread = make_thread()
    brindle = make_user("brindle")
    parent = make_comment(
        thread, author=brindle, body="The audit counted calls, not confirmed cases."
    )
    login_as(make_user())
    text = "brindle sounds a lot like Fenwick, same phrasing."
    alone = client.post("/moderation/assess", data={"body": text}, headers=JSON).get_json()
    assert alone["holds"] is False and alone["action"] in ("allow", "nudge")
    in_reply = client.post(
        "/moderation/assess",
        data={"body": text, "thread_id": thread.id, "parent_id": parent.id},
        headers=JSON,
    ).get_json()
    assert in_reply["holds"] is True, in_reply
    assert any("Fenwick" in m["text"] for m in in_reply["matches"])


@pytest.mark.parametrize("parent_id", ["abc", "0", str(2**64)])
def test_assess_refuses_a_parent_that_is_not_an_id(client, login_as, parent_id: str) -> None:
    thread = make_thread()
    login_as(make_user())
    response = client.post(
        "/moderation/assess",
        data={"body": ARGUMENT, "thread_id": thread.id, "parent_id": parent_id},
        headers=JSON,
    )
    assert response.status_code == 422
    assert "parent_id" in _error(response)["fields"]


def test_assess_refuses_a_parent_from_another_thread(client, login_as) -> None:
    elsewhere = make_comment(make_thread())
    thread = make_thread()
    login_as(make_user())
    response = client.post(
        "/moderation/assess",
        data={"body": ARGUMENT, "thread_id": thread.id, "parent_id": elsewhere.id},
        headers=JSON,
    )
    assert response.status_code == 422
    assert "live comment in this thread" in _error(response)["fields"]["parent_id"]
