"""Moderators' pages (queue, log, rules, a user's record) and readers' flag and appeal forms.

Plain HTML forms throughout, so every action works without JavaScript. Permissions: anonymous
people are sent to sign in, members get 403, and an item outside a moderator's tag scope is a
404 so its id can't be probed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from forum import permissions
from forum.auth.service import find_user
from forum.converters import ID_MAX, id_arg, page_number
from forum.errors import (
    ConflictError,
    ForumError,
    PermissionDeniedError,
    ValidationError,
    wants_json,
)
from forum.extensions import db
from forum.house_rules import rules as house_rules
from forum.models import (
    Comment,
    CommentStatus,
    QueueItem,
    Tag,
    Thread,
    User,
)
from forum.moderation import charts, service, thread_actions
from forum.moderation.dashboard import (
    DEFAULT_WINDOW,
    WINDOWS,
    Dashboard,
    dashboard_stats,
    describe_age,
)
from forum.moderation.highlight import Piece, Span, highlight
from forum.moderation.policy import FLAG_REASONS, REMOVAL_CATEGORIES, UNCOUNTED_LABELS
from forum.moderation.queue import QueueEntry, queue_entries, with_replies
from forum.moderation.rules import (
    MODEL_MESSAGE,
    MODEL_RULE_ID,
    RULE_ACTIONS,
    Match,
    Rule,
    rule_to_dict,
)
from forum.moderation.transparency import moderation_report
from forum.ratelimit import rate_limit
from forum.security import is_safe_redirect
from forum.tags.rules import normalize_tag
from forum.tags.service import canonical, get_tag
from forum.text import clean_text
from forum.threads import rules as thread_rules
from forum.threads.service import body_problem, get_comment, get_thread

bp = Blueprint("moderation", __name__)

LOG_PER_PAGE = 50
PREVIEW_SHOWN = 50
BULK_DECISIONS = ("approve", "remove")
SOURCE_LABELS = {
    "rules": "Rules",
    "flags": "Flags",
    "new_user": "New account",
    "appeal": "Appeal",
    "webmention": "Linked from",
}


@bp.app_context_processor
def _moderation_globals() -> dict[str, Any]:
    return {
        "flag_reasons": FLAG_REASONS,
        "source_labels": SOURCE_LABELS,
        "removal_categories": REMOVAL_CATEGORIES,
        "uncounted_labels": UNCOUNTED_LABELS,
    }


def _require_moderator() -> None:
    if not permissions.can_moderate(current_user):
        abort(403)


def _next_url(default: str) -> str:
    target = request.form.get("next") or request.args.get("next")
    return target if is_safe_redirect(target, request.host_url) else default


def _post_url(post: Comment | Thread) -> str:
    """The post's place in its thread; works even once flags have hidden it from readers."""
    if isinstance(post, Thread):
        return url_for("threads.view", thread_id=post.id, slug=post.slug)
    thread = post.thread
    return url_for("threads.view", thread_id=thread.id, slug=thread.slug, _anchor=f"c{post.number}")


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
        model_rule=MODEL_RULE_ID,
        describe_age=describe_age,
    )


# --------------------------------------------------------------------------- transparency


@bp.get("/moderation")
def transparency() -> str:
    """The public record of moderation across the forum: counts per month, no names."""
    return render_template(
        "moderation/transparency.html", report=moderation_report(), tag=None, rules=_rule_texts()
    )


@bp.get("/tags/<slug>/moderation")
def tag_transparency(slug: str) -> str | Response:
    """The same record for one tag's threads."""
    tag = get_tag(slug)
    if tag is None:
        abort(404)
    if tag.canonical_id is not None or slug != tag.slug:
        return redirect(url_for(".tag_transparency", slug=canonical(tag).slug), 301)
    return render_template(
        "moderation/transparency.html",
        report=moderation_report(tag=tag),
        tag=tag,
        rules=_rule_texts(),
    )


def _rule_texts() -> dict[str, str]:
    """What each rule looks for, in its own words (the message authors see); the scorer's
    decisions count as a rule of their own."""
    texts = {rule.id: rule.message.replace("{term}", "…") for rule in service.effective_rules()}
    texts[MODEL_RULE_ID] = f"a statistical model: {MODEL_MESSAGE}"
    return texts


# --------------------------------------------------------------------------- queue views


def _queue_page(errors: dict[str, str] | None = None, form: Any = None, status: int = 200):  # noqa: ANN202
    entries = queue_entries(service.open_queue(current_user), viewer=current_user)
    page = render_template(
        "moderation/queue.html", entries=entries, errors=errors or {}, form=form or {}
    )
    return page, status


def _item_entry(queue_item: QueueItem) -> QueueEntry:
    return with_replies(queue_entries([queue_item], viewer=current_user)[0])


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
    ids = [i for i in map(id_arg, request.form.getlist("item_id")) if i is not None]
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
        done = service.decide_many(
            items,
            actor=current_user,
            decision=decision,
            reason=reason,
            category=request.form.get("category") or None,
        )
    except (ValidationError, PermissionDeniedError) as exc:
        return _queue_page({**exc.fields, "bulk": exc.message}, request.form, exc.status)
    skipped = len(items) - done
    verb = "Approved" if decision == "approve" else "Removed"
    note = (
        f" ({skipped} skipped: decided by someone else meanwhile, or in a thread you take part"
        " in, where another moderator must decide)"
        if skipped
        else ""
    )
    flash(f"{verb} {done} item{'s' if done != 1 else ''}{note}.")
    return redirect(url_for(".queue"))


@bp.route("/mod/queue/<id:item_id>", methods=["GET", "POST"])
@login_required
def item(item_id: int) -> str | Response | tuple[str, int]:
    _require_moderator()
    queue_item = service.get_queue_item(item_id, viewer=current_user)
    if request.method == "GET":
        return render_template(
            "moderation/item.html", entry=_item_entry(queue_item), errors={}, form={}
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
            category=request.form.get("category") or None,
            override=request.form.get("override") == "1",
        )
    except (ValidationError, PermissionDeniedError) as exc:
        # A moderator who takes part in the argument reads why someone else must decide.
        errors = {**exc.fields, "form": exc.message}
        page = render_template(
            "moderation/item.html",
            entry=_item_entry(queue_item),
            errors=errors,
            form=request.form,
        )
        return page, exc.status
    done = {
        "approve": "Approved",
        "remove": "Removed",
        "edit_approve": "Edited and approved",
        "dismiss": "Dismissed the flags on",
    }[decision]
    flash(f"{done} {_item_label(queue_item)}.")
    return redirect(url_for(".queue"))


def _item_label(item: QueueItem) -> str:
    """What a queue item is about, for the flash after a decision."""
    if item.mention is not None:
        return f"the link from {item.mention.source_host} to “{item.thread.title}”"
    return _post_label(item.post)


def _post_label(post: Comment | Thread) -> str:
    """ "comment #12 by dana_k", or "the thread “Title” by dana_k": flashes and headings."""
    if isinstance(post, Thread):
        return f"the thread “{post.title}” by {post.author.username}"
    return f"comment #{post.number} by {post.author.username}"


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
    if problem := body_problem(body, thread_rules.THREAD_BODY_MAX):
        raise ValidationError(problem, fields={"body": problem})
    thread_id = _optional_id("thread_id", "Give the number of a thread, or none.")
    parent_id = _optional_id("parent_id", "Give the id of the comment you answer, or none.")
    thread = get_thread(thread_id) if thread_id else None
    parent = None
    if parent_id:
        parent = get_comment(parent_id)
        if thread is None or parent.thread_id != thread.id or not parent.is_visible:
            raise ValidationError(
                "Not a comment of this thread.",
                fields={"parent_id": "Give the id of a live comment in this thread, or none."},
            )
    result = service.screen_text(body, thread=thread, author=current_user, parent=parent)
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
                # The house rule this one enforces, for the link beside the explanation.
                "rules_url": url_for(
                    "house_rules.view", _anchor=house_rules.section_for_rule(m.rule_id)
                ),
            }
            for m in result.matches
        ],
    )


def _optional_id(field: str, hint: str) -> int | None:
    """An optional positive id from the form; a clear 422 for anything else."""
    raw = request.form.get(field, "")
    if not raw:
        return None
    number = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 19 else 0
    if not 1 <= number <= ID_MAX:
        raise ValidationError(f"Not a {field.removesuffix('_id')} id.", fields={field: hint})
    return number


# --------------------------------------------------------------------------- readers


def _flag_page(post: Comment | Thread) -> str | Response | tuple[str, int]:
    """The flag form for a comment or an opening post, and what sending it does."""
    if not post.is_visible:
        abort(404)  # held or removed posts are not shown to readers, so not flagged either
    service.check_can_flag(current_user, post)
    if request.method == "GET":
        if any(f.user_id == current_user.id for f in service.flags_for(post)):
            raise ConflictError(
                f"You have already flagged this {service.post_kind(post)}; moderators will "
                "look at it."
            )
        return render_template("moderation/flag.html", post=post, form={}, errors={})
    try:
        service.flag_post(
            post,
            actor=current_user,
            reason=request.form.get("reason", ""),
            note=request.form.get("note", ""),
            excerpt=request.form.get("excerpt", ""),
        )
    except ValidationError as exc:
        if wants_json():
            raise  # the flag form opened in the thread page shows the fields' errors
        page = render_template(
            "moderation/flag.html", post=post, form=request.form, errors=exc.fields
        )
        return page, 422
    thanks = "Thanks, moderators will look at it."
    if wants_json():
        return jsonify(message=thanks)
    flash(thanks)
    return redirect(_post_url(post))


@bp.route("/comments/<id:comment_id>/flag", methods=["GET", "POST"])
@login_required
@rate_limit("flag", methods=["POST"])
def flag(comment_id: int) -> str | Response | tuple[str, int]:
    return _flag_page(get_comment(comment_id))


@bp.route("/threads/<id:thread_id>/flag", methods=["GET", "POST"])
@login_required
@rate_limit("flag", methods=["POST"])
def flag_thread(thread_id: int) -> str | Response | tuple[str, int]:
    """Readers flag a thread's title and opening post as they flag a comment."""
    return _flag_page(get_thread(thread_id))


def _appeal_page(post: Comment | Thread) -> str | Response | tuple[str, int]:
    """The author of a removed post asks once for another look."""
    if not permissions.is_author(current_user, post):
        abort(403)
    if request.method == "GET":
        if post.status != CommentStatus.REMOVED or post.appealed:
            raise ConflictError("Only a removed post can be appealed, and only once.")
        return render_template("moderation/appeal.html", post=post, form={}, errors={})
    try:
        service.appeal_removal(post, actor=current_user, reason=request.form.get("reason", ""))
    except ValidationError as exc:
        errors = {**exc.fields, "form": exc.message}
        page = render_template(
            "moderation/appeal.html", post=post, form=request.form, errors=errors
        )
        return page, 422
    flash("Your appeal is with the moderators; you'll see their decision on the post.")
    return redirect(_post_url(post))


@bp.route("/comments/<id:comment_id>/appeal", methods=["GET", "POST"])
@login_required
def appeal(comment_id: int) -> str | Response | tuple[str, int]:
    return _appeal_page(get_comment(comment_id))


@bp.route("/threads/<id:thread_id>/appeal", methods=["GET", "POST"])
@login_required
def appeal_thread(thread_id: int) -> str | Response | tuple[str, int]:
    return _appeal_page(get_thread(thread_id))


# --------------------------------------------------------------------------- on the page


def _moderated(post: Comment | Thread) -> Comment | Thread:
    """The post, if the signed-in moderator moderates its tags; 404 otherwise, so ids of
    held posts can't be probed, and 403 for people who aren't moderators at all."""
    _require_moderator()
    if not permissions.moderates(current_user, post):
        abort(404)
    return post


def _done(post: Comment | Thread, message: str) -> Response:
    flash(message)
    return redirect(_post_url(post))


def _refused(post: Comment | Thread, exc: ForumError) -> Response:
    """A refused action on the thread page: back to the post with what to fix."""
    flash(f"Nothing was changed: {exc.message}")
    return redirect(_post_url(post), 303)


def _remove_post(post: Comment | Thread) -> Response:
    try:
        service.remove_post(
            post,
            actor=current_user,
            reason=request.form.get("reason", ""),
            category=request.form.get("category") or None,
            override=request.form.get("override") == "1",
        )
    except (ValidationError, ConflictError) as exc:
        return _refused(post, exc)
    return _done(post, f"Removed the {service.post_kind(post)}; its author has been told why.")


def _restore_post(post: Comment | Thread) -> Response:
    try:
        service.restore_post(post, actor=current_user, override=request.form.get("override") == "1")
    except ConflictError as exc:
        return _refused(post, exc)
    return _done(post, f"Restored the {service.post_kind(post)}.")


@bp.route("/comments/<id:comment_id>/remove", methods=["GET", "POST"])
@login_required
def remove_comment(comment_id: int) -> str | Response:
    """A moderator removes a comment from its thread page, without waiting for the queue."""
    comment = _moderated(get_comment(comment_id))
    if request.method == "GET":
        return render_template("moderation/remove.html", post=comment)
    return _remove_post(comment)


@bp.post("/comments/<id:comment_id>/restore")
@login_required
def restore_comment(comment_id: int) -> Response:
    return _restore_post(_moderated(get_comment(comment_id)))


@bp.post("/threads/<id:thread_id>/remove")
@login_required
def remove_thread(thread_id: int) -> Response:
    return _remove_post(_moderated(get_thread(thread_id)))


@bp.post("/threads/<id:thread_id>/restore")
@login_required
def restore_thread(thread_id: int) -> Response:
    return _restore_post(_moderated(get_thread(thread_id)))


@bp.post("/threads/<id:thread_id>/lock")
@login_required
def lock_thread(thread_id: int) -> Response:
    thread = _moderated(get_thread(thread_id))
    try:
        thread_actions.lock_thread(
            thread, actor=current_user, reason=request.form.get("reason", "")
        )
    except (ValidationError, ConflictError) as exc:
        return _refused(thread, exc)
    return _done(thread, "Locked: nobody but moderators can reply.")


@bp.post("/threads/<id:thread_id>/unlock")
@login_required
def unlock_thread(thread_id: int) -> Response:
    thread = _moderated(get_thread(thread_id))
    try:
        thread_actions.unlock_thread(thread, actor=current_user)
    except ConflictError as exc:
        return _refused(thread, exc)
    return _done(thread, "Unlocked: replies are open again.")


@bp.post("/threads/<id:thread_id>/pin")
@login_required
def pin_thread(thread_id: int) -> Response:
    thread = _moderated(get_thread(thread_id))
    raw = request.form.get("days", "").strip()
    days = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 4 else None
    try:
        if raw and days is None:
            raise ValidationError("Give the number of days as digits, or leave it empty.")
        thread_actions.pin_thread(
            thread,
            actor=current_user,
            days=days,
            site_wide=request.form.get("site_wide") == "1",
        )
    except (ValidationError, ConflictError) as exc:
        return _refused(thread, exc)
    return _done(thread, "Pinned to the top of its tags.")


@bp.post("/threads/<id:thread_id>/unpin")
@login_required
def unpin_thread(thread_id: int) -> Response:
    thread = _moderated(get_thread(thread_id))
    try:
        thread_actions.unpin_thread(thread, actor=current_user)
    except ConflictError as exc:
        return _refused(thread, exc)
    return _done(thread, "Unpinned.")
