"""Measures about people: warnings, suspensions, appeals and moderators' tag scopes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select

from forum import permissions
from forum.errors import ConflictError, PermissionDeniedError, ValidationError
from forum.extensions import db
from forum.models import (
    Comment,
    CommentStatus,
    ModeratorScope,
    NotificationKind,
    QueueItem,
    QueueSource,
    Tag,
    User,
)
from forum.models.base import utcnow
from forum.moderation.audit import log_action
from forum.moderation.common import Post, noun, post_kind, require_moderator
from forum.moderation.policy import (
    PRIORITY,
    REASON_MAX,
)
from forum.moderation.screening import enqueue
from forum.subscriptions import service as subscriptions
from forum.text import clean_text


def warn_user(user: User, *, actor: User, reason: str, comment: Comment | None = None) -> None:
    require_moderator(actor)
    reason = clean_text(reason)
    if not reason.strip():
        raise ValidationError("Say what the warning is for.", fields={"reason": "required"})
    row = log_action(
        "warn",
        actor=actor,
        target_type="comment" if comment else "user",
        target_id=comment.id if comment else user.id,
        subject=user,
        reason=reason.strip(),
    )
    db.session.flush()
    subscriptions.notify(
        user.id,
        NotificationKind.WARNING,
        key=f"warning:{row.id}",
        actor=actor,
        comment_id=comment.id if comment else None,
        thread_id=comment.thread_id if comment else None,
        note=reason.strip(),
    )
    db.session.commit()


def suspend_user(
    user: User, *, actor: User, days: int, reason: str, now: datetime | None = None
) -> None:
    """Suspended people can read but not post until the date passes."""
    require_moderator(actor)
    reason = clean_text(reason)
    if user.is_moderator and not actor.is_admin:
        raise PermissionDeniedError("Only an admin can suspend a moderator.")
    errors = {}
    if not 1 <= days <= 365:
        errors["days"] = "Suspend for 1 to 365 days."
    if not reason.strip():
        errors["reason"] = "Say why."
    if errors:
        raise ValidationError("Please fix the marked fields.", fields=errors)
    user.suspended_until = (now or utcnow()) + timedelta(days=days)
    log_action(
        "suspend",
        actor=actor,
        target_type="user",
        target_id=user.id,
        subject=user,
        reason=reason.strip(),
        details={"days": days},
    )
    db.session.commit()


def appeal_removal(post: Post, *, actor: User, reason: str) -> QueueItem:
    """The author asks once for a removed post to be looked at again."""
    if not permissions.is_author(actor, post):
        raise PermissionDeniedError("Only the author can appeal.")
    reason = clean_text(reason)
    if post.status != CommentStatus.REMOVED:
        raise ConflictError("Only removed posts can be appealed.")
    if post.appealed:
        raise ConflictError("This removal has already been appealed.")
    if not reason.strip() or len(reason) > REASON_MAX:
        raise ValidationError(
            f"Say in a few words why the {noun(post)} should stand.", fields={"reason": "required"}
        )
    post.appealed = True
    item = enqueue(post, QueueSource.APPEAL, priority=PRIORITY["appeal"])
    db.session.flush()
    log_action(
        "appeal",
        actor=actor,
        target_type=post_kind(post),
        target_id=post.id,
        subject=actor,
        reason=reason.strip(),
    )
    db.session.commit()
    return item


def set_moderator_scopes(user: User, tag_slugs: Iterable[str], *, actor: User) -> list[Tag]:
    """Admins limit a moderator to some tags (none = every tag)."""
    if not permissions.can_manage_users(actor):
        raise PermissionDeniedError("Only admins can change moderators.")
    slugs = list(tag_slugs)
    tags = list(db.session.scalars(select(Tag).where(Tag.slug.in_(slugs)))) if slugs else []
    missing = sorted(set(slugs) - {t.slug for t in tags})
    if missing:
        raise ValidationError(f"Unknown tags: {', '.join(missing)}.", fields={"tags": "unknown"})
    db.session.execute(ModeratorScope.__table__.delete().where(ModeratorScope.user_id == user.id))
    for tag in tags:
        db.session.add(ModeratorScope(user_id=user.id, tag_id=tag.id))
    log_action(
        "scope",
        actor=actor,
        target_type="user",
        target_id=user.id,
        subject=user,
        details={"tags": [t.slug for t in tags]},
    )
    db.session.commit()
    return tags
