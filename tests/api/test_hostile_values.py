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
    for ids in ([BIG], [2**63], [0], [-1], [1, BIG]):
        raw = json.dumps({"ids": ids})
        error = assert_error(_post(client, "/api/v1/notifications/read", raw, token), 400, "ids")
        assert "integers from 1 to 9223372036854775807" in error["fields"]["ids"]
    ok = _post(client, "/api/v1/notifications/read", json.dumps({"ids": [2**63 - 1]}), token)
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
    big = str(2**70)
    urls = [
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
        f"/questions?page={big}",
        f"/api/v1/threads?page={big}",
        f"/api/v1/threads/{thread.id}/comments?after={big}",
        f"/api/v1/comments/{big}",
        f"/api/v1/search?q=funding&page={big}",
    ]
    login_as(moderator)
    for url in urls:
        headers = {"Authorization": f"Bearer {token}"} if url.startswith("/api") else {}
        assert client.get(url, headers=headers).status_code < 500, url
