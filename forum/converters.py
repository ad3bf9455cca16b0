"""URL converters shared by every blueprint."""

from __future__ import annotations

from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter, Map, ValidationError

# The largest id any table holds: ids are INTEGER, 32 bits on PostgreSQL. A bigger id in a
# URL, a form or a JSON body is "not found" or a 400, never an overflow in the database.
ID_MAX = 2**31 - 1


class IdConverter(IntegerConverter):
    """``<id:name>``: a positive database id."""

    def __init__(self, url_map: Map) -> None:
        super().__init__(url_map, min=1, max=ID_MAX)

    def to_python(self, value: str) -> int:
        # Werkzeug's own out-of-range answer lets the matcher go on to the same path under
        # another method, so PATCH /threads/<2**64> was a 405 "doesn't accept this kind of
        # request" while PATCH /threads/<missing> is a 404. No row has such an id: say so.
        try:
            return int(super().to_python(value))
        except ValidationError:
            raise NotFound() from None


def id_arg(raw: str | None) -> int | None:
    """A database id sent in a form field or query string, or None for anything that isn't
    one: blank, not plain digits, or outside 1..ID_MAX. Whatever ``type=int`` accepts, the
    database may not (SQLite overflows past 64 bits), so every id from a request comes
    through here; the caller decides whether None is a 404, a 400 or "none given"."""
    if raw is None or not raw.isascii() or not raw.isdigit() or len(raw) > len(str(ID_MAX)):
        return None
    value = int(raw)
    return value if 1 <= value <= ID_MAX else None


PAGE_MAX = 1_000_000


def page_number(raw: str | None) -> int:
    """The ``?page=`` of a listing: 1 for anything unusable, capped so OFFSET stays sane."""
    if raw is None or not raw.isascii() or not raw.isdigit():
        return 1
    return min(max(int(raw), 1), PAGE_MAX)
