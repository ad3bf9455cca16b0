"""Keyset cursors of thread listings: what a URL carries, and what a broken one is."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from forum.threads.rules import BAD_CURSOR, format_cursor, parse_cursor


@pytest.mark.parametrize(
    "at",
    [
        datetime(1970, 1, 1, tzinfo=UTC),
        datetime(2026, 12, 1, 18, 33, 39, 123456, tzinfo=UTC),
        datetime(2999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC),
    ],
)
def test_a_cursor_round_trips_to_the_microsecond(at: datetime) -> None:
    raw = format_cursor(at, 42)
    assert raw.isascii() and "-" in raw
    assert parse_cursor(raw) == (at, 42)


@pytest.mark.parametrize("raw", ["", "abc", "1-", "-1", "1-2-3", "1 -2", "1-2\n", "٣-٤"])
def test_anything_else_is_refused_with_a_message(raw: str) -> None:
    with pytest.raises(ValueError, match=BAD_CURSOR):
        parse_cursor(raw)
