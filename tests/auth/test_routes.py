"""Register, sign in and sign out, through the pages."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from forum.models import User
from tests.factories import PASSWORD, make_user
from tests.markup import without_site_script


def _html(response) -> str:
    return response.get_data(as_text=True)


def _user_count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def _signed_in_as(client, name: str) -> bool:
    html = _html(client.get("/"))
    return f'href="/users/{name}">{name}</a>' in html and ">Sign out</button>" in html


# --- Register -------------------------------------------------------------------------------


def test_register_form_renders(client) -> None:
    html = _html(client.get("/register"))
    assert "<h1>Create an account</h1>" in html
    assert 'name="username"' in html and 'name="password"' in html


def test_register_creates_the_account_signs_in_and_welcomes(client, db) -> None:
    response = client.post(
        "/register", data={"username": "Willow", "password": "a long passphrase"}
    )
    assert response.status_code == 302
    assert response.location == "/"
    html = _html(client.get("/"))
    assert "Welcome, Willow. Your account is ready." in html
    assert _signed_in_as(client, "Willow")
    assert db.session.scalar(select(User.username)) == "Willow"


def test_register_follows_a_same_site_next(client) -> None:
    response = client.post(
        "/register?next=/tags",
        data={"username": "newbie", "password": "a long passphrase"},
    )
    assert response.location == "/tags"


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"username": "ab", "password": "a long passphrase"}, "username", "3 to 30"),
        ({"username": "admin", "password": "a long passphrase"}, "username", "reserved"),
        ({"username": "has space", "password": "a long passphrase"}, "username", "3 to 30"),
        ({"username": "shortpw", "password": "short"}, "password", "at least 8"),
        ({"username": "samesame", "password": "SameSame"}, "password", "your username"),
        (
            {"username": "mailer", "password": "a long passphrase", "email": "nope"},
            "email",
            "doesn&#39;t look like an email",
        ),
    ],
)
def test_bad_registration_names_the_field_and_keeps_the_input(
    client, db, form, field, message
) -> None:
    response = client.post("/register", data=form)
    assert response.status_code == 422
    html = _html(response)
    error = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', html)
    assert error and message in error.group(1)
    assert f'value="{form["username"]}"' in html
    assert form["password"] not in re.findall(r'value="([^"]*)"', html)  # never echoed
    assert _user_count(db) == 0
    assert not _signed_in_as(client, form["username"])


def test_taken_name_is_refused_whatever_its_case(client, db) -> None:
    make_user("Rowan")
    response = client.post("/register", data={"username": "rOWAN", "password": "a long pass"})
    assert response.status_code == 422
    assert "That name is taken" in _html(response)
    assert _user_count(db) == 1


@pytest.mark.parametrize(
    "lookalike",
    [
        "quiIlfeather",  # capital I for the first small l
        "qui1lfeather",  # digit one
        "QuillFeather",  # case alone: the same account name
        "quill\u200bfeather",  # zero-width space, removed before the name is read
        "quill\u2060feath\u00adER",  # word joiner and soft hyphen, then capitals
        "quiIIfeather",  # both small l as capital I
    ],
)
def test_a_name_that_looks_like_an_existing_one_is_refused(client, db, lookalike) -> None:
    """Impersonation: the page would show the same letters as the real account's."""
    make_user("quillfeather")
    response = client.post("/register", data={"username": lookalike, "password": "a long pass"})
    assert response.status_code == 422
    html = _html(response)
    assert "That name is taken" in html or "looks too much like" in html
    assert _user_count(db) == 1


@pytest.mark.parametrize(
    ("existing", "lookalike"),
    [
        ("marco", "rnarco"),
        ("willow", "wiIIow"),
        ("vvendy", "wendy"),
        ("root0", "rootO"),
        ("dana_k", "dana-k"),
        ("dana_k", "dana.k"),
        ("dana_k", "dana__k"),
        ("dana-k", "_dana_k_"),
        ("ash.k", "ash_-_k"),
    ],
)
def test_look_alikes_are_refused_in_either_order(client, db, existing, lookalike) -> None:
    make_user(existing)
    response = client.post("/register", data={"username": lookalike, "password": "a long pass"})
    assert response.status_code == 422
    assert "looks too much like" in _html(response)


@pytest.mark.parametrize("name", ["quil1_feather", "quillfeathers", "quill.feather", "Quilli"])
def test_names_that_only_share_letters_are_still_free(client, db, name) -> None:
    make_user("quillfeather")
    response = client.post("/register", data={"username": name, "password": "a long pass"})
    assert response.status_code == 302, _html(response)
    assert _user_count(db) == 2


def test_hostile_username_is_refused_and_echoed_escaped(client, db) -> None:
    hostile = '<script>alert("x")</script>'
    response = client.post("/register", data={"username": hostile, "password": "a long pass"})
    assert response.status_code == 422
    html = _html(response)
    assert "<script" not in without_site_script(html)
    assert 'value="&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"' in html
    assert _user_count(db) == 0


def test_signed_in_member_is_sent_home_from_register(client, login_as) -> None:
    login_as(make_user())
    response = client.get("/register")
    assert response.status_code == 302
    assert response.location == "/"


# --- Sign in --------------------------------------------------------------------------------


def test_login_signs_in_and_goes_home(client) -> None:
    make_user("hazel")
    response = client.post("/login", data={"username": "hazel", "password": PASSWORD})
    assert response.status_code == 302
    assert response.location == "/"
    assert _signed_in_as(client, "hazel")


def test_login_is_case_insensitive_on_the_name(client) -> None:
    make_user("Hazel")
    client.post("/login", data={"username": "HAZEL", "password": PASSWORD})
    assert _signed_in_as(client, "Hazel")


def test_unknown_user_and_wrong_password_get_the_same_answer(client) -> None:
    make_user("hazel")
    unknown = client.post("/login", data={"username": "nobody", "password": PASSWORD})
    wrong = client.post("/login", data={"username": "hazel", "password": "not the password"})

    assert unknown.status_code == wrong.status_code == 422
    message = "That username and password don&#39;t match an account."
    assert message in _html(unknown) and message in _html(wrong)
    # Same page apart from the echoed username.
    assert _html(unknown).replace("nobody", "hazel") == _html(wrong)
    assert not _signed_in_as(client, "hazel")


def test_failed_login_keeps_the_username_but_not_the_password(client) -> None:
    response = client.post("/login", data={"username": "hazel", "password": "secret-guess"})
    html = _html(response)
    assert 'value="hazel"' in html
    assert "secret-guess" not in html


def test_login_without_remember_me_lasts_the_browser_session(client) -> None:
    make_user("hazel")
    response = client.post("/login", data={"username": "hazel", "password": PASSWORD})
    assert client.get_cookie("remember_token") is None
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "Expires" not in header and "HttpOnly" in header


def test_remember_me_keeps_the_session_cookie_for_the_remember_days(app, client) -> None:
    make_user("hazel")
    response = client.post(
        "/login", data={"username": "hazel", "password": PASSWORD, "remember": "1"}
    )
    assert client.get_cookie("remember_token") is None  # one cookie, ended on the server
    cookie = client.get_cookie("session")
    days = (cookie.expires - datetime.now(UTC)).days
    assert app.config["REMEMBER_DAYS"] - 1 <= days <= app.config["REMEMBER_DAYS"]
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in header and "SameSite=Lax" in header


def test_the_remembered_cookie_alone_signs_you_back_in(app, client) -> None:
    make_user("hazel")
    client.post("/login", data={"username": "hazel", "password": PASSWORD, "remember": "1"})
    fresh = app.test_client()
    fresh.set_cookie("session", client.get_cookie("session").value)
    assert _signed_in_as(fresh, "hazel")


def test_login_follows_a_same_site_next(client) -> None:
    make_user("hazel")
    response = client.post(
        "/login?next=/threads/new", data={"username": "hazel", "password": PASSWORD}
    )
    assert response.location == "/threads/new"


def test_login_form_keeps_next_in_its_action(client) -> None:
    html = _html(client.get("/login?next=/threads/new"))
    assert 'action="/login?next=/threads/new"' in html


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example",
        "http://evil.example/login",
        "/\\evil.example",
        "javascript:alert(1)",
        "///evil.example",
        "\t//evil.example",
    ],
)
def test_login_never_redirects_off_site(client, target) -> None:
    make_user("hazel")
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"username": "hazel", "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.location == "/"


def test_suspended_member_can_still_sign_in_to_read(client, db) -> None:
    from datetime import timedelta

    from forum.models.base import utcnow

    user = make_user("paused")
    user.suspended_until = utcnow() + timedelta(days=1)
    db.session.commit()
    client.post("/login", data={"username": "paused", "password": PASSWORD})
    html = _html(client.get("/"))
    assert 'href="/users/paused">paused</a>' in html
    assert 'href="/threads/new"' not in html


# --- Sign out -------------------------------------------------------------------------------


def test_logout_signs_out_and_says_so(client) -> None:
    make_user("hazel")
    client.post("/login", data={"username": "hazel", "password": PASSWORD, "remember": "1"})
    response = client.post("/logout")
    assert response.status_code == 302
    assert response.location == "/"
    html = _html(client.get("/"))
    assert "You are signed out." in html
    assert not _signed_in_as(client, "hazel")
    assert client.get_cookie("remember_token") is None


def test_logout_is_post_only(client, login_as) -> None:
    login_as(make_user("hazel"))
    response = client.get("/logout")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"OPTIONS", "POST"}
    assert "<h1>405</h1>" in _html(response)
    assert _signed_in_as(client, "hazel")


def test_sign_out_is_a_form_button_not_a_link(client, login_as) -> None:
    login_as(make_user())
    html = _html(client.get("/"))
    assert '<form class="inline" method="post" action="/logout">' in html
    assert 'href="/logout"' not in html


# --- no hint whether an account exists ---------------------------------------------------------

_CSRF_VALUE = re.compile(r'(name="csrf_token" value=")[^"]*(")')


def _without_csrf(response) -> bytes:
    return _CSRF_VALUE.sub(r"\1\2", _html(response)).encode()


@pytest.mark.parametrize("config_overrides", [{"WTF_CSRF_ENABLED": True}])
def test_no_such_user_and_wrong_password_are_byte_for_byte_the_same(client) -> None:
    token = re.search(r'name="csrf_token" value="([^"]+)"', _html(client.get("/login"))).group(1)
    form = {"username": "hazel", "password": "not the password", "csrf_token": token}
    # The first POST of a session settles Flask-Login's session keys (a Set-Cookie and a
    # no-store that depend on the session, not the account): start both from that state.
    client.post("/login", data={**form, "username": "someone"})

    unknown = client.post("/login", data=form)  # no account called hazel yet
    make_user("hazel")
    wrong = client.post("/login", data=form)

    assert unknown.status_code == wrong.status_code == 422
    assert _without_csrf(unknown) == _without_csrf(wrong)
    headers = [(k, v) for k, v in unknown.headers if k != "Set-Cookie"]
    assert headers == [(k, v) for k, v in wrong.headers if k != "Set-Cookie"]


@pytest.mark.parametrize("config_overrides", [{"PASSWORD_HASH_METHOD": "scrypt:1024:8:1"}])
def test_no_such_user_costs_the_same_hashing_as_a_wrong_password(client, monkeypatch) -> None:
    """The timing path: one check each, against a hash made with the configured method."""
    from forum.auth import service

    checked: list[str] = []
    real = service.check_password_hash

    def spy(pwhash: str, password: str) -> bool:
        checked.append(pwhash.split("$", 1)[0])
        return real(pwhash, password)

    make_user("hazel")
    monkeypatch.setattr(service, "check_password_hash", spy)
    client.post("/login", data={"username": "nobody", "password": "not the password"})
    client.post("/login", data={"username": "hazel", "password": "not the password"})
    assert checked == ["scrypt:1024:8:1", "scrypt:1024:8:1"]


# --- next= only to this site, on sign-in and registration --------------------------------------

HOSTILE_NEXT = [
    "next=//evil.example",
    "next=%2F%2Fevil.example",
    "next=/%5Cevil.example",
    "next=%5C%5Cevil.example",
    "next=https://evil.example",
    "next=https%3A%2F%2Fevil.example%2F",
    "next=http:/evil.example",
    "next=javascript:alert(1)",
    "next=JaVaScRiPt%3Aalert(1)",
    "next=/%09/evil.example",
    "next=/%0A/evil.example",
    "next=%0D%0A//evil.example",
    "next=%20//evil.example",
    "next=///evil.example",
]


def test_hostile_next_sends_sign_in_and_registration_home(client) -> None:
    make_user("hazel")
    for n, query in enumerate(HOSTILE_NEXT):  # one app for the table: it is read-only
        form = {"username": "hazel", "password": PASSWORD}
        signed_in = client.post(f"/login?{query}", data=form)
        assert (signed_in.status_code, signed_in.location) == (302, "/"), query
        client.post("/logout")
        newcomer = {"username": f"newbie{n}", "password": "a long passphrase"}
        registered = client.post(f"/register?{query}", data=newcomer)
        assert (registered.status_code, registered.location) == (302, "/"), query
        client.post("/logout")
