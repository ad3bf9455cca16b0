"""The login limit fires: the next attempt is refused with a page that says when to retry."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from forum import create_app
from forum.auth.service import create_token
from forum.extensions import db
from tests.api.test_threads import assert_error
from tests.conftest import base_config
from tests.factories import PASSWORD, make_comment, make_thread, make_user


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    return {"RATELIMIT_ENABLED": True, "RATELIMIT_LOGIN": "3 per minute"}


def test_fourth_login_attempt_in_a_minute_is_refused_with_retry_after(client) -> None:
    make_user("hazel")
    for _ in range(3):
        response = client.post("/login", data={"username": "hazel", "password": "guess-guess"})
        assert response.status_code == 422

    response = client.post("/login", data={"username": "hazel", "password": PASSWORD})

    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 60
    html = response.get_data(as_text=True)
    assert "<h1>429</h1>" in html and '<nav class="site-nav"' in html
    assert "Too many requests. Wait a little and try again." in html
    # Even the right password doesn't get through while limited.
    assert ">Sign out</button>" not in client.get("/").get_data(as_text=True)


def test_reading_the_login_page_is_not_limited(client) -> None:
    for _ in range(5):
        assert client.get("/login").status_code == 200


def test_the_limit_is_per_client_address(client) -> None:
    make_user("hazel")
    for _ in range(3):
        client.post("/login", data={"username": "hazel", "password": "guess-guess"})
    response = client.post(
        "/login",
        data={"username": "hazel", "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "198.51.100.7"},
    )
    assert response.status_code == 302


# --- every named limit, on the site and the API ------------------------------------------------

ONE_EACH = {
    "RATELIMIT_ENABLED": True,
    "RATELIMIT_LOGIN": "1 per minute",
    "RATELIMIT_REGISTER": "1 per minute",
    "RATELIMIT_POST": "1 per minute",
    "RATELIMIT_FLAG": "1 per minute",
    "RATELIMIT_API": "1 per minute",
}


def _site_requests(client, login_as) -> dict[str, Callable[[], Any]]:
    """One request per named limit; each is the limit's first hit when sent in a fresh app."""
    thread = make_thread()
    comments = [make_comment(thread), make_comment(thread)]
    flagger = make_user("flagger")

    def post_thread() -> Any:
        login_as(flagger)
        data = {"title": "A title", "body": "A body", "tags": "funding"}
        return client.post("/threads/new", data=data)

    def flag() -> Any:
        login_as(flagger)
        return client.post(f"/comments/{comments.pop().id}/flag", data={"reason": "spam"})

    return {
        "login": lambda: client.post("/login", data={"username": "x", "password": "y"}),
        "register": lambda: client.post("/register", data={"username": "x", "password": "y"}),
        "post": post_thread,
        "flag": flag,
    }


@pytest.mark.parametrize("config_overrides", [ONE_EACH])
@pytest.mark.parametrize("action", ["login", "register", "post", "flag"])
def test_each_site_limit_answers_a_429_page_with_retry_after(client, login_as, action) -> None:
    send = _site_requests(client, login_as)[action]
    assert send().status_code in (302, 422)

    response = send()

    assert response.status_code == 429, action
    assert 0 < int(response.headers["Retry-After"]) <= 60
    html = response.get_data(as_text=True)
    assert "<h1>429</h1>" in html and "Wait a little and try again." in html


@pytest.mark.parametrize("config_overrides", [{**ONE_EACH, "RATELIMIT_API": "50 per minute"}])
@pytest.mark.parametrize("action", ["post", "flag"])
def test_each_api_write_limit_answers_json_with_retry_after(client, action) -> None:
    author = make_user()
    headers = {"Authorization": f"Bearer {create_token(author)}"}
    thread = make_thread()
    comments = [make_comment(thread), make_comment(thread)]

    def send() -> Any:
        if action == "post":
            return client.post(
                f"/api/v1/threads/{thread.id}/comments", json={"body": "Hi"}, headers=headers
            )
        url = f"/api/v1/comments/{comments.pop().id}/flags"
        return client.post(url, json={"reason": "spam"}, headers=headers)

    assert send().status_code == 201
    response = send()
    error = assert_error(response, 429)
    assert error["code"] == "too_many_requests"
    assert 0 < int(response.headers["Retry-After"]) <= 60


@pytest.mark.parametrize("config_overrides", [ONE_EACH])
def test_the_api_limit_answers_json_with_retry_after(client) -> None:
    assert client.get("/api/v1/tags").status_code == 200
    response = client.get("/api/v1/tags")
    assert_error(response, 429)
    assert 0 < int(response.headers["Retry-After"]) <= 60


@pytest.fixture
def unlimited(migrated: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """A second app built the way operators switch limits off: the environment variable."""
    monkeypatch.setenv("FORUM_RATELIMIT_ENABLED", "false")
    config = {k: v for k, v in base_config(migrated).items() if k != "RATELIMIT_ENABLED"}
    limits = {k: v for k, v in ONE_EACH.items() if k != "RATELIMIT_ENABLED"}
    second = create_app({**config, **limits})
    yield second
    with second.app_context():
        db.engine.dispose()  # its pool's connections, not left for the garbage collector


def test_forum_ratelimit_enabled_false_turns_every_limit_off(app, unlimited) -> None:
    assert unlimited.config["RATELIMIT_ENABLED"] is False
    client = unlimited.test_client()
    make_user("hazel")
    wrong = {"username": "hazel", "password": "guess"}
    for _ in range(3):
        assert client.post("/login", data=wrong).status_code == 422
        assert client.post("/register", data={"username": "x", "password": "y"}).status_code == 422
        assert client.get("/api/v1/tags").status_code == 200
    # Nor does the failed-sign-in throttle count anything.
    response = client.post("/login", data={"username": "hazel", "password": PASSWORD})
    assert response.status_code == 302
