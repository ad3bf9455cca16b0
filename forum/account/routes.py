"""/settings/account: password, API tokens, export of one's data, and deleting the account."""

from __future__ import annotations

import json
from collections.abc import Mapping

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from forum.account import rules, service
from forum.auth import sessions
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
        sessions=sessions.active(current_user),
        this_session=sessions.current(),
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
    try:
        service.change_password(
            current_user,
            current=form.get("current_password", ""),
            new=form.get("new_password", ""),
            confirm=form.get("confirm_password", ""),
            keep=sessions.current(),
        )
    except ValidationError as exc:
        return _page(errors=exc.fields, section="password", status=422)
    flash("Password changed. Every other browser and device signed in as you is signed out.")
    return redirect(url_for("account.settings"))


@bp.post("/settings/account/sessions/<id:session_id>/revoke")
@login_required
def revoke_session(session_id: int) -> Response:
    """End one sign-in from the list; ending this browser's own is signing out."""
    here = sessions.current()
    if here is not None and here.id == session_id:
        sessions.sign_out()
        flash("You are signed out.")
        return redirect(url_for("threads.home"))
    row = sessions.revoke(current_user, session_id)
    flash(f"Signed out {row.device}: that browser has to sign in again.")
    return redirect(url_for("account.settings", _anchor="sessions"))


@bp.post("/settings/account/sessions/end-all")
@login_required
def sign_out_everywhere() -> Response:
    """Every browser and device signed in as you, this one included, is signed out."""
    sessions.sign_out(everywhere=True)
    flash("You are signed out everywhere, here included.")
    return redirect(url_for("threads.home"))


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
    sessions.sign_out()
    flash("Your account is deleted and you are signed out.")
    return redirect(url_for("threads.home"))
