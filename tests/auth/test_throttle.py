"""Failed sign-ins slow an account's attackers down without locking its owner out.

The design (forum.ratelimit.LoginThrottle): failures are counted per account and address, and
per account from everywhere; past the second, only addresses that haven't failed on the
account may still try it. Successful sign-ins count for nothing.
"""

from __future__ import annotations

from typing import Any

import pytest

from forum import create_app
from forum.ratelimit import login_throttle
from forum.ratelimit_storage import SCHEME
from tests.conftest import base_config
from tests.factories import PASSWORD, make_user


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    return {
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_LOGIN": "100 per minute",  # the per-address limit stays out of the way
        "RATELIMIT_LOGIN_FAILURES": "3 per 15 minutes",
        "RATELIMIT_LOGIN_ACCOUNT": "5 per hour",
    }


ATTACKER, OWNER = "203.0.113.9", "198.51.100.20"


def _login(client, username: str, password: str, address: str) -> Any:
    return client.post(
        "/login",
        data={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def _signed_in(client, name: str) -> bool:
    return f'href="/users/{name}">{name}</a>' in client.get("/").get_data(as_text=True)


def test_failures_from_one_address_block_that_address_for_that_account(app, client) -> None:
    make_user("hazel")
    make_user("rowan")
    for _ in range(3):
        assert _login(client, "hazel", "wrong guess", ATTACKER).status_code == 422

    blocked = _login(client, "hazel", PASSWORD, ATTACKER)

    assert blocked.status_code == 429
    assert 840 < int(blocked.headers["Retry-After"]) <= 900
    html = blocked.get_data(as_text=True)
    assert "Too many failed attempts to sign in to this account from here." in html
    assert "Wait 15 minutes and try again." in html
    assert not _signed_in(client, "hazel")
    # Another account from the same address, and the same account from elsewhere, still work.
    assert _login(app.test_client(), "rowan", PASSWORD, ATTACKER).status_code == 302
    owner = app.test_client()
    assert _login(owner, "hazel", PASSWORD, OWNER).status_code == 302
    assert _signed_in(owner, "hazel")


def test_under_attack_from_many_addresses_the_owner_can_still_sign_in(app, client) -> None:
    make_user("hazel")
    spread = [f"192.0.2.{n}" for n in range(1, 6)]
    for address in spread:  # five failures in all: the account is under attack
        assert _login(client, "hazel", "wrong guess", address).status_code == 422

    # Every address that failed is refused now, even with the right password...
    for address in spread:
        assert _login(client, "hazel", PASSWORD, address).status_code == 429
    # ...a new attacking address gets one guess, then is refused too...
    assert _login(client, "hazel", "another guess", "192.0.2.77").status_code == 422
    assert _login(client, "hazel", "third guess", "192.0.2.77").status_code == 429
    # ...and the owner, who has not failed, signs in from their own address.
    owner = app.test_client()
    assert _login(owner, "hazel", PASSWORD, OWNER).status_code == 302
    assert _signed_in(owner, "hazel")


def test_successful_sign_ins_never_spend_the_budget(client) -> None:
    make_user("hazel")
    for _ in range(6):
        assert _login(client, "hazel", PASSWORD, OWNER).status_code == 302
        client.post("/logout")
    for _ in range(2):
        assert _login(client, "hazel", "a typo", OWNER).status_code == 422
    assert _login(client, "hazel", PASSWORD, OWNER).status_code == 302


def test_unknown_names_are_throttled_the_same_so_nothing_tells_they_dont_exist(app) -> None:
    make_user("hazel")
    answers = {}
    for name in ("hazel", "nobody"):
        client = app.test_client()
        for _ in range(3):
            _login(client, name, "wrong guess", ATTACKER)
        answers[name] = _login(client, name, "wrong guess", ATTACKER)
    assert answers["hazel"].status_code == answers["nobody"].status_code == 429
    assert answers["hazel"].get_data() == answers["nobody"].get_data()


def test_the_account_is_counted_by_its_case_folded_name(client) -> None:
    make_user("Hazel")
    for name in ("HAZEL", "hazel", "hAzEl"):
        assert _login(client, name, "wrong guess", ATTACKER).status_code == 422
    assert _login(client, "Hazel", PASSWORD, ATTACKER).status_code == 429


@pytest.mark.parametrize("storage", ["memory", "sqlite"])
def test_guesses_in_flight_at_once_each_take_a_slot_of_their_own(
    migrated, config_overrides, tmp_path, storage
) -> None:
    """Attempts that arrive together can't all pass at two failures out of three: each takes
    its slot before the password is checked (the race two gunicorn workers ran into)."""
    uri = "memory://" if storage == "memory" else f"{SCHEME}://{tmp_path / 'limits.sqlite'}"
    config = {**base_config(migrated), **config_overrides, "RATELIMIT_STORAGE_URI": uri}
    with create_app(config).app_context():
        in_flight = [login_throttle.reserve("hazel", ATTACKER) for _ in range(4)]
        assert in_flight[:3] == [0, 0, 0]
        assert 840 < in_flight[3] <= 900  # the fourth is refused and takes nothing
        login_throttle.succeeded("hazel", ATTACKER)  # one had the right password
        assert login_throttle.reserve("hazel", ATTACKER) == 0
        assert login_throttle.reserve("hazel", ATTACKER) > 0
        assert login_throttle.reserve("hazel", OWNER) == 0  # another address is untouched
