"""/api/v1/threads: listing, reading, posting threads and comments, and who may do each."""

from __future__ import annotations

import json
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

import forum.api
from forum.auth.service import create_token
from forum.extensions import db
from forum.models import Comment, CommentStatus, Thread, User
from forum.tags.rules import MAX_TAGS_PER_THREAD
from forum.tags.service import get_tag, merge_tags
from forum.threads.rules import COMMENT_MAX, TITLE_MAX
from forum.threads.service import delete_comment
from tests.api.conftest import bearer, revoke_all, suspend
from tests.factories import make_comment, make_moderator, make_thread, make_user

Auth = Callable[[User], dict[str, str]]

XSS = (
    "<script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3)) "
    "<a href='#' onclick='alert(4)'>x</a> [ok](https://example.org) ![i](https://t.example/p.gif)"
)
SQL = "Robert'); DROP TABLE threads;-- \" OR 1=1 %_ \\"


def assert_error(response: Any, status: int, field: str | None = None) -> dict[str, Any]:
    """Every API error is JSON of one shape; ``field`` must be named when given."""
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.is_json
    error = response.get_json()["error"]
    assert set(error) == {"code", "message", "fields"}
    assert error["message"]
    if field is not None:
        assert field in error["fields"], error
    return error


class _Markup(HTMLParser):
    """The elements and attributes a browser would build from an HTML fragment."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def assert_sanitised(html: str) -> None:
    """No live script: escaped text is fine, elements and handlers are not."""
    parser = _Markup()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag not in {"script", "img", "iframe", "style"}, html
        assert not any(name.startswith("on") for name in attrs), html
        assert not (attrs.get("href") or "").strip().lower().startswith("javascript"), html
    assert "alert(1)" in html  # the text survives, as text


def post_json(client: FlaskClient, url: str, body: Any, headers: dict[str, str]) -> Any:
    return client.post(url, json=body, headers=headers)


# --- GET /threads -----------------------------------------------------------------------------


def test_list_is_public_and_shaped(client: FlaskClient) -> None:
    author = make_user("Willow")
    thread = make_thread(author, title="Housing first: what works?", tags=["housing", "funding"])

    response = client.get("/api/v1/threads")

    assert response.status_code == 200
    data = response.get_json()
    assert data["page"] == 1 and data["total"] == 1 and data["next_page"] is None
    assert data["per_page"] == 25
    (item,) = data["threads"]
    assert item == {
        "id": thread.id,
        "title": "Housing first: what works?",
        "slug": "housing-first-what-works",
        "url": f"http://localhost/threads/{thread.id}/housing-first-what-works",
        "author": "Willow",
        "created_at": item["created_at"],
        "last_activity_at": item["last_activity_at"],
        "comment_count": 0,
        "tags": ["funding", "housing"],
        "status": "published",
        "locked": False,
        "lock_reason": "",
    }
    assert item["created_at"].endswith("Z") and "T" in item["created_at"]
    assert "body_html" not in item


def test_list_orders_by_latest_activity_and_counts_comments(client: FlaskClient) -> None:
    older = make_thread(title="Older thread")
    newer = make_thread(title="Newer thread")
    make_comment(older)

    threads = client.get("/api/v1/threads").get_json()["threads"]

    assert [t["id"] for t in threads] == [older.id, newer.id]
    assert threads[0]["comment_count"] == 1


def test_list_with_a_valid_token(client: FlaskClient, member_auth: dict[str, str]) -> None:
    make_thread()
    assert client.get("/api/v1/threads", headers=member_auth).status_code == 200


def test_list_filters_by_tag(client: FlaskClient) -> None:
    housing = make_thread(tags=["housing"])
    make_thread(tags=["funding"])

    response = client.get("/api/v1/threads?tag=Housing")

    assert [t["id"] for t in response.get_json()["threads"]] == [housing.id]


def test_list_follows_a_merged_tag(client: FlaskClient) -> None:
    thread = make_thread(tags=["rent"])
    make_thread(tags=["housing"])
    merge_tags(get_tag("rent"), get_tag("housing"))  # type: ignore[arg-type]

    ids = [t["id"] for t in client.get("/api/v1/threads?tag=rent").get_json()["threads"]]

    assert thread.id in ids and len(ids) == 2


def test_list_unknown_tag_is_404(client: FlaskClient) -> None:
    make_thread(tags=["housing"])
    assert_error(client.get("/api/v1/threads?tag=nope"), 404, "tag")


@pytest.mark.parametrize("config_overrides", [{"THREADS_PER_PAGE": 2}])
def test_list_pages(client: FlaskClient) -> None:
    for _ in range(3):
        make_thread()

    first = client.get("/api/v1/threads").get_json()
    second = client.get("/api/v1/threads?page=2").get_json()
    beyond = client.get("/api/v1/threads?page=9").get_json()

    assert (len(first["threads"]), first["total"], first["next_page"]) == (2, 3, 2)
    assert (len(second["threads"]), second["next_page"]) == (1, None)
    assert beyond["threads"] == [] and beyond["next_page"] is None
    assert {t["id"] for t in first["threads"]}.isdisjoint(t["id"] for t in second["threads"])


@pytest.mark.parametrize("page", ["0", "-1", "x", "1.5", "+1", " 1", "١", "99999999999999999999"])
def test_list_bad_page_is_400_naming_page(client: FlaskClient, page: str) -> None:
    assert_error(client.get("/api/v1/threads", query_string={"page": page}), 400, "page")


def test_list_query_count_does_not_grow_with_threads(
    client: FlaskClient, count_queries: Callable[[], Any]
) -> None:
    make_thread(tags=["a", "b"])
    with count_queries() as few:
        client.get("/api/v1/threads")
    for _ in range(5):
        make_thread(tags=["c", "d"])
    with count_queries() as many:
        client.get("/api/v1/threads")
    assert many.count == few.count


# --- reads with bad credentials -------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    ["Bearer fat_not-a-real-token", "Bearer ", "Bearer", "Basic dXNlcjpwYXNz", "fat_raw", ""],
)
@pytest.mark.parametrize("url", ["/api/v1/threads", "/api/v1/tags", "/api/v1/openapi.json"])
def test_read_with_bad_token_is_401(client: FlaskClient, header: str, url: str) -> None:
    response = client.get(url, headers={"Authorization": header})
    error = assert_error(response, 401)
    assert error["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_read_with_revoked_token_is_401(client: FlaskClient) -> None:
    user = make_user()
    token = create_token(user)
    thread = make_thread()
    revoke_all(user)
    assert_error(client.get(f"/api/v1/threads/{thread.id}", headers=bearer(token)), 401)


def test_suspended_user_can_still_read(client: FlaskClient, auth_for: Auth) -> None:
    user = suspend(make_user())
    thread = make_thread()
    assert client.get(f"/api/v1/threads/{thread.id}", headers=auth_for(user)).status_code == 200


# --- POST /threads ----------------------------------------------------------------------------


def test_create_thread(client: FlaskClient, member: User, member_auth: dict[str, str]) -> None:
    response = post_json(
        client,
        "/api/v1/threads",
        {"title": "  Tenant unions  ", "body": "How do we **start** one?", "tags": ["Housing"]},
        member_auth,
    )

    assert response.status_code == 201
    data = response.get_json()
    thread = db.session.get(Thread, data["id"])
    assert thread is not None and thread.author_id == member.id
    assert response.headers["Location"] == f"http://localhost/api/v1/threads/{thread.id}"
    assert data["title"] == "Tenant unions"
    assert data["author"] == member.username
    assert data["tags"] == ["housing"]
    assert data["body_html"] == "<p>How do we <strong>start</strong> one?</p>\n"
    assert data["url"].endswith(f"/threads/{thread.id}/tenant-unions")
    # The Location answers with the same thread.
    assert client.get(response.headers["Location"]).get_json()["id"] == thread.id


def test_create_thread_tags_as_comma_string(
    client: FlaskClient, member_auth: dict[str, str]
) -> None:
    response = post_json(
        client,
        "/api/v1/threads",
        {"title": "Two tags", "body": "Body", "tags": "labor trafficking, Funding"},
        member_auth,
    )
    assert response.status_code == 201
    assert response.get_json()["tags"] == ["funding", "labor-trafficking"]


def test_create_thread_sanitises_html(client: FlaskClient, member_auth: dict[str, str]) -> None:
    response = post_json(
        client, "/api/v1/threads", {"title": "XSS", "body": XSS, "tags": "x"}, member_auth
    )
    assert response.status_code == 201
    assert_sanitised(response.get_json()["body_html"])
    thread_id = response.get_json()["id"]
    assert_sanitised(client.get(f"/api/v1/threads/{thread_id}").get_json()["body_html"])


def test_create_thread_stores_sql_metacharacters_literally(
    client: FlaskClient, member_auth: dict[str, str]
) -> None:
    response = post_json(
        client, "/api/v1/threads", {"title": SQL, "body": SQL, "tags": "sql"}, member_auth
    )
    assert response.status_code == 201
    thread = db.session.get(Thread, response.get_json()["id"])
    assert thread is not None
    assert thread.title == SQL and thread.body_src == SQL
    assert client.get(f"/api/v1/threads/{thread.id}").get_json()["title"] == SQL
    assert db.session.query(Thread).count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "x" * (TITLE_MAX + 1), "body": "b", "tags": "t"}, "title"),
        ({"title": "   ", "body": "b", "tags": "t"}, "title"),
        ({"body": "b", "tags": "t"}, "title"),
        ({"title": "t", "body": "  ", "tags": "t"}, "body"),
        ({"title": "t", "body": "b", "tags": []}, "tags"),
        ({"title": "t", "body": "b"}, "tags"),
        ({"title": "t", "body": "b", "tags": ["!!!"]}, "tags"),
        ({"title": "t", "body": "b", "tags": ["x" * 41]}, "tags"),
        (
            {"title": "t", "body": "b", "tags": [f"t{i}" for i in range(MAX_TAGS_PER_THREAD + 1)]},
            "tags",
        ),
    ],
)
def test_create_thread_rule_violations_are_422(
    client: FlaskClient, member_auth: dict[str, str], body: dict[str, Any], field: str
) -> None:
    error = assert_error(post_json(client, "/api/v1/threads", body, member_auth), 422, field)
    assert error["code"] == "invalid"
    assert db.session.query(Thread).count() == 0


def test_create_thread_reports_every_field_at_once(
    client: FlaskClient, member_auth: dict[str, str]
) -> None:
    response = post_json(client, "/api/v1/threads", {"title": "", "body": ""}, member_auth)
    assert set(assert_error(response, 422)["fields"]) == {"title", "body", "tags"}


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ('{"title": "t", "body": ', None),
        ("{'title': 't'}", None),
        ("not json at all", None),
        ("", None),
        ("[1, 2]", None),
        ('"a string"', None),
        ("null", None),
        ("[" * 100_000 + "]" * 100_000, None),
        (b"\xff\xfe\xfa", None),
        ('{"title": 5, "body": "b", "tags": "t"}', "title"),
        ('{"title": "t", "body": null, "tags": "t"}', "body"),
        ('{"title": "t", "body": ["b"], "tags": "t"}', "body"),
        ('{"title": "t", "body": "b", "tags": [1, 2]}', "tags"),
        ('{"title": "t", "body": "b", "tags": {"a": 1}}', "tags"),
        ('{"title": "t", "body": "b", "tags": "t", "author": "admin"}', "author"),
    ],
)
def test_create_thread_malformed_input_is_400(
    client: FlaskClient, member_auth: dict[str, str], raw: str | bytes, field: str | None
) -> None:
    response = client.post(
        "/api/v1/threads",
        data=raw,
        headers={**member_auth, "Content-Type": "application/json"},
    )
    error = assert_error(response, 400, field)
    assert error["code"] == "bad_request"
    assert db.session.query(Thread).count() == 0


def test_malformed_json_message_says_what_to_fix(
    client: FlaskClient, member_auth: dict[str, str]
) -> None:
    response = client.post("/api/v1/threads", data="[]", headers=member_auth)
    assert "JSON object" in assert_error(response, 400)["message"]
    response = client.post("/api/v1/threads", json={"title": 1}, headers=member_auth)
    assert "string" in assert_error(response, 400, "title")["fields"]["title"]


def test_create_thread_too_large_is_413_json(
    app: Flask, client: FlaskClient, member_auth: dict[str, str]
) -> None:
    body = {"title": "t", "body": "x" * (app.config["MAX_CONTENT_LENGTH"] + 1), "tags": "t"}
    assert_error(post_json(client, "/api/v1/threads", body, member_auth), 413)


VALID_THREAD = {"title": "A title", "body": "A body", "tags": "housing"}


def test_create_thread_needs_a_token(client: FlaskClient) -> None:
    response = post_json(client, "/api/v1/threads", VALID_THREAD, {})
    assert assert_error(response, 401)["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert db.session.query(Thread).count() == 0


def test_create_thread_bad_token_is_401(client: FlaskClient) -> None:
    response = post_json(client, "/api/v1/threads", VALID_THREAD, bearer("fat_forged"))
    assert_error(response, 401)


def test_create_thread_revoked_token_is_401(client: FlaskClient) -> None:
    user = make_user()
    token = create_token(user)
    revoke_all(user)
    assert_error(post_json(client, "/api/v1/threads", VALID_THREAD, bearer(token)), 401)


def test_create_thread_suspended_is_403(client: FlaskClient, auth_for: Auth) -> None:
    headers = auth_for(suspend(make_user()))
    error = assert_error(post_json(client, "/api/v1/threads", VALID_THREAD, headers), 403)
    assert error["code"] == "forbidden"
    # Checked before the body: a suspended user gets 403 whatever they send.
    assert_error(client.post("/api/v1/threads", data="{", headers=headers), 403)
    assert db.session.query(Thread).count() == 0


def test_session_cookie_never_authenticates_the_api(
    client: FlaskClient, login_as: Callable[[User], FlaskClient]
) -> None:
    """The API is CSRF-exempt, so a signed-in browser's cookie must count for nothing."""
    user = make_user()
    thread = make_thread()
    login_as(user)

    assert_error(post_json(client, "/api/v1/threads", VALID_THREAD, {}), 401)
    assert_error(post_json(client, f"/api/v1/threads/{thread.id}/comments", {"body": "x"}, {}), 401)
    assert db.session.query(Comment).count() == 0


def test_session_cookie_does_not_reveal_held_comments(
    client: FlaskClient, login_as: Callable[[User], FlaskClient]
) -> None:
    moderator = make_moderator()
    thread = make_thread()
    hold(make_comment(thread), CommentStatus.PENDING)
    login_as(moderator)
    assert client.get(f"/api/v1/threads/{thread.id}").get_json()["comments"] == []


# --- GET /threads/{id} ------------------------------------------------------------------------


def hold(comment: Comment, status: str) -> Comment:
    """Put a comment in a moderation state, as the moderation service will."""
    comment.status = status
    db.session.commit()
    return comment


def comment_ids(client: FlaskClient, thread: Thread, headers: dict[str, str] | None = None) -> list:
    response = client.get(f"/api/v1/threads/{thread.id}", headers=headers or {})
    assert response.status_code == 200
    return [c["id"] for c in response.get_json()["comments"]]


def test_get_thread_with_comment_tree(client: FlaskClient) -> None:
    thread = make_thread(make_user("Rowan"), title="Mutual aid", body="Hello *all*")
    first = make_comment(thread, author=make_user("Ash"), body="First <b>reply</b>")
    second = make_comment(thread)
    child = make_comment(thread, parent=first)

    response = client.get(f"/api/v1/threads/{thread.id}")

    assert response.status_code == 200
    data = response.get_json()
    assert data["id"] == thread.id and data["author"] == "Rowan"
    assert data["body_html"] == "<p>Hello <em>all</em></p>\n"
    assert data["comment_count"] == 3
    assert [c["id"] for c in data["comments"]] == [first.id, child.id, second.id]
    top = data["comments"][0]
    assert top == {
        "id": first.id,
        "thread_id": thread.id,
        "number": 1,
        "parent_id": None,
        "author": "Ash",
        "created_at": top["created_at"],
        "edited_at": None,
        "body_html": "<p>First &lt;b&gt;reply&lt;/b&gt;</p>\n",
        "status": "published",
    }
    assert top["created_at"].endswith("Z")
    assert data["comments"][1]["parent_id"] == first.id
    assert data["comments"][1]["number"] == 3


def test_get_thread_unknown_is_404(client: FlaskClient) -> None:
    assert_error(client.get("/api/v1/threads/999"), 404)
    assert_error(client.get(f"/api/v1/threads/{2**63}"), 404)
    assert_error(client.get("/api/v1/threads/abc"), 404)


def test_deleted_comment_keeps_its_place_without_text_or_author(client: FlaskClient) -> None:
    thread = make_thread()
    author = make_user()
    comment = make_comment(thread, author=author, body="regrettable")
    reply_to_it = make_comment(thread, parent=comment)
    delete_comment(comment, actor=author)

    comments = client.get(f"/api/v1/threads/{thread.id}").get_json()["comments"]

    assert [c["id"] for c in comments] == [comment.id, reply_to_it.id]
    assert comments[0]["status"] == "deleted"
    assert comments[0]["body_html"] == "" and comments[0]["author"] is None
    assert "regrettable" not in json.dumps(comments)


@pytest.mark.parametrize("status", [CommentStatus.PENDING, CommentStatus.REMOVED])
def test_held_comments_are_hidden_from_anonymous_and_other_members(
    client: FlaskClient, auth_for: Auth, status: str
) -> None:
    thread = make_thread()
    shown = make_comment(thread)
    held_author = make_user()
    held = hold(make_comment(thread, author=held_author, body="held text"), status)

    assert comment_ids(client, thread) == [shown.id]
    assert comment_ids(client, thread, auth_for(make_user())) == [shown.id]
    # Their author and moderators see them, with their status.
    assert comment_ids(client, thread, auth_for(held_author)) == [shown.id, held.id]
    data = client.get(f"/api/v1/threads/{thread.id}", headers=auth_for(make_moderator()))
    assert [c["status"] for c in data.get_json()["comments"]] == ["published", str(status)]
    assert "held text" not in client.get(f"/api/v1/threads/{thread.id}").get_data(as_text=True)


# --- POST /threads/{id}/comments --------------------------------------------------------------


def test_create_comment(client: FlaskClient, member: User, member_auth: dict[str, str]) -> None:
    thread = make_thread()

    response = post_json(
        client, f"/api/v1/threads/{thread.id}/comments", {"body": "Count me *in*"}, member_auth
    )

    assert response.status_code == 201
    data = response.get_json()
    assert response.headers["Location"] == f"http://localhost/comments/{data['id']}"
    assert data["number"] == 1 and data["parent_id"] is None
    assert data["author"] == member.username and data["status"] == "published"
    assert data["body_html"] == "<p>Count me <em>in</em></p>\n"
    detail = client.get(f"/api/v1/threads/{thread.id}").get_json()
    assert detail["comment_count"] == 1 and detail["comments"][0]["id"] == data["id"]
    # The permalink leads to the comment on the thread page.
    assert client.get(response.headers["Location"]).status_code == 302


def test_create_reply_under_a_comment(client: FlaskClient, member_auth: dict[str, str]) -> None:
    thread = make_thread()
    parent = make_comment(thread)
    response = post_json(
        client,
        f"/api/v1/threads/{thread.id}/comments",
        {"body": "Agreed", "parent_id": parent.id},
        member_auth,
    )
    assert response.status_code == 201
    assert response.get_json()["parent_id"] == parent.id


def test_create_comment_explicit_null_parent(
    client: FlaskClient, member_auth: dict[str, str]
) -> None:
    thread = make_thread()
    response = post_json(
        client,
        f"/api/v1/threads/{thread.id}/comments",
        {"body": "Top level", "parent_id": None},
        member_auth,
    )
    assert response.status_code == 201


def test_create_comment_sanitises_and_stores_literally(
    client: FlaskClient, member_auth: dict[str, str]
) -> None:
    thread = make_thread()
    url = f"/api/v1/threads/{thread.id}/comments"
    xss = post_json(client, url, {"body": XSS}, member_auth)
    sql = post_json(client, url, {"body": SQL}, member_auth)
    assert xss.status_code == sql.status_code == 201
    assert_sanitised(xss.get_json()["body_html"])
    comment = db.session.get(Comment, sql.get_json()["id"])
    assert comment is not None and comment.body_src == SQL


def test_parent_from_another_thread_is_422(
    client: FlaskClient, member_auth: dict[str, str]
) -> None:
    thread = make_thread()
    elsewhere = make_comment(make_thread())
    response = post_json(
        client,
        f"/api/v1/threads/{thread.id}/comments",
        {"body": "x", "parent_id": elsewhere.id},
        member_auth,
    )
    assert_error(response, 422, "parent_id")
    assert db.session.query(Comment).filter_by(thread_id=thread.id).count() == 0


@pytest.mark.parametrize("parent_id", [999_999, 0, -1, 2**64])
def test_unknown_parent_is_422(
    client: FlaskClient, member_auth: dict[str, str], parent_id: int
) -> None:
    thread = make_thread()
    body = {"body": "x", "parent_id": parent_id}
    response = post_json(client, f"/api/v1/threads/{thread.id}/comments", body, member_auth)
    assert_error(response, 422, "parent_id")


@pytest.mark.parametrize("status", [CommentStatus.PENDING, CommentStatus.DELETED])
def test_parent_that_is_not_live_is_422(
    client: FlaskClient, member_auth: dict[str, str], status: str
) -> None:
    thread = make_thread()
    parent = hold(make_comment(thread), status)
    body = {"body": "x", "parent_id": parent.id}
    response = post_json(client, f"/api/v1/threads/{thread.id}/comments", body, member_auth)
    assert_error(response, 422, "parent_id")


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"body": "   "}, 422, "body"),
        ({}, 422, "body"),
        ({"body": "x" * (COMMENT_MAX + 1)}, 422, "body"),
        ({"body": 12}, 400, "body"),
        ({"body": "x", "parent_id": "1"}, 400, "parent_id"),
        ({"body": "x", "parent_id": True}, 400, "parent_id"),
        ({"body": "x", "parent_id": 1.5}, 400, "parent_id"),
        ({"body": "x", "thread_id": 2}, 400, "thread_id"),
        (["x"], 400, None),
    ],
)
def test_create_comment_bad_input(
    client: FlaskClient,
    member_auth: dict[str, str],
    body: Any,
    status: int,
    field: str | None,
) -> None:
    thread = make_thread()
    response = post_json(client, f"/api/v1/threads/{thread.id}/comments", body, member_auth)
    assert_error(response, status, field)
    assert db.session.query(Comment).count() == 0


def test_create_comment_malformed_json_is_400(
    client: FlaskClient, member_auth: dict[str, str]
) -> None:
    thread = make_thread()
    response = client.post(
        f"/api/v1/threads/{thread.id}/comments",
        data='{"body": "unfinished',
        headers={**member_auth, "Content-Type": "application/json"},
    )
    assert_error(response, 400)


def test_create_comment_unknown_thread_is_404(
    client: FlaskClient, member_auth: dict[str, str]
) -> None:
    assert_error(post_json(client, "/api/v1/threads/999/comments", {"body": "x"}, member_auth), 404)


@pytest.mark.parametrize(
    ("make_headers", "status"),
    [
        (lambda: {}, 401),
        (lambda: bearer("fat_forged"), 401),
        (lambda: {"Authorization": "Token abc"}, 401),
        (lambda: _revoked_headers(), 401),
        (lambda: bearer(create_token(suspend(make_user()))), 403),
    ],
    ids=["no-token", "bad-token", "wrong-scheme", "revoked", "suspended"],
)
def test_create_comment_who_may_not(
    client: FlaskClient, make_headers: Callable[[], dict[str, str]], status: int
) -> None:
    thread = make_thread()
    url = f"/api/v1/threads/{thread.id}/comments"
    assert_error(post_json(client, url, {"body": "x"}, make_headers()), status)
    assert db.session.query(Comment).count() == 0


def _revoked_headers() -> dict[str, str]:
    user = make_user()
    token = create_token(user)
    revoke_all(user)
    return bearer(token)


def test_api_never_reads_the_session_user() -> None:
    """A static guard next to the behavioural tests above: no Flask-Login in the API."""
    api = Path(forum.api.__file__).parent
    for module in api.glob("*.py"):
        assert "flask_login" not in module.read_text(), module


def test_responses_vary_on_authorization(client: FlaskClient) -> None:
    assert "Authorization" in client.get("/api/v1/tags").headers["Vary"]


def test_wrong_method_is_405_json(client: FlaskClient) -> None:
    response = client.delete("/api/v1/threads")
    assert_error(response, 405)
    assert "GET" in response.headers["Allow"]


def test_unknown_api_path_is_404_json(client: FlaskClient) -> None:
    assert_error(client.get("/api/v1/nothing-here"), 404)


def test_a_held_comment_answers_202_with_the_matches_and_stays_hidden(app, client) -> None:
    from forum.auth.service import create_token
    from tests.factories import make_thread, make_user

    thread = make_thread()
    author = make_user()
    token = create_token(author)
    body = "Honestly, are some of you pimps yourselves? What is your real agenda here?"
    response = client.post(
        f"/api/v1/threads/{thread.id}/comments",
        json={"body": body},
        headers={"Authorization": f"Bearer {token}"},
    )
    data = response.get_json()
    assert response.status_code == 202
    assert data["status"] == "pending_review"
    first = data["matches"][0]
    assert first["rule_id"] == "accuse.role"
    assert "pimp" in body[first["start"] : first["end"]]
    shown = client.get(f"/api/v1/threads/{thread.id}").get_json()["comments"]
    assert shown == []
