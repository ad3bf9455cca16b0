"""Jinja filters for dates: relative for reading, exact on hover and for machines."""

from __future__ import annotations

from datetime import datetime

from flask import Flask

from forum.models.base import utcnow


def exact_time(value: datetime) -> str:
    """ "22 Nov 2026 at 14:05 UTC", the form the seeds' blogs used for permalinks."""
    return value.strftime("%-d %b %Y at %H:%M UTC")


def relative_time(value: datetime, now: datetime | None = None) -> str:
    seconds = int(((now or utcnow()) - value).total_seconds())
    if seconds < 60:
        return "just now"
    for size, unit in (
        (86400 * 365, "year"),
        (86400 * 30, "month"),
        (86400, "day"),
        (3600, "hour"),
        (60, "minute"),
    ):
        if seconds >= size:
            n = seconds // size
            return f"{n} {unit}{'s' if n != 1 else ''} ago"
    return "just now"


def register_filters(app: Flask) -> None:
    app.jinja_env.filters["exact_time"] = exact_time
    app.jinja_env.filters["relative_time"] = relative_time
    app.jinja_env.filters["isotime"] = lambda value: value.isoformat()
