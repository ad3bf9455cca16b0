"""JSON shapes of the API: plain functions from models to dicts.

URLs are passed in by the route layer, so nothing here needs a request or ``url_for``; the
shapes are the ones documented in :mod:`forum.api.openapi`, and the tests hold them together.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from forum.models import Comment, CommentStatus, Tag, Thread

JSON = dict[str, Any]


def isotime(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a ``Z``, the form JavaScript's ``Date`` and RFC 3339 both read."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def thread_summary(thread: Thread, *, url: str) -> JSON:
    """A thread as listings show it; ``url`` is the absolute address of its page."""
    return {
        "id": thread.id,
        "title": thread.title,
        "slug": thread.slug,
        "url": url,
        "author": thread.author.username,
        "created_at": isotime(thread.created_at),
        "last_activity_at": isotime(thread.last_activity_at),
        "comment_count": thread.comment_count,
        "tags": [tag.slug for tag in thread.tags],
    }


def thread_detail(thread: Thread, *, url: str, comments: list[Comment] | None = None) -> JSON:
    """The summary plus the rendered body and, when given, the comments the viewer may see."""
    data = thread_summary(thread, url=url)
    data["body_html"] = thread.body_html
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
