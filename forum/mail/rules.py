"""Pure rules for mail: who gets an immediate mail and why, and when a digest is due."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta

NEW_THREAD = "new_thread"
NEW_COMMENT = "new_comment"
KINDS = (NEW_THREAD, NEW_COMMENT)

# Tag levels (forum.models.TagLevel values), spelled out so this module stays pure.
NEW_THREADS = "new_threads"
ALL = "all"
MUTED = "muted"
DAILY = "daily"
WEEKLY = "weekly"
DIGESTS = (DAILY, WEEKLY)
PERIODS = {DAILY: timedelta(days=1), WEEKLY: timedelta(weeks=1)}


@dataclass(frozen=True)
class Reason:
    """Why someone gets a mail: a tag (``what="tag"``) or a thread they follow.

    It is also what the mail's unsubscribe link stops.
    """

    what: str
    id: int

    @property
    def scope(self) -> str:
        return f"{self.what}:{self.id}"


def immediate_reason(
    kind: str,
    *,
    recipient_id: int,
    author_id: int,
    thread_id: int,
    tag_levels: Mapping[int, str],
    thread_follow: bool | None,
) -> Reason | None:
    """The reason to mail ``recipient_id`` about a new thread or comment, or None.

    ``tag_levels`` maps the thread's tags the recipient follows to their level;
    ``thread_follow`` is True (follows the thread), False (muted it) or None.
    Nobody is mailed about their own post. A choice made about the thread itself beats the
    tags: a muted thread stays silent, and a followed one is heard (for comments) even in a
    muted tag, as the in-site fan-out decides (forum.subscriptions.fanout). Otherwise a
    muted tag silences the thread, as it does in the site.
    """
    if recipient_id == author_id or thread_follow is False:
        return None
    if kind == NEW_COMMENT and thread_follow:
        return Reason("thread", thread_id)
    if MUTED in tag_levels.values():
        return None
    wanted = (NEW_THREADS, ALL) if kind == NEW_THREAD else (ALL,)
    tags = sorted(tag_id for tag_id, level in tag_levels.items() if level in wanted)
    return Reason("tag", tags[0]) if tags else None


def period_start(kind: str, now: datetime) -> datetime:
    """Start of the digest period holding ``now``: UTC midnight, or Monday's for weekly."""
    start = datetime.combine(now.date(), time(0), tzinfo=now.tzinfo)
    if kind == WEEKLY:
        start -= timedelta(days=now.weekday())
    return start


def digest_key(kind: str, now: datetime) -> str:
    """The delivery key of a digest: one per person per period, so a rerun sends nothing."""
    return f"digest:{kind}:{period_start(kind, now).date().isoformat()}"


def digest_since(kind: str, last_sent: datetime | None, now: datetime) -> datetime:
    """Threads newer than this go in the digest: since the last one, or one period back."""
    return last_sent if last_sent is not None else now - PERIODS[kind]
