"""/settings/account: the settings nav, changing the password, and API tokens."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from forum.account.rules import MAX_ACTIVE_TOKENS
from forum.auth.service import create_token
from forum.models import ApiToken
from tests.factories import PASSWORD, make_user

NEW_PASSWORD = "a brand new passphrase"


def _html(response: Any) -> str:
    return response.get_data(as_text=True)


def _signed_in(client: Any, name: str) -> bool:
    return f'href="/users/{name}">{name}</a>' in _html(client.get("/"))


def _field_error(html: str, field: str) -> str:
    found = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', html)
    assert found, f"no error for {field}"
    return found.group(1)


# --- the page and the settings nav -------------------------------------------------------------


ACCOUNT_POSTS = [
    "/settings/account/password",
    "/settings/account/tokens",
    "/settings/account/tokens/1/revoke",
    "/settings/account/delete",
]


def test_account_settings_need_sign_in(client) -> None:
    for url in ["/settings/account", "/settings/account/export"]:
        response = client.get(url)
        assert response.status_code == 302 and response.location.startswith("/login?next=")
    for url in ACCOUNT_POSTS:
        response = client.post(url, data={"password": PASSWORD})
        assert response.status_code == 302 and response.location.startswith("/login?next="), url


def test_every_settings_page_has_the_nav_with_the_current_page_marked(client, login_as) -> None:
    login_as(make_user())
    pages = {
        "/settings/subscriptions": "Subscriptions",
        "/settings/email": "Email",
        "/settings/feed": "Private feed",
        "/settings/ignored": "Ignored people",
        "/settings/account": "Account",
    }
    for url, label in pages.items():
        html = _html(client.get(url))
        nav = re.search(r'<nav aria-label="Settings">(.*?)</nav>', html, re.S)
        assert nav, url
        links = re.findall(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', nav.group(1))
        assert [(href, text) for href, _, text in links] == list(pages.items())
        assert [text for _, current, text in links if current] == [label], url


@pytest.mark.parametrize("config_overrides", [{"WTF_CSRF_ENABLED": True}])
def test_every_form_on_the_account_page_carries_a_csrf_token(client, login_as) -> None:
    user = make_user()
    create_token(user, "laptop")
    login_as(user)
    html = _html(client.get("/settings/account"))
    forms = re.findall(r'<form[^>]*method="post"[^>]*>', html)
    tokens = re.findall(r'name="csrf_token" value="[^"]+"', html)
    # sign out, password, sign out this browser, sign out everywhere, revoke, new token, delete
    assert len(forms) == len(tokens) == 7


# --- change password ---------------------------------------------------------------------------


def _change(client: Any, **fields: str) -> Any:
    data = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    data["confirm_password"] = fields.pop("confirm", fields.get("new_password", NEW_PASSWORD))
    return client.post("/settings/account/password", data={**data, **fields})


def test_changing_the_password_ends_other_sessions_but_not_this_one(app, client, db) -> None:
    make_user("hazel")
    here = client
    here.post("/login", data={"username": "hazel", "password": PASSWORD, "remember": "1"})
    elsewhere = app.test_client()
    elsewhere.post("/login", data={"username": "hazel", "password": PASSWORD, "remember": "1"})
    old_remember = elsewhere.get_cookie("session").value

    response = _change(here)

    assert response.status_code == 302 and response.location == "/settings/account"
    assert "Every other browser and device signed in as you is signed out." in _html(
        here.get("/settings/account")
    )
    assert _signed_in(here, "hazel")
    # This browser's remembered cookie still signs it in on its own.
    renewed = app.test_client()
    renewed.set_cookie("session", here.get_cookie("session").value)
    assert _signed_in(renewed, "hazel")
    # The other browser is out, and its remember-me cookie no longer signs anyone in.
    assert not _signed_in(elsewhere, "hazel")
    stale = app.test_client()
    stale.set_cookie("session", old_remember)
    assert not _signed_in(stale, "hazel")
    # Only the new password works now.
    fresh = app.test_client()
    assert fresh.post("/login", data={"username": "hazel", "password": PASSWORD}).status_code == 422
    ok = fresh.post("/login", data={"username": "hazel", "password": NEW_PASSWORD})
    assert ok.status_code == 302


REFUSED_CHANGES = [
    ({"current_password": "not my password"}, "current_password", "isn&#39;t your current"),
    ({"new_password": "short"}, "new_password", "at least 8"),
    ({"confirm": "something else entirely"}, "confirm_password", "differ"),
]


def test_a_refused_password_change_says_why_and_changes_nothing(client, login_as, db) -> None:
    user = make_user("hazel")
    login_as(user)
    before = user.password_hash
    for fields, field, message in REFUSED_CHANGES:
        response = _change(client, **dict(fields))

        assert response.status_code == 422, field
        html = _html(response)
        assert message in _field_error(html, field)
        assert "Your password was not changed." in html
        for value in (PASSWORD, NEW_PASSWORD, *fields.values()):
            assert f'value="{value}"' not in html  # passwords are never echoed
        db.session.refresh(user)
        assert user.password_hash == before
        assert _signed_in(client, "hazel")


# --- API tokens --------------------------------------------------------------------------------


def test_a_new_token_is_shown_once_listed_by_name_and_works_on_the_api(client, login_as, db):
    login_as(make_user("hazel"))

    created = client.post("/settings/account/tokens", data={"name": "  laptop\u202e script "})

    assert created.status_code == 201
    raw = re.search(
        r'id="new-token" class="token-secret" type="text" readonly value="([^"]+)"', _html(created)
    ).group(1)
    assert raw.startswith("fat_")
    token = db.session.scalar(select(ApiToken))
    assert token.name == "laptop script"  # one clean line: no bidi override
    assert raw not in token.token_hash and len(token.token_hash) == 64
    page = _html(client.get("/settings/account"))
    assert raw not in page and token.token_hash not in page
    row = re.search(r'<th scope="row">laptop script</th>(.*?)</tr>', page, re.S).group(1)
    assert "<time" in row and "never" in row
    headers = {"Authorization": f"Bearer {raw}"}
    assert client.get("/api/v1/subscriptions", headers=headers).status_code == 200
    db.session.refresh(token)
    assert token.last_used_at is not None
    assert "never" not in re.search(
        r'<th scope="row">laptop script</th>(.*?)</tr>',
        _html(client.get("/settings/account")),
        re.S,
    ).group(1)


def test_a_revoked_token_gets_401_from_the_api_and_leaves_the_list(client, login_as, db) -> None:
    user = make_user("hazel")
    raw = create_token(user, "old script")
    keep = create_token(user, "new script")
    login_as(user)
    token_id = db.session.scalar(select(ApiToken.id).where(ApiToken.name == "old script"))

    response = client.post(f"/settings/account/tokens/{token_id}/revoke")

    assert response.status_code == 302
    page = _html(client.get("/settings/account"))
    assert "Token “old script” revoked: it no longer works." in page
    assert "old script</th>" not in page and "new script</th>" in page
    answer = client.get("/api/v1/subscriptions", headers={"Authorization": f"Bearer {raw}"})
    assert answer.status_code == 401
    assert answer.get_json()["error"]["code"] == "unauthorized"
    assert (
        client.get("/api/v1/subscriptions", headers={"Authorization": f"Bearer {keep}"}).status_code
        == 200
    )
    # Revoking it again: there is no such (live) token.
    assert client.post(f"/settings/account/tokens/{token_id}/revoke").status_code == 404


def test_nobody_can_revoke_someone_elses_token(client, login_as, db) -> None:
    owner = make_user("hazel")
    raw = create_token(owner, "mine")
    token_id = db.session.scalar(select(ApiToken.id))
    login_as(make_user("rowan"))
    assert client.post(f"/settings/account/tokens/{token_id}/revoke").status_code == 404
    assert (
        client.get("/api/v1/subscriptions", headers={"Authorization": f"Bearer {raw}"}).status_code
        == 200
    )
    assert "mine</th>" not in _html(client.get("/settings/account"))


BAD_TOKEN_NAMES = [
    ("", "Name the token"),
    ("\u200b \u202e", "Name the token"),
    ("x" * 61, "Keep the name to 60"),
]


def test_a_bad_token_name_is_a_422_naming_the_field(client, login_as, db) -> None:
    login_as(make_user())
    for name, message in BAD_TOKEN_NAMES:
        response = client.post("/settings/account/tokens", data={"name": name})
        assert response.status_code == 422, name
        html = _html(response)
        assert message in _field_error(html, "name")
        assert "No token was created." in html
        if name.isascii():
            assert f'value="{name}"' in html  # kept for correcting
    assert db.session.scalar(select(ApiToken.id)) is None


def test_active_tokens_are_capped(client, login_as, db) -> None:
    user = make_user()
    for n in range(MAX_ACTIVE_TOKENS):
        create_token(user, f"t{n}")
    login_as(user)
    response = client.post("/settings/account/tokens", data={"name": "one more"})
    assert response.status_code == 422
    assert "revoke one you no longer use" in _field_error(_html(response), "name")
