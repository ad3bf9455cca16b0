"""The review queue: moderators read the open items with their context and decide them, one
at a time or several at once.
"""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from forum.converters import id_arg
from forum.errors import PermissionDeniedError, ValidationError
from forum.models import Comment, QueueItem, Thread
from forum.moderation import service
from forum.moderation.queue import QueueEntry, queue_entries, with_replies
from forum.moderation.routes import _require_moderator, bp

BULK_DECISIONS = ("approve", "remove")


def _queue_page(errors: dict[str, str] | None = None, form: Any = None, status: int = 200):  # noqa: ANN202
    entries = queue_entries(service.open_queue(current_user), viewer=current_user)
    page = render_template(
        "moderation/queue.html", entries=entries, errors=errors or {}, form=form or {}
    )
    return page, status


def _item_entry(queue_item: QueueItem) -> QueueEntry:
    return with_replies(queue_entries([queue_item], viewer=current_user)[0])


@bp.get("/mod/queue")
@login_required
def queue() -> tuple[str, int]:
    """Open items, highest priority then oldest first, each with its context and actions."""
    _require_moderator()
    return _queue_page()


@bp.post("/mod/queue/bulk")
@login_required
def bulk() -> Response | tuple[str, int]:
    """Approve or remove several items at once; items decided meanwhile are skipped."""
    _require_moderator()
    decision = request.form.get("decision", "")
    reason = request.form.get("reason", "").strip()
    ids = [i for i in map(id_arg, request.form.getlist("item_id")) if i is not None]
    errors = {}
    if decision not in BULK_DECISIONS:
        errors["decision"] = "Choose approve or remove for the selected items."
    elif decision == "remove" and not reason:
        errors["reason"] = "Give the authors a reason for the removal."
    if not ids:
        errors["item_id"] = "Select at least one item."
    if errors:
        return _queue_page(errors, request.form, 422)
    items = [service.get_queue_item(item_id, viewer=current_user) for item_id in ids]
    try:
        done = service.decide_many(
            items,
            actor=current_user,
            decision=decision,
            reason=reason,
            category=request.form.get("category") or None,
        )
    except (ValidationError, PermissionDeniedError) as exc:
        return _queue_page({**exc.fields, "bulk": exc.message}, request.form, exc.status)
    skipped = len(items) - done
    verb = "Approved" if decision == "approve" else "Removed"
    note = (
        f" ({skipped} skipped: decided by someone else meanwhile, or in a thread you take part"
        " in, where another moderator must decide)"
        if skipped
        else ""
    )
    flash(f"{verb} {done} item{'s' if done != 1 else ''}{note}.")
    return redirect(url_for(".queue"))


@bp.route("/mod/queue/<id:item_id>", methods=["GET", "POST"])
@login_required
def item(item_id: int) -> str | Response | tuple[str, int]:
    _require_moderator()
    queue_item = service.get_queue_item(item_id, viewer=current_user)
    if request.method == "GET":
        return render_template(
            "moderation/item.html", entry=_item_entry(queue_item), errors={}, form={}
        )
    decision = request.form.get("decision", "")
    body = request.form.get("body") if decision == "edit_approve" else None
    try:
        service.decide(
            queue_item,
            actor=current_user,
            decision=decision,
            reason=request.form.get("reason", ""),
            body=body,
            category=request.form.get("category") or None,
            override=request.form.get("override") == "1",
        )
    except (ValidationError, PermissionDeniedError) as exc:
        # A moderator who takes part in the argument reads why someone else must decide.
        errors = {**exc.fields, "form": exc.message}
        page = render_template(
            "moderation/item.html",
            entry=_item_entry(queue_item),
            errors=errors,
            form=request.form,
        )
        return page, exc.status
    done = {
        "approve": "Approved",
        "remove": "Removed",
        "edit_approve": "Edited and approved",
        "dismiss": "Dismissed the flags on",
    }[decision]
    flash(f"{done} {_item_label(queue_item)}.")
    return redirect(url_for(".queue"))


def _item_label(item: QueueItem) -> str:
    """What a queue item is about, for the flash after a decision."""
    if item.mention is not None:
        return f"the link from {item.mention.source_host} to “{item.thread.title}”"
    return _post_label(item.post)


def _post_label(post: Comment | Thread) -> str:
    """ "comment #12 by dana_k", or "the thread “Title” by dana_k": flashes and headings."""
    if isinstance(post, Thread):
        return f"the thread “{post.title}” by {post.author.username}"
    return f"comment #{post.number} by {post.author.username}"
