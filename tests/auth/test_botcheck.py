"""Registration refuses forms a person didn't fill: a honeypot field and a minimum fill time.

The clock is the module's seam (``botcheck.clock``), so no test sleeps.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from itsdangerous import URLSafeSerializer
from sqlalchemy import func, select

from forum.auth import botcheck
from forum.models import User

FORM = {"username": "willow", "password": "a long passphrase", "email": "w@example.org"}


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    return {"REGISTER_MIN_SECONDS": 3}


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(botcheck, "clock", fake)
    return fake


def _stamp(html: str) -> str:
    found = re.search(r'name="form_stamp" value="([^"]+)"', html)
    assert found, "no form stamp on the page"
    return found.group(1)


def _users(db) -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def _served_form(client) -> str:
    return _stamp(client.get("/register").get_data(as_text=True))


def test_the_honeypot_is_hidden_by_a_class_and_labelled_leave_empty(app, client) -> None:
    html = client.get("/register").get_data(as_text=True)
    block = re.search(r'<div class="hp-field" aria-hidden="true">(.*?)</div>', html, re.S)
    assert block, "honeypot wrapper missing"
    assert '<label for="website">Leave this field empty</label>' in block.group(1)
    assert 'tabindex="-1"' in block.group(1) and 'autocomplete="off"' in block.group(1)
    assert " style=" not in html
    css = (Path(app.static_folder) / "css" / "forum.css").read_text()
    rule = re.search(r"\.hp-field \{([^}]*)\}", css)
    assert rule and "left: -10000px" in rule.group(1)


def test_a_person_who_takes_their_time_is_registered(client, db, clock) -> None:
    stamp = _served_form(client)
    clock.now += 4
    response = client.post("/register", data={**FORM, "form_stamp": stamp, "website": ""})
    assert response.status_code == 302
    assert _users(db) == 1


def _assert_refused_and_kept(response, db, message: str) -> str:
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in html
    assert 'value="willow"' in html and 'value="w@example.org"' in html
    assert FORM["password"] not in html
    # The honeypot comes back empty, so a person's resubmission isn't refused for it again.
    assert re.search(r'name="website" type="text" tabindex="-1" autocomplete="off" value=""', html)
    assert _users(db) == 0
    return html


def test_a_filled_honeypot_is_refused_with_what_was_typed_kept(client, db, clock) -> None:
    stamp = _served_form(client)
    clock.now += 10
    response = client.post(
        "/register", data={**FORM, "form_stamp": stamp, "website": "http://spam.example"}
    )
    _assert_refused_and_kept(
        response, db, "We could not tell this form apart from an automated one"
    )


def test_too_fast_is_refused_and_waiting_a_moment_is_enough(client, db, clock) -> None:
    stamp = _served_form(client)
    clock.now += 1
    response = client.post("/register", data={**FORM, "form_stamp": stamp})
    html = _assert_refused_and_kept(response, db, "Please wait a moment and submit the form again")
    # The page keeps the original stamp: the person needn't wait the whole time again.
    assert _stamp(html) == stamp
    clock.now += 2.5
    again = client.post("/register", data={**FORM, "form_stamp": _stamp(html)})
    assert again.status_code == 302
    assert _users(db) == 1


def test_a_missing_or_forged_stamp_is_refused_and_a_new_one_served(client, db, clock) -> None:
    other_key = URLSafeSerializer("someone-elses-key", salt="forum.register-form").dumps(0)
    fresh = []
    for stamp in (None, "", "forged.stamp", "MTIz.abc", other_key):
        data = dict(FORM) if stamp is None else {**FORM, "form_stamp": stamp}
        response = client.post("/register", data=data)
        html = _assert_refused_and_kept(response, db, "We could not tell this form apart")
        fresh.append(_stamp(html))
        assert fresh[-1] != stamp
    clock.now += 3
    assert client.post("/register", data={**FORM, "form_stamp": fresh[-1]}).status_code == 302


@pytest.mark.parametrize("config_overrides", [{"REGISTER_MIN_SECONDS": 0}])
def test_zero_turns_the_time_check_off_but_not_the_honeypot(client, db) -> None:
    assert client.post("/register", data=FORM).status_code == 302
    client.post("/logout")
    trap = {**FORM, "username": "rowan", "website": "x"}
    assert client.post("/register", data=trap).status_code == 422
    assert _users(db) == 1
