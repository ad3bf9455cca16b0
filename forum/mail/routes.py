"""Mail settings, the verification link, and one-click unsubscribe."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from forum.errors import ValidationError
from forum.mail import service

bp = Blueprint("mail", __name__)

_SAVED = {
    "cleared": "Your address is deleted; no mail will be sent.",
    "changed": "Saved. We mailed a link to the new address: open it to confirm the address.",
    "saved": "Your mail settings are saved.",
}


@bp.route("/settings/email", methods=["GET", "POST"])
@login_required
def settings() -> str | Response | tuple[str, int]:
    if request.method == "GET":
        return render_template("mail/settings.html", form=None, errors={})
    form = request.form
    try:
        if form.get("action") == "resend":
            service.request_verification(current_user)
            flash(
                "We mailed you a new link; it works for "
                f"{current_app.config['MAIL_VERIFY_HOURS']} hours."
            )
        else:
            outcome = service.update_email_settings(
                current_user,
                email=form.get("email", ""),
                notifications=form.get("notifications") == "1",
                subject_details=form.get("subject_details") == "1",
            )
            flash(_SAVED[outcome])
    except ValidationError as exc:
        errors = exc.fields or {"form": exc.message}
        return render_template("mail/settings.html", form=form, errors=errors), 422
    return redirect(url_for("mail.settings"))


@bp.get("/settings/email/verify/<token>")
def verify(token: str) -> Response:
    """The link from the verification mail; works without signing in (another device)."""
    _user, changed = service.confirm_email(token)
    flash("Your address is confirmed." if changed else "Your address was already confirmed.")
    if current_user.is_authenticated:
        return redirect(url_for("mail.settings"))
    return redirect(url_for("threads.home"))


@bp.get("/unsubscribe/<token>")
def unsubscribe_confirm(token: str) -> str:
    """A page with a button; nothing changes on GET (link scanners open every URL in mail)."""
    target = service.read_unsubscribe(token)
    return render_template("mail/unsubscribe.html", token=token, target=target, done=False)


@bp.post("/unsubscribe/<token>")
def unsubscribe(token: str) -> str:
    """RFC 8058 one-click: mail clients POST here with no session and no CSRF token (the
    factory exempts this view). The signed token is the authorisation; a repeat answers 200."""
    target = service.read_unsubscribe(token)
    changed = service.unsubscribe(token)
    return render_template(
        "mail/unsubscribe.html", token=token, target=target, done=True, changed=changed
    )
