"""Helpers for the feed tests: read a feed the way a feed reader does, make dated threads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import feedparser
from lxml import etree

from forum.models import TagSubscription, Thread, User
from forum.threads.service import create_thread
from tests.factories import make_user

ATOM = "application/atom+xml; charset=utf-8"
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def parse_atom(data: bytes) -> Any:
    """Parse strictly (lxml) and as a reader would (feedparser, without its own HTML
    sanitising, so the test sees exactly what we serve)."""
    etree.fromstring(data)  # raises on anything that is not well-formed XML
    parsed = feedparser.parse(data, sanitize_html=False)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def thread_at(minutes: int, *, tags: tuple[str, ...] = ("funding",), **kwargs: Any) -> Thread:
    kwargs.setdefault("title", f"Thread at minute {minutes}")
    kwargs.setdefault("body", "Opening post about **funding**.")
    author = kwargs.pop("author", None) or make_user()
    return create_thread(author=author, tags=list(tags), now=at(minutes), **kwargs)


def follow(db: Any, user: User, tag_id: int, level: str) -> None:
    db.session.add(TagSubscription(user_id=user.id, tag_id=tag_id, level=level))
    db.session.commit()


def iso(value: str) -> datetime:
    return datetime.fromisoformat(value)
