"""Jinja helpers: dates relative for reading and exact on hover, and links built fast."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from flask import Flask, current_app, g, url_for
from markupsafe import Markup

from forum.models.base import utcnow
from forum.users.rules import identicon_svg


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


def coarse_time(value: datetime, now: datetime | None = None) -> str:
    """ "today", "this week", "in November 2026": enough to recognise a sign-in, too coarse
    to tell anyone looking over a shoulder when exactly someone was here."""
    days = ((now or utcnow()) - value).days
    if days < 1:
        return "today"
    if days < 7:
        return "this week"
    return value.strftime("in %B %Y")


def time_tag(value: datetime) -> Markup:
    """``<time>`` with the relative time to read, the exact one on hover and for machines.

    A filter rather than a macro: a thread page calls it for every comment."""
    # All three are our own digits and words, never markup: no escaping needed.
    iso, exact, relative = value.isoformat(), exact_time(value), relative_time(value)
    return Markup(f'<time datetime="{iso}" title="{exact}">{relative}</time>')


def profile_url(name: str) -> str:
    """A person's profile address, as ``url_for("users.profile", name=name)`` gives it.

    A thread page links hundreds of names; building each through the URL map was a third of
    a comment's rendering, so the prefix is built once per request and the name appended,
    quoted by the URL map's own converter.
    """
    built = g.get("_profile_url")
    if built is None:
        converter = current_app.url_map.converters["default"](current_app.url_map)
        built = g._profile_url = (url_for("users.profile", name="-")[:-1], converter.to_url)
    prefix, to_url = built
    return prefix + to_url(name)


# Stands for the id while the URL map builds an address once: no row has this id (ids stop
# at 2**31 - 1) and no endpoint's fixed part contains it.
_ID_SLOT = 2_147_483_646_917


def id_url(endpoint: str, name: str, **values: object) -> Callable[[int], str]:
    """A link builder for many ids sent to one endpoint (``name`` is the id's argument):
    ``id_url("moderation.flag", "comment_id")(7)`` is ``url_for("moderation.flag",
    comment_id=7)``. A thread page links each of its hundreds of comments to several
    actions; the URL map builds each address once per request and every id is put in its
    place, as ``profile_url`` does for names. Ids are integers: nothing needs quoting."""
    built: dict[tuple[object, ...], tuple[str, str]] = g.setdefault("_id_urls", {})
    key = (endpoint, name, *sorted(values.items()))
    parts = built.get(key)
    if parts is None:
        url = url_for(endpoint, **{name: _ID_SLOT}, **values)
        prefix, slot, suffix = url.partition(str(_ID_SLOT))
        if not slot or str(_ID_SLOT) in suffix:
            raise ValueError(f"{endpoint}: the id must appear once in {url}")
        parts = built[key] = (prefix, suffix)
    prefix, suffix = parts
    return lambda id_: f"{prefix}{int(id_)}{suffix}"


def avatar(user_id: int | None) -> Markup:
    """The generated avatar of an account (forum.users.rules.identicon_svg); none for no one."""
    if user_id is None:
        return Markup("")
    # Our own digits and hex colour only: nothing from the user reaches the markup.
    return Markup(identicon_svg(user_id))


def register_filters(app: Flask) -> None:
    app.jinja_env.filters["exact_time"] = exact_time
    app.jinja_env.filters["relative_time"] = relative_time
    app.jinja_env.filters["coarse_time"] = coarse_time
    app.jinja_env.filters["isotime"] = lambda value: value.isoformat()
    app.jinja_env.filters["time_tag"] = time_tag
    app.jinja_env.globals["profile_url"] = profile_url
    app.jinja_env.globals["avatar"] = avatar
    app.jinja_env.globals["id_url"] = id_url
