"""Screening a post before it is published: the rules in context, the nudge, holds and
new accounts' first posts."""

from __future__ import annotations

import logging
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import (
    Comment,
    CommentStatus,
    NotificationKind,
    QueueItem,
    QueueSource,
    QueueState,
    Thread,
    User,
)
from forum.moderation import Assessment, assess
from forum.moderation.audit import log_action
from forum.moderation.common import Post, about, post_kind, post_text
from forum.moderation.policy import (
    PRIORITY,
    opening_post_text,
)
from forum.moderation.rules import Context
from forum.moderation.rules_admin import effective_rules
from forum.subscriptions import service as subscriptions

log = logging.getLogger(__name__)


# The people of a thread are read from its latest comments only: reading every comment's
# author made each post in a 10,000-comment thread cost 10 ms more than one in a short thread,
# and more again as the thread grew. The (thread, number) index reads them newest first.
PARTICIPANTS_FROM_LATEST = 2000


def thread_participants(thread: Thread, *, exclude: User | None = None) -> list[str]:
    """Names of the people in a thread, so "Jody is a shill" reads as aimed at a person: its
    author and whoever wrote one of its latest ``PARTICIPANTS_FROM_LATEST`` comments."""
    latest = (
        select(Comment.author_id)
        .where(Comment.thread_id == thread.id)
        .order_by(Comment.number.desc())
        .limit(PARTICIPANTS_FROM_LATEST)
        .subquery()
    )
    names = set(
        db.session.scalars(select(User.username).where(User.id.in_(select(latest.c.author_id))))
    )
    names.add(thread.author.username)
    if exclude is not None:
        names.discard(exclude.username)
    return sorted(names)


def screen_text(
    text: str, *, thread: Thread | None, author: User, parent: Comment | None = None
) -> Assessment:
    """Run the effective rules (and the shipped scorer) over a comment before it is posted,
    in its context: the comment it answers (or the opening post) and the thread's people."""
    participants = thread_participants(thread, exclude=author) if thread else []
    tags = [t.slug for t in thread.tags] if thread else []
    assessment = assess(
        text,
        participants,
        rules=effective_rules(),
        tags=tags,
        context=reply_context(thread, parent, author),
        use_scorer=True,
    )
    if assessment.timed_out:
        log.warning("moderation rules ran out of time and were skipped: %s", assessment.timed_out)
    return assessment


def reply_context(thread: Thread | None, parent: Comment | None, author: User) -> Context:
    """Whom a reply answers: the parent comment's author and words, or the opening post's
    for a reply at the top; nobody for one's own words or a new thread."""
    if thread is None:
        return Context()
    answered: Post = parent if parent is not None else thread
    if answered.author_id == author.id or not answered.is_visible:
        return Context(thread_title=thread.title)
    return Context(
        parent_author=answered.author.username,
        parent_text=post_text(answered),
        thread_title=thread.title,
    )


def screen_opening_post(
    title: str, body: str, *, author: User, thread: Thread | None = None
) -> Assessment:
    """Screen a thread's title and opening post together, as a reply is screened (a new
    thread has no participants yet; an edited one has its thread's)."""
    return screen_text(opening_post_text(title, body), thread=thread, author=author)


def needs_new_user_review(author: User, review_count: int | None = None) -> bool:
    """A new account's first ``review_count`` posts (comments or threads) wait for a
    moderator (setting)."""
    if review_count is None:
        review_count = current_app.config["NEW_USER_REVIEW_COUNT"]
    if review_count <= 0 or author.is_moderator:
        return False
    return published_posts(author, limit=review_count) < review_count


def published_posts(author: User, *, limit: int) -> int:
    """How many of the author's comments and threads are published, counted up to ``limit``
    (enough to decide; a prolific author's whole history is not read)."""
    counted = 0
    for model in (Comment, Thread):
        mine = (
            select(model.id)
            .where(model.author_id == author.id, model.status == CommentStatus.PUBLISHED)
            .limit(limit - counted)
            .subquery()
        )
        counted += db.session.scalar(select(func.count()).select_from(mine)) or 0
        if counted >= limit:
            break
    return counted


def matches_json(assessment: Assessment) -> list[dict[str, Any]]:
    return [
        {
            "rule_id": m.rule_id,
            "start": m.start,
            "end": m.end,
            "explanation": m.explanation,
            "action": m.action,
            "sentence_start": m.sentence_start,
            "sentence_end": m.sentence_end,
        }
        for m in assessment.matches
    ]


def open_item(post: Post) -> QueueItem | None:
    """The post's open queue item, if a moderator still has to look at it."""
    return db.session.scalar(
        select(QueueItem).where(about(QueueItem, post), QueueItem.state == QueueState.OPEN)
    )


def enqueue(
    post: Post,
    source: str,
    *,
    priority: int,
    assessment: Assessment | None = None,
) -> QueueItem:
    """Add the post to the queue, or raise the priority of its open item."""
    item = open_item(post)
    if item is None:
        item = QueueItem(
            thread_id=post.thread_id,
            comment_id=post.id if isinstance(post, Comment) else None,
            source=source,
            priority=priority,
            matches=[],
        )
        db.session.add(item)
    item.priority = max(item.priority or 0, priority)
    if assessment is not None:
        item.matches = matches_json(assessment)
        item.score = assessment.score
    return item


def record_screening(
    post: Post, assessment: Assessment, *, queue: str | None, nudged: bool
) -> None:
    """Log and queue what the rules did to a post that was just written or edited, and tell
    its author when it waits for a moderator (no commit)."""
    if queue is None and not nudged and not assessment.matches:
        return
    if nudged and not assessment.matches:
        action = "author_rephrased"
    elif queue == QueueSource.NEW_USER:
        action = "new_user_hold"
    else:
        action = f"rules_{assessment.action}"
    row = log_action(
        action,
        actor=None,
        target_type=post_kind(post),
        target_id=post.id,
        subject=post.author,
        details={"rules": list(assessment.rule_ids), "posted_anyway": bool(assessment.matches)},
    )
    if queue is None:
        return
    priority = PRIORITY["hold"] if assessment.action == "hold" else PRIORITY["flag"]
    if queue == QueueSource.NEW_USER:
        priority = PRIORITY["new_user"]
    enqueue(post, queue, priority=priority, assessment=assessment)
    if post.status == CommentStatus.PENDING:
        db.session.flush()
        subscriptions.tell_author(post, NotificationKind.COMMENT_HELD, event=row.id)
