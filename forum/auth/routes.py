"""Sign up, sign in, sign out."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_url
from werkzeug.wrappers import Response

from forum.account import service as account
from forum.auth import botcheck, rules, service, sessions
from forum.errors import (
    HTTP_MESSAGES,
    RateLimitedError,
    ValidationError,
    error_response,
    wants_json,
)
from forum.extensions import login_manager
from forum.mail import service as mail
from forum.models import User
from forum.ratelimit import login_throttle, rate_limit
from forum.security import is_safe_redirect

bp = Blueprint("auth", __name__)


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: only a sign-in the server still has (forum.auth.sessions)."""
    return sessions.load(user_id)


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
        return _register_page({}, {}, stamp=botcheck.issue_stamp())
    form = request.form
    if problem := botcheck.problem(form):
        page = _register_page(form, {}, stamp=botcheck.stamp_for_retry(form), message=problem)
        return page, 422
    try:
        user = service.register_user(
            form.get("username", ""), form.get("password", ""), email=form.get("email", "")
        )
    except ValidationError as exc:
        return _register_page(form, exc.fields, stamp=botcheck.stamp_for_retry(form)), 422
    sessions.sign_in(user)
    flash(f"Welcome, {user.username}. Your account is ready.")
    return redirect(_next_url())


def _register_page(
    form: Mapping[str, str], errors: dict[str, str], *, stamp: str, message: str | None = None
) -> str:
    """The form; the honeypot is always served empty and the password never echoed."""
    return render_template(
        "auth/register.html",
        form=form,
        errors=errors,
        stamp=stamp,
        message=message,
        honeypot=botcheck.HONEYPOT_FIELD,
        stamp_field=botcheck.STAMP_FIELD,
    )


@bp.route("/login", methods=["GET", "POST"])
@rate_limit("login", methods=["POST"])
def login() -> str | Response | tuple[str, int]:
    """Sign in. "No such user" and "wrong password" get the same page, status and hashing
    work; failures are throttled per account (forum.ratelimit.LoginThrottle)."""
    if request.method == "GET":
        return render_template("auth/login.html", form={}, error=None)
    form = request.form
    username = form.get("username", "")
    account, address = service.account_key(username), get_remote_address()
    if wait := login_throttle.reserve(account, address):
        raise RateLimitedError(
            "Too many failed attempts to sign in to this account from here. "
            f"Wait {_minutes(wait)} and try again.",
            retry_after=wait,
        )
    user = service.authenticate(username, form.get("password", ""))
    if user is None:
        login_throttle.failed(account, address)
        error = "That username and password don't match an account."
        return render_template("auth/login.html", form=form, error=error), 422
    login_throttle.succeeded(account, address)
    sessions.sign_in(user, remember=bool(form.get("remember")))
    return redirect(_next_url())


def _minutes(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    return "a minute" if minutes == 1 else f"{minutes} minutes"


@bp.route("/password/forgot", methods=["GET", "POST"])
@rate_limit("password_reset", methods=["POST"])
def forgot_password() -> str | Response | tuple[str, int]:
    """Ask for a reset link. The answer is the same whether or not an account has the
    address, so the form tells nobody who is registered."""
    minutes = current_app.config["MAIL_RESET_MINUTES"]
    if request.method == "GET":
        sent = request.args.get("sent") == "1"
        return render_template("auth/forgot.html", form={}, errors={}, minutes=minutes, sent=sent)
    email = request.form.get("email", "").strip()
    if problem := (rules.check_email(email) if email else "Give the address to mail the link to."):
        page = render_template(
            "auth/forgot.html",
            form=request.form,
            errors={"email": problem},
            minutes=minutes,
            sent=False,
        )
        return page, 422
    mail.request_password_reset(email)
    return redirect(url_for(".forgot_password", sent=1))


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@rate_limit("login", methods=["POST"])  # it sets a password, so it shares the sign-in budget
def reset_password(token: str) -> str | Response | tuple[str, int]:
    """The mailed link: anyone holding it may set the password, once, while it lasts."""
    user = mail.read_password_reset(token)  # a bad, used or expired link: a 400 page
    if request.method == "GET":
        return render_template("auth/reset.html", user=user, token=token, errors={})
    form = request.form
    try:
        user = account.reset_password(
            token, new=form.get("new_password", ""), confirm=form.get("confirm_password", "")
        )
    except ValidationError as exc:
        page = render_template("auth/reset.html", user=user, token=token, errors=exc.fields)
        return page, 422
    # The new password ended every sign-in; this browser holds the link, so it signs in anew.
    sessions.sign_in(user)
    flash("Your password is changed and you are signed in. Everywhere else is signed out.")
    return redirect(url_for("threads.home"))


@bp.post("/logout")
def logout() -> Response:
    """Sign out here: the server forgets this sign-in, so a copy of the cookie is useless."""
    sessions.sign_out()
    flash("You are signed out.")
    return redirect(url_for("threads.home"))
