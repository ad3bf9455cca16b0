"""Moderators' decisions on posts: approve, remove with a reason, restore, edit, in bulk."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from forum.cache import bump_thread
from forum.errors import ConflictError, PermissionDeniedError, ValidationError
from forum.extensions import db
from forum.models import (
    Comment,
    CommentRevision,
    CommentStatus,
    Flag,
    NotificationKind,
    QueueItem,
    QueueState,
    ThreadRevision,
    User,
)
from forum.models.base import utcnow
from forum.moderation.audit import log_action
from forum.moderation.common import Post, about, noun, post_kind
from forum.moderation.mentions import decide_mention
from forum.moderation.policy import (
    REASON_MAX,
    REMOVAL_CATEGORIES,
    default_category,
)
from forum.moderation.review import (
    can_moderate_post,
    check_may_decide,
    close_item,
    decision_conflicts,
    flags_for,
    set_status,
)
from forum.moderation.screening import open_item
from forum.subscriptions import service as subscriptions
from forum.text import clean_text, render_markdown

# --------------------------------------------------------------------------- decisions


def _settle_flags(post: Post, outcome: str) -> None:
    db.session.execute(
        update(Flag).where(about(Flag, post), Flag.outcome.is_(None)).values(outcome=outcome)
    )


DECISIONS = ("approve", "remove", "edit_approve", "dismiss")


def removal_category(category: str | None, item: QueueItem | None, post: Post) -> str:
    """The category readers will see: the moderator's choice, else the likeliest one."""
    if category:
        if category not in REMOVAL_CATEGORIES:
            choices = ", ".join(REMOVAL_CATEGORIES)
            raise ValidationError(
                f"Choose what kind of problem it was: one of {choices}.",
                fields={"category": f"one of {choices}"},
            )
        return category
    reasons = [f.reason for f in flags_for(post)]
    return default_category(reasons, rule_matched=bool(item and item.matches))


def _revise(post: Post, body: str, *, editor: User, now: datetime) -> None:
    """Replace a post's text, keeping the earlier one as a revision (no commit)."""
    if isinstance(post, Comment):
        db.session.add(CommentRevision(comment=post, body_src=post.body_src, editor_id=editor.id))
    else:
        db.session.add(
            ThreadRevision(
                thread_id=post.id,
                title=post.title,
                body_src=post.body_src,
                tags=[t.slug for t in post.tags],
                editor_id=editor.id,
            )
        )
    post.body_src = body
    post.body_html = render_markdown(body)
    post.edited_at = now


def decide(
    item: QueueItem,
    *,
    actor: User,
    decision: str,
    reason: str = "",
    body: str | None = None,
    category: str | None = None,
    override: bool = False,
) -> QueueItem:
    """Approve, remove (with a reason the author sees and a category readers see),
    edit-and-approve, or dismiss flags. A moderator who takes part in the argument can't
    decide it; an admin may ``override`` that, and the log says so. A webmention is
    approved or removed (forum.moderation.mentions)."""
    if item.mention_id is not None:
        return decide_mention(item, actor=actor, decision=decision, reason=reason)
    post = item.post
    if not can_moderate_post(actor, post):
        raise PermissionDeniedError("This item is outside what you moderate.")
    if item.state != QueueState.OPEN:
        raise ConflictError("Another moderator has already decided this item.")
    if decision not in DECISIONS:
        raise ValidationError(
            f"Decision must be one of {', '.join(DECISIONS)}.", fields={"decision": decision}
        )
    overridden = check_may_decide(actor, post, override=override)
    reason = clean_text(reason).strip()
    if body is not None:
        body = clean_text(body)
    if len(reason) > REASON_MAX:
        raise ValidationError("Keep the reason short.", fields={"reason": "too long"})
    was_hidden = post.status in (CommentStatus.PENDING, CommentStatus.REMOVED)
    details: dict[str, Any] = {"source": item.source}
    if overridden:
        details["override"] = overridden
    if decision == "remove":
        if not reason:
            raise ValidationError(
                "Give the author a reason for the removal.", fields={"reason": "required"}
            )
        details["category"] = _remove(post, reason, removal_category(category, item, post))
        close_item(item, QueueState.REMOVED, actor, reason)
    else:
        if decision == "edit_approve":
            if body is None or not body.strip():
                raise ValidationError("The edited text is empty.", fields={"body": "required"})
            _revise(post, body, editor=actor, now=utcnow())
            details["edited"] = True
        if post.status in (CommentStatus.PENDING, CommentStatus.REMOVED):
            set_status(post, CommentStatus.PUBLISHED)
            post.removal_reason = post.removal_category = ""
        _settle_flags(post, "dismissed")
        close_item(
            item,
            QueueState.DISMISSED if decision == "dismiss" else QueueState.APPROVED,
            actor,
            reason,
        )
    _log_and_announce(post, decision, actor=actor, reason=reason, details=details,
                      was_hidden=was_hidden)  # fmt: skip
    return item


def _log_and_announce(
    post: Post,
    action: str,
    *,
    actor: User,
    reason: str,
    details: dict[str, Any],
    was_hidden: bool,
) -> None:
    """Log a decision on ``post``, tell those it concerns, commit, and refresh its page."""
    row = log_action(
        action,
        actor=actor,
        target_type=post_kind(post),
        target_id=post.id,
        subject=post.author,
        reason=reason,
        details=details,
    )
    db.session.flush()
    _announce(post, action, reason=reason, was_hidden=was_hidden, actor=actor, event=row.id)
    db.session.commit()
    bump_thread(post.thread_id)  # page cache (issue 6)


def _remove(post: Post, reason: str, category: str) -> str:
    """Take a post down with the author's reason and the readers' category (no commit)."""
    set_status(post, CommentStatus.REMOVED)
    post.removal_reason = reason
    post.removal_category = category
    _settle_flags(post, "upheld")
    return category


def published(post: Post) -> None:
    """A post just became public (posted, or approved after a hold): tell those it would
    have reached had it been published at once (no commit)."""
    if isinstance(post, Comment):
        subscriptions.comment_published(post)
    else:
        subscriptions.thread_published(post)


def _announce(
    post: Post, decision: str, *, reason: str, was_hidden: bool, actor: User, event: int
) -> None:
    """After a decision: the author and flaggers hear the outcome; content held back until
    now reaches the people it would have reached when it was posted."""
    if decision == "remove":
        subscriptions.tell_author(
            post, NotificationKind.COMMENT_REMOVED, event=event, actor=actor, note=reason
        )
    elif was_hidden:
        subscriptions.tell_author(post, NotificationKind.COMMENT_APPROVED, event=event)
        published(post)
    flaggers = db.session.scalars(select(Flag.user_id).where(about(Flag, post)))
    outcome = "removed" if decision == "remove" else "left up"
    subscriptions.tell_flaggers(post, flaggers, outcome)


def remove_post(
    post: Post,
    *,
    actor: User,
    reason: str,
    category: str | None = None,
    override: bool = False,
) -> Post:
    """A moderator removes a comment or a whole thread from its page, with a reason the
    author sees and a category readers see; an open queue item about it is closed too."""
    if not can_moderate_post(actor, post):
        raise PermissionDeniedError("This is outside what you moderate.")
    if post.status not in (CommentStatus.PUBLISHED, CommentStatus.PENDING):
        raise ConflictError(f"This {noun(post)} is not up: there is nothing to remove.")
    overridden = check_may_decide(actor, post, override=override)
    reason = clean_text(reason).strip()
    if not reason or len(reason) > REASON_MAX:
        raise ValidationError(
            "Give the author a short reason for the removal.", fields={"reason": "required"}
        )
    item = open_item(post)
    category = removal_category(category, item, post)
    details: dict[str, Any] = {"category": _remove(post, reason, category)}
    if item is not None:
        details["source"] = item.source
        close_item(item, QueueState.REMOVED, actor, reason)
    if overridden:
        details["override"] = overridden
    _log_and_announce(post, "remove", actor=actor, reason=reason, details=details,
                      was_hidden=False)  # fmt: skip
    return post


def restore_post(post: Post, *, actor: User, override: bool = False) -> Post:
    """Undo a removal (a moderator's mistake, or an appeal decided outside the queue): the
    post is public again and its author is told."""
    if not can_moderate_post(actor, post):
        raise PermissionDeniedError("This is outside what you moderate.")
    if post.status != CommentStatus.REMOVED:
        raise ConflictError(f"Only a removed {noun(post)} can be restored.")
    overridden = check_may_decide(actor, post, override=override)
    set_status(post, CommentStatus.PUBLISHED)
    post.removal_reason = post.removal_category = ""
    item = open_item(post)
    if item is not None:
        close_item(item, QueueState.APPROVED, actor, "restored")
    details = {"override": overridden} if overridden else {}
    _log_and_announce(post, "restore", actor=actor, reason="", details=details, was_hidden=True)
    return post


def decide_many(
    items: Sequence[QueueItem],
    *,
    actor: User,
    decision: str,
    reason: str = "",
    category: str | None = None,
) -> int:
    """Apply one decision to several items; ones already decided, and ones the moderator
    takes part in (someone else must decide those), are skipped."""
    posts = [item.post for item in items if item.mention_id is None]
    conflicts = decision_conflicts(actor, posts)
    done = 0
    for item in items:
        mention = item.mention_id is not None
        if item.state == QueueState.OPEN and (
            mention or (post_kind(item.post), item.post.id) not in conflicts
        ):
            decide(item, actor=actor, decision=decision, reason=reason, category=category)
            done += 1
    return done
