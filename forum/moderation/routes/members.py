"""What every member meets of moderation: the live check of what they write (the nudge), and
the forms to flag a post or appeal the removal of their own.
"""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from forum import permissions
from forum.converters import ID_MAX
from forum.errors import ConflictError, ValidationError, wants_json
from forum.house_rules import rules as house_rules
from forum.models import Comment, CommentStatus, Thread
from forum.moderation import service
from forum.moderation.routes import _post_url, bp
from forum.ratelimit import rate_limit
from forum.text import clean_text
from forum.threads import rules as thread_rules
from forum.threads.service import body_problem, get_comment, get_thread


@bp.post("/moderation/assess")
@login_required
@rate_limit("assess")
def assess() -> Response:
    """The nudge as an author types: what the rules would say if this text were posted in
    ``thread_id`` (its participants count), as JSON. Nothing is written or logged; posting
    still goes through the same check on the server.

    Match offsets count characters (code points) of the text with line ends as ``\\n``.
    """
    if not permissions.can_post(current_user):
        abort(403)
    body = clean_text(request.form.get("body", ""))
    if problem := body_problem(body, thread_rules.THREAD_BODY_MAX):
        raise ValidationError(problem, fields={"body": problem})
    thread_id = _optional_id("thread_id", "Give the number of a thread, or none.")
    parent_id = _optional_id("parent_id", "Give the id of the comment you answer, or none.")
    thread = get_thread(thread_id) if thread_id else None
    parent = None
    if parent_id:
        parent = get_comment(parent_id)
        if thread is None or parent.thread_id != thread.id or not parent.is_visible:
            raise ValidationError(
                "Not a comment of this thread.",
                fields={"parent_id": "Give the id of a live comment in this thread, or none."},
            )
    result = service.screen_text(body, thread=thread, author=current_user, parent=parent)
    return jsonify(
        action=result.action,
        nudge=result.action != "allow",  # posting this would bring the nudge page
        holds=result.action == "hold",
        matches=[
            {
                "start": m.start,
                "end": m.end,
                "text": body[m.start : m.end],
                "explanation": m.explanation,
                # The house rule this one enforces, for the link beside the explanation.
                "rules_url": url_for(
                    "house_rules.view", _anchor=house_rules.section_for_rule(m.rule_id)
                ),
            }
            for m in result.matches
        ],
    )


def _optional_id(field: str, hint: str) -> int | None:
    """An optional positive id from the form; a clear 422 for anything else."""
    raw = request.form.get(field, "")
    if not raw:
        return None
    number = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 19 else 0
    if not 1 <= number <= ID_MAX:
        raise ValidationError(f"Not a {field.removesuffix('_id')} id.", fields={field: hint})
    return number


def _flag_page(post: Comment | Thread) -> str | Response | tuple[str, int]:
    """The flag form for a comment or an opening post, and what sending it does."""
    if not post.is_visible:
        abort(404)  # held or removed posts are not shown to readers, so not flagged either
    service.check_can_flag(current_user, post)
    if request.method == "GET":
        if any(f.user_id == current_user.id for f in service.flags_for(post)):
            raise ConflictError(
                f"You have already flagged this {service.post_kind(post)}; moderators will "
                "look at it."
            )
        return render_template("moderation/flag.html", post=post, form={}, errors={})
    try:
        service.flag_post(
            post,
            actor=current_user,
            reason=request.form.get("reason", ""),
            note=request.form.get("note", ""),
            excerpt=request.form.get("excerpt", ""),
        )
    except ValidationError as exc:
        if wants_json():
            raise  # the flag form opened in the thread page shows the fields' errors
        page = render_template(
            "moderation/flag.html", post=post, form=request.form, errors=exc.fields
        )
        return page, 422
    thanks = "Thanks, moderators will look at it."
    if wants_json():
        return jsonify(message=thanks)
    flash(thanks)
    return redirect(_post_url(post))


@bp.route("/comments/<id:comment_id>/flag", methods=["GET", "POST"])
@login_required
@rate_limit("flag", methods=["POST"])
def flag(comment_id: int) -> str | Response | tuple[str, int]:
    return _flag_page(get_comment(comment_id))


@bp.route("/threads/<id:thread_id>/flag", methods=["GET", "POST"])
@login_required
@rate_limit("flag", methods=["POST"])
def flag_thread(thread_id: int) -> str | Response | tuple[str, int]:
    """Readers flag a thread's title and opening post as they flag a comment."""
    return _flag_page(get_thread(thread_id))


def _appeal_page(post: Comment | Thread) -> str | Response | tuple[str, int]:
    """The author of a removed post asks once for another look."""
    if not permissions.is_author(current_user, post):
        abort(403)
    if request.method == "GET":
        if post.status != CommentStatus.REMOVED or post.appealed:
            raise ConflictError("Only a removed post can be appealed, and only once.")
        return render_template("moderation/appeal.html", post=post, form={}, errors={})
    try:
        service.appeal_removal(post, actor=current_user, reason=request.form.get("reason", ""))
    except ValidationError as exc:
        errors = {**exc.fields, "form": exc.message}
        page = render_template(
            "moderation/appeal.html", post=post, form=request.form, errors=errors
        )
        return page, 422
    flash("Your appeal is with the moderators; you'll see their decision on the post.")
    return redirect(_post_url(post))


@bp.route("/comments/<id:comment_id>/appeal", methods=["GET", "POST"])
@login_required
def appeal(comment_id: int) -> str | Response | tuple[str, int]:
    return _appeal_page(get_comment(comment_id))


@bp.route("/threads/<id:thread_id>/appeal", methods=["GET", "POST"])
@login_required
def appeal_thread(thread_id: int) -> str | Response | tuple[str, int]:
    return _appeal_page(get_thread(thread_id))
