"""/api/v1 moderation: readers flag comments, moderators read the queue and decide items."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from forum.auth.service import create_token
from forum.extensions import db
from forum.models import (
    Comment,
    CommentStatus,
    Flag,
    ModerationAction,
    QueueItem,
    QueueState,
    Thread,
    User,
)
from forum.moderation import service as moderation
from forum.moderation.policy import FLAG_NOTE_MAX, REASON_MAX
from forum.tags.service import get_tag
from forum.threads.service import delete_comment
from tests.api.conftest import bearer, revoke_all
from tests.api.test_openapi import check
from tests.api.test_threads import SQL, XSS, assert_error
from tests.factories import make_admin, make_comment, make_moderator, make_thread, make_user

Auth = Callable[[User], dict[str, str]]
QUEUE = "/api/v1/moderation/queue"


def flags_url(comment: Comment | int) -> str:
    comment_id = comment if isinstance(comment, int) else comment.id
    return f"/api/v1/comments/{comment_id}/flags"


def item_url(item: QueueItem | int) -> str:
    return f"{QUEUE}/{item if isinstance(item, int) else item.id}"


def flag_by_others(comment: Comment, count: int, reason: str = "ad_hominem") -> list[User]:
    """``count`` fresh readers flag ``comment`` through the service."""
    readers = [make_user() for _ in range(count)]
    for reader in readers:
        moderation.flag_post(comment, actor=reader, reason=reason, note="")
    return readers


def open_item_for(comment: Comment) -> QueueItem:
    item = moderation.open_item(comment)
    assert item is not None
    return item


def anonymous_comment_ids(client: FlaskClient, thread: Thread) -> list[int]:
    response = client.get(f"/api/v1/threads/{thread.id}")
    assert response.status_code == 200
    return [c["id"] for c in response.get_json()["comments"]]


def log_rows(action: str, comment: Comment) -> list[ModerationAction]:
    return list(
        db.session.scalars(
            select(ModerationAction).where(
                ModerationAction.action == action,
                ModerationAction.target_type == "comment",
                ModerationAction.target_id == comment.id,
            )
        )
    )


def scoped_moderator(*slugs: str) -> User:
    """A moderator limited to ``slugs`` (each tag made, with a thread, if it doesn't exist)."""
    for slug in slugs:
        if get_tag(slug) is None:
            make_thread(tags=[slug])
    moderator = make_moderator()
    moderation.set_moderator_scopes(moderator, slugs, actor=make_admin())
    return moderator


def _revoked_headers() -> dict[str, str]:
    user = make_user()
    token = create_token(user)
    revoke_all(user)
    return bearer(token)


# --- POST /comments/{id}/flags --------------------------------------------------------------


def test_flag_a_comment(client: FlaskClient, member: User, member_auth: dict[str, str]) -> None:
    comment = make_comment()

    response = client.post(
        flags_url(comment),
        json={"reason": "ad_hominem", "note": "Attacks Willow", "excerpt": "the evidence"},
        headers=member_auth,
    )

    assert response.status_code == 201
    data = response.get_json()
    assert set(data) == {"id", "thread_id", "comment_id", "reason", "created_at", "hidden"}
    assert data["comment_id"] == comment.id and data["reason"] == "ad_hominem"
    assert data["hidden"] is False and data["created_at"].endswith("Z")
    flag = db.session.get(Flag, data["id"])
    assert flag is not None and flag.user_id == member.id
    assert (flag.note, flag.excerpt) == ("Attacks Willow", "the evidence")
    assert open_item_for(comment).source == "flags"


def test_flag_with_reason_only(client: FlaskClient, member_auth: dict[str, str]) -> None:
    response = client.post(flags_url(make_comment()), json={"reason": "spam"}, headers=member_auth)
    assert response.status_code == 201


def test_three_flags_hide_the_comment_from_readers(client: FlaskClient, auth_for: Auth) -> None:
    thread = make_thread()
    comment = make_comment(thread)
    other = make_comment(thread)
    hidden = []

    for _ in range(3):
        response = client.post(
            flags_url(comment), json={"reason": "ad_hominem"}, headers=auth_for(make_user())
        )
        assert response.status_code == 201
        hidden.append(response.get_json()["hidden"])

    assert hidden == [False, False, True]
    assert anonymous_comment_ids(client, thread) == [other.id]
    assert db.session.get(Comment, comment.id).status == CommentStatus.PENDING  # type: ignore[union-attr]
    assert len(log_rows("auto_hide", comment)) == 1
    # Hidden now, so it can't be flagged further: it answers like a missing comment.
    late = client.post(flags_url(comment), json={"reason": "spam"}, headers=auth_for(make_user()))
    assert_error(late, 404)


def test_a_reader_is_counted_once(client: FlaskClient, member_auth: dict[str, str]) -> None:
    thread = make_thread()
    comment = make_comment(thread)
    url = flags_url(comment)

    assert client.post(url, json={"reason": "spam"}, headers=member_auth).status_code == 201
    for reason in ("spam", "harassment"):
        error = assert_error(client.post(url, json={"reason": reason}, headers=member_auth), 409)
        assert error["code"] == "conflict"

    assert db.session.query(Flag).count() == 1
    # One reader can't hide a comment by repeating themselves (spam weighs 1.5 < 3).
    assert anonymous_comment_ids(client, thread) == [comment.id]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({}, 422, "reason"),
        ({"reason": ""}, 422, "reason"),
        ({"reason": "rude"}, 422, "reason"),
        ({"reason": "SPAM"}, 422, "reason"),
        ({"reason": "other"}, 422, "note"),
        ({"reason": "other", "note": "   "}, 422, "note"),
        ({"reason": "spam", "note": "x" * (FLAG_NOTE_MAX + 1)}, 422, "note"),
        ({"reason": "spam", "excerpt": "x" * (FLAG_NOTE_MAX + 1)}, 422, "excerpt"),
        ({"reason": 1}, 400, "reason"),
        ({"reason": ["spam"]}, 400, "reason"),
        ({"reason": "spam", "note": None}, 400, "note"),
        ({"reason": "spam", "user_id": 1}, 400, "user_id"),
        (["spam"], 400, None),
    ],
)
def test_flag_bad_input(
    client: FlaskClient, member_auth: dict[str, str], body: Any, status: int, field: str | None
) -> None:
    response = client.post(flags_url(make_comment()), json=body, headers=member_auth)
    assert_error(response, status, field)
    assert db.session.query(Flag).count() == 0


def test_flag_malformed_json_is_400(client: FlaskClient, member_auth: dict[str, str]) -> None:
    response = client.post(
        flags_url(make_comment()),
        data='{"reason": ',
        headers={**member_auth, "Content-Type": "application/json"},
    )
    assert_error(response, 400)


@pytest.mark.parametrize(
    ("make_headers", "status"),
    [
        (lambda: {}, 401),
        (lambda: bearer("fat_forged"), 401),
        (lambda: {"Authorization": "Token abc"}, 401),
        (lambda: _revoked_headers(), 401),
    ],
    ids=["no-token", "bad-token", "wrong-scheme", "revoked"],
)
def test_flag_needs_a_valid_token(
    client: FlaskClient, make_headers: Callable[[], dict[str, str]], status: int
) -> None:
    response = client.post(
        flags_url(make_comment()), json={"reason": "spam"}, headers=make_headers()
    )
    assert_error(response, status)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert db.session.query(Flag).count() == 0


def test_author_may_not_flag_their_own_comment(client: FlaskClient, auth_for: Auth) -> None:
    author = make_user()
    comment = make_comment(author=author)
    response = client.post(flags_url(comment), json={"reason": "spam"}, headers=auth_for(author))
    assert assert_error(response, 403)["code"] == "forbidden"
    assert db.session.query(Flag).count() == 0


@pytest.mark.parametrize("status", [CommentStatus.PENDING, CommentStatus.REMOVED])
def test_held_or_removed_comment_is_404(
    client: FlaskClient, member_auth: dict[str, str], status: str
) -> None:
    comment = make_comment()
    comment.status = status
    db.session.commit()
    response = client.post(flags_url(comment), json={"reason": "spam"}, headers=member_auth)
    assert_error(response, 404)
    assert db.session.query(Flag).count() == 0


def test_deleted_comment_is_404(client: FlaskClient, member_auth: dict[str, str]) -> None:
    author = make_user()
    comment = delete_comment(make_comment(author=author), actor=author)
    response = client.post(flags_url(comment), json={"reason": "spam"}, headers=member_auth)
    assert_error(response, 404)


def test_held_comment_is_404_even_for_its_author(client: FlaskClient, auth_for: Auth) -> None:
    """The 404 comes before the author check, so a held comment reads as missing to all."""
    author = make_user()
    comment = make_comment(author=author)
    comment.status = CommentStatus.PENDING
    db.session.commit()
    response = client.post(flags_url(comment), json={"reason": "spam"}, headers=auth_for(author))
    assert_error(response, 404)


@pytest.mark.parametrize("comment_id", ["999999", str(2**63), "0", "-1", "abc"])
def test_unknown_comment_is_404(
    client: FlaskClient, member_auth: dict[str, str], comment_id: str
) -> None:
    response = client.post(
        f"/api/v1/comments/{comment_id}/flags", json={"reason": "spam"}, headers=member_auth
    )
    assert_error(response, 404)


def test_flag_note_with_markup_comes_back_as_plain_json_text(
    client: FlaskClient, member_auth: dict[str, str], auth_for: Auth
) -> None:
    comment = make_comment()
    body = {"reason": "other", "note": XSS, "excerpt": "<b>evidence</b>"}
    assert client.post(flags_url(comment), json=body, headers=member_auth).status_code == 201

    response = client.get(QUEUE, headers=auth_for(make_moderator()))

    assert response.mimetype == "application/json"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    (flag,) = response.get_json()["items"][0]["flags"]
    # Exactly what was sent: not rendered, not sanitised, not entity-escaped.
    assert flag["note"] == XSS
    assert flag["excerpt"] == "<b>evidence</b>"


def test_sql_metacharacters_are_stored_literally(
    client: FlaskClient, member_auth: dict[str, str], auth_for: Auth
) -> None:
    comment = make_comment()
    body = {"reason": "other", "note": SQL, "excerpt": SQL}
    response = client.post(flags_url(comment), json=body, headers=member_auth)
    assert response.status_code == 201

    flag = db.session.get(Flag, response.get_json()["id"])
    assert flag is not None and flag.note == SQL.strip() and flag.excerpt == SQL.strip()
    assert db.session.query(Thread).count() == 1
    items = client.get(QUEUE, headers=auth_for(make_moderator())).get_json()["items"]
    assert items[0]["flags"][0]["note"] == SQL.strip()


@pytest.mark.parametrize(
    "config_overrides",
    [{"RATELIMIT_ENABLED": True, "RATELIMIT_FLAG": "2 per minute", "RATELIMIT_API": "50/minute"}],
)
def test_flag_limit_is_shared_with_the_site(
    client: FlaskClient, member: User, auth_for: Auth, login_as: Callable[[User], FlaskClient]
) -> None:
    thread = make_thread()
    first, second, third = (make_comment(thread) for _ in range(3))
    login_as(member)
    site = client.post(f"/comments/{first.id}/flag", data={"reason": "spam"})
    assert site.status_code == 302

    headers = auth_for(member)
    assert (
        client.post(flags_url(second), json={"reason": "spam"}, headers=headers).status_code == 201
    )
    assert_error(client.post(flags_url(third), json={"reason": "spam"}, headers=headers), 429)
    assert db.session.query(Flag).count() == 2
    # Other endpoints still answer: only the flag budget is spent.
    assert client.get("/api/v1/tags").status_code == 200


# --- GET /moderation/queue ------------------------------------------------------------------


def test_queue_lists_a_flagged_comment(client: FlaskClient, auth_for: Auth) -> None:
    author = make_user("Jody")
    thread = make_thread(title="Outreach budgets")
    # Posted without a nudge (a jab such as "you clearly never did outreach" would now get one),
    # then flagged by a reader.
    comment = make_comment(
        thread, author=author, body="The outreach budget *never* covered night shifts."
    )
    make_comment(thread, author=author)
    flagger = make_user("Flagger")
    moderation.flag_post(
        comment, actor=flagger, reason="ad_hominem", note="Personal", excerpt="never"
    )
    moderation.warn_user(author, actor=make_moderator(), reason="Tone")

    response = client.get(QUEUE, headers=auth_for(make_moderator()))

    assert response.status_code == 200
    (item,) = response.get_json()["items"]
    assert item["id"] == open_item_for(comment).id
    assert item["source"] == "flags" and item["state"] == "open"
    assert item["priority"] > 0 and item["created_at"].endswith("Z")
    assert item["comment"]["id"] == comment.id
    assert item["comment"]["author"] == "Jody" and item["comment"]["status"] == "published"
    assert item["comment"]["body"] == "The outreach budget *never* covered night shifts."
    assert item["comment"]["body_html"] == (
        "<p>The outreach budget <em>never</em> covered night shifts.</p>\n"
    )
    assert item["thread"] == {
        "id": thread.id,
        "title": "Outreach budgets",
        "url": f"http://localhost/threads/{thread.id}/outreach-budgets",
    }
    assert item["matches"] == []
    (flag,) = item["flags"]
    assert flag == {
        "reason": "ad_hominem",
        "note": "Personal",
        "excerpt": "never",
        "created_at": flag["created_at"],
    }
    assert item["author_record"] == {"published": 2, "removed": 0, "warnings": 1, "suspensions": 0}


def test_queue_never_names_the_flagger(client: FlaskClient, auth_for: Auth) -> None:
    comment = make_comment()
    flagger = make_user("WhistleBlower")
    moderation.flag_post(comment, actor=flagger, reason="spam")
    text = client.get(QUEUE, headers=auth_for(make_moderator())).get_data(as_text=True)
    assert "WhistleBlower" not in text and "whistleblower" not in text.lower()
    assert f'"user_id": {flagger.id}' not in text


def test_queue_shows_rule_matches_of_a_held_comment(client: FlaskClient, auth_for: Auth) -> None:
    thread = make_thread()
    body = "Honestly, are some of you pimps yourselves? What is your real agenda here?"
    posted = client.post(
        f"/api/v1/threads/{thread.id}/comments", json={"body": body}, headers=auth_for(make_user())
    )
    assert posted.status_code == 202

    (item,) = client.get(QUEUE, headers=auth_for(make_moderator())).get_json()["items"]

    assert item["source"] == "rules" and item["comment"]["status"] == "pending_review"
    first = item["matches"][0]
    assert set(first) == {"rule_id", "start", "end", "explanation", "action"}
    assert first["rule_id"] == "accuse.role" and first["explanation"]
    assert "pimp" in item["comment"]["body"][first["start"] : first["end"]]


def test_queue_orders_by_priority(client: FlaskClient, auth_for: Auth) -> None:
    spam = make_comment()
    harassment = make_comment()
    flag_by_others(spam, 1, "spam")
    flag_by_others(harassment, 1, "harassment")
    items = client.get(QUEUE, headers=auth_for(make_moderator())).get_json()["items"]
    assert [i["comment"]["id"] for i in items] == [harassment.id, spam.id]


def test_queue_is_empty_when_nothing_waits(client: FlaskClient, auth_for: Auth) -> None:
    make_comment()
    response = client.get(QUEUE, headers=auth_for(make_moderator()))
    assert response.status_code == 200 and response.get_json() == {"items": []}


def test_decided_items_leave_the_queue(client: FlaskClient, auth_for: Auth) -> None:
    comment = make_comment()
    flag_by_others(comment, 1)
    moderator = make_moderator()
    moderation.decide(open_item_for(comment), actor=moderator, decision="approve")
    assert client.get(QUEUE, headers=auth_for(moderator)).get_json() == {"items": []}


def test_scoped_moderator_sees_only_items_in_scope(client: FlaskClient, auth_for: Auth) -> None:
    housing = make_comment(make_thread(tags=["housing"]))
    funding = make_comment(make_thread(tags=["funding"]))
    flag_by_others(housing, 1)
    flag_by_others(funding, 1)

    def queued(user: User) -> set[int]:
        response = client.get(QUEUE, headers=auth_for(user))
        assert response.status_code == 200
        return {i["comment"]["id"] for i in response.get_json()["items"]}

    assert queued(scoped_moderator("housing")) == {housing.id}
    assert queued(make_moderator()) == {housing.id, funding.id}
    assert queued(make_admin()) == {housing.id, funding.id}


@pytest.mark.parametrize(
    ("make_headers", "status"),
    [
        (lambda auth_for: {}, 401),
        (lambda auth_for: bearer("fat_forged"), 401),
        (lambda auth_for: _revoked_headers(), 401),
        (lambda auth_for: auth_for(make_user()), 403),
    ],
    ids=["no-token", "bad-token", "revoked", "member"],
)
def test_queue_is_for_moderators(
    client: FlaskClient, auth_for: Auth, make_headers: Callable[[Auth], dict[str, str]], status: int
) -> None:
    flag_by_others(make_comment(), 1, "harassment")
    response = client.get(QUEUE, headers=make_headers(auth_for))
    assert_error(response, status)
    assert "harassment" not in response.get_data(as_text=True)


# --- POST /moderation/queue/{id} ------------------------------------------------------------


def test_approve_restores_a_hidden_comment(client: FlaskClient, auth_for: Auth) -> None:
    thread = make_thread()
    comment = make_comment(thread)
    flag_by_others(comment, 3)
    assert anonymous_comment_ids(client, thread) == []
    moderator = make_moderator()
    item = open_item_for(comment)

    response = client.post(
        item_url(item), json={"decision": "approve"}, headers=auth_for(moderator)
    )

    assert response.status_code == 200
    data = response.get_json()
    assert data["id"] == item.id and data["state"] == "approved"
    assert data["comment"]["status"] == "published"
    assert len(data["flags"]) == 3
    assert anonymous_comment_ids(client, thread) == [comment.id]
    (row,) = log_rows("approve", comment)
    assert row.actor_id == moderator.id and row.subject_id == comment.author_id
    assert row.details["source"] == "flags"
    assert db.session.query(Flag).filter(Flag.outcome == "dismissed").count() == 3


def test_remove_with_a_reason(client: FlaskClient, auth_for: Auth) -> None:
    thread = make_thread()
    comment = make_comment(thread)
    flag_by_others(comment, 1)
    moderator = make_moderator()
    item = open_item_for(comment)

    response = client.post(
        item_url(item),
        json={"decision": "remove", "reason": "  Attacks a person  "},
        headers=auth_for(moderator),
    )

    assert response.status_code == 200
    data = response.get_json()
    assert data["state"] == "removed" and data["comment"]["status"] == "removed"
    assert data["author_record"]["removed"] == 1
    assert anonymous_comment_ids(client, thread) == []
    stored = db.session.get(Comment, comment.id)
    assert stored is not None and stored.removal_reason == "Attacks a person"
    (row,) = log_rows("remove", comment)
    assert row.actor_id == moderator.id and row.reason == "Attacks a person"


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"decision": "remove"}, 422, "reason"),
        ({"decision": "remove", "reason": "   "}, 422, "reason"),
        ({"decision": "remove", "reason": "x" * (REASON_MAX + 1)}, 422, "reason"),
        ({"decision": "approve", "reason": "x" * (REASON_MAX + 1)}, 422, "reason"),
        ({}, 422, "decision"),
        ({"decision": ""}, 422, "decision"),
        ({"decision": "ban"}, 422, "decision"),
        ({"decision": "APPROVE"}, 422, "decision"),
        # The site's other decisions are not part of the API.
        ({"decision": "edit_approve"}, 422, "decision"),
        ({"decision": "dismiss"}, 422, "decision"),
        ({"decision": 1}, 400, "decision"),
        ({"decision": "remove", "reason": 5}, 400, "reason"),
        ({"decision": "approve", "body": "new text"}, 400, "body"),
        ("approve", 400, None),
    ],
)
def test_decide_bad_input(
    client: FlaskClient, auth_for: Auth, body: Any, status: int, field: str | None
) -> None:
    comment = make_comment()
    flag_by_others(comment, 1)
    item = open_item_for(comment)
    response = client.post(item_url(item), json=body, headers=auth_for(make_moderator()))
    assert_error(response, status, field)
    db.session.refresh(item)
    assert item.state == QueueState.OPEN
    assert log_rows("approve", comment) == [] and log_rows("remove", comment) == []


def test_already_decided_is_409(client: FlaskClient, auth_for: Auth) -> None:
    comment = make_comment()
    flag_by_others(comment, 1)
    item = open_item_for(comment)
    headers = auth_for(make_moderator())
    assert (
        client.post(item_url(item), json={"decision": "approve"}, headers=headers).status_code
        == 200
    )

    again = client.post(item_url(item), json={"decision": "remove", "reason": "x"}, headers=headers)

    assert assert_error(again, 409)["code"] == "conflict"
    assert log_rows("remove", comment) == []
    assert db.session.get(Comment, comment.id).status == CommentStatus.PUBLISHED  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("make_headers", "status"),
    [
        (lambda auth_for: {}, 401),
        (lambda auth_for: bearer("fat_forged"), 401),
        (lambda auth_for: _revoked_headers(), 401),
        (lambda auth_for: auth_for(make_user()), 403),
        (lambda auth_for: auth_for(scoped_moderator("housing")), 404),
    ],
    ids=["no-token", "bad-token", "revoked", "member", "out-of-scope"],
)
def test_decide_who_may_not(
    client: FlaskClient, auth_for: Auth, make_headers: Callable[[Auth], dict[str, str]], status: int
) -> None:
    comment = make_comment(make_thread(tags=["funding"]))
    flag_by_others(comment, 1)
    item = open_item_for(comment)
    body = {"decision": "remove", "reason": "gone"}

    assert_error(client.post(item_url(item), json=body, headers=make_headers(auth_for)), status)

    db.session.refresh(item)
    assert item.state == QueueState.OPEN
    assert log_rows("remove", comment) == []


def test_the_author_may_not_decide_unless_a_moderator(client: FlaskClient, auth_for: Auth) -> None:
    author = make_user()
    comment = make_comment(author=author)
    flag_by_others(comment, 1)
    response = client.post(
        item_url(open_item_for(comment)), json={"decision": "approve"}, headers=auth_for(author)
    )
    assert_error(response, 403)


def test_out_of_scope_looks_like_unknown(client: FlaskClient, auth_for: Auth) -> None:
    comment = make_comment(make_thread(tags=["funding"]))
    flag_by_others(comment, 1)
    item = open_item_for(comment)
    headers = auth_for(scoped_moderator("housing"))
    body = {"decision": "approve"}

    hidden = assert_error(client.post(item_url(item), json=body, headers=headers), 404)
    missing = assert_error(client.post(item_url(item.id + 1000), json=body, headers=headers), 404)

    assert hidden == missing
    # A malformed body doesn't reveal the item exists either.
    assert_error(client.post(item_url(item), data="{", headers=headers), 404)


def test_scoped_moderator_decides_in_scope(client: FlaskClient, auth_for: Auth) -> None:
    comment = make_comment(make_thread(tags=["housing"]))
    flag_by_others(comment, 1)
    response = client.post(
        item_url(open_item_for(comment)),
        json={"decision": "approve"},
        headers=auth_for(scoped_moderator("housing")),
    )
    assert response.status_code == 200


@pytest.mark.parametrize("item_id", ["999999", str(2**63), "0", "abc"])
def test_unknown_item_is_404(client: FlaskClient, auth_for: Auth, item_id: str) -> None:
    response = client.post(
        f"{QUEUE}/{item_id}", json={"decision": "approve"}, headers=auth_for(make_moderator())
    )
    assert_error(response, 404)


# --- the documented shapes ------------------------------------------------------------------


def test_responses_match_the_document(client: FlaskClient, auth_for: Auth) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    author = make_user()
    member = auth_for(make_user())
    moderator = auth_for(make_moderator())
    thread = make_thread(tags=["housing"])
    comment = make_comment(thread, author=author, body="Some text")
    held = client.post(
        f"/api/v1/threads/{thread.id}/comments",
        json={"body": "Honestly, are some of you pimps yourselves? What is your agenda?"},
        headers=auth_for(author),
    )
    assert held.status_code == 202

    flags = "/comments/{comment_id}/flags"
    url = flags_url(comment)
    check(
        doc, flags, "post", client.post(url, json={"reason": "other", "note": XSS}, headers=member)
    )
    check(doc, flags, "post", client.post(url, json={"reason": "spam"}, headers=member))
    check(doc, flags, "post", client.post(url, json={"reason": "x"}, headers=moderator))
    check(doc, flags, "post", client.post(url, json={"reason": 1}, headers=moderator))
    check(doc, flags, "post", client.post(url, json={"reason": "spam"}))
    check(doc, flags, "post", client.post(url, json={"reason": "spam"}, headers=auth_for(author)))
    check(doc, flags, "post", client.post(flags_url(999), json={"reason": "spam"}, headers=member))

    check(doc, "/moderation/queue", "get", client.get(QUEUE, headers=moderator))
    check(doc, "/moderation/queue", "get", client.get(QUEUE, headers=member))
    check(doc, "/moderation/queue", "get", client.get(QUEUE))

    one = "/moderation/queue/{item_id}"
    item = open_item_for(comment)
    check(doc, one, "post", client.post(item_url(item), json={"decision": "x"}, headers=moderator))
    check(doc, one, "post", client.post(item_url(item), data="[", headers=moderator))
    check(
        doc, one, "post", client.post(item_url(item), json={"decision": "approve"}, headers=member)
    )
    check(
        doc,
        one,
        "post",
        client.post(item_url(999), json={"decision": "approve"}, headers=moderator),
    )
    remove = {"decision": "remove", "reason": "Off"}
    check(doc, one, "post", client.post(item_url(item), json=remove, headers=moderator))
    check(doc, one, "post", client.post(item_url(item), json=remove, headers=moderator))
