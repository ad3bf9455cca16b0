"""Public profiles: a person's threads and comments, never their email; and ignoring people."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from forum import permissions
from forum.account.rules import DELETED_NAME
from forum.auth.service import find_user
from forum.errors import NotFoundError, ValidationError
from forum.extensions import db
from forum.models import Thread, User
from forum.security import is_safe_redirect
from forum.subscriptions import service as subscriptions
from forum.threads.service import latest_threads, user_comments

bp = Blueprint("users", __name__)


def _user_or_404(name: str) -> User:
    if name == DELETED_NAME:
        raise NotFoundError("That account was deleted. What it wrote is shown without a name.")
    user = find_user(name)
    if user is None:
        abort(404)
    return user


@bp.get("/users/<name>")
def profile(name: str) -> str:
    user = _user_or_404(name)
    threads = db.session.scalars(latest_threads().where(Thread.author_id == user.id).limit(50))
    comments = user_comments(user, viewer=current_user)
    ignoring = user.id in subscriptions.ignored_ids(current_user)
    return render_template(
        "users/profile.html",
        user=user,
        threads=list(threads),
        comments=comments,
        ignoring=ignoring,
    )


def _back(default: str) -> Response:
    target = request.form.get("next")
    return redirect(target if is_safe_redirect(target, request.host_url) else default)


@bp.post("/users/<name>/ignore")
@login_required
def ignore(name: str) -> Response:
    """Fold this member's posts away for me and stop hearing of them; they are not told."""
    user = _user_or_404(name)
    if not permissions.is_signed_in(current_user):
        abort(403)
    try:
        subscriptions.ignore_user(current_user, user)
    except ValidationError as exc:
        flash(exc.message)
        return _back(url_for(".profile", name=user.username))
    flash(
        f"You now ignore {user.username}: their posts fold away for you and their replies and "
        "mentions don't notify you. They are not told."
    )
    return _back(url_for(".profile", name=user.username))


@bp.post("/users/<name>/unignore")
@login_required
def unignore(name: str) -> Response:
    user = _user_or_404(name)
    subscriptions.unignore_user(current_user, user)
    flash(f"You no longer ignore {user.username}.")
    return _back(url_for(".profile", name=user.username))


@bp.get("/settings/ignored")
@login_required
def ignored() -> str:
    """The people I ignore, each with a way to stop."""
    return render_template("users/ignored.html", people=subscriptions.ignored_users(current_user))
