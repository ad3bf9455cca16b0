"""The thread page's side panel: who takes part, and the thread's top-level replies.

Both are worked out from the comments the page has already loaded, so the panel costs no
query; on a long thread in pages they describe the page shown. Plain values in and out
(the page's ``ShownComment`` rows), no Flask or SQLAlchemy.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Protocol

from forum.text import excerpt

PARTICIPANTS_MAX = 12
OUTLINE_MAX = 20
EXCERPT_CHARS = 80
# Only the start of a long comment is read for its excerpt.
_EXCERPT_SOURCE_CHARS = 1_000
# Tags of the stored, sanitised HTML (forum.text): no comments, scripts or raw "<" in text.
_TAG_RE = re.compile(r"<[^>]*>")


class OutlinedComment(Protocol):
    number: int
    author_id: int
    author: str
    status: str
    indent: int
    body_html: str


@dataclass(frozen=True)
class Participant:
    user_id: int
    name: str
    comments: int


@dataclass(frozen=True)
class OutlineEntry:
    number: int
    author: str
    summary: str


def _readable(
    comments: Iterable[OutlinedComment], ignored: Collection[int]
) -> list[OutlinedComment]:
    """Published comments by people the viewer doesn't ignore: the ones shown in full."""
    return [c for c in comments if c.status == "published" and c.author_id not in ignored]


def _head(html: str) -> str:
    """The start of a comment's HTML, never ending inside a tag."""
    head = html[:_EXCERPT_SOURCE_CHARS]
    if head.rfind("<") > head.rfind(">"):
        head = head[: head.rfind("<")]
    return head


def participants(
    comments: Iterable[OutlinedComment],
    ignored: Collection[int] = (),
    *,
    limit: int = PARTICIPANTS_MAX,
) -> tuple[list[Participant], int]:
    """The most active authors, busiest first (first to speak breaks ties), and how many
    more took part beyond ``limit``."""
    counts: Counter[tuple[int, str]] = Counter(
        (c.author_id, c.author) for c in _readable(comments, ignored)
    )
    ranked = [Participant(uid, name, n) for (uid, name), n in counts.most_common()]
    return ranked[:limit], max(0, len(ranked) - limit)


def outline(
    comments: Iterable[OutlinedComment],
    ignored: Collection[int] = (),
    *,
    limit: int = OUTLINE_MAX,
) -> tuple[list[OutlineEntry], int]:
    """The top-level replies as "#N author: first words", and how many more there are."""
    top = [c for c in _readable(comments, ignored) if c.indent == 0]
    entries = [
        OutlineEntry(
            c.number,
            c.author,
            excerpt(html.unescape(_TAG_RE.sub(" ", _head(c.body_html))), EXCERPT_CHARS),
        )
        for c in top[:limit]
    ]
    return entries, max(0, len(top) - limit)
