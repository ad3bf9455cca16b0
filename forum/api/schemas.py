"""JSON shapes of the API: plain functions from models to dicts.

URLs are passed in by the route layer, so nothing here needs a request or ``url_for``. The
shapes are declared as models in :mod:`forum.api.shapes` (the document is built from them);
plain dicts are kept here because the list endpoints are hot, and tests/api/test_shapes.py
validates real answers against the models so the two can't drift.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from forum.models import (
    Comment,
    CommentStatus,
    Flag,
    Notification,
    QueueItem,
    Tag,
    TagSubscription,
    Thread,
)
from forum.search.rules import PAGE_SIZE
from forum.search.service import SearchHit, SearchResults

JSON = dict[str, Any]


def isotime(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a ``Z``, the form JavaScript's ``Date`` and RFC 3339 both read."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def thread_summary(thread: Thread, *, url: str) -> JSON:
    """A thread as listings show it; ``url`` is the absolute address of its page. A deleted
    opening post shows no author, as the page shows "[deleted]"."""
    deleted = thread.status == CommentStatus.DELETED
    return {
        "id": thread.id,
        "title": thread.title,
        "slug": thread.slug,
        "url": url,
        "author": None if deleted else thread.author.username,
        "created_at": isotime(thread.created_at),
        "last_activity_at": isotime(thread.last_activity_at),
        "comment_count": thread.comment_count,
        "tags": [tag.slug for tag in thread.tags],
        "status": str(thread.status),
        "locked": thread.is_locked,
        "lock_reason": thread.lock_reason,
    }


def thread_detail(thread: Thread, *, url: str, comments: list[Comment] | None = None) -> JSON:
    """The summary plus the rendered body and, when given, the comments the viewer may see."""
    data = thread_summary(thread, url=url)
    data["body_html"] = thread.body_html
    data["edited_at"] = isotime(thread.edited_at)
    if comments is not None:
        data["comments"] = [comment_data(comment) for comment in comments]
    return data


def comment_data(comment: Comment) -> JSON:
    """One comment; a deleted one keeps its place in the tree but shows no text or author.

    The site shows "[deleted]" for both, so the API must not reveal more than the page does.
    """
    deleted = comment.status == CommentStatus.DELETED
    return {
        "id": comment.id,
        "thread_id": comment.thread_id,
        "number": comment.number,
        "parent_id": comment.parent_id,
        "author": None if deleted else comment.author.username,
        "created_at": isotime(comment.created_at),
        "edited_at": None if deleted else isotime(comment.edited_at),
        "body_html": "" if deleted else comment.body_html,
        "status": str(comment.status),
    }


def tag_data(tag: Tag, thread_count: int) -> JSON:
    return {
        "slug": tag.slug,
        "name": tag.name,
        "description": tag.description,
        "thread_count": thread_count,
    }


def flag_data(flag: Flag, *, hidden: bool) -> JSON:
    """The flag as its reader sent it; ``hidden`` is true once flags hid the post (a comment,
    or with no comment id the thread's opening post)."""
    return {
        "id": flag.id,
        "thread_id": flag.thread_id,
        "comment_id": flag.comment_id,
        "reason": str(flag.reason),
        "created_at": isotime(flag.created_at),
        "hidden": hidden,
    }


# The rule-match fields a moderator needs to highlight the text; stored rows may carry more.
MATCH_FIELDS = ("rule_id", "start", "end", "explanation", "action")


def queue_item_data(
    item: QueueItem, *, thread_url: str, flags: list[Flag], record: dict[str, int]
) -> JSON:
    """A queue item with what a moderator needs to decide without another request.

    Flags carry what was said, never who said it: flaggers stay anonymous to the API, so a
    leaked moderator token can't be used to find and pressure the people who reported.
    """
    comment, thread = item.comment, item.thread
    about: JSON = {"id": thread.id, "title": thread.title, "url": thread_url}
    if comment is None:
        # The item is about the thread's opening post: its source, which match offsets index
        # as "title, blank line, body" (forum.moderation.policy.opening_post_text).
        about.update(status=str(thread.status), body=thread.body_src)
    return {
        "id": item.id,
        "kind": "thread" if comment is None else "comment",
        # Moderators judge the source text; a deleted comment's source is already blank.
        "comment": None if comment is None else {**comment_data(comment), "body": comment.body_src},
        "thread": about,
        "source": str(item.source),
        "state": str(item.state),
        "priority": item.priority,
        "created_at": isotime(item.created_at),
        "matches": [
            {name: match.get(name) for name in MATCH_FIELDS} for match in item.matches or []
        ],
        "flags": [
            {
                "reason": str(flag.reason),
                "note": flag.note,
                "excerpt": flag.excerpt,
                "created_at": isotime(flag.created_at),
            }
            for flag in flags
        ],
        "author_record": dict(record),
    }


def tag_subscription_data(tag: Tag, subscription: TagSubscription) -> JSON:
    return {
        "tag": tag.slug,
        "name": tag.name,
        "level": str(subscription.level),
        "created_at": isotime(subscription.created_at),
    }


def thread_subscription_data(thread: Thread, *, muted: bool, url: str) -> JSON:
    return {"thread_id": thread.id, "title": thread.title, "url": url, "muted": muted}


def notification_data(
    notification: Notification, *, thread_url: str | None, comment_url: str | None
) -> JSON:
    """One notification; the note is moderators' plain text, never user content."""
    return {
        "id": notification.id,
        "kind": str(notification.kind),
        "read": notification.read_at is not None,
        "created_at": isotime(notification.created_at),
        "actor": notification.actor.username if notification.actor else None,
        "thread_id": notification.thread_id,
        "thread_url": thread_url,
        "comment_id": notification.comment_id,
        "comment_url": comment_url,
        "note": notification.note,
    }


def search_result_data(hit: SearchHit, *, url: str) -> JSON:
    """One search hit; the snippet is pieces of plain text, never HTML, so clients choose how
    to mark the matches and can't be handed markup by a post's author."""
    comment = hit.comment
    return {
        "type": hit.kind,
        "thread_id": hit.thread.id,
        "comment_id": comment.id if comment else None,
        "number": comment.number if comment else None,
        "title": hit.thread.title,
        "author": hit.author.username,
        "created_at": isotime(hit.created_at),
        "url": url,
        "tags": [tag.slug for tag in hit.thread.tags],
        "snippet": [{"text": piece.text, "match": piece.match} for piece in hit.snippet],
    }


def search_page_data(results: SearchResults, *, urls: list[str]) -> JSON:
    return {
        "query": results.query.text,
        "results": [
            search_result_data(hit, url=url) for hit, url in zip(results.hits, urls, strict=True)
        ],
        "total": results.total,
        "total_is_capped": results.total_is_capped,
        "page": results.page,
        "per_page": PAGE_SIZE,
        "next_page": results.next_page,
        "message": results.message,
        "did_you_mean": results.did_you_mean,
    }
