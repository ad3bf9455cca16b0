"""The notifications page: what happened that concerns me, newest first."""

from __future__ import annotations

from collections.abc import Mapping

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from forum.converters import ID_MAX, id_arg, page_number
from forum.errors import ForumError, ValidationError, wants_json
from forum.extensions import db
from forum.models import Tag, TagLevel, Thread
from forum.security import is_safe_redirect
from forum.subscriptions import rules, service
from forum.tags import service as tags

bp = Blueprint("subscriptions", __name__)


@bp.get("/notifications")
@login_required
def notifications() -> str:
    pagination = db.paginate(
        service.notifications_for(current_user),
        page=page_number(request.args.get("page")),
        per_page=current_app.config["NOTIFICATIONS_PER_PAGE"],
        error_out=False,
    )
    return render_template("subscriptions/notifications.html", pagination=pagination)


@bp.post("/notifications/read")
@login_required
def mark_read() -> Response:
    """Mark the listed notifications read, or all of them when none are listed."""
    raw_ids = request.form.getlist("id")
    ids = [i for i in map(id_arg, raw_ids) if i is not None]
    if len(ids) != len(raw_ids):
        # Only a hand-made request gets here; marking all read instead would be a surprise.
        message = f"must be notification ids (whole numbers from 1 to {ID_MAX})"
        raise ForumError(f"'id' {message}.", fields={"id": message})
    changed = service.mark_read(current_user, ids or None)
    if not ids:
        flash(f"Marked {changed} notification{'s' if changed != 1 else ''} read.")
    target = request.form.get("go")
    if is_safe_redirect(target, request.host_url):
        return redirect(target)  # type: ignore[arg-type]
    return redirect(url_for("subscriptions.notifications"))


# --- following ---------------------------------------------------------------------------------


@bp.app_template_global()
def tag_follow_level(tag: Tag) -> str | None:
    """The signed-in reader's level for ``tag`` (tag page); no query for anonymous readers."""
    return service.tag_level(current_user, tag)


@bp.app_template_global()
def thread_follow_state(thread: Thread) -> str | None:
    """ "following", "muted" or None for the thread page's button: one query, any thread size."""
    return service.thread_state(current_user, thread)


@bp.app_template_global()
def hides_muted_tags() -> bool:
    return service.has_muted_tags(current_user)


# The level select, in the order the settings page offers it.
LEVEL_CHOICES = [
    (TagLevel.NEW_THREADS.value, "New threads"),
    (TagLevel.ALL.value, "New threads and all comments"),
    (TagLevel.DAILY.value, "Daily digest"),
    (TagLevel.WEEKLY.value, "Weekly digest"),
    (TagLevel.MUTED.value, "Muted"),
]


@bp.app_context_processor
def _level_choices() -> dict[str, object]:
    return {"tag_level_choices": LEVEL_CHOICES}


def _settings_page(
    *,
    form: Mapping[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> tuple[str, int]:
    page = render_template(
        "subscriptions/settings.html",
        followed=service.followed_tags(current_user),
        threads=service.followed_threads(current_user),
        form=form or {},
        errors=errors or {},
    )
    return page, status


@bp.get("/settings/subscriptions")
@login_required
def settings() -> tuple[str, int]:
    return _settings_page()


@bp.post("/settings/subscriptions")
@login_required
def save_settings() -> Response | tuple[str, int]:
    """Levels of followed tags, the auto-follow checkbox, or (its own button) one unfollow."""
    form = request.form
    unfollow = form.get("unfollow")
    if unfollow is not None:
        tag = tags.get_tag(unfollow)
        if tag is not None:
            service.unfollow_tag(current_user, tag)
            flash(f"You no longer follow {tag.slug}.")
        return redirect(url_for("subscriptions.settings"))
    levels: dict[int, str] = {}
    for name, value in form.items():
        tag_id = id_arg(name.removeprefix("level-"))
        if name.startswith("level-") and tag_id is not None:
            levels[tag_id] = value
    try:
        service.set_tag_levels(current_user, levels)
    except ValidationError as exc:
        return _settings_page(errors=exc.fields, status=422)
    service.set_auto_follow(current_user, form.get("auto_follow_threads") == "1")
    flash("Subscriptions saved.")
    return redirect(url_for("subscriptions.settings"))


@bp.post("/settings/subscriptions/tags")
@login_required
def add_tag() -> Response | tuple[str, int]:
    """The "add a tag" field: follow a tag by name, at the chosen level."""
    form = request.form
    name = form.get("tag", "").strip()
    tag = tags.get_tag(name) if name else None
    if tag is None:
        problem = "There is no tag by that name." if name else "Type the name of a tag."
        return _settings_page(form=form, errors={"tag": problem}, status=422)
    try:
        subscription = service.follow_tag(current_user, tag, form.get("level", ""))
    except ValidationError as exc:
        return _settings_page(form=form, errors=exc.fields, status=422)
    flash(f"You follow {tags.canonical(tag).slug} ({subscription.level.replace('_', ' ')}).")
    return redirect(url_for("subscriptions.settings"))


@bp.post("/threads/<id:thread_id>/follow")
@login_required
def follow_thread(thread_id: int) -> Response:
    """The thread page's follow / unfollow / mute button; JSON when a script asks for it."""
    thread = db.session.get(Thread, thread_id)
    if thread is None:
        abort(404)
    action = request.form.get("action", "")
    if action not in rules.THREAD_ACTIONS:
        abort(400)
    state = service.follow_thread(current_user, thread, action)
    message = {
        "following": "You follow this thread: new comments reach your notifications.",
        "muted": "Thread muted: its activity won't reach you.",
    }.get(state or "", "You no longer follow this thread.")
    if wants_json():
        # The thread page's script swaps in the buttons for the new state without a reload.
        form = render_template("subscriptions/_follow_form.html", thread=thread, follow_state=state)
        return jsonify(state=state, message=message, html=form)
    flash(message)
    return redirect(url_for("threads.view", thread_id=thread.id, slug=thread.slug))
