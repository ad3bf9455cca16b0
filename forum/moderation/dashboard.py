"""Numbers for the moderator dashboard: the queue now, flags and decisions per day, and how
often moderators agreed with each rule.

A fixed handful of grouped queries whatever the volume: days are grouped in SQL (UTC days on
both databases) and rule matches are unpacked from the queue items' JSON by the database.
Scoped moderators see only the comments in their tags, as in the queue.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Date, Select, cast, distinct, func, literal_column, or_, select
from sqlalchemy.sql.elements import ColumnElement

from forum import permissions
from forum.errors import PermissionDeniedError
from forum.extensions import db
from forum.models import (
    Comment,
    Flag,
    ModerationAction,
    QueueItem,
    QueueSource,
    QueueState,
    User,
    thread_tags,
)
from forum.models.base import utcnow
from forum.moderation.common import moderator_scope_tag_ids

WINDOWS = (7, 30, 90)
DEFAULT_WINDOW = 30
# Below this many decisions a rule's precision is shown as counts, not a bare percentage.
FEW_DECISIONS = 5
LEFT_UP = ("approve", "edit_approve", "dismiss")
REMOVED = ("remove",)
# Queue states that mean the moderator judged the content fine (the rule was overturned).
OVERTURNED_STATES = (QueueState.APPROVED, QueueState.DISMISSED)


@dataclass(frozen=True)
class SourceCount:
    source: str
    open: int
    oldest_age: timedelta


@dataclass(frozen=True)
class QueueStats:
    """The queue as it stands: open items by source, the longest and the median wait."""

    sources: tuple[SourceCount, ...]
    oldest_age: timedelta | None
    median_age: timedelta | None

    @property
    def total(self) -> int:
        return sum(s.open for s in self.sources)


@dataclass(frozen=True)
class DayCount:
    day: date
    flags: int = 0
    removed: int = 0
    left_up: int = 0

    @property
    def total(self) -> int:
        return self.flags + self.removed + self.left_up


@dataclass(frozen=True)
class RuleStats:
    """One rule over the window: comments it queued and what moderators made of them.

    ``rule_id`` is None for comments the scorer queued without any rule matching.
    """

    rule_id: str | None
    fired: int
    upheld: int
    overturned: int

    @property
    def decided(self) -> int:
        return self.upheld + self.overturned

    @property
    def undecided(self) -> int:
        return self.fired - self.decided

    @property
    def precision(self) -> float | None:
        """Share of decided items moderators removed; None before any decision."""
        return self.upheld / self.decided if self.decided else None

    @property
    def precision_text(self) -> str:
        """The precision with its counts, so two decisions never read as a firm "100%"."""
        if not self.decided:
            return "no decisions yet"
        counts = f"{self.upheld} of {self.decided} upheld"
        if self.decided < FEW_DECISIONS:
            return f"{counts} (too few to judge)"
        return f"{self.precision:.0%} ({counts})"


@dataclass(frozen=True)
class Dashboard:
    days: int
    first_day: date
    last_day: date
    queue: QueueStats
    daily: tuple[DayCount, ...]
    rules: tuple[RuleStats, ...]
    scoped: bool

    @property
    def flags(self) -> int:
        return sum(d.flags for d in self.daily)

    @property
    def removed(self) -> int:
        return sum(d.removed for d in self.daily)

    @property
    def left_up(self) -> int:
        return sum(d.left_up for d in self.daily)


def describe_age(age: timedelta | None) -> str:
    """ "3 days 4 hours", "25 minutes": how long something has waited, to the nearest unit."""
    if age is None:
        return "nothing waiting"
    minutes = int(age.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [(days, "day"), (hours, "hour")] if days else [(hours, "hour"), (minutes, "minute")]
    words = [f"{n} {unit}{'s' if n != 1 else ''}" for n, unit in parts if n]
    return " ".join(words) or "under a minute"


def _utc_day(column: Any) -> ColumnElement[Any]:
    """The UTC calendar day of a timestamp. SQLite stores UTC text already; PostgreSQL's
    date() would use the session's time zone. Literal SQL, not bound parameters, so the same
    expression can appear in GROUP BY."""
    if db.engine.dialect.name == "postgresql":
        return cast(func.timezone(literal_column("'UTC'"), column), Date)
    return func.date(column)


def _as_date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def match_rule_id() -> ColumnElement[Any]:
    """The rule id of each of a queue item's matches: selecting it makes one row per match
    (the match list is unpacked beside its item in FROM, a lateral join on both databases)."""
    if db.engine.dialect.name == "postgresql":
        rows = func.json_array_elements(QueueItem.matches).table_valued(
            "value", joins_implicitly=True
        )
        return rows.c.value.op("->>")(literal_column("'rule_id'"))
    rows = func.json_each(QueueItem.matches).table_valued("value", joins_implicitly=True)
    return func.json_extract(rows.c.value, literal_column("'$.rule_id'"))


def _in_scope(scopes: Sequence[int]) -> Select[tuple[int]]:
    return (
        select(Comment.id)
        .join(thread_tags, thread_tags.c.thread_id == Comment.thread_id)
        .where(thread_tags.c.tag_id.in_(scopes))
    )


def _queue(scopes: Sequence[int], now: datetime) -> QueueStats:
    is_open = [QueueItem.state == QueueState.OPEN]
    if scopes:
        is_open.append(QueueItem.comment_id.in_(_in_scope(scopes)))
    rows = db.session.execute(
        select(QueueItem.source, func.count(QueueItem.id), func.min(QueueItem.created_at))
        .where(*is_open)
        .group_by(QueueItem.source)
        .order_by(func.count(QueueItem.id).desc(), QueueItem.source)
    ).all()
    # The middle one or two items by age, found by the database rather than by loading all.
    ranked = (
        select(
            QueueItem.created_at.label("created_at"),
            func.row_number().over(order_by=(QueueItem.created_at, QueueItem.id)).label("n"),
            func.count().over().label("total"),
        )
        .where(*is_open)
        .subquery()
    )
    middle = list(
        db.session.scalars(
            select(ranked.c.created_at).where(
                or_(
                    ranked.c.n == (ranked.c.total + 1) // 2,
                    ranked.c.n == (ranked.c.total + 2) // 2,
                )
            )
        )
    )
    sources = tuple(SourceCount(source, count, now - oldest) for source, count, oldest in rows)
    median = middle[0] + (middle[-1] - middle[0]) / 2 if middle else None
    return QueueStats(
        sources=sources,
        oldest_age=max((s.oldest_age for s in sources), default=None),
        median_age=now - median if median else None,
    )


def _daily(
    scopes: Sequence[int], since: datetime, until: datetime, days: Sequence[date]
) -> tuple[DayCount, ...]:
    flag_day = _utc_day(Flag.created_at).label("day")
    flags = select(flag_day, func.count(Flag.id)).where(
        Flag.created_at >= since, Flag.created_at < until
    )
    action_day = _utc_day(ModerationAction.created_at).label("day")
    actions = select(action_day, ModerationAction.action, func.count(ModerationAction.id)).where(
        ModerationAction.created_at >= since,
        ModerationAction.created_at < until,
        ModerationAction.target_type == "comment",
        ModerationAction.action.in_(LEFT_UP + REMOVED),
    )
    if scopes:
        flags = flags.where(Flag.comment_id.in_(_in_scope(scopes)))
        actions = actions.where(ModerationAction.target_id.in_(_in_scope(scopes)))
    counts: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for day, n in db.session.execute(flags.group_by(flag_day)):
        counts[_as_date(day)]["flags"] += n
    for day, action, n in db.session.execute(actions.group_by(action_day, ModerationAction.action)):
        counts[_as_date(day)]["removed" if action in REMOVED else "left_up"] += n
    return tuple(DayCount(day, **counts.get(day, {})) for day in days)


def _rules(scopes: Sequence[int], since: datetime, until: datetime) -> tuple[RuleStats, ...]:
    rule_id = match_rule_id()
    in_window = [QueueItem.created_at >= since, QueueItem.created_at < until]
    if scopes:
        in_window.append(QueueItem.comment_id.in_(_in_scope(scopes)))
    rule_label = rule_id.label("rule_id")
    by_rule = (
        select(rule_label, QueueItem.state, func.count(distinct(QueueItem.id)))
        .select_from(QueueItem)
        .where(*in_window, rule_id.is_not(None))
        .group_by(rule_label, QueueItem.state)
    )
    # The scorer can queue a comment no rule matched: its own line, so it is judged too.
    scorer_only = (
        select(QueueItem.state, func.count(QueueItem.id))
        .where(*in_window)
        .where(QueueItem.source == QueueSource.RULES)
        .where(func.json_array_length(QueueItem.matches) == 0)
        .group_by(QueueItem.state)
    )
    tally: dict[str | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for key, state, n in db.session.execute(by_rule):
        tally[str(key)][state] += n
    for state, n in db.session.execute(scorer_only):
        tally[None][state] += n
    stats = [
        RuleStats(
            rule_id=key,
            fired=sum(states.values()),
            upheld=states.get(QueueState.REMOVED, 0),
            overturned=sum(states.get(s, 0) for s in OVERTURNED_STATES),
        )
        for key, states in tally.items()
    ]
    return tuple(sorted(stats, key=lambda r: (-r.fired, r.rule_id or "")))


def dashboard_stats(
    viewer: User, *, days: int = DEFAULT_WINDOW, now: datetime | None = None
) -> Dashboard:
    """Everything the dashboard shows for the last ``days`` UTC days, today included."""
    if not permissions.can_moderate(viewer):
        raise PermissionDeniedError("Only moderators can see the dashboard.")
    if days not in WINDOWS:
        raise ValueError(f"days must be one of {WINDOWS}")
    now = now or utcnow()
    last_day = now.astimezone(UTC).date()
    first_day = last_day - timedelta(days=days - 1)
    since = datetime.combine(first_day, time.min, tzinfo=UTC)
    until = since + timedelta(days=days)
    calendar = [first_day + timedelta(days=i) for i in range(days)]
    scopes = [] if viewer.is_admin else moderator_scope_tag_ids(viewer)
    return Dashboard(
        days=days,
        first_day=first_day,
        last_day=last_day,
        queue=_queue(scopes, now),
        daily=_daily(scopes, since, until, calendar),
        rules=_rules(scopes, since, until),
        scoped=bool(scopes),
    )
