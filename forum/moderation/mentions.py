"""Webmentions in the review queue: another site's page links to a thread, and a moderator
decides whether it shows under the thread ("Linked from: ...").

A mention has no author on the forum, so the rules about parties to an argument, flags and
the author's record don't apply: a moderator approves (it shows) or removes it (it never
does, unless its source later changes and it comes back for review).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from forum.cache import bump_thread
from forum.errors import PermissionDeniedError, ValidationError
from forum.extensions import db
from forum.models import (
    MentionStatus,
    QueueItem,
    QueueSource,
    QueueState,
    Thread,
    User,
    Webmention,
)
from forum.models.base import utcnow
from forum.moderation.audit import log_action
from forum.moderation.policy import REASON_MAX
from forum.moderation.review import can_moderate_post, close_item
from forum.text import clean_text

MENTION_DECISIONS = ("approve", "remove")
# Between a held comment (30) and an ordinary flag: nobody is harmed while a link waits.
PRIORITY = 5


def set_mention_status(mention: Webmention, status: str) -> None:
    """Change a mention's status (no commit), keeping its thread's count of shown mentions
    in step, so a thread page asks for mentions only when it has some."""
    was = mention.status == MentionStatus.APPROVED
    mention.status = status
    now = status == MentionStatus.APPROVED
    if was != now:
        db.session.execute(
            update(Thread)
            .where(Thread.id == mention.thread_id)
            .values(mention_count=Thread.mention_count + (1 if now else -1))
        )


def open_mention_item(mention: Webmention) -> QueueItem | None:
    return db.session.scalar(
        select(QueueItem).where(
            QueueItem.mention_id == mention.id, QueueItem.state == QueueState.OPEN
        )
    )


def queue_mention(mention: Webmention) -> QueueItem:
    """Put a verified mention (new, or changed since a moderator saw it) before a moderator
    (no commit); a mention already waiting keeps its item."""
    set_mention_status(mention, MentionStatus.PENDING)
    item = open_mention_item(mention)
    if item is None:
        item = QueueItem(
            thread_id=mention.thread_id,
            mention=mention,
            source=QueueSource.WEBMENTION,
            priority=PRIORITY,
            matches=[],
        )
        db.session.add(item)
    return item


def withdraw_mention(mention: Webmention) -> None:
    """The source no longer links, or is gone: hide the mention, forget its text and close
    a waiting item, with nobody's name on it (no commit)."""
    set_mention_status(mention, MentionStatus.GONE)
    mention.title = mention.author = mention.excerpt = ""
    db.session.execute(
        update(QueueItem)
        .where(QueueItem.mention_id == mention.id, QueueItem.state == QueueState.OPEN)
        .values(state=QueueState.DISMISSED, resolved_at=utcnow(), reason="the source withdrew")
        .execution_options(synchronize_session="fetch")
    )


def decide_mention(item: QueueItem, *, actor: User, decision: str, reason: str = "") -> QueueItem:
    """Approve a mention (it shows under its thread at once) or remove it (it never shows)."""
    mention = item.mention
    assert mention is not None
    if not can_moderate_post(actor, item.thread):
        raise PermissionDeniedError("This item is outside what you moderate.")
    if decision not in MENTION_DECISIONS:
        raise ValidationError(
            "A link from another site is approved or removed; it can't be edited.",
            fields={"decision": decision},
        )
    reason = clean_text(reason).strip()
    if len(reason) > REASON_MAX:
        raise ValidationError("Keep the reason short.", fields={"reason": "too long"})
    approve = decision == "approve"
    close_item(item, QueueState.APPROVED if approve else QueueState.REMOVED, actor, reason)
    set_mention_status(mention, MentionStatus.APPROVED if approve else MentionStatus.REJECTED)
    details: dict[str, Any] = {"source": item.source, "host": mention.source_host}
    log_action(
        "approve_mention" if approve else "remove_mention",
        actor=actor,
        target_type="mention",
        target_id=mention.id,
        reason=reason,
        details=details,
    )
    db.session.commit()
    bump_thread(mention.thread_id)  # the thread page shows it (or not) at once
    return item
