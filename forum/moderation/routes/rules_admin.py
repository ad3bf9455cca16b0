"""Moderators' rules: the list, and writing or editing a rule with a dry run over recent
comments before it is saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from forum import permissions
from forum.errors import ValidationError
from forum.models import Comment
from forum.moderation import service
from forum.moderation.highlight import Piece, Span, highlight
from forum.moderation.routes import _require_moderator, bp
from forum.moderation.rules import RULE_ACTIONS, Match, Rule, rule_to_dict

PREVIEW_SHOWN = 50


def _rule_form(rule: Rule) -> dict[str, Any]:
    """A rule as the form's fields hold it: terms one per line, tags comma-separated."""
    return {**rule_to_dict(rule), "terms": "\n".join(rule.terms), "tags": ", ".join(rule.tags)}


def _definition(form: MultiDict[str, str], key: str | None) -> dict[str, Any]:
    """The posted form as a rule definition; only the field the kind uses is kept."""
    kind = form.get("kind", "")
    lexicon = kind == "lexicon"
    return {
        "id": key if key is not None else form.get("id", "").strip(),
        "kind": kind,
        "action": form.get("action", ""),
        "message": form.get("message", "").strip(),
        "pattern": "" if lexicon else form.get("pattern", "").strip(),
        "terms": [t.strip() for t in form.get("terms", "").splitlines() if t.strip()]
        if lexicon
        else [],
        "target": form.get("target", "any") if lexicon else "any",
        "enabled": "enabled" in form,
        "tags": [t.strip() for t in form.get("tags", "").split(",") if t.strip()],
        "respect_negation": "respect_negation" in form,
    }


@dataclass(frozen=True)
class PreviewHit:
    comment: Comment
    pieces: list[Piece]


def _preview_hit(comment: Comment, matches: tuple[Match, ...]) -> PreviewHit:
    spans = [Span(m.start, m.end, m.explanation) for m in matches]
    return PreviewHit(comment, highlight(comment.body_src, spans))


def _rule_page(
    key: str | None,
    form: Any,
    *,
    errors: dict[str, str] | None = None,
    preview: list[PreviewHit] | None = None,
    caught: int = 0,
    status: int = 200,
) -> tuple[str, int]:
    page = render_template(
        "moderation/rule_form.html",
        key=key,
        form=form,
        errors=errors or {},
        preview=preview,
        caught=caught,
        versions=service.rule_versions(key) if key else [],
        locked=_locked(key),
        actions=sorted(RULE_ACTIONS, key=["nudge", "flag", "hold"].index),
        window=service.DRY_RUN_WINDOW,
    )
    return page, status


def _rule_post(key: str | None) -> Response | tuple[str, int]:
    definition = _definition(request.form, key)
    try:
        if "preview" in request.form:
            caught = service.dry_run_rule(definition, actor=current_user)
            hits = [_preview_hit(c, matches) for c, matches in caught[:PREVIEW_SHOWN]]
            return _rule_page(key, request.form, preview=hits, caught=len(caught))
        rule = service.save_rule(definition, actor=current_user)
    except ValidationError as exc:
        return _rule_page(key, request.form, errors={"rule": exc.message}, status=422)
    flash(f"Saved rule {rule.id}.")
    return redirect(url_for(".rule_edit", key=rule.id))


@bp.get("/mod/rules")
@login_required
def rules() -> str:
    _require_moderator()
    # One query for the edited rules' versions, rather than one per rule.
    return render_template(
        "moderation/rules.html", rules=service.effective_rules(), versions=service.edited_rules()
    )


@bp.route("/mod/rules/new", methods=["GET", "POST"])
@login_required
def rule_new() -> Response | tuple[str, int]:
    _require_moderator()
    if request.method == "GET":
        blank = {"kind": "lexicon", "action": "nudge", "target": "person", "enabled": True}
        return _rule_page(None, {**blank, "respect_negation": True})
    if service.get_rule(request.form.get("id", "").strip()) is not None:
        errors = {"rule": "A rule with this id exists already; edit it from the rules list."}
        return _rule_page(None, request.form, errors=errors, status=422)
    return _rule_post(None)


@bp.route("/mod/rules/<key>", methods=["GET", "POST"])
@login_required
def rule_edit(key: str) -> Response | tuple[str, int]:
    _require_moderator()
    rule = service.get_rule(key)
    if rule is None:
        abort(404)
    if request.method == "GET":
        return _rule_page(key, _rule_form(rule))
    return _rule_post(key)


def _locked(key: str | None) -> bool:
    """Whether the saved rule is beyond what this moderator may change (the page says so)."""
    rule = service.get_rule(key) if key else None
    scope = service.rule_scope(current_user)
    return rule is not None and not permissions.can_edit_rule(current_user, rule.tags, scope)
