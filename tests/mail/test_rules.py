"""Pure mail rules: who is mailed and why, and digest periods."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from forum.mail import rules
from forum.mail.rules import Reason, immediate_reason

ME, AUTHOR, THREAD = 1, 2, 10


@pytest.mark.parametrize(
    ("kind", "levels", "follow", "expected"),
    [
        ("new_thread", {5: "new_threads"}, None, Reason("tag", 5)),
        ("new_thread", {5: "all", 3: "new_threads"}, None, Reason("tag", 3)),
        ("new_thread", {5: "daily"}, None, None),  # digests only
        ("new_thread", {5: "all", 6: "muted"}, None, None),  # a muted tag wins
        ("new_thread", {5: "all"}, False, None),  # so does a muted thread
        ("new_comment", {5: "new_threads"}, None, None),  # comments need "all"
        ("new_comment", {5: "all"}, None, Reason("tag", 5)),
        ("new_comment", {}, True, Reason("thread", THREAD)),
        ("new_comment", {5: "muted"}, True, Reason("thread", THREAD)),  # followed thread wins
        ("new_comment", {5: "all"}, False, None),
        ("new_comment", {}, None, None),
    ],
)
def test_immediate_reason(kind, levels, follow, expected) -> None:
    reason = immediate_reason(
        kind,
        recipient_id=ME,
        author_id=AUTHOR,
        thread_id=THREAD,
        tag_levels=levels,
        thread_follow=follow,
    )
    assert reason == expected


def test_nobody_is_mailed_about_their_own_post() -> None:
    for kind in rules.KINDS:
        assert (
            immediate_reason(
                kind,
                recipient_id=AUTHOR,
                author_id=AUTHOR,
                thread_id=THREAD,
                tag_levels={5: "all"},
                thread_follow=True,
            )
            is None
        )


def test_reason_scope_names_what_unsubscribing_stops() -> None:
    assert Reason("tag", 5).scope == "tag:5"
    assert Reason("thread", 9).scope == "thread:9"


def test_digest_keys_are_one_per_day_and_per_iso_week() -> None:
    sunday_night = datetime(2026, 11, 22, 23, 59, tzinfo=UTC)
    monday = datetime(2026, 11, 23, 0, 1, tzinfo=UTC)
    assert rules.digest_key("daily", sunday_night) == "digest:daily:2026-11-22"
    assert rules.digest_key("daily", monday) == "digest:daily:2026-11-23"
    assert rules.digest_key("weekly", sunday_night) == "digest:weekly:2026-11-16"
    assert rules.digest_key("weekly", monday) == "digest:weekly:2026-11-23"
    assert rules.period_start("weekly", sunday_night) == datetime(2026, 11, 16, tzinfo=UTC)


def test_first_digest_looks_back_one_period() -> None:
    now = datetime(2026, 11, 22, 8, tzinfo=UTC)
    assert rules.digest_since("weekly", None, now) == datetime(2026, 11, 15, 8, tzinfo=UTC)
    last = datetime(2026, 11, 21, 7, tzinfo=UTC)
    assert rules.digest_since("daily", last, now) == last
