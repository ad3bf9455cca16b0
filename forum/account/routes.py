"""/settings/account: password, API tokens, export of one's data, and deleting the account."""

from __future__ import annotations

import json
from collections.abc import Mapping

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from forum.account import rules, service
from forum.errors import ValidationError
from forum.ratelimit import rate_limit

bp = Blueprint("account", __name__)


def _page(
    *,
    form: Mapping[str, str] | None = None,
    errors: dict[str, str] | None = None,
    section: str = "",
    new_token: str | None = None,
    status: int = 200,
) -> tuple[str, int]:
    """The settings page; ``section`` names the form whose errors are shown (passwords are
    never echoed back, a token name and the deletion choice are)."""
    page = render_template(
        "account/settings.html",
        tokens=service.active_tokens(current_user),
        form=form or {},
        errors=errors or {},
        section=section,
        new_token=new_token,
        choices=rules.DeleteChoice,
        name_max=rules.TOKEN_NAME_MAX,
    )
    return page, status


@bp.get("/settings/account")
@login_required
def settings() -> tuple[str, int]:
    return _page()


@bp.post("/settings/account/password")
@login_required
@rate_limit("login")  # it checks a password, so it shares the sign-in budget
def change_password() -> Response | tuple[str, int]:
    form = request.form
    remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
    # The user itself, not the current_user proxy: login_user stores what it is given.
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    try:
        service.change_password(
            user,
            current=form.get("current_password", ""),
            new=form.get("new_password", ""),
            confirm=form.get("confirm_password", ""),
        )
    except ValidationError as exc:
        return _page(errors=exc.fields, section="password", status=422)
    # The session version changed, which ended this session too: start it again with the new
    # one (and a new remember-me cookie if this browser had one); others stay signed out.
    login_user(user, remember=remembered)
    flash("Password changed. Every other browser and device signed in as you is signed out.")
    return redirect(url_for("account.settings"))


@bp.post("/settings/account/tokens")
@login_required
def create_token() -> tuple[str, int]:
    form = request.form
    try:
        raw = service.create_token(current_user, form.get("name", ""))
    except ValidationError as exc:
        return _page(form=form, errors=exc.fields, section="tokens", status=422)
    # Shown in this response only: a redirect would have to carry the secret in the cookie.
    return _page(new_token=raw, section="tokens", status=201)


@bp.post("/settings/account/tokens/<id:token_id>/revoke")
@login_required
def revoke_token(token_id: int) -> Response:
    token = service.revoke_token(current_user, token_id)
    flash(f"Token “{token.name}” revoked: it no longer works.")
    return redirect(url_for("account.settings"))


@bp.get("/settings/account/export")
@login_required
def export() -> Response:
    """A JSON file of everything the account holds, downloaded rather than shown."""
    data = service.export_data(current_user)
    response = Response(json.dumps(data, indent=2, ensure_ascii=False), mimetype="application/json")
    filename = f"forum-{current_user.username}-{data['exported_at'][:10]}.json"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"  # not HTML: httpcache skips it
    return response


@bp.post("/settings/account/delete")
@login_required
@rate_limit("login")
def delete() -> Response | tuple[str, int]:
    form = request.form
    try:
        service.delete_account(
            current_user, password=form.get("password", ""), choice=form.get("choice", "")
        )
    except ValidationError as exc:
        return _page(form=form, errors=exc.fields, section="delete", status=422)
    logout_user()
    flash("Your account is deleted and you are signed out.")
    return redirect(url_for("threads.home"))
