"""A person's record as moderators see it: warning and suspending them, and the tags an
admin lets a moderator moderate.
"""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response

from forum import permissions
from forum.auth.service import find_user
from forum.converters import id_arg
from forum.errors import ValidationError
from forum.extensions import db
from forum.models import Comment, Tag, User
from forum.moderation import service
from forum.moderation.routes import _require_moderator, bp
from forum.security import is_safe_redirect
from forum.tags.rules import normalize_tag


def _next_url(default: str) -> str:
    target = request.form.get("next") or request.args.get("next")
    return target if is_safe_redirect(target, request.host_url) else default


def _user_or_404(name: str) -> User:
    user = find_user(name)
    if user is None:
        abort(404)
    return user


def _user_page(
    user: User, errors: dict[str, str] | None = None, form: Any = None, status: int = 200
) -> tuple[str, int]:
    actions = list(db.session.scalars(service.log_query(subject=user.username).limit(30)))
    scope_ids = service.moderator_scope_tag_ids(user)
    scopes = (
        list(db.session.scalars(select(Tag.slug).where(Tag.id.in_(scope_ids)).order_by(Tag.slug)))
        if scope_ids
        else []
    )
    page = render_template(
        "moderation/user.html",
        user=user,
        user_record=service.author_record(user),
        actions=actions,
        scopes=scopes,
        errors=errors or {},
        form=form or {},
    )
    return page, status


@bp.get("/mod/users/<name>")
@login_required
def user_page(name: str) -> tuple[str, int]:
    _require_moderator()
    return _user_page(_user_or_404(name))


@bp.post("/mod/users/<name>/warn")
@login_required
def warn(name: str) -> Response | tuple[str, int]:
    _require_moderator()
    user = _user_or_404(name)
    comment = None
    if raw_id := request.form.get("comment_id"):
        comment_id = id_arg(raw_id)
        comment = db.session.get(Comment, comment_id) if comment_id is not None else None
        if comment is None or not service.can_moderate_post(current_user, comment):
            abort(404)
    try:
        service.warn_user(
            user, actor=current_user, reason=request.form.get("reason", ""), comment=comment
        )
    except ValidationError as exc:
        return _user_page(user, {**exc.fields, "warn": exc.message}, request.form, 422)
    flash(f"Warned {user.username}.")
    return redirect(_next_url(url_for(".user_page", name=user.username)))


@bp.post("/mod/users/<name>/suspend")
@login_required
def suspend(name: str) -> Response | tuple[str, int]:
    _require_moderator()
    user = _user_or_404(name)
    try:
        service.suspend_user(
            user,
            actor=current_user,
            days=request.form.get("days", 0, type=int) or 0,
            reason=request.form.get("reason", ""),
        )
    except ValidationError as exc:
        return _user_page(user, {**exc.fields, "suspend": exc.message}, request.form, 422)
    flash(f"Suspended {user.username} until {user.suspended_until:%-d %b %Y}.")
    return redirect(_next_url(url_for(".user_page", name=user.username)))


@bp.post("/mod/users/<name>/scopes")
@login_required
def scopes(name: str) -> Response | tuple[str, int]:
    """Admins limit a moderator to some tags; an empty list means every tag."""
    if not permissions.can_manage_users(current_user):
        abort(403)
    user = _user_or_404(name)
    if not user.is_moderator:
        return _user_page(user, {"tags": f"{user.username} is not a moderator."}, request.form, 422)
    raw = request.form.get("tags", "")
    slugs = list(dict.fromkeys(s for s in (normalize_tag(p) for p in raw.split(",")) if s))
    try:
        tags = service.set_moderator_scopes(user, slugs, actor=current_user)
    except ValidationError as exc:
        return _user_page(user, {"tags": exc.message}, request.form, 422)
    where = ", ".join(t.slug for t in tags) or "every tag"
    flash(f"{user.username} now moderates {where}.")
    return redirect(url_for(".user_page", name=user.username))
