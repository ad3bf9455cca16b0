"""Webmention use cases: accept a request, verify it in the worker, list what a thread shows.

``receive`` only checks the request and queues the verification (the receiver answers 202
at once, as the W3C Recommendation allows); ``verify`` runs as an outbox job: it fetches
the source within the limits of forum.webmention.fetch, and then

- the source links to the target: a new mention, or one whose title, author or excerpt
  changed, goes to the review queue (again); an unchanged one stays as it was decided;
- it no longer links, or answers 404 or 410: an existing mention is withdrawn (hidden, its
  text forgotten); a new one is never stored;
- it can't be read within the limits (too slow, too large, not HTML, a private address):
  nothing changes, and the reason is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from forum import outbox, permissions
from forum.cache import bump_thread
from forum.errors import ForumError
from forum.extensions import db
from forum.models import Comment, MentionStatus, Thread, Webmention
from forum.models.base import utcnow
from forum.moderation.mentions import queue_mention, withdraw_mention
from forum.webmention import parse
from forum.webmention.fetch import Fetched, FetchError, FetchLimits, fetch
from forum.webmention.rules import host_of, mention_key, request_problem

VERIFY = "webmention.verify"

log = logging.getLogger(__name__)


class MentionRefusedError(ForumError):
    """A request the receiver answers with 400 and this message (W3C Webmention 3.2.1)."""


@dataclass(frozen=True)
class TargetPage:
    """What a target URL names on this site: a thread's page, or a comment's permalink."""

    thread_id: int | None = None
    comment_id: int | None = None


def receive(source: str, target: str, *, page: TargetPage | None) -> None:
    """Check a request and queue its verification (commits). ``page`` is what the target's
    path names here, or None when it names no thread or comment."""
    problem = request_problem(source, target)
    if problem:
        raise MentionRefusedError(problem)
    thread = _public_thread(page) if page is not None else None
    if thread is None:
        raise MentionRefusedError("The target is not a thread or comment on this site.")
    outbox.emit(VERIFY, source=source, target=target, thread_id=thread.id)
    db.session.commit()


def _public_thread(page: TargetPage) -> Thread | None:
    """The thread of the page, if anyone may read it (and the comment, if one is named)."""
    thread: Thread | None
    if page.comment_id is not None:
        comment = db.session.get(Comment, page.comment_id)
        if comment is None or not permissions.can_view_comment(None, comment):
            return None
        thread = comment.thread
    else:
        thread = db.session.get(Thread, page.thread_id)
    return thread if thread is not None and permissions.can_view_thread(None, thread) else None


def verify(
    source: str,
    target: str,
    thread_id: int,
    *,
    limits: FetchLimits,
    fetcher: Callable[[str, FetchLimits], Fetched] = fetch,
) -> str:
    """Fetch ``source`` and bring its mention of ``target`` up to date (commits); returns
    what happened ("queued", "unchanged", "withdrawn", "ignored" or "unreachable")."""
    try:
        page = fetcher(source, limits)
    except FetchError as exc:
        log.info("webmention from %s not verified: %s", host_of(source), exc)
        return "unreachable"
    mention = db.session.scalar(
        select(Webmention).where(Webmention.key == mention_key(source, target))
    )
    entry = None
    if not page.gone:
        entry = parse.read_source(parse.decode(page.body, page.charset), page.url, target)
    if entry is None:
        return _withdraw(mention)
    thread = db.session.get(Thread, thread_id)
    if thread is None or not permissions.can_view_thread(None, thread):
        return "ignored"
    if mention is None:
        mention = Webmention(
            key=mention_key(source, target),
            thread_id=thread.id,
            source=source,
            target=target,
            source_host=host_of(source),
        )
        db.session.add(mention)
    changed = (mention.title, mention.author, mention.excerpt) != (
        entry.title,
        entry.author,
        entry.excerpt,
    )
    mention.title, mention.author, mention.excerpt = entry.title, entry.author, entry.excerpt
    mention.verified_at = utcnow()
    outcome = "unchanged"
    if changed or mention.status == MentionStatus.GONE:
        was_shown = mention.status == MentionStatus.APPROVED
        db.session.flush()
        queue_mention(mention)
        outcome = "queued"
        if was_shown:
            # Changed text is not shown until a moderator has read it.
            db.session.commit()
            bump_thread(mention.thread_id)
            return outcome
    db.session.commit()
    return outcome


def _withdraw(mention: Webmention | None) -> str:
    if mention is None or mention.status == MentionStatus.GONE:
        db.session.rollback()
        return "ignored"
    was_shown = mention.status == MentionStatus.APPROVED
    withdraw_mention(mention)
    db.session.commit()
    if was_shown:
        bump_thread(mention.thread_id)
    return "withdrawn"


def shown_mentions(thread: Thread) -> list[Webmention]:
    """The approved mentions of a thread, oldest first: one query, and none at all for a
    thread without any (its ``mention_count``)."""
    if not thread.mention_count:
        return []
    return list(
        db.session.scalars(
            select(Webmention)
            .where(
                Webmention.thread_id == thread.id,
                Webmention.status == MentionStatus.APPROVED,
            )
            .order_by(Webmention.id)
        )
    )
