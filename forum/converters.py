"""URL converters shared by every blueprint."""

from __future__ import annotations

from werkzeug.routing import IntegerConverter, Map

# Largest BIGINT: a bigger id in a URL is a 404, not an overflow in the database driver.
ID_MAX = 2**63 - 1


class IdConverter(IntegerConverter):
    """``<id:name>``: a positive database id."""

    def __init__(self, url_map: Map) -> None:
        super().__init__(url_map, min=1, max=ID_MAX)


PAGE_MAX = 1_000_000


def page_number(raw: str | None) -> int:
    """The ``?page=`` of a listing: 1 for anything unusable, capped so OFFSET stays sane."""
    if raw is None or not raw.isascii() or not raw.isdigit():
        return 1
    return min(max(int(raw), 1), PAGE_MAX)
