"""Moderators' pages (queue, log, rules, a user's record) and readers' flag and appeal forms.

Plain HTML forms throughout, so every action works without JavaScript. Permissions: anonymous
people are sent to sign in, members get 403, and an item outside a moderator's tag scope is a
404 so its id can't be probed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from forum import permissions
from forum.auth.service import find_user
from forum.converters import ID_MAX, page_number
from forum.errors import ConflictError, ForumError, ValidationError, wants_json
from forum.extensions import db
from forum.models import (
    Comment,
    CommentStatus,
    Flag,
    FlagReason,
    ModerationAction,
    QueueItem,
    Tag,
    User,
)
from forum.moderation import charts, service
from forum.moderation.dashboard import (
    DEFAULT_WINDOW,
    WINDOWS,
    Dashboard,
    dashboard_stats,
    describe_age,
)
from forum.moderation.highlight import Piece, Span, find_excerpt, highlight
from forum.moderation.rules import RULE_ACTIONS, Match, Rule, rule_to_dict
from forum.ratelimit import rate_limit
from forum.security import is_safe_redirect
from forum.tags.rules import normalize_tag
from forum.text import clean_text, excerpt, plain_text
from forum.threads import rules as thread_rules
from forum.threads.service import get_comment, get_thread

bp = Blueprint("moderation", __name__)

LOG_PER_PAGE = 50
PREVIEW_SHOWN = 50
BULK_DECISIONS = ("approve", "remove")
SOURCE_LABELS = {
    "rules": "Rules",
    "flags": "Flags",
    "new_user": "New account",
    "appeal": "Appeal",
}
# Reader-facing wording for each flag reason, in the order the form offers them.
FLAG_REASONS = {
    FlagReason.AD_HOMINEM: "Attacks a person, not an argument",
    FlagReason.HARASSMENT: "Harassment",
    FlagReason.SPAM: "Spam",
    FlagReason.OFF_TOPIC: "Off topic",
    FlagReason.OTHER: "Something else (say what below)",
}


@bp.app_context_processor
def _moderation_globals() -> dict[str, Any]:
    return {"flag_reasons": FLAG_REASONS, "source_labels": SOURCE_LABELS}


def _require_moderator() -> None:
    if not permissions.can_moderate(current_user):
        abort(403)


def _next_url(default: str) -> str:
    target = request.form.get("next") or request.args.get("next")
    return target if is_safe_redirect(target, request.host_url) else default


def _comment_url(comment: Comment) -> str:
    """The comment's place in its thread; works even once flags have hidden it from readers."""
    thread = comment.thread
    return url_for(
        "threads.view", thread_id=thread.id, slug=thread.slug, _anchor=f"c{comment.number}"
    )


# --------------------------------------------------------------------------- dashboard

# Segments of a rule's bar, in the order RuleStats gives them.
RULE_SEGMENTS = (
    ("Removed (upheld)", "fill-upheld"),
    ("Approved (overturned)", "fill-overturned"),
    ("Waiting", "fill-waiting"),
)
SCORER_LABEL = "Scorer, no rule"


def _window_days(raw: str | None) -> int:
    if raw is None:
        return DEFAULT_WINDOW
    if raw.strip() not in {str(n) for n in WINDOWS}:
        choices = ", ".join(str(n) for n in WINDOWS[:-1]) + f" or {WINDOWS[-1]}"
        raise ForumError(
            f"Choose a period of {choices} days, for example /mod?days={DEFAULT_WINDOW}.",
            fields={"days": f"one of {choices}"},
        )
    return int(raw)


def _period(stats: Dashboard) -> str:
    return f"{charts.day_label(stats.first_day)} to {charts.day_label(stats.last_day)} (UTC)"


def _dashboard_charts(stats: Dashboard) -> dict[str, Markup]:
    """The three charts, each described in words for people who can't see it."""
    days = [d.day for d in stats.daily]
    busiest = max(stats.daily, key=lambda d: d.flags)
    flags_desc = f"Flags per day, {_period(stats)}: {stats.flags} in all"
    if busiest.flags:
        flags_desc += f", most on {charts.day_label(busiest.day)} ({busiest.flags})"
    decided_desc = (
        f"Moderators' decisions per day, {_period(stats)}: {stats.removed} removed and "
        f"{stats.left_up} left up"
    )
    fired = sum(r.fired for r in stats.rules)
    rules_desc = (
        f"Comments each rule sent to the queue, {_period(stats)}, {fired} in all, split by "
        "what moderators decided; the note gives each rule's precision"
    )
    bars = [
        charts.Bar(
            r.rule_id or SCORER_LABEL, (r.upheld, r.overturned, r.undecided), r.precision_text
        )
        for r in stats.rules
    ]
    return {
        "flags": charts.day_bars(
            "chart-flags",
            "Flags per day",
            flags_desc + ". The table below lists the days with any.",
            days,
            [charts.Series("Flags", "fill-flags", tuple(d.flags for d in stats.daily))],
            empty="No flags in this period",
        ),
        "decisions": charts.day_bars(
            "chart-decisions",
            "Decisions per day",
            decided_desc + ". The table below lists the days with any.",
            days,
            [
                charts.Series("Removed", "fill-removed", tuple(d.removed for d in stats.daily)),
                charts.Series("Left up", "fill-left-up", tuple(d.left_up for d in stats.daily)),
            ],
            empty="No decisions in this period",
        ),
        "rules": charts.hbars(
            "chart-rules",
            "Rules by comments queued",
            rules_desc + ". The table below has the same numbers.",
            bars,
            RULE_SEGMENTS,
            empty="No rule queued a comment in this period",
        ),
    }


@bp.get("/mod")
@login_required
def dashboard() -> str:
    """Queue size and age, flags and decisions per day, and each rule's precision."""
    _require_moderator()
    stats = dashboard_stats(current_user, days=_window_days(request.args.get("days")))
    return render_template(
        "moderation/dashboard.html",
        stats=stats,
        charts=_dashboard_charts(stats),
        rules={r.id: r for r in service.effective_rules()},
        windows=WINDOWS,
        period=_period(stats),
        scorer_label=SCORER_LABEL,
        describe_age=describe_age,
    )


# --------------------------------------------------------------------------- queue views


@dataclass(frozen=True)
class MatchView:
    rule_id: str
    action: str
    explanation: str
    text: str


@dataclass(frozen=True)
class FlagView:
    flag: Flag
    excerpt_found: bool


@dataclass
class QueueEntry:
    """One queue item with everything a moderator needs to decide without clicking away."""

    item: QueueItem
    comment: Comment
    parent_excerpt: str
    pieces: list[Piece]
    matches: list[MatchView]
    flags: list[FlagView]
    record: dict[str, int]
    appeal_reason: str = ""
    replies: list[Comment] = field(default_factory=list)


def _rule_spans(text: str, matches: list[dict[str, Any]]) -> tuple[list[Span], list[MatchView]]:
    spans, views = [], []
    for m in matches:
        start, end = int(m.get("start", 0)), int(m.get("end", 0))
        explanation = str(m.get("explanation", ""))
        spans.append(Span(start, end, explanation, "rule"))
        views.append(
            MatchView(
                str(m.get("rule_id", "")), str(m.get("action", "")), explanation, text[start:end]
            )
        )
    return spans, views


def _entry(item: QueueItem, *, with_replies: bool = False) -> QueueEntry:
    comment = item.comment
    text = comment.body_src
    spans, matches = _rule_spans(text, item.matches or [])
    flags = []
    for flag in service.flags_for(comment):
        where = find_excerpt(text, flag.excerpt) if flag.excerpt else None
        if where is not None:
            reason = FLAG_REASONS.get(flag.reason, flag.reason)
            label = f"Selected by {flag.user.username}: {reason}"
            spans.append(Span(where[0], where[1], label, "flag"))
        flags.append(FlagView(flag, where is not None))
    parent = db.session.get(Comment, comment.parent_id) if comment.parent_id else None
    parent_excerpt = ""
    if parent is not None:
        parent_excerpt = (
            "[deleted]" if parent.status == "deleted" else excerpt(plain_text(parent.body_src), 300)
        )
    entry = QueueEntry(
        item=item,
        comment=comment,
        parent_excerpt=parent_excerpt,
        pieces=highlight(text, spans),
        matches=matches,
        flags=flags,
        record=service.author_record(comment.author),
    )
    if item.source == "appeal":
        appeal = db.session.scalar(
            service.log_query(action="appeal")
            .where(ModerationAction.target_type == "comment")
            .where(ModerationAction.target_id == comment.id)
            .limit(1)
        )
        entry.appeal_reason = appeal.reason if appeal else ""
    if with_replies:
        entry.replies = list(
            db.session.scalars(
                select(Comment).where(Comment.parent_id == comment.id).order_by(Comment.number)
            )
        )
    return entry


def _queue_page(errors: dict[str, str] | None = None, form: Any = None, status: int = 200):  # noqa: ANN202
    entries = [_entry(item) for item in service.open_queue(current_user)]
    page = render_template(
        "moderation/queue.html", entries=entries, errors=errors or {}, form=form or {}
    )
    return page, status


@bp.get("/mod/queue")
@login_required
def queue() -> tuple[str, int]:
    """Open items, highest priority then oldest first, each with its context and actions."""
    _require_moderator()
    return _queue_page()


@bp.post("/mod/queue/bulk")
@login_required
def bulk() -> Response | tuple[str, int]:
    """Approve or remove several items at once; items decided meanwhile are skipped."""
    _require_moderator()
    decision = request.form.get("decision", "")
    reason = request.form.get("reason", "").strip()
    ids = [i for i in request.form.getlist("item_id", type=int) if 1 <= i <= ID_MAX]
    errors = {}
    if decision not in BULK_DECISIONS:
        errors["decision"] = "Choose approve or remove for the selected items."
    elif decision == "remove" and not reason:
        errors["reason"] = "Give the authors a reason for the removal."
    if not ids:
        errors["item_id"] = "Select at least one item."
    if errors:
        return _queue_page(errors, request.form, 422)
    items = [service.get_queue_item(item_id, viewer=current_user) for item_id in ids]
    try:
        done = service.decide_many(items, actor=current_user, decision=decision, reason=reason)
    except ValidationError as exc:
        return _queue_page({**exc.fields, "bulk": exc.message}, request.form, 422)
    skipped = len(items) - done
    verb = "Approved" if decision == "approve" else "Removed"
    note = f" ({skipped} already decided by someone else)" if skipped else ""
    flash(f"{verb} {done} item{'s' if done != 1 else ''}{note}.")
    return redirect(url_for(".queue"))


@bp.route("/mod/queue/<id:item_id>", methods=["GET", "POST"])
@login_required
def item(item_id: int) -> str | Response | tuple[str, int]:
    _require_moderator()
    queue_item = service.get_queue_item(item_id, viewer=current_user)
    if request.method == "GET":
        return render_template(
            "moderation/item.html", entry=_entry(queue_item, with_replies=True), errors={}, form={}
        )
    decision = request.form.get("decision", "")
    body = request.form.get("body") if decision == "edit_approve" else None
    try:
        service.decide(
            queue_item,
            actor=current_user,
            decision=decision,
            reason=request.form.get("reason", ""),
            body=body,
        )
    except ValidationError as exc:
        errors = {**exc.fields, "form": exc.message}
        page = render_template(
            "moderation/item.html",
            entry=_entry(queue_item, with_replies=True),
            errors=errors,
            form=request.form,
        )
        return page, 422
    done = {
        "approve": "Approved",
        "remove": "Removed",
        "edit_approve": "Edited and approved",
        "dismiss": "Dismissed the flags on",
    }[decision]
    flash(f"{done} comment #{queue_item.comment.number} by {queue_item.comment.author.username}.")
    return redirect(url_for(".queue"))


# --------------------------------------------------------------------------- users


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
    comment_id = request.form.get("comment_id", type=int)
    if comment_id is not None and not 1 <= comment_id <= ID_MAX:
        abort(404)
    if comment_id is not None:
        comment = db.session.get(Comment, comment_id)
        if comment is None or not service.can_moderate_comment(current_user, comment):
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


# --------------------------------------------------------------------------- the log


@bp.get("/mod/log")
@login_required
def log() -> str:
    _require_moderator()
    filters = {key: request.args.get(key, "").strip() for key in ("actor", "action", "subject")}
    pagination = db.paginate(
        service.log_query(**filters),
        page=page_number(request.args.get("page")),
        per_page=LOG_PER_PAGE,
        error_out=False,
    )
    return render_template(
        "moderation/log.html",
        pagination=pagination,
        filters=filters,
        active={k: v for k, v in filters.items() if v},
    )


# --------------------------------------------------------------------------- rules


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
        actions=sorted(RULE_ACTIONS, key=["nudge", "flag", "hold"].index),
        window=service.DRY_RUN_WINDOW,
    )
    return page, status


def _rule_post(key: str | None) -> Response | tuple[str, int]:
    definition = _definition(request.form, key)
    try:
        if "preview" in request.form:
            caught = service.dry_run_rule(definition)
            hits = [_preview_hit(c, a.matches) for c, a in caught[:PREVIEW_SHOWN]]
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


# --------------------------------------------------------------------------- authors


@bp.post("/moderation/assess")
@login_required
@rate_limit("assess")
def assess() -> Response:
    """The nudge as an author types: what the rules would say if this text were posted in
    ``thread_id`` (its participants count), as JSON. Nothing is written or logged; posting
    still goes through the same check on the server.

    Match offsets count characters (code points) of the text with line ends as ``\\n``.
    """
    if not permissions.can_post(current_user):
        abort(403)
    body = clean_text(request.form.get("body", ""))
    if problem := thread_rules.check_body(body, thread_rules.THREAD_BODY_MAX):
        raise ValidationError(problem, fields={"body": problem})
    thread = None
    raw_thread = request.form.get("thread_id", "")
    if raw_thread:
        thread_id = int(raw_thread) if raw_thread.isascii() and raw_thread.isdigit() else 0
        if not 1 <= thread_id <= ID_MAX:
            raise ValidationError(
                "Not a thread id.", fields={"thread_id": "Give the number of a thread, or none."}
            )
        thread = get_thread(thread_id)
    result = service.screen_text(body, thread=thread, author=current_user)
    return jsonify(
        action=result.action,
        nudge=result.action != "allow",  # posting this would bring the nudge page
        holds=result.action == "hold",
        matches=[
            {
                "start": m.start,
                "end": m.end,
                "text": body[m.start : m.end],
                "explanation": m.explanation,
            }
            for m in result.matches
        ],
    )


# --------------------------------------------------------------------------- readers


def _flaggable(comment_id: int) -> Comment:
    comment = get_comment(comment_id)
    if not comment.is_visible:
        abort(404)  # held or removed comments are not shown to readers, so not flagged either
    service.check_can_flag(current_user, comment)
    return comment


@bp.route("/comments/<id:comment_id>/flag", methods=["GET", "POST"])
@login_required
@rate_limit("flag", methods=["POST"])
def flag(comment_id: int) -> str | Response | tuple[str, int]:
    comment = _flaggable(comment_id)
    if request.method == "GET":
        if any(f.user_id == current_user.id for f in service.flags_for(comment)):
            raise ConflictError(
                "You have already flagged this comment; moderators will look at it."
            )
        return render_template("moderation/flag.html", comment=comment, form={}, errors={})
    try:
        service.flag_comment(
            comment,
            actor=current_user,
            reason=request.form.get("reason", ""),
            note=request.form.get("note", ""),
            excerpt=request.form.get("excerpt", ""),
        )
    except ValidationError as exc:
        if wants_json():
            raise  # the flag form opened in the thread page shows the fields' errors
        page = render_template(
            "moderation/flag.html", comment=comment, form=request.form, errors=exc.fields
        )
        return page, 422
    thanks = "Thanks, moderators will look at it."
    if wants_json():
        return jsonify(message=thanks)
    flash(thanks)
    return redirect(_comment_url(comment))


@bp.route("/comments/<id:comment_id>/appeal", methods=["GET", "POST"])
@login_required
def appeal(comment_id: int) -> str | Response | tuple[str, int]:
    """The author of a removed comment asks once for another look."""
    comment = get_comment(comment_id)
    if not permissions.is_author(current_user, comment):
        abort(403)
    if request.method == "GET":
        if comment.status != CommentStatus.REMOVED or comment.appealed:
            raise ConflictError("Only a removed comment can be appealed, and only once.")
        return render_template("moderation/appeal.html", comment=comment, form={}, errors={})
    try:
        service.appeal_removal(comment, actor=current_user, reason=request.form.get("reason", ""))
    except ValidationError as exc:
        errors = {**exc.fields, "form": exc.message}
        page = render_template(
            "moderation/appeal.html", comment=comment, form=request.form, errors=errors
        )
        return page, 422
    flash("Your appeal is with the moderators; you'll see their decision on the comment.")
    return redirect(_comment_url(comment))
