"""The login limit fires: the next attempt is refused with a page that says when to retry."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import PASSWORD, make_user


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
