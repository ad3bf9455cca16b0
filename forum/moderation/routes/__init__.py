"""Moderation's pages: one blueprint, ``moderation``, with a module of views per use case.

- ``dashboard``: the moderators' dashboard and log, and the public record of moderation;
- ``queue``: the review queue, item by item or several items at once;
- ``sanctions``: a person's record, warnings, suspensions and a moderator's tag scope;
- ``rules_admin``: the rules list, and writing a rule with a dry run over recent comments;
- ``members``: what every member meets: the live check as they write, the flag and appeal forms;
- ``on_page``: removing, restoring, locking and pinning from the thread page.

Plain HTML forms throughout, so every action works without JavaScript. Permissions: anonymous
people are sent to sign in, members get 403, and an item outside a moderator's tag scope is a
404 so its id can't be probed.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, url_for
from flask_login import current_user

from forum import permissions
from forum.models import Comment, Thread
from forum.moderation.policy import FLAG_REASONS, REMOVAL_CATEGORIES, UNCOUNTED_LABELS

bp = Blueprint("moderation", __name__)

SOURCE_LABELS = {
    "rules": "Rules",
    "flags": "Flags",
    "new_user": "New account",
    "appeal": "Appeal",
    "webmention": "Linked from",
}


@bp.app_context_processor
def _moderation_globals() -> dict[str, Any]:
    return {
        "flag_reasons": FLAG_REASONS,
        "source_labels": SOURCE_LABELS,
        "removal_categories": REMOVAL_CATEGORIES,
        "uncounted_labels": UNCOUNTED_LABELS,
    }


def _require_moderator() -> None:
    if not permissions.can_moderate(current_user):
        abort(403)


def _post_url(post: Comment | Thread) -> str:
    """The post's place in its thread; works even once flags have hidden it from readers."""
    if isinstance(post, Thread):
        return url_for("threads.view", thread_id=post.id, slug=post.slug)
    thread = post.thread
    return url_for("threads.view", thread_id=thread.id, slug=thread.slug, _anchor=f"c{post.number}")


# Each route module registers its views on ``bp`` and so imports it from here: they come last,
# once ``bp`` and the helpers above exist, which is what lets that circular import work.
from forum.moderation.routes import (  # noqa: E402, F401
    dashboard,
    members,
    on_page,
    queue,
    rules_admin,
    sanctions,
)
