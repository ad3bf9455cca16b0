"""The house rules page, its history with word diffs, and the admins' editor; plus the
``rules_url``/``rules_section`` template helpers that link every nudge, notice and rule to
the paragraph it enforces."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from forum import permissions
from forum.errors import ValidationError
from forum.house_rules import rules, service
from forum.text import render_markdown

bp = Blueprint("house_rules", __name__)


def _anchor(rule: str | None, category: str | None, section: str | None) -> str | None:
    if section:
        return section
    if rule:
        return rules.section_for_rule(rule)
    if category:
        return rules.section_for_category(category)
    return None


def rules_url(
    rule: str | None = None, category: str | None = None, section: str | None = None
) -> str:
    """``/rules#section`` for a moderation rule id, a removal category or a section's anchor;
    ``/rules`` when none is given or the rule is one of the moderators' own with no section."""
    return url_for("house_rules.view", _anchor=_anchor(rule, category, section))


def rules_section(
    rule: str | None = None, category: str | None = None, section: str | None = None
) -> rules.Section | None:
    """The current rules' section behind a rule, category or anchor, for its title (one query
    per request, made only by pages that show such a link)."""
    anchor = _anchor(rule, category, section)
    if anchor is None:
        return None
    if "house_rules" not in g:
        g.house_rules = service.current().document
    return g.house_rules.section(anchor)


@bp.record_once
def _register_helpers(state: BlueprintSetupState) -> None:
    # Globals rather than a context processor, so macros imported without context (a
    # comment, a nudge) can link to the rules too.
    state.app.jinja_env.globals.update(rules_url=rules_url, rules_section=rules_section)


@bp.get("/rules")
def view() -> str:
    version = service.current()
    document = version.document
    return render_template(
        "house_rules/view.html",
        version=version,
        intro=render_markdown(document.intro),
        sections=[(s, render_markdown(s.body)) for s in document.sections],
    )


@bp.get("/rules/history")
def history() -> str:
    return render_template("house_rules/history.html", versions=service.versions())


@bp.get("/rules/history/<int:number>")
def version(number: int) -> str:
    shown, previous, pieces = service.diff(number)
    return render_template(
        "house_rules/version.html", version=shown, previous=previous, pieces=pieces
    )


@bp.route("/rules/edit", methods=["GET", "POST"])
@login_required
def edit() -> str | Response | tuple[str, int]:
    if not permissions.can_edit_house_rules(current_user):
        abort(403)
    if request.method == "GET":
        form = {"body": service.current().body, "note": ""}
        return render_template("house_rules/edit.html", form=form, errors={}, limits=rules)
    form = request.form
    try:
        saved = service.save_version(
            form.get("body", ""), note=form.get("note", ""), actor=current_user
        )
    except ValidationError as exc:
        errors = exc.fields or {"body": exc.message}
        return render_template("house_rules/edit.html", form=form, errors=errors, limits=rules), 422
    flash(f"Saved as version {saved.number} of the house rules.")
    return redirect(url_for(".view"))
