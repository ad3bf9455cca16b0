"""Values no database can hold, sent where a hostile client would: a lone UTF-16 surrogate in
any JSON string, ids past 64 bits in bodies, paths and cursors. Each is a 4xx that names what
to fix, never a 500, and nothing is written (issue 14, item 10)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select

from forum.auth.service import create_token
from forum.models import Comment, Flag, Notification, Thread
from tests.api.test_threads import assert_error
from tests.factories import make_comment, make_moderator, make_thread, make_user

BIG = 2**64
# JSON's own escape for half a surrogate pair: valid JSON, but not a character.
LONE = "\\ud800"


def _post(client: Any, url: str, raw: str, token: str) -> Any:
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    return client.post(url, data=raw, headers=headers)


def _rows(db: Any) -> tuple[int, ...]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(m))
        for m in (Thread, Comment, Flag, Notification)
    )


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/threads/{thread}/comments", '{"body": "x%sy"}', "body"),
        ("/threads", '{"title": "x%sy", "body": "b", "tags": ["funding"]}', "title"),
        ("/threads", '{"title": "Beds", "body": "b %s", "tags": ["funding"]}', "body"),
        ("/threads", '{"title": "Beds", "body": "b", "tags": ["fund%s"]}', "tags"),
        ("/comments/{comment}/flags", '{"reason": "spam", "note": "%s"}', "note"),
        ("/threads/{thread}/comments", '{"body": "ok", "x%s": 1}', "x\ufffd"),
    ],
)
def test_a_lone_surrogate_anywhere_in_json_is_a_400_naming_the_field(
    client, db, path: str, body: str, field: str
) -> None:
    thread = make_thread()
    comment = make_comment(thread)
    token = create_token(make_user())
    before = _rows(db)
    url = "/api/v1" + path.format(thread=thread.id, comment=comment.id)
    error = assert_error(_post(client, url, body % LONE, token), 400, field)
    assert "lone UTF-16 surrogate" in error["fields"][field]
    assert _rows(db) == before
    # The same text with the pair complete is an ordinary character and goes through.
    whole = body % "\\ud83d\\udecf"
    if field != "x\ufffd":
        assert _post(client, url, whole, token).status_code in (201, 202), whole


def test_notification_ids_past_64_bits_are_a_400_not_an_overflow(client, db) -> None:
    user = make_user()
    token = create_token(user)
    for ids in ([BIG], [2**63], [2**31], [0], [-1], [1, BIG]):
        raw = json.dumps({"ids": ids})
        error = assert_error(_post(client, "/api/v1/notifications/read", raw, token), 400, "ids")
        assert "integers from 1 to 2147483647" in error["fields"]["ids"]
    ok = _post(client, "/api/v1/notifications/read", json.dumps({"ids": [2**31 - 1]}), token)
    assert ok.status_code == 200 and ok.get_json() == {"marked": 0}


def test_a_parent_id_past_64_bits_is_a_422_like_any_missing_comment(client, db) -> None:
    thread = make_thread()
    raw = json.dumps({"body": "A reply.", "parent_id": BIG})
    url = f"/api/v1/threads/{thread.id}/comments"
    error = assert_error(_post(client, url, raw, create_token(make_user())), 422, "parent_id")
    assert error["fields"]["parent_id"] == "not a live comment here"


def test_huge_numbers_in_paths_and_cursors_never_reach_the_database(client, login_as) -> None:
    thread = make_thread()
    make_comment(thread)
    moderator = make_moderator()
    token = create_token(moderator)
    urls = [
        f"/comments/{2**40}",
        f"/api/v1/comments/{2**40}",
        f"/threads/{thread.id}?after={2**40}",
    ]
    big = str(2**70)
    urls += [
        f"/threads/{thread.id}?after={big}",
        f"/threads/{thread.id}?after={big}&start={big}",
        f"/threads/{thread.id}?part=comments&after={big}",
        f"/?before={big}",
        f"/tags/funding?after={big}",
        f"/search?q=funding&page={big}",
        f"/comments/{big}",
        f"/threads/{big}",
        f"/mod/log?before={big}",
        f"/notifications?before={big}",
        f"/questions?before={big}-{big}",
        f"/questions?after={big}-1",
        f"/api/v1/threads?page={big}",
        f"/api/v1/threads/{thread.id}/comments?after={big}",
        f"/api/v1/comments/{big}",
        f"/api/v1/search?q=funding&page={big}",
    ]
    login_as(moderator)
    for url in urls:
        headers = {"Authorization": f"Bearer {token}"} if url.startswith("/api") else {}
        assert client.get(url, headers=headers).status_code < 500, url


# Every API endpoint that takes an id, in its body or its path.
ID_ENDPOINTS = [
    ("POST", "/notifications/read", '{{"ids": [{big}, 1]}}', 400),
    ("POST", "/threads/{thread}/comments", '{{"body": "A reply.", "parent_id": {big}}}', 422),
    ("PATCH", "/threads/{big}", '{{"body": "Edited."}}', 404),
    ("DELETE", "/threads/{big}", "", 404),
    ("POST", "/threads/{big}/comments", '{{"body": "A reply."}}', 404),
    ("POST", "/threads/{big}/flags", '{{"reason": "spam"}}', 404),
    ("PATCH", "/comments/{big}", '{{"body": "Edited."}}', 404),
    ("DELETE", "/comments/{big}", "", 404),
    ("POST", "/comments/{big}/flags", '{{"reason": "spam"}}', 404),
    ("POST", "/comments/{big}/promote", '{{"title": "A question?"}}', 404),
    ("POST", "/moderation/queue/{big}", '{{"decision": "approve"}}', 404),
    ("GET", "/threads/{big}", "", 404),
]


# Past 32 bits (ids are INTEGER on PostgreSQL), past 64 bits, and far past.
@pytest.mark.parametrize("big", [2**31, 2**40, 2**64, 2**63, 10**30])
@pytest.mark.parametrize(("method", "path", "body", "status"), ID_ENDPOINTS)
def test_every_id_the_api_takes_past_64_bits_is_a_4xx_and_writes_nothing(
    client, db, method: str, path: str, body: str, status: int, big: int
) -> None:
    thread = make_thread()
    make_comment(thread)
    token = create_token(make_moderator())
    before = _rows(db)
    url = "/api/v1" + path.format(thread=thread.id, big=big)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    response = client.open(url, method=method, data=body.format(big=big), headers=headers)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.get_json()["error"]["message"]
    assert _rows(db) == before


def test_json_nested_past_the_stack_is_a_400(client, db) -> None:
    """The surrogate check walks the body with a loop: 900 nested arrays used to overflow
    the stack (a 500); deeper still, the parser refuses it itself."""
    thread = make_thread()
    token = create_token(make_user())
    before = _rows(db)
    url = f"/api/v1/threads/{thread.id}/comments"
    for depth in (900, 5_000):
        raw = '{"body": ' + "[" * depth + "]" * depth + "}"
        error = assert_error(_post(client, url, raw, token), 400)
        assert "body" in error["message"]
    deep_surrogate = '{"body": "ok", "x": ' + "[" * 900 + f'"{LONE}"' + "]" * 900 + "}"
    assert_error(_post(client, url, deep_surrogate, token), 400, "x")
    assert _rows(db) == before
