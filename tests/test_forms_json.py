"""The thread page's follow and flag forms answer JSON when the page script asks
(``Accept: application/json``), so the button updates without a reload; without the header
they post and redirect as before."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from forum.models import Flag, ThreadSubscription
from forum.subscriptions import service as subscriptions
from tests.factories import make_comment, make_thread, make_user

JSON = {"Accept": "application/json"}


def _error(response) -> dict:
    assert response.is_json, response.get_data(as_text=True)[:200]
    return response.get_json()["error"]


def _flags(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Flag))


# --- follow -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "state", "buttons", "says"),
    [
        ("follow", "following", ["Unfollow", "Mute"], "You follow this thread"),
        ("mute", "muted", ["Follow", "Unmute"], "Thread muted"),
        ("unfollow", None, ["Follow thread", "Mute"], "You no longer follow"),
    ],
)
def test_following_answers_the_new_state_and_its_buttons(
    client, login_as, db, action: str, state: str | None, buttons: list[str], says: str
) -> None:
    thread = make_thread()
    user = make_user()
    login_as(user)
    response = client.post(f"/threads/{thread.id}/follow", data={"action": action}, headers=JSON)
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["state"] == state
    assert says in answer["message"]
    assert subscriptions.thread_state(user, thread) == state
    html = answer["html"]
    assert html.lstrip().startswith('<form class="inline follow-thread"')
    assert re.findall(r"<button [^>]*>([^<]+)</button>", html) == buttons
    assert 'name="csrf_token"' in html
    # Nothing was flashed for the next page: the script showed the message itself.
    assert says not in client.get(f"/threads/{thread.id}").get_data(as_text=True)


def test_following_without_the_header_still_redirects_with_a_message(client, login_as) -> None:
    thread = make_thread()
    login_as(make_user())
    response = client.post(f"/threads/{thread.id}/follow", data={"action": "follow"})
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "You follow this thread" in page


def test_following_refuses_an_unknown_action_and_thread_in_json(client, login_as, db) -> None:
    thread = make_thread()
    login_as(make_user())
    response = client.post(f"/threads/{thread.id}/follow", data={"action": "stalk"}, headers=JSON)
    assert response.status_code == 400
    assert _error(response)["code"] == "bad_request"
    missing = client.post("/threads/999999/follow", data={"action": "follow"}, headers=JSON)
    assert missing.status_code == 404 and _error(missing)["code"] == "not_found"


def test_following_signed_out_is_a_401_for_scripts(client, db) -> None:
    thread = make_thread()
    before = db.session.scalar(select(func.count()).select_from(ThreadSubscription))
    response = client.post(f"/threads/{thread.id}/follow", data={"action": "follow"}, headers=JSON)
    assert response.status_code == 401 and _error(response)["code"] == "unauthorized"
    assert db.session.scalar(select(func.count()).select_from(ThreadSubscription)) == before


# --- flag -------------------------------------------------------------------------------------


def test_flagging_answers_thanks_in_json(client, login_as, db) -> None:
    comment = make_comment()
    login_as(make_user())
    response = client.post(
        f"/comments/{comment.id}/flag",
        data={"reason": "ad_hominem", "excerpt": "number"},
        headers=JSON,
    )
    assert response.status_code == 200
    assert response.get_json() == {"message": "Thanks, moderators will look at it."}
    assert _flags(db) == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [({}, "reason"), ({"reason": "gossip"}, "reason"), ({"reason": "other"}, "note")],
)
def test_a_bad_flag_is_a_422_naming_the_field(client, login_as, db, data, field: str) -> None:
    comment = make_comment()
    login_as(make_user())
    response = client.post(f"/comments/{comment.id}/flag", data=data, headers=JSON)
    assert response.status_code == 422
    error = _error(response)
    assert field in error["fields"] and error["message"]
    assert _flags(db) == 0


def test_flagging_twice_or_ones_own_comment_is_refused_in_json(client, login_as, db) -> None:
    comment = make_comment()
    reader = make_user()
    login_as(reader)
    client.post(f"/comments/{comment.id}/flag", data={"reason": "spam"}, headers=JSON)
    again = client.post(f"/comments/{comment.id}/flag", data={"reason": "spam"}, headers=JSON)
    assert again.status_code == 409 and _error(again)["code"] == "conflict"
    login_as(comment.author)
    own = client.post(f"/comments/{comment.id}/flag", data={"reason": "spam"}, headers=JSON)
    assert own.status_code == 403 and _error(own)["code"] == "forbidden"
    assert _flags(db) == 1


def test_flagging_signed_out_is_a_401_for_scripts(client, db) -> None:
    comment = make_comment()
    response = client.post(f"/comments/{comment.id}/flag", data={"reason": "spam"}, headers=JSON)
    assert response.status_code == 401
    assert _flags(db) == 0


# --- CSRF -------------------------------------------------------------------------------------


@pytest.mark.parametrize("config_overrides", [{"WTF_CSRF_ENABLED": True}])
def test_the_json_answers_still_need_the_csrf_token(client, login_as, db) -> None:
    comment = make_comment()
    login_as(make_user())
    page = client.get(f"/threads/{comment.thread_id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)[1]
    follow = f"/threads/{comment.thread_id}/follow"
    flag = f"/comments/{comment.id}/flag"

    for url, data in ((follow, {"action": "mute"}), (flag, {"reason": "spam"})):
        refused = client.post(url, data=data, headers=JSON)
        assert refused.status_code == 400, url
        assert "Reload the page" in _error(refused)["message"]
    assert _flags(db) == 0

    assert client.post(follow, data={"action": "mute", "csrf_token": token}, headers=JSON).is_json
    flagged = client.post(flag, data={"reason": "spam", "csrf_token": token}, headers=JSON)
    assert flagged.status_code == 200 and _flags(db) == 1
