"""Moderation from the thread page itself: a moderator removes or restores a post, and locks
or pins a thread, without going through the queue.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from forum import permissions
from forum.errors import ConflictError, ForumError, ValidationError
from forum.models import Comment, Thread
from forum.moderation import service, thread_actions
from forum.moderation.routes import _post_url, _require_moderator, bp
from forum.threads.service import get_comment, get_thread


def _moderated(post: Comment | Thread) -> Comment | Thread:
    """The post, if the signed-in moderator moderates its tags; 404 otherwise, so ids of
    held posts can't be probed, and 403 for people who aren't moderators at all."""
    _require_moderator()
    if not permissions.moderates(current_user, post):
        abort(404)
    return post


def _done(post: Comment | Thread, message: str) -> Response:
    flash(message)
    return redirect(_post_url(post))


def _refused(post: Comment | Thread, exc: ForumError) -> Response:
    """A refused action on the thread page: back to the post with what to fix."""
    flash(f"Nothing was changed: {exc.message}")
    return redirect(_post_url(post), 303)


def _remove_post(post: Comment | Thread) -> Response:
    try:
        service.remove_post(
            post,
            actor=current_user,
            reason=request.form.get("reason", ""),
            category=request.form.get("category") or None,
            override=request.form.get("override") == "1",
        )
    except (ValidationError, ConflictError) as exc:
        return _refused(post, exc)
    return _done(post, f"Removed the {service.post_kind(post)}; its author has been told why.")


def _restore_post(post: Comment | Thread) -> Response:
    try:
        service.restore_post(post, actor=current_user, override=request.form.get("override") == "1")
    except ConflictError as exc:
        return _refused(post, exc)
    return _done(post, f"Restored the {service.post_kind(post)}.")


@bp.route("/comments/<id:comment_id>/remove", methods=["GET", "POST"])
@login_required
def remove_comment(comment_id: int) -> str | Response:
    """A moderator removes a comment from its thread page, without waiting for the queue."""
    comment = _moderated(get_comment(comment_id))
    if request.method == "GET":
        return render_template("moderation/remove.html", post=comment)
    return _remove_post(comment)


@bp.post("/comments/<id:comment_id>/restore")
@login_required
def restore_comment(comment_id: int) -> Response:
    return _restore_post(_moderated(get_comment(comment_id)))


@bp.post("/threads/<id:thread_id>/remove")
@login_required
def remove_thread(thread_id: int) -> Response:
    return _remove_post(_moderated(get_thread(thread_id)))


@bp.post("/threads/<id:thread_id>/restore")
@login_required
def restore_thread(thread_id: int) -> Response:
    return _restore_post(_moderated(get_thread(thread_id)))


@bp.post("/threads/<id:thread_id>/lock")
@login_required
def lock_thread(thread_id: int) -> Response:
    thread = _moderated(get_thread(thread_id))
    try:
        thread_actions.lock_thread(
            thread, actor=current_user, reason=request.form.get("reason", "")
        )
    except (ValidationError, ConflictError) as exc:
        return _refused(thread, exc)
    return _done(thread, "Locked: nobody but moderators can reply.")


@bp.post("/threads/<id:thread_id>/unlock")
@login_required
def unlock_thread(thread_id: int) -> Response:
    thread = _moderated(get_thread(thread_id))
    try:
        thread_actions.unlock_thread(thread, actor=current_user)
    except ConflictError as exc:
        return _refused(thread, exc)
    return _done(thread, "Unlocked: replies are open again.")


@bp.post("/threads/<id:thread_id>/pin")
@login_required
def pin_thread(thread_id: int) -> Response:
    thread = _moderated(get_thread(thread_id))
    raw = request.form.get("days", "").strip()
    days = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 4 else None
    try:
        if raw and days is None:
            raise ValidationError("Give the number of days as digits, or leave it empty.")
        thread_actions.pin_thread(
            thread,
            actor=current_user,
            days=days,
            site_wide=request.form.get("site_wide") == "1",
        )
    except (ValidationError, ConflictError) as exc:
        return _refused(thread, exc)
    return _done(thread, "Pinned to the top of its tags.")


@bp.post("/threads/<id:thread_id>/unpin")
@login_required
def unpin_thread(thread_id: int) -> Response:
    thread = _moderated(get_thread(thread_id))
    try:
        thread_actions.unpin_thread(thread, actor=current_user)
    except ConflictError as exc:
        return _refused(thread, exc)
    return _done(thread, "Unpinned.")
