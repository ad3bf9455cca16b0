"""Sign up, sign in, sign out."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_url, login_user, logout_user
from werkzeug.wrappers import Response

from forum.auth import service
from forum.errors import HTTP_MESSAGES, ValidationError, error_response, wants_json
from forum.extensions import db, login_manager
from forum.models import User
from forum.ratelimit import rate_limit
from forum.security import is_safe_redirect

bp = Blueprint("auth", __name__)


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader; the session version ends old sessions after a password change."""
    raw_id, _, version = user_id.partition(":")
    if not raw_id.isdigit():
        return None
    user = db.session.get(User, int(raw_id))
    if user is None or str(user.session_version) != version:
        return None
    return user


def unauthorized() -> Response:
    """A signed-out request for something that needs an account: scripts asking for JSON get
    a 401 in the one error shape; people get the sign-in page, coming back here after."""
    if wants_json():
        return error_response(401, "unauthorized", HTTP_MESSAGES[401])
    flash(login_manager.login_message, login_manager.login_message_category)
    return redirect(login_url(login_manager.login_view, next_url=request.url))


def _next_url() -> str:
    target = request.values.get("next")
    return target if is_safe_redirect(target, request.host_url) else url_for("threads.home")


@bp.route("/register", methods=["GET", "POST"])
@rate_limit("register", methods=["POST"])
def register() -> str | Response | tuple[str, int]:
    if current_user.is_authenticated:
        return redirect(url_for("threads.home"))
    if request.method == "GET":
        return render_template("auth/register.html", form={}, errors={})
    form = request.form
    try:
        user = service.register_user(
            form.get("username", ""), form.get("password", ""), email=form.get("email", "")
        )
    except ValidationError as exc:
        return render_template("auth/register.html", form=form, errors=exc.fields), 422
    login_user(user)
    flash(f"Welcome, {user.username}. Your account is ready.")
    return redirect(_next_url())


@bp.route("/login", methods=["GET", "POST"])
@rate_limit("login", methods=["POST"])
def login() -> str | Response | tuple[str, int]:
    if request.method == "GET":
        return render_template("auth/login.html", form={}, error=None)
    form = request.form
    user = service.authenticate(form.get("username", ""), form.get("password", ""))
    if user is None:
        error = "That username and password don't match an account."
        return render_template("auth/login.html", form=form, error=error), 422
    login_user(user, remember=bool(form.get("remember")))
    return redirect(_next_url())


@bp.post("/logout")
def logout() -> Response:
    logout_user()
    flash("You are signed out.")
    return redirect(url_for("threads.home"))
