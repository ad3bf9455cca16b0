"""Template helpers: the time element every page shows, and the fast profile and action links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask, url_for

from forum.templating import id_url, profile_url, relative_time, time_tag


@pytest.mark.parametrize("name", ["janfray", "Dana_K", "a.b-c", "x", "with space", "é/ü?#&<"])
def test_profile_url_is_what_url_for_builds(app: Flask, name: str) -> None:
    with app.test_request_context("/", base_url="http://forum.example/community"):
        assert profile_url(name) == url_for("users.profile", name=name)
        assert profile_url(name) == url_for("users.profile", name=name)  # from the memo


@pytest.mark.parametrize(
    ("endpoint", "name", "values"),
    [
        ("moderation.flag", "comment_id", {}),
        ("threads.edit", "comment_id", {}),
        ("threads.reply_form", "to", {"thread_id": 12}),
        ("threads.reply_form", "to", {"thread_id": 12, "quote": 1}),
    ],
)
@pytest.mark.parametrize("id_", [1, 7, 2_147_483_647])
def test_id_url_is_what_url_for_builds(app: Flask, endpoint: str, name: str, values, id_) -> None:
    with app.test_request_context("/", base_url="http://forum.example/community"):
        assert id_url(endpoint, name, **values)(id_) == url_for(endpoint, **{name: id_}, **values)
        assert id_url(endpoint, name, **values)(id_) == url_for(endpoint, **{name: id_}, **values)


def test_id_url_takes_integers_only(app: Flask) -> None:
    with app.test_request_context("/"):
        flag_url = id_url("moderation.flag", "comment_id")
        with pytest.raises(ValueError):
            flag_url("7/../../admin")


def test_the_time_element_carries_machine_relative_and_exact_forms() -> None:
    at = datetime.now(UTC) - timedelta(hours=3, minutes=5)
    html = str(time_tag(at))
    assert html.startswith(f'<time datetime="{at.isoformat()}" ')
    assert f'title="{at:%-d %b %Y at %H:%M UTC}"' in html
    assert html.endswith(">3 hours ago</time>")


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(5, "just now"), (61, "1 minute ago"), (7200, "2 hours ago"), (86400 * 400, "1 year ago")],
)
def test_relative_time_reads_in_whole_units(seconds: int, text: str) -> None:
    now = datetime(2026, 12, 1, tzinfo=UTC)
    assert relative_time(now - timedelta(seconds=seconds), now) == text
