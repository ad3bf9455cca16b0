"""Values no database can hold, sent through the site's forms and query strings: ids past 64
bits, and text that was a lone UTF-16 surrogate before it was encoded. Each is a 4xx that
says what is wrong (or, for text, the same replacement character everywhere), never a 500,
and nothing is written (issue 14, item 10). The API's side is tests/api/test_hostile_values.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from forum.models import Comment, Notification, TagSubscription, Thread
from forum.subscriptions import service as subscriptions
from forum.tags.service import get_tag
from tests.factories import make_comment, make_moderator, make_thread, make_user

BIG = [str(2**31), str(2**40), str(2**64), str(2**63), "9" * 40]


def _rows(db: Any) -> tuple[int, ...]:
    unread = select(func.count()).select_from(Notification).where(Notification.read_at.is_(None))
    counts = [db.session.scalar(select(func.count()).select_from(m)) for m in (Thread, Comment)]
    levels = db.session.scalars(select(TagSubscription.level)).all()
    return (*counts, db.session.scalar(unread), *sorted(levels))


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    """A thread whose author has an unread notification of a reply, and follows its tag."""
    author, moderator = make_user(), make_moderator()
    thread = make_thread(author)
    comment = make_comment(thread)
    subscriptions.follow_tag(author, get_tag("funding"), "all")
    return {"author": author, "moderator": moderator, "thread": thread, "comment": comment}


@pytest.mark.parametrize("big", BIG)
@pytest.mark.parametrize(
    ("who", "path", "form", "status"),
    [
        ("author", "/notifications/read", {"id": ["{big}", "1"]}, 400),
        ("author", "/threads/{thread}/comments", {"body": "A reply.", "parent_id": "{big}"}, 404),
        ("author", "/settings/subscriptions", {"level-{big}": "muted"}, 302),
        ("moderator", "/mod/queue/bulk", {"item_id": "{big}", "decision": "approve"}, 422),
        ("moderator", "/mod/users/{user}/warn", {"comment_id": "{big}", "reason": "Rude"}, 404),
    ],
)
def test_ids_past_64_bits_in_a_form_are_a_4xx_and_change_nothing(
    client, login_as, db, world, who: str, path: str, form: dict[str, Any], status: int, big: str
) -> None:
    names = {"thread": world["thread"].id, "user": world["author"].username, "big": big}
    filled = {
        k.format(**names): [v.format(**names) for v in vs]
        if isinstance(vs, list)
        else vs.format(**names)
        for k, vs in form.items()
    }
    before = _rows(db)
    login_as(world[who])
    response = client.post(path.format(**names), data=filled)
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    if status == 400:
        assert "notification ids (whole numbers from 1 to" in response.get_data(as_text=True)
    assert _rows(db) == before


@pytest.mark.parametrize("big", BIG)
def test_ids_past_64_bits_in_a_query_string_are_a_404(client, login_as, world, big: str) -> None:
    login_as(world["author"])
    assert client.get(f"/threads/{world['thread'].id}/reply?to={big}").status_code == 404
    assert client.get(f"/threads/{world['thread'].id}/reply?to=").status_code == 200


@pytest.mark.fresh_app
def test_a_number_past_64_bits_that_reaches_a_query_is_a_400_not_a_500(app, client) -> None:
    """The net under every id check: an OverflowError from the driver is the request's fault."""

    @app.get("/_overflow")
    def overflow() -> str:
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    response = client.get("/_overflow", headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert "too large" in response.get_json()["error"]["message"]


def test_a_lone_surrogate_in_form_text_arrives_as_the_bytes_written_out(
    client, login_as, db, world
) -> None:
    """A form can only carry one as the bytes ED A0 80, which aren't UTF-8: Werkzeug's form
    and query parsers keep such bytes percent-encoded, the same in every field, so nothing
    unstorable reaches a service (on the JSON API it is a 400, since JSON can name it)."""
    login_as(world["author"])
    url = f"/threads/{world['thread'].id}/comments"
    raw = b"body=A%20reply%20x%ED%A0%80y"
    response = client.post(url, data=raw, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    stored = db.session.scalars(select(Comment.body_src).order_by(Comment.id.desc())).first()
    assert stored == "A reply x%ED%A0%80y"
    multipart = (
        b'--b\r\nContent-Disposition: form-data; name="body"\r\n\r\n'
        b"Another reply x\xed\xa0\x80y\r\n--b--\r\n"
    )
    response = client.post(url, data=multipart, content_type="multipart/form-data; boundary=b")
    assert response.status_code == 302
    stored = db.session.scalars(select(Comment.body_src).order_by(Comment.id.desc())).first()
    assert stored == "Another reply x\ufffd\ufffd\ufffdy"
    for path in (
        "/search?q=x%ED%A0%80",
        "/tags/%ED%A0%80",
        f"/threads/{world['thread'].id}?after=%ED%A0%80",
    ):
        assert client.get(path).status_code in (200, 404), path
