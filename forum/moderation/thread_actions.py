"""Moderators' actions on a whole thread: lock it against new replies, pin it to the top of
its tags (or the whole site) until a date. Each is logged; removal is in the service, shared
with comments."""

from __future__ import annotations

from datetime import datetime, timedelta

from forum import permissions
from forum.cache import bump_thread
from forum.errors import ConflictError, PermissionDeniedError, ValidationError
from forum.extensions import db
from forum.models import Thread, User
from forum.models.base import utcnow
from forum.moderation.audit import log_action
from forum.moderation.policy import REASON_MAX
from forum.text import clean_text

# A pin is for announcements and resource lists, not a way to keep a thread up for ever.
PIN_MAX_DAYS = 366


def _require_moderates(actor: User, thread: Thread) -> None:
    if not permissions.moderates(actor, thread):
        raise PermissionDeniedError("Only moderators of this thread's tags can do that.")


def _log(action: str, actor: User, thread: Thread, **kwargs: object) -> None:
    log_action(
        action,
        actor=actor,
        target_type="thread",
        target_id=thread.id,
        subject=thread.author,
        **kwargs,  # type: ignore[arg-type]
    )
    db.session.commit()
    bump_thread(thread.id)  # page cache (issue 6)


def lock_thread(thread: Thread, *, actor: User, reason: str, now: datetime | None = None) -> None:
    """No new replies (moderators excepted); the thread shows the reason to everyone."""
    _require_moderates(actor, thread)
    reason = clean_text(reason).strip()
    if not reason or len(reason) > REASON_MAX:
        raise ValidationError(
            "Say in a sentence why the thread is locked; readers see it.",
            fields={"lock_reason": "required"},
        )
    if thread.is_locked:
        raise ConflictError("The thread is locked already.")
    thread.locked_at = now or utcnow()
    thread.lock_reason = reason
    _log("lock", actor, thread, reason=reason)


def unlock_thread(thread: Thread, *, actor: User) -> None:
    _require_moderates(actor, thread)
    if not thread.is_locked:
        raise ConflictError("The thread is not locked.")
    thread.locked_at = None
    thread.lock_reason = ""
    _log("unlock", actor, thread)


def pin_thread(
    thread: Thread,
    *,
    actor: User,
    days: int | None,
    site_wide: bool = False,
    now: datetime | None = None,
) -> None:
    """First on its tags' pages (and the home page when ``site_wide``), for ``days`` or until
    unpinned (None). Only admins pin to the whole site: it is every reader's first page."""
    _require_moderates(actor, thread)
    if site_wide and not permissions.can_manage_users(actor):
        raise PermissionDeniedError("Only admins can pin a thread to the home page.")
    if days is not None and not 1 <= days <= PIN_MAX_DAYS:
        raise ValidationError(
            f"Pin for 1 to {PIN_MAX_DAYS} days, or until unpinned.", fields={"days": "1-366"}
        )
    if not thread.is_visible:
        raise ConflictError("Only a published thread can be pinned.")
    now = now or utcnow()
    thread.pinned_at = now
    thread.pinned_until = now + timedelta(days=days) if days is not None else None
    thread.pinned_site_wide = site_wide
    _log("pin", actor, thread, details={"days": days, "site_wide": site_wide})


def unpin_thread(thread: Thread, *, actor: User) -> None:
    _require_moderates(actor, thread)
    if thread.pinned_at is None:
        raise ConflictError("The thread is not pinned.")
    thread.pinned_at = thread.pinned_until = None
    thread.pinned_site_wide = False
    _log("unpin", actor, thread)
