"""Queue entries: each open item with everything a moderator needs to decide without clicking
away (the post in context, the rules' and readers' marks, the flaggers' standing, the author's
record, whether the flaggers act together, and whether this moderator may decide at all).

Assembled for a whole page at once, in a fixed number of queries whatever the number of
items: posts, flags, parents, records, appeals and flagging patterns are each one query.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.models import (
    Comment,
    CommentStatus,
    Flag,
    ModerationAction,
    QueueItem,
    Thread,
    User,
    Webmention,
)
from forum.models.base import utcnow
from forum.moderation.common import Post, post_kind, post_text
from forum.moderation.flags import COORDINATION_SCAN
from forum.moderation.highlight import Piece, Span, find_excerpt, highlight
from forum.moderation.policy import (
    COORDINATION_WINDOW_DAYS,
    FLAG_REASONS,
    Coordination,
    coordination,
    default_category,
)
from forum.moderation.review import decision_conflicts
from forum.text import excerpt, plain_text


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
    """One queue item in context."""

    item: QueueItem
    post: Post
    kind: str  # "comment" or "thread" (its opening post)
    parent_excerpt: str
    pieces: list[Piece]
    matches: list[MatchView]
    flags: list[FlagView]
    record: dict[str, int]
    appeal_reason: str = ""
    # Flaggers who keep flagging this author together (forum.moderation.policy.coordination).
    together: Coordination | None = None
    # Why the viewing moderator must leave this item to someone else ("" when they may decide).
    conflict: str = ""
    # The removal category the form offers first: the likeliest from the rules and flags.
    category: str = "personal_attack"
    replies: list[Comment] = field(default_factory=list)
    # Set for a webmention (``kind`` "mention"): the link from another site to decide on;
    # ``post`` is then the thread it links to.
    mention: Webmention | None = None


def _mention_entry(item: QueueItem) -> QueueEntry:
    """A webmention's entry: the link and what its page says, nothing about any author."""
    return QueueEntry(
        item=item,
        post=item.thread,
        kind="mention",
        parent_excerpt="",
        pieces=[],
        matches=[],
        flags=[],
        record={},
        mention=item.mention,
    )


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


def _flags(posts: Sequence[Post]) -> dict[tuple[str, int], list[Flag]]:
    """Every flag on these posts, by (kind, id), flaggers loaded: one query."""
    comment_ids = [p.id for p in posts if isinstance(p, Comment)]
    thread_ids = [p.id for p in posts if isinstance(p, Thread)]
    found: dict[tuple[str, int], list[Flag]] = defaultdict(list)
    if not posts:
        return found
    rows = db.session.scalars(
        select(Flag)
        .options(selectinload(Flag.user))
        .where(
            or_(
                Flag.comment_id.in_(comment_ids),
                Flag.thread_id.in_(thread_ids) & Flag.comment_id.is_(None),
            )
        )
        .order_by(Flag.id)
    )
    for flag in rows:
        if flag.comment_id is not None:
            found[("comment", flag.comment_id)].append(flag)
        else:
            found[("thread", flag.thread_id)].append(flag)
    return found


def author_records(user_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """What a moderator sees of each author: posts published and removed, warnings and
    suspensions; three grouped queries for any number of authors."""
    counts: dict[int, dict[str, int]] = {
        uid: {"published": 0, "removed": 0, "warnings": 0, "suspensions": 0} for uid in user_ids
    }
    if not user_ids:
        return counts
    statuses = {CommentStatus.PUBLISHED: "published", CommentStatus.REMOVED: "removed"}
    for model in (Comment, Thread):
        for author_id, status, n in db.session.execute(
            select(model.author_id, model.status, func.count(model.id))
            .where(model.author_id.in_(user_ids), model.status.in_(list(statuses)))
            .group_by(model.author_id, model.status)
        ):
            counts[author_id][statuses[status]] += n
    actions = {"warn": "warnings", "suspend": "suspensions"}
    for subject_id, action, n in db.session.execute(
        select(ModerationAction.subject_id, ModerationAction.action, func.count())
        .where(
            ModerationAction.subject_id.in_(user_ids),
            ModerationAction.action.in_(list(actions)),
        )
        .group_by(ModerationAction.subject_id, ModerationAction.action)
    ):
        counts[subject_id][actions[action]] += n
    return counts


def _appeals(posts: Sequence[Post]) -> dict[tuple[str, int], str]:
    """The latest appeal reason of each post: one query."""
    wanted = {(post_kind(p), p.id) for p in posts}
    if not wanted:
        return {}
    rows = db.session.execute(
        select(ModerationAction.target_type, ModerationAction.target_id, ModerationAction.reason)
        .where(
            ModerationAction.action == "appeal",
            ModerationAction.target_id.in_(sorted({pid for _, pid in wanted})),
        )
        .order_by(ModerationAction.id)
    )
    return {(kind, tid): reason for kind, tid, reason in rows if (kind, tid) in wanted}


def _coordination(
    posts: Sequence[Post], flags: dict[tuple[str, int], list[Flag]], now: datetime
) -> dict[tuple[str, int], Coordination]:
    """For each post, whether its flaggers flagged its author together elsewhere this week:
    one query over the recent flags of every flagger on the page."""
    flaggers = {uid for found in flags.values() for uid in {f.user_id for f in found}}
    authors = {p.author_id for p in posts}
    if len(flaggers) < 2:
        return {}
    since = now - timedelta(days=COORDINATION_WINDOW_DAYS)
    author = func.coalesce(Comment.author_id, Thread.author_id)
    rows = db.session.execute(
        select(author, Flag.user_id, Flag.thread_id, Flag.comment_id, Flag.outcome)
        .join(Thread, Thread.id == Flag.thread_id)
        .outerjoin(Comment, Comment.id == Flag.comment_id)
        .where(
            Flag.user_id.in_(sorted(flaggers)),
            Flag.created_at >= since,
            author.in_(sorted(authors)),
        )
        .order_by(Flag.id.desc())
        .limit(COORDINATION_SCAN * max(len(posts), 1))
    ).all()
    by_author: dict[int, dict[tuple[int, int | None], tuple[set[int], bool]]] = defaultdict(dict)
    for author_id, user_id, thread_id, comment_id, outcome in rows:
        who, upheld = by_author[author_id].get((thread_id, comment_id), (set(), False))
        who.add(user_id)
        by_author[author_id][(thread_id, comment_id)] = (who, upheld or outcome == "upheld")
    found = {}
    for post in posts:
        key = (post_kind(post), post.id)
        own = (post.thread_id, post.id if isinstance(post, Comment) else None)
        others = {k: v for k, v in by_author.get(post.author_id, {}).items() if k != own}
        result = coordination({f.user_id for f in flags.get(key, [])}, others)
        if result is not None:
            found[key] = result
    return found


def queue_entries(
    items: Sequence[QueueItem], *, viewer: User, now: datetime | None = None
) -> list[QueueEntry]:
    """Entries for these items, as the queue page shows them, in a fixed number of queries."""
    ids = [item.id for item in items]
    if not ids:
        return []
    # The items again with their posts, threads, authors and tags in one round of queries.
    loaded = {
        item.id: item
        for item in db.session.scalars(
            select(QueueItem)
            .options(
                selectinload(QueueItem.comment).selectinload(Comment.thread),
                selectinload(QueueItem.thread).selectinload(Thread.tags),
                selectinload(QueueItem.mention),
            )
            .where(QueueItem.id.in_(ids))
        )
    }
    ordered = [loaded[i] for i in ids]
    posts = [item.post for item in ordered if item.mention_id is None]
    flags = _flags(posts)
    parent_ids = sorted(
        {p.parent_id for p in posts if isinstance(p, Comment) and p.parent_id is not None}
    )
    parents = (
        {c.id: c for c in db.session.scalars(select(Comment).where(Comment.id.in_(parent_ids)))}
        if parent_ids
        else {}
    )
    records = author_records(sorted({p.author_id for p in posts}))
    appeals = _appeals(posts)
    together = _coordination(posts, flags, now or utcnow())
    conflicts = decision_conflicts(viewer, posts)
    entries = []
    shown_posts = iter(posts)
    for item in ordered:
        if item.mention_id is not None:
            entries.append(_mention_entry(item))
            continue
        post = next(shown_posts)
        key = (post_kind(post), post.id)
        text = post_text(post)
        spans, matches = _rule_spans(text, item.matches or [])
        views = []
        for flag in flags.get(key, []):
            where = find_excerpt(text, flag.excerpt) if flag.excerpt else None
            if where is not None:
                reason = FLAG_REASONS.get(flag.reason, flag.reason)
                label = f"Selected by {flag.user.username}: {reason}"
                spans.append(Span(where[0], where[1], label, "flag"))
            views.append(FlagView(flag, where is not None))
        parent = parents.get(post.parent_id) if isinstance(post, Comment) else None
        parent_excerpt = ""
        if parent is not None:
            parent_excerpt = (
                "[deleted]"
                if parent.status == CommentStatus.DELETED
                else excerpt(plain_text(parent.body_src), 300)
            )
        entries.append(
            QueueEntry(
                item=item,
                post=post,
                kind=key[0],
                parent_excerpt=parent_excerpt,
                pieces=highlight(text, spans),
                matches=matches,
                flags=views,
                record=records[post.author_id],
                appeal_reason=appeals.get(key, "") if item.source == "appeal" else "",
                together=together.get(key),
                conflict=conflicts.get(key, ""),
                category=default_category(
                    [f.reason for f in flags.get(key, [])], rule_matched=bool(item.matches)
                ),
            )
        )
    return entries


def with_replies(entry: QueueEntry) -> QueueEntry:
    """The item page also lists the replies beneath a comment (or a thread's first replies)."""
    post = entry.post
    if entry.mention is not None:
        return entry
    if isinstance(post, Comment):
        stmt = select(Comment).where(Comment.parent_id == post.id)
    else:
        stmt = select(Comment).where(Comment.thread_id == post.id, Comment.parent_id.is_(None))
    entry.replies = list(db.session.scalars(stmt.order_by(Comment.number).limit(50)))
    return entry
