"""The notifications page: what happened that concerns me, newest first."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from forum.converters import page_number
from forum.extensions import db
from forum.security import is_safe_redirect
from forum.subscriptions import service

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
    ids = [int(v) for v in request.form.getlist("id") if v.isascii() and v.isdigit()]
    changed = service.mark_read(current_user, ids or None)
    if not ids:
        flash(f"Marked {changed} notification{'s' if changed != 1 else ''} read.")
    target = request.form.get("go")
    if is_safe_redirect(target, request.host_url):
        return redirect(target)  # type: ignore[arg-type]
    return redirect(url_for("subscriptions.notifications"))
