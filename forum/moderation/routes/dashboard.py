"""What moderation looks like as a whole: the moderators' dashboard and log, and the public
record of moderation across the forum or in one tag.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from werkzeug.wrappers import Response

from forum.converters import page_number
from forum.errors import ForumError
from forum.extensions import db
from forum.moderation import charts, service
from forum.moderation.dashboard import (
    DEFAULT_WINDOW,
    WINDOWS,
    Dashboard,
    dashboard_stats,
    describe_age,
)
from forum.moderation.encoder import ENCODER_MESSAGE, ENCODER_RULE_ID
from forum.moderation.routes import _require_moderator, bp
from forum.moderation.rules import MODEL_MESSAGE, MODEL_RULE_ID
from forum.moderation.transparency import moderation_report
from forum.tags.service import canonical, get_tag

LOG_PER_PAGE = 50

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
        model_rules=(MODEL_RULE_ID, ENCODER_RULE_ID),
        describe_age=describe_age,
    )


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
    """What each rule looks for, in its own words (the message authors see); the scorer's and
    the encoder's decisions each count as a rule of their own."""
    texts = {rule.id: rule.message.replace("{term}", "…") for rule in service.effective_rules()}
    texts[MODEL_RULE_ID] = f"a statistical model: {MODEL_MESSAGE}"
    texts[ENCODER_RULE_ID] = f"a language model: {ENCODER_MESSAGE}"
    return texts


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
