"""Resetting the private feed token is a state change: it needs the form's CSRF token."""

from __future__ import annotations

import re
from typing import Any

import pytest

from forum.extensions import db
from tests.factories import make_user


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    return {"WTF_CSRF_ENABLED": True}


def test_reset_without_a_token_is_refused_and_changes_nothing(client, login_as) -> None:
    reader = make_user("reader")
    login_as(reader)
    client.get("/settings/feed")
    db.session.refresh(reader)
    before = reader.feed_token

    response = client.post("/settings/feed/reset")

    assert response.status_code == 400
    db.session.refresh(reader)
    assert reader.feed_token == before


def test_reset_with_the_pages_token_works(client, login_as) -> None:
    reader = make_user("reader")
    login_as(reader)
    html = client.get("/settings/feed").get_data(as_text=True)
    forms = re.findall(r'<form[^>]*method="post"', html)
    tokens = re.findall(r'<input type="hidden" name="csrf_token" value="([^"]+)">', html)
    assert len(forms) == 2 and len(tokens) == 2  # sign out, reset
    db.session.refresh(reader)
    before = reader.feed_token

    response = client.post("/settings/feed/reset", data={"csrf_token": tokens[-1]})

    assert response.status_code == 302
    db.session.refresh(reader)
    assert reader.feed_token != before
