"""Password reset through a mailed link, end to end through a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from flask.testing import FlaskClient

from forum.auth.service import authenticate
from forum.extensions import db as _db
from forum.mail import service as mail
from forum.models import User
from forum.models.base import utcnow
from tests.factories import PASSWORD, make_user
from tests.mail import test_mail
from tests.mail.test_mail import BASE, Inbox, run_mail_events, text_part

# The real SMTP server (aiosmtpd) and its inbox, shared with the mail tests.
smtp_server = test_mail.smtp_server
inbox = test_mail.inbox

NEW_PASSWORD = "a brand new passphrase"
SAME_ANSWER = "If an account has that confirmed address, we have mailed it a link"


@pytest.fixture
def limits_on() -> None:
    """Ask for this to run a test with rate limits on, as in production."""


@pytest.fixture
def config_overrides(smtp_server, request) -> dict[str, Any]:
    overrides: dict[str, Any] = {
        "SMTP_URL": f"smtp://127.0.0.1:{smtp_server[1]}",
        "BASE_URL": BASE,
        "MAIL_FROM": "forum@forum.example",
    }
    if "limits_on" in request.fixturenames:
        overrides["RATELIMIT_ENABLED"] = True
    return overrides


def member(name: str, *, verified: bool = True) -> User:
    user = make_user(name, email=f"{name}@example.org")
    user.email_verified_at = utcnow() if verified else None
    _db.session.commit()
    return user


def ask(client: FlaskClient, email: str) -> Any:
    response = client.post("/password/forgot", data={"email": email})
    run_mail_events()
    return response


def reset_link(box: Inbox, address: str) -> str:
    (message,) = box.to(address)
    assert message["Subject"] == "[Forum] Reset your password"
    match = re.search(rf"{re.escape(BASE)}(/password/reset/\S+)", text_part(message))
    assert match, text_part(message)
    return match.group(1)


def _html(response: Any) -> str:
    return response.get_data(as_text=True)


def test_the_login_page_offers_a_reset(client) -> None:
    html = _html(client.get("/login"))
    assert '<a href="/password/forgot">Forgot your password?</a>' in html
    assert client.get("/password/forgot").status_code == 200


def test_a_mailed_link_sets_a_new_password_once_and_signs_in(app, client, inbox) -> None:
    user = member("willow")
    response = ask(client, "Willow@Example.org")  # as typed, in any case
    assert response.status_code == 302
    assert response.headers["Location"] == "/password/forgot?sent=1"
    link = reset_link(inbox, "willow@example.org")
    assert "willow" in text_part(inbox.to("willow@example.org")[0])

    page = client.get(link)
    assert page.status_code == 200 and "<strong>willow</strong>" in _html(page)
    done = client.post(link, data={"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})
    assert done.status_code == 302
    home = _html(client.get("/"))
    assert "Your password is changed and you are signed in." in home
    assert ">Sign out</button>" in home
    assert authenticate("willow", NEW_PASSWORD) == user
    assert authenticate("willow", PASSWORD) is None

    # Used: the link is keyed to the password it replaced.
    for method in ("get", "post"):
        again = getattr(client, method)(
            link, data={"new_password": "yet another one!", "confirm_password": "yet another one!"}
        )
        assert again.status_code == 400
        assert "used already" in _html(again)
    assert authenticate("willow", NEW_PASSWORD) == user


def test_every_other_session_is_signed_out(app, login_as, inbox) -> None:
    user = member("hazel")
    elsewhere = login_as(user)  # a browser signed in before the reset
    assert elsewhere.get("/settings/account").status_code == 200
    here = app.test_client()
    ask(here, "hazel@example.org")
    link = reset_link(inbox, "hazel@example.org")
    here.post(link, data={"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD})

    assert here.get("/settings/account").status_code == 200
    response = elsewhere.get("/settings/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_weak_or_mistyped_password_is_refused_and_the_link_still_works(client, inbox) -> None:
    member("juniper")
    ask(client, "juniper@example.org")
    link = reset_link(inbox, "juniper@example.org")
    for new, confirm, problem in (
        ("short", "short", "at least 8 characters"),
        ("juniper", "juniper", "at least 8 characters"),
        (NEW_PASSWORD, NEW_PASSWORD + "x", "two new passwords differ"),
    ):
        response = client.post(link, data={"new_password": new, "confirm_password": confirm})
        assert response.status_code == 422
        assert problem in _html(response)
    assert authenticate("juniper", PASSWORD) is not None
    assert client.get(link).status_code == 200


def test_an_expired_or_altered_link_is_refused(client, monkeypatch) -> None:
    user = member("cez")
    real_time = time.time
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: real_time() - 61 * 60)
    old = mail.password_reset_token(user)
    monkeypatch.undo()
    response = client.get(f"/password/reset/{old}")
    assert response.status_code == 400
    assert "expired" in _html(response) and "60 minutes" in _html(response)

    good = mail.password_reset_token(user)
    verify = mail.verification_token(user)  # signed by the same key, another purpose
    for bad in (good + "x", "garbage", verify):
        response = client.post(
            f"/password/reset/{bad}",
            data={"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
        )
        assert response.status_code == 400
        assert "not valid" in _html(response)
    assert authenticate("cez", PASSWORD) is not None


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client, inbox) -> None:
    member("ada")
    known = ask(client, "ada@example.org")
    known_page = _html(client.get(known.headers["Location"]))
    unknown = ask(client, "nobody@example.org")
    unknown_page = _html(client.get(unknown.headers["Location"]))
    assert (known.status_code, known.headers["Location"]) == (
        unknown.status_code,
        unknown.headers["Location"],
    )
    assert SAME_ANSWER in known_page and SAME_ANSWER in unknown_page
    assert [m["To"] for m in inbox.messages] == ["ada@example.org"]


def test_an_unconfirmed_address_gets_no_mail(client, inbox) -> None:
    user = member("ramon", verified=False)
    response = ask(client, "ramon@example.org")
    assert response.status_code == 302
    assert SAME_ANSWER in _html(client.get(response.headers["Location"]))
    assert inbox.messages == []
    # Nor does a link made for it work.
    assert client.get(f"/password/reset/{mail.password_reset_token(user)}").status_code == 400


def test_a_malformed_address_is_pointed_out(client, inbox) -> None:
    response = client.post("/password/forgot", data={"email": "not an address"})
    assert response.status_code == 422
    assert "look like an email address" in _html(response)
    assert 'value="not an address"' in _html(response)


def test_one_mail_per_account_per_two_minutes(client, inbox) -> None:
    user = member("tess")
    for _ in range(3):
        client.post("/password/forgot", data={"email": "tess@example.org"})
    run_mail_events()  # three requests before the worker ran: still one mail
    ask(client, "tess@example.org")
    assert len(inbox.to("tess@example.org")) == 1
    # Past the wait, another one goes.
    later = utcnow() + mail.RESET_RESEND_WAIT
    assert mail.request_password_reset("tess@example.org", now=later) == 1
    assert mail.send_password_reset(user.id, "later", now=later) is True
    assert len(inbox.to("tess@example.org")) == 2


def test_asking_is_rate_limited(client, inbox, limits_on) -> None:
    for n in range(5):
        response = client.post("/password/forgot", data={"email": f"x{n}@example.org"})
        assert response.status_code == 302
    response = client.post("/password/forgot", data={"email": "x9@example.org"})
    assert response.status_code == 429
    assert client.get("/password/forgot").status_code == 200
