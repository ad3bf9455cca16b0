"""Atom feeds: which threads and comments go in them, and how the XML is written (feedgen).

Every id is a tag URI (RFC 4151) built only from database ids, never from titles or slugs,
so editing a title or renaming a tag never makes a reader show an entry twice:

    tag:<authority>,2026:thread:<thread id>        a thread's opening post (an entry)
    tag:<authority>,2026:comment:<comment id>      a comment (an entry)
    tag:<authority>,2026:feed:tag:<tag id>         a tag's feed (a merged tag's feed redirects,
                                                   so its readers end up on the target's id)
    tag:<authority>,2026:feed:thread:<thread id>   a thread's feed
    tag:<authority>,2026:feed:user:<user id>       a private feed; the user id, not the token,
                                                   so resetting the token keeps the feed's id

``<authority>`` is the site's host name (the routes pass the ``FEED_ID_AUTHORITY`` setting, or
the request's host without its port). The year is fixed: it dates when the authority was
ours, not the entry. Never change either once feeds are out, or every reader sees duplicates.

The service never calls ``url_for``: callers pass a :class:`UrlBuilder` making absolute URLs.
Every string reaching the XML goes through :func:`_xml_text`, because lxml refuses the control
characters XML 1.0 forbids and a single one would otherwise break the whole feed.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Protocol

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator
from sqlalchemy import func, select, update
from sqlalchemy.orm import aliased, selectinload

from forum.extensions import db
from forum.models import Comment, CommentStatus, Tag, TagLevel, TagSubscription, Thread, User
from forum.text import clean_line, sanitize_html
from forum.transactions import custom_plans

TAG_FEED_SIZE = 30
THREAD_FEED_SIZE = 50
PRIVATE_FEED_SIZE = 30
# Levels whose followers want new threads; muted is the opposite of following.
FEED_LEVELS = (TagLevel.NEW_THREADS, TagLevel.ALL, TagLevel.DAILY, TagLevel.WEEKLY)
ID_YEAR = "2026"
# secrets.token_urlsafe(32): 32 random bytes, 43 characters of [A-Za-z0-9_-].
TOKEN_BYTES = 32
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{43,64}")

# Characters XML 1.0 does not allow at all (lxml raises on them), plus the non-characters.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


class UrlBuilder(Protocol):
    """``url("threads.view", thread_id=1, slug="x")`` -> an absolute URL."""

    def __call__(self, endpoint: str, /, **values: Any) -> str: ...


# --- Queries --------------------------------------------------------------------------------


def tag_feed_threads(tag: Tag, *, limit: int = TAG_FEED_SIZE) -> list[Thread]:
    """The tag's newest threads, authors and tags loaded (two queries whatever the count)."""
    with custom_plans():  # a tag may have a handful of threads or most of them
        return list(
            db.session.scalars(
                select(Thread)
                .options(selectinload(Thread.tags))
                .where(Thread.tags.any(Tag.id == tag.id), Thread.status == CommentStatus.PUBLISHED)
                .order_by(Thread.created_at.desc(), Thread.id.desc())
                .limit(limit)
            )
        )


def thread_feed_comments(thread: Thread, *, limit: int = THREAD_FEED_SIZE) -> list[Comment]:
    """The thread's newest published comments; held, removed and deleted ones never appear."""
    return list(
        db.session.scalars(
            select(Comment)
            .where(Comment.thread_id == thread.id, Comment.status == CommentStatus.PUBLISHED)
            .order_by(Comment.created_at.desc(), Comment.id.desc())
            .limit(limit)
        )
    )


def followed_threads(user: User, *, limit: int = PRIVATE_FEED_SIZE) -> list[Thread]:
    """Newest threads in the tags ``user`` follows, leaving out any thread in a muted tag.

    A subscription to a tag since merged into another counts for the tag it now points at,
    as its address does. Muting wins over following: a thread in both is left out.
    """
    subscribed = aliased(Tag)

    def tag_ids(levels: Iterable[str]) -> Any:
        return (
            select(func.coalesce(subscribed.canonical_id, subscribed.id))
            .join(TagSubscription, TagSubscription.tag_id == subscribed.id)
            .where(TagSubscription.user_id == user.id, TagSubscription.level.in_(list(levels)))
        )

    return list(
        db.session.scalars(
            select(Thread)
            .options(selectinload(Thread.tags))
            .where(Thread.tags.any(Tag.id.in_(tag_ids(FEED_LEVELS))))
            .where(~Thread.tags.any(Tag.id.in_(tag_ids([TagLevel.MUTED]))))
            .where(Thread.status == CommentStatus.PUBLISHED)
            .order_by(Thread.created_at.desc(), Thread.id.desc())
            .limit(limit)
        )
    )


def user_for_feed_token(token: str) -> User | None:
    """The owner of a private feed token, or None (malformed tokens cost no query)."""
    if not TOKEN_RE.fullmatch(token):
        return None
    return db.session.scalar(select(User).where(User.feed_token == token))


def new_feed_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def ensure_feed_token(user: User) -> str:
    """The user's feed token, created on first use.

    Set only where still empty, so two first visits at once agree on one token instead of
    the second silently replacing the URL the first one showed.
    """
    if user.feed_token is None:
        db.session.execute(
            update(User)
            .where(User.id == user.id, User.feed_token.is_(None))
            .values(feed_token=new_feed_token())
        )
        db.session.commit()
        db.session.refresh(user)
    assert user.feed_token is not None
    return user.feed_token


def reset_feed_token(user: User) -> str:
    """Give the user a new feed token; the old private URL stops working at once."""
    user.feed_token = new_feed_token()
    db.session.commit()
    return user.feed_token


# --- Building -------------------------------------------------------------------------------


def _xml_text(value: str) -> str:
    return _XML_INVALID.sub("", value)


def _line(value: str, fallback: str) -> str:
    """A one-line field (title, name) as plain text XML can carry."""
    # XML-invalid characters go first, so the space they leave is collapsed too.
    return clean_line(_xml_text(value)) or fallback


def _html(value: str) -> str:
    """Stored HTML, cleaned again: feed readers don't share our CSP, so a row cleaned under an
    older, looser allow-list must not reach them as it is. Cleaning clean HTML is a no-op."""
    return _xml_text(sanitize_html(value))


def _uri(authority: str, *parts: object) -> str:
    return f"tag:{authority},{ID_YEAR}:" + ":".join(str(p) for p in parts)


def thread_entry_id(thread: Thread, authority: str) -> str:
    return _uri(authority, "thread", thread.id)


def comment_entry_id(comment: Comment, authority: str) -> str:
    return _uri(authority, "comment", comment.id)


def _thread_url(thread: Thread, url: UrlBuilder, **values: Any) -> str:
    return url("threads.view", thread_id=thread.id, slug=thread.slug, **values)


def _author(entry: FeedEntry, user: User, url: UrlBuilder) -> None:
    entry.author(name=_line(user.username, "someone"), uri=url("users.profile", name=user.username))


def _updated(thread_or_comment: Thread | Comment) -> datetime:
    return thread_or_comment.edited_at or thread_or_comment.created_at


def _feed(
    *, feed_id: str, title: str, self_url: str, page_url: str, updated: datetime
) -> FeedGenerator:
    feed = FeedGenerator()
    feed.id(feed_id)
    feed.title(title)
    feed.updated(updated)
    feed.link(href=self_url, rel="self", type="application/atom+xml")
    feed.link(href=page_url, rel="alternate", type="text/html")
    feed.language("en")
    # Replaces feedgen's default, which advertises the library and its version.
    feed.generator("Forum")
    return feed


def _newest(times: Sequence[datetime], fallback: datetime) -> datetime:
    return max(times, default=fallback)


def _add_thread_entry(feed: FeedGenerator, thread: Thread, url: UrlBuilder, authority: str) -> None:
    entry = feed.add_entry(order="append")
    entry.id(thread_entry_id(thread, authority))
    entry.title(_line(thread.title, "Untitled thread"))
    entry.link(href=_thread_url(thread, url), rel="alternate", type="text/html")
    _author(entry, thread.author, url)
    entry.published(thread.created_at)
    entry.updated(_updated(thread))
    for tag in thread.tags:
        entry.category(term=_xml_text(tag.slug), label=_line(tag.name, tag.slug))
    entry.content(_html(thread.body_html), type="html")


def _thread_list_feed(
    feed: FeedGenerator, threads: Sequence[Thread], url: UrlBuilder, authority: str
) -> bytes:
    for thread in threads:
        _add_thread_entry(feed, thread, url, authority)
    return feed.atom_str(pretty=True)


def build_tag_feed(
    tag: Tag, threads: Sequence[Thread], *, url: UrlBuilder, authority: str
) -> bytes:
    """The tag's threads (newest first, as given) as Atom XML."""
    feed = _feed(
        feed_id=_uri(authority, "feed", "tag", tag.id),
        title=f"Threads tagged {_line(tag.name, tag.slug)}",
        self_url=url("feeds.tag_feed", slug=tag.slug),
        page_url=url("tags.view", slug=tag.slug),
        updated=_newest([_updated(t) for t in threads], tag.created_at),
    )
    if description := _line(tag.description, ""):
        feed.subtitle(description)
    return _thread_list_feed(feed, threads, url, authority)


def build_thread_feed(
    thread: Thread, comments: Sequence[Comment], *, url: UrlBuilder, authority: str
) -> bytes:
    """The thread's comments (newest first, as given), then its opening post, as Atom XML."""
    title = _line(thread.title, "Untitled thread")
    feed = _feed(
        feed_id=_uri(authority, "feed", "thread", thread.id),
        title=f"Comments on {title}",
        self_url=url("feeds.thread_feed", thread_id=thread.id),
        page_url=_thread_url(thread, url),
        updated=_newest([_updated(c) for c in comments], _updated(thread)),
    )
    for comment in comments:
        entry = feed.add_entry(order="append")
        entry.id(comment_entry_id(comment, authority))
        entry.title(f"#{comment.number} by {_line(comment.author.username, 'someone')}")
        entry.link(
            href=_thread_url(thread, url, _anchor=f"c{comment.number}"),
            rel="alternate",
            type="text/html",
        )
        _author(entry, comment.author, url)
        entry.published(comment.created_at)
        entry.updated(_updated(comment))
        entry.content(_html(comment.body_html), type="html")
    # The opening post is older than any comment, so it always comes last.
    _add_thread_entry(feed, thread, url, authority)
    return feed.atom_str(pretty=True)


def build_private_feed(
    user: User, threads: Sequence[Thread], *, url: UrlBuilder, authority: str
) -> bytes:
    """New threads in the user's followed tags as Atom XML; its self link holds the token."""
    feed = _feed(
        feed_id=_uri(authority, "feed", "user", user.id),
        title="New threads in the tags you follow",
        self_url=url("feeds.private_feed", token=user.feed_token),
        page_url=url("threads.home"),
        updated=_newest([_updated(t) for t in threads], user.created_at),
    )
    return _thread_list_feed(feed, threads, url, authority)
