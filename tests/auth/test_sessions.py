"""Sign-in sessions the server can end: sign-out, the session list, "sign out everywhere",
rotation of remembered sign-ins, and no address kept anywhere (issue 14, item 7)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import String, Text, inspect, select, text, update

from forum.auth.rules import SessionPolicy, device_label
from forum.extensions import db as _db
from forum.models import UserSession
from forum.models.base import utcnow
from tests.factories import PASSWORD, make_user

PHONE = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/131.0 Mobile Safari"
LAPTOP = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Version/17.0 Safari/605.1"
)
ADDRESS = "203.0.113.77"


def _html(response) -> str:
    return response.get_data(as_text=True)


def _signed_in(client, name: str) -> bool:
    html = _html(client.get("/"))
    return f'href="/users/{name}">{name}</a>' in html and ">Sign out</button>" in html


def _browser(app: Flask, agent: str, *, remember: bool = False, name: str = "hazel"):
    client = app.test_client()
    client.environ_base.update({"HTTP_USER_AGENT": agent, "REMOTE_ADDR": ADDRESS})
    data = {"username": name, "password": PASSWORD, **({"remember": "1"} if remember else {})}
    assert client.post("/login", data=data).status_code == 302
    return client


def _copy(app: Flask, client):
    """Another device holding a copy of ``client``'s cookie (a seized or shared phone)."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


@pytest.mark.parametrize("remember", [False, True])
def test_signing_out_ends_every_copy_of_the_cookie(app, db, remember: bool) -> None:
    make_user("hazel")
    phone = _browser(app, PHONE, remember=remember)
    thief = _copy(app, phone)
    assert _signed_in(thief, "hazel")

    phone.post("/logout")

    assert not _signed_in(phone, "hazel")
    assert not _signed_in(thief, "hazel")
    assert db.session.scalar(select(UserSession)) is None


def test_the_cookie_holds_no_hash_of_address_or_browser(app, db) -> None:
    make_user("hazel")
    phone = _browser(app, PHONE, remember=True)
    serializer = app.session_interface.get_signing_serializer(app)
    data = serializer.loads(phone.get_cookie("session").value)
    assert "_id" not in data  # Flask-Login's hash of the client's address and browser
    user_id, _, secret = data["_user_id"].partition(":")
    assert user_id.isdigit() and len(secret) >= 40
    assert secret not in str(db.session.scalars(select(UserSession.token_hash)).all())


def test_the_session_list_names_each_browser_coarsely_and_ends_one(app, db) -> None:
    make_user("hazel")
    laptop = _browser(app, LAPTOP)
    phone = _browser(app, PHONE, remember=True)

    page = _html(laptop.get("/settings/account"))
    listed = page.split('id="sessions"')[1].split("</table>")[0]
    assert "Safari on macOS" in listed and "(this browser)" in listed
    assert "Chrome on Android" in listed and "kept signed in" in listed
    assert listed.count("today") == 4  # signed in and last active, coarse: no clock times
    assert ADDRESS not in page

    phone_id = _db.session.scalar(select(UserSession.id).where(UserSession.remember.is_(True)))
    response = laptop.post(f"/settings/account/sessions/{phone_id}/revoke")
    assert response.status_code == 302
    assert "Signed out Chrome on Android" in _html(laptop.get("/settings/account"))
    assert not _signed_in(phone, "hazel")
    assert _signed_in(laptop, "hazel")


def test_nobody_ends_someone_elses_sign_in(app, db) -> None:
    make_user("hazel")
    make_user("quill")
    hazel = _browser(app, PHONE)
    quill = _browser(app, LAPTOP, name="quill")
    hazels = _db.session.scalar(select(UserSession.id).where(UserSession.device.like("%Android")))
    assert quill.post(f"/settings/account/sessions/{hazels}/revoke").status_code == 404
    assert quill.post("/settings/account/sessions/999999/revoke").status_code == 404
    assert _signed_in(hazel, "hazel")
    guest = app.test_client()
    assert guest.post(f"/settings/account/sessions/{hazels}/revoke").status_code == 302
    assert _signed_in(hazel, "hazel")


def test_ending_this_browser_from_the_list_is_signing_out(app, db) -> None:
    make_user("hazel")
    laptop = _browser(app, LAPTOP)
    own = _db.session.scalar(select(UserSession.id))
    response = laptop.post(f"/settings/account/sessions/{own}/revoke")
    assert (response.status_code, response.location) == (302, "/")
    assert not _signed_in(laptop, "hazel")


def test_sign_out_everywhere_ends_them_all(app, db) -> None:
    make_user("hazel")
    laptop, phone = _browser(app, LAPTOP), _browser(app, PHONE, remember=True)
    thief = _copy(app, phone)
    response = laptop.post("/settings/account/sessions/end-all")
    assert (response.status_code, response.location) == (302, "/")
    assert "signed out everywhere" in _html(laptop.get("/"))
    for browser in (laptop, phone, thief):
        assert not _signed_in(browser, "hazel")
    assert db.session.scalar(select(UserSession)) is None


def _age(**changes) -> None:
    _db.session.execute(update(UserSession).values(**changes))
    _db.session.commit()


def test_an_idle_sign_in_runs_out(app, db) -> None:
    make_user("hazel")
    laptop = _browser(app, LAPTOP)
    _age(last_seen_at=utcnow() - timedelta(hours=app.config["SESSION_IDLE_HOURS"], minutes=1))
    assert not _signed_in(laptop, "hazel")
    assert db.session.scalar(select(UserSession)) is None


def test_a_remembered_sign_in_lasts_while_used(app, db) -> None:
    make_user("hazel")
    phone = _browser(app, PHONE, remember=True)
    _age(last_seen_at=utcnow() - timedelta(days=3))
    assert _signed_in(phone, "hazel")
    seen = db.session.scalar(select(UserSession.last_seen_at))
    assert utcnow() - seen < timedelta(minutes=1)  # the visit was noted
    _age(last_seen_at=utcnow() - timedelta(days=app.config["REMEMBER_DAYS"] + 1))
    assert not _signed_in(phone, "hazel")


def test_a_remembered_secret_is_replaced_and_the_old_one_soon_stops(app, db) -> None:
    make_user("hazel")
    phone = _browser(app, PHONE, remember=True)
    old = _copy(app, phone)
    day_ago = utcnow() - timedelta(hours=25)
    _age(last_seen_at=day_ago, rotated_at=day_ago)

    assert _signed_in(phone, "hazel")  # this visit renews the secret
    assert phone.get_cookie("session").value != old.get_cookie("session").value
    assert _signed_in(old, "hazel")  # a request already on its way still counts...
    _age(rotated_at=utcnow() - timedelta(minutes=5))
    assert not _signed_in(old, "hazel")  # ...but not for long
    assert _signed_in(phone, "hazel")


def test_no_address_is_stored_anywhere(app, db) -> None:
    """Sign in from a known address, post, and search every text column for it."""
    make_user("hazel")
    laptop = _browser(app, LAPTOP, remember=True)
    laptop.get("/settings/account")
    laptop.post("/threads/new", data={"title": "Shelter hours", "body": "When do they open?"})
    with _db.engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            columns = inspect(conn).get_columns(table)
            texts = [c["name"] for c in columns if isinstance(c["type"], String | Text)]
            for column in texts:
                found = conn.execute(
                    text(f'SELECT count(*) FROM "{table}" WHERE "{column}" LIKE :address'),
                    {"address": f"%{ADDRESS}%"},
                ).scalar()
                assert found == 0, (table, column)
    assert ADDRESS not in str(laptop.get_cookie("session").value)


@pytest.mark.parametrize(
    ("agent", "label"),
    [
        (PHONE, "Chrome on Android"),
        (LAPTOP, "Safari on macOS"),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) FxiOS/120.0 Mobile Safari", "Firefox on iPhone"),
        ("Mozilla/5.0 (Windows NT 10.0) Chrome/131.0 Safari/537.36 Edg/131.0", "Edge on Windows"),
        (
            "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0",
            "Firefox on Linux",
        ),
        ("curl/8.5", "A browser"),
        ("", "A browser"),
        ("x" * 5000, "A browser"),
    ],
)
def test_device_labels_are_coarse(agent: str, label: str) -> None:
    assert device_label(agent) == label
    assert not re.search(r"\d", device_label(agent))  # no versions: nothing to fingerprint


def test_session_policy_limits() -> None:
    rules, now = SessionPolicy(remember_days=60, idle_hours=24), utcnow()
    assert not rules.expired(now - timedelta(hours=23), remember=False, now=now)
    assert rules.expired(now - timedelta(hours=25), remember=False, now=now)
    assert not rules.expired(now - timedelta(days=59), remember=True, now=now)
    assert rules.expired(now - timedelta(days=61), remember=True, now=now)
    assert not rules.stale(now - timedelta(minutes=9), now)
    assert rules.stale(now - timedelta(minutes=10), now)
    assert rules.due_for_rotation(now - timedelta(hours=24), remember=True, now=now)
    assert not rules.due_for_rotation(now - timedelta(hours=24), remember=False, now=now)
