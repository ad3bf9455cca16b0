"""The public record of moderation: per month, what was posted, held, removed and reinstated,
what each rule caught and how often moderators overturned it, and how appeals ended. Counts
only: no names, no texts, no ids, so it can be shown to everyone.

A fixed handful of grouped queries over the last MONTHS months (months grouped in SQL, in
UTC), kept per process for CACHE_SECONDS: the figures are for reading trends, and a busy site
must not count a year of posts on every request.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask import current_app
from sqlalchemy import String, and_, func, literal_column, or_, select
from sqlalchemy.sql.elements import ColumnElement

from forum.extensions import db
from forum.models import (
    Comment,
    ModerationAction,
    QueueItem,
    QueueSource,
    QueueState,
    Tag,
    Thread,
    thread_tags,
)
from forum.models.base import utcnow
from forum.moderation.dashboard import OVERTURNED_STATES, match_rule_id

MONTHS = 12
CACHE_SECONDS = 600
HELD = ("rules_hold", "new_user_hold", "auto_hide")
REMOVED = ("remove",)
REINSTATED = ("approve", "edit_approve", "dismiss", "restore")
SCORER = "scorer"  # the "rule" of items the scorer queued with no rule matching


@dataclass
class RuleMonth:
    """What one rule sent to moderators in a month, and what they made of it."""

    rule_id: str
    queued: int = 0
    upheld: int = 0
    overturned: int = 0

    @property
    def overturned_share(self) -> str:
        decided = self.upheld + self.overturned
        return f"{self.overturned / decided:.0%}" if decided else "–"


@dataclass
class Month:
    month: str  # "2026-11"
    posted: int = 0
    held: int = 0
    removed: int = 0
    reinstated: int = 0
    appeals: int = 0
    appeals_upheld: int = 0  # the removal stood
    appeals_granted: int = 0  # the post came back
    # Links from other sites (webmentions): sent to moderators, then shown or removed.
    mentions: int = 0
    mentions_shown: int = 0
    mentions_removed: int = 0
    rules: list[RuleMonth] = field(default_factory=list)

    @property
    def label(self) -> str:
        return datetime.strptime(self.month, "%Y-%m").strftime("%B %Y")


@dataclass(frozen=True)
class Report:
    months: list[Month]  # newest first, only months with anything in them
    since: str

    @property
    def totals(self) -> Month:
        total = Month("total")
        for m in self.months:
            for name in (
                "posted",
                "held",
                "removed",
                "reinstated",
                "appeals",
                "appeals_upheld",
                "appeals_granted",
                "mentions",
                "mentions_shown",
                "mentions_removed",
            ):
                setattr(total, name, getattr(total, name) + getattr(m, name))
        return total


def _month(column: Any) -> ColumnElement[str]:
    """The UTC month of a timestamp as "YYYY-MM"; literal SQL so GROUP BY can repeat it."""
    if db.engine.dialect.name == "postgresql":
        return func.to_char(func.timezone(literal_column("'UTC'"), column), "YYYY-MM")
    return func.strftime("%Y-%m", column)


def _detail(column: Any, name: str) -> ColumnElement[Any]:
    """One field of a JSON column, as text, on either database."""
    if db.engine.dialect.name == "postgresql":
        return column.op("->>", return_type=String)(literal_column(f"'{name}'"))
    return func.json_extract(column, literal_column(f"'$.{name}'"), type_=String)


def _window_start(now: datetime) -> datetime:
    year, month = now.year, now.month - (MONTHS - 1)
    while month < 1:
        year, month = year - 1, month + 12
    return datetime(year, month, 1, tzinfo=UTC)


def _tagged_threads(tag: Tag) -> Any:
    return select(thread_tags.c.thread_id).where(thread_tags.c.tag_id == tag.id)


def _actions_in(tag: Tag | None) -> list[ColumnElement[bool]]:
    """Log rows about posts in the tag's threads (every post when no tag)."""
    if tag is None:
        return []
    threads = _tagged_threads(tag)
    comments = select(Comment.id).where(Comment.thread_id.in_(threads))
    return [
        or_(
            and_(
                ModerationAction.target_type == "comment", ModerationAction.target_id.in_(comments)
            ),
            and_(ModerationAction.target_type == "thread", ModerationAction.target_id.in_(threads)),
        )
    ]


def _compute(tag: Tag | None, now: datetime) -> Report:
    since = _window_start(now)
    months: dict[str, Month] = {}

    def month(key: str) -> Month:
        return months.setdefault(key, Month(key))

    for model in (Comment, Thread):
        key = _month(model.created_at).label("m")
        stmt = select(key, func.count()).where(model.created_at >= since)
        if tag is not None:
            column = Comment.thread_id if model is Comment else Thread.id
            stmt = stmt.where(column.in_(_tagged_threads(tag)))
        for m, n in db.session.execute(stmt.group_by(key)):
            month(m).posted += n

    key = _month(ModerationAction.created_at).label("m")
    actions = (
        select(key, ModerationAction.action, func.count())
        .where(
            ModerationAction.created_at >= since,
            ModerationAction.action.in_(HELD + REMOVED + REINSTATED + ("appeal",)),
            # Decisions on appeals are the appeals' outcomes, counted below, not new removals.
            func.coalesce(_detail(ModerationAction.details, "source"), "")
            != QueueSource.APPEAL.value,
            *_actions_in(tag),
        )
        .group_by(key, ModerationAction.action)
    )
    for m, action, n in db.session.execute(actions):
        row = month(m)
        if action in HELD:
            row.held += n
        elif action in REMOVED:
            row.removed += n
        elif action in REINSTATED:
            row.reinstated += n
        else:
            row.appeals += n

    in_tag = [QueueItem.thread_id.in_(_tagged_threads(tag))] if tag is not None else []
    key = _month(QueueItem.resolved_at).label("m")
    appeals = (
        select(key, QueueItem.state, func.count())
        .where(
            QueueItem.source == QueueSource.APPEAL,
            QueueItem.resolved_at >= since,
            *in_tag,
        )
        .group_by(key, QueueItem.state)
    )
    for m, state, n in db.session.execute(appeals):
        if state == QueueState.REMOVED:
            month(m).appeals_upheld += n
        elif state in OVERTURNED_STATES:
            month(m).appeals_granted += n

    _count_mentions(month, since, in_tag)

    rules: dict[tuple[str, str], RuleMonth] = {}
    key = _month(QueueItem.created_at).label("m")
    rule_id = match_rule_id()
    rule_label = rule_id.label("rule_id")
    by_rule = (
        select(key, rule_label, QueueItem.state, func.count(func.distinct(QueueItem.id)))
        .select_from(QueueItem)
        .where(QueueItem.created_at >= since, rule_id.is_not(None), *in_tag)
        .group_by(key, rule_label, QueueItem.state)
    )
    scorer_only = (
        select(key, literal_column(f"'{SCORER}'"), QueueItem.state, func.count(QueueItem.id))
        .where(
            QueueItem.created_at >= since,
            QueueItem.source == QueueSource.RULES,
            func.json_array_length(QueueItem.matches) == 0,
            *in_tag,
        )
        .group_by(key, QueueItem.state)
    )
    for stmt in (by_rule, scorer_only):
        for m, rid, state, n in db.session.execute(stmt):
            stats = rules.setdefault((m, str(rid)), RuleMonth(str(rid)))
            stats.queued += n
            if state == QueueState.REMOVED:
                stats.upheld += n
            elif state in OVERTURNED_STATES:
                stats.overturned += n
    by_month: dict[str, list[RuleMonth]] = defaultdict(list)
    for (m, _), stats in rules.items():
        by_month[m].append(stats)
    for m, found in by_month.items():
        month(m).rules = sorted(found, key=lambda r: (-r.queued, r.rule_id))

    ordered = [months[m] for m in sorted(months, reverse=True)]
    return Report(months=ordered, since=since.strftime("%B %Y"))


def _count_mentions(
    month: Callable[[str], Month], since: datetime, in_tag: Sequence[ColumnElement[bool]]
) -> None:
    """Webmentions sent to moderators by the month they arrived, and their decisions by the
    month they were taken; one withdrawn by its source before a decision is neither."""
    is_mention = [QueueItem.source == QueueSource.WEBMENTION, *in_tag]
    key = _month(QueueItem.created_at).label("m")
    arrived = select(key, func.count()).where(QueueItem.created_at >= since, *is_mention)
    for m, n in db.session.execute(arrived.group_by(key)):
        month(m).mentions += n
    key = _month(QueueItem.resolved_at).label("m")
    decided = (
        select(key, QueueItem.state, func.count())
        .where(
            QueueItem.resolved_at >= since,
            QueueItem.state.in_([QueueState.APPROVED, QueueState.REMOVED]),
            *is_mention,
        )
        .group_by(key, QueueItem.state)
    )
    for m, state, n in db.session.execute(decided):
        if state == QueueState.APPROVED:
            month(m).mentions_shown += n
        else:
            month(m).mentions_removed += n


def moderation_report(*, tag: Tag | None = None, now: datetime | None = None) -> Report:
    """The report for the whole site, or for one tag's threads; at most CACHE_SECONDS old
    (kept per app in this process: each worker counts at most once per period)."""
    kept: dict[int, tuple[float, Report]] = current_app.extensions.setdefault(
        "forum.transparency", {}
    )
    key = tag.id if tag is not None else 0
    found = kept.get(key)
    if now is None and found is not None and time.monotonic() - found[0] < CACHE_SECONDS:
        return found[1]
    report = _compute(tag, now or utcnow())
    if now is None:
        kept[key] = (time.monotonic(), report)
    return report
