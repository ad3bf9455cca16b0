"""Thread and comment use cases. Each validates, changes the models and commits once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, literal, or_, select, tuple_, update
from sqlalchemy.orm import selectinload

from forum import permissions
from forum.cache import bump_thread
from forum.errors import ForumError, NotFoundError, PermissionDeniedError, ValidationError
from forum.extensions import db
from forum.models import Comment, CommentRevision, CommentStatus, Tag, Thread, User
from forum.models.base import UTCDateTime, utcnow
from forum.moderation import Assessment
from forum.moderation import service as moderation
from forum.moderation.policy import place_comment
from forum.subscriptions import service as subscriptions
from forum.tags.rules import TagError, parse_tag_list
from forum.tags.service import resolve_or_create_tags
from forum.text import clean_line, clean_text, render_markdown
from forum.threads import rules

# Statuses everyone sees; "deleted" renders as a placeholder so the tree keeps its shape.
PUBLIC_STATUSES = (CommentStatus.PUBLISHED, CommentStatus.DELETED)


def _require_poster(actor: User) -> None:
    if not permissions.can_post(actor):
        raise PermissionDeniedError("Your account can't post right now.")


def create_thread(
    *, author: User, title: str, body: str, tags: str | Iterable[str], now: datetime | None = None
) -> Thread:
    """Open a thread; every problem with the input is reported at once."""
    thread = build_thread(author=author, title=title, body=body, tags=tags, now=now)
    # Subscriptions: the author follows it; tag followers hear of it via the outbox.
    db.session.flush()
    subscriptions.thread_created(thread)
    db.session.commit()
    bump_thread(thread.id)  # page cache (issue 6)
    return thread


def build_thread(
    *,
    author: User,
    title: str,
    body: str,
    tags: str | Iterable[str],
    now: datetime | None = None,
    errors: dict[str, str] | None = None,
) -> Thread:
    """Validate and add a new thread to the session without committing (for use cases that
    open a thread as one step of a larger change). ``errors`` found by the caller are
    reported together with these."""
    _require_poster(author)
    title = clean_line(title)
    body = clean_text(body)
    errors = dict(errors or {})
    if problem := rules.check_title(title):
        errors["title"] = problem
    if problem := rules.check_body(body, rules.THREAD_BODY_MAX):
        errors.setdefault("body", problem)
    try:
        slugs = parse_tag_list(tags)
    except TagError as exc:
        errors["tags"] = str(exc)
    if errors:
        raise ValidationError("Please fix the marked fields.", fields=errors)
    now = now or utcnow()
    thread = Thread(
        title=title,
        slug=rules.slugify(title),
        author=author,
        body_src=body,
        body_html=render_markdown(body),
        created_at=now,
        last_activity_at=now,
        tags=resolve_or_create_tags(slugs),
    )
    db.session.add(thread)
    return thread


def _asks_question(body: str, assessment: Assessment) -> bool:
    """A question in the author's own words that the moderation rules didn't flag as an attack.

    Rule matches carry spans; a verdict from the scorer alone has none, so it covers the text.
    """
    spans = [(m.start, m.end) for m in assessment.matches]
    if assessment.flagged and not spans:
        spans = [(0, len(body))]
    return rules.looks_like_question(body, flagged_spans=spans)


def next_number(thread: Thread, *, published_at: datetime | None = None) -> int:
    """Atomically take the thread's next comment number.

    The UPDATE locks the thread's row (PostgreSQL) or takes the database's write lock
    (SQLite) until the caller commits, so concurrent replies queue here and the numbers stay
    unique and gapless. ``published_at``: the same statement counts a published comment and
    bumps the thread's activity, one statement less while the lock is held.
    """
    values: dict[str, Any] = {"comment_seq": Thread.comment_seq + 1}
    if published_at is not None:
        values.update(comment_count=Thread.comment_count + 1, last_activity_at=published_at)
    return db.session.execute(
        update(Thread).where(Thread.id == thread.id).values(values).returning(Thread.comment_seq)
    ).scalar_one()


def reply(
    *,
    thread: Thread,
    author: User,
    body: str,
    parent: Comment | None = None,
    now: datetime | None = None,
    confirmed: bool = False,
    nudged: bool = False,
    new_user_review: int | None = None,
) -> Comment:
    """Post a comment on the thread, or under ``parent``; it gets the next number.

    The moderation rules run first: a match raises NudgeRequired and writes nothing unless
    the author ``confirmed`` (posted anyway). ``nudged`` says the author saw a nudge before,
    so the log can tell whether they rephrased. Held comments count for nobody until approved.
    """
    _require_poster(author)
    body = clean_text(body)
    if problem := rules.check_body(body, rules.COMMENT_MAX):
        raise ValidationError(problem, fields={"body": problem})
    if parent is not None and (parent.thread_id != thread.id or not parent.is_visible):
        raise ValidationError(
            "That comment can't be replied to.", fields={"parent_id": "not a live comment here"}
        )
    assessment = moderation.screen_text(body, thread=thread, author=author)
    placement = place_comment(
        assessment.action,
        confirmed=confirmed,
        new_user=moderation.needs_new_user_review(author, new_user_review),
    )
    if placement.nudge:
        raise moderation.NudgeRequired(assessment)
    now = now or utcnow()
    # Everything that needs no number is done before taking one: from next_number to the
    # commit, every other reply to this thread waits (see next_number).
    body_html = render_markdown(body)
    is_question = _asks_question(body, assessment)
    published = placement.status == CommentStatus.PUBLISHED
    number = next_number(thread, published_at=now if published else None)
    path, depth = rules.comment_position(
        parent.path if parent else None, parent.depth if parent else 0, number
    )
    comment = Comment(
        thread_id=thread.id,
        author=author,
        parent_id=parent.id if parent else None,
        number=number,
        path=path,
        depth=depth,
        body_src=body,
        body_html=body_html,
        status=placement.status,
        created_at=now,
        is_question=is_question,
    )
    db.session.add(comment)
    db.session.flush()
    moderation.record_screening(comment, assessment, queue=placement.queue, nudged=nudged)
    subscriptions.comment_published(comment)
    subscriptions.posted_in(author, thread.id)  # posting follows the thread (a user setting)
    db.session.commit()
    bump_thread(thread.id)  # page cache (issue 6)
    db.session.refresh(thread)
    return comment


def edit_comment(
    comment: Comment, *, actor: User, body: str, now: datetime | None = None
) -> Comment:
    """Replace a comment's text, keeping the earlier text as a revision."""
    if not permissions.can_edit_comment(actor, comment):
        raise PermissionDeniedError("You can only edit your own comments.")
    body = clean_text(body)
    if problem := rules.check_body(body, rules.COMMENT_MAX):
        raise ValidationError(problem, fields={"body": problem})
    if body == comment.body_src:
        return comment
    assessment = moderation.screen_text(body, thread=comment.thread, author=comment.author)
    db.session.add(CommentRevision(comment=comment, body_src=comment.body_src))
    comment.body_src = body
    comment.is_question = _asks_question(body, assessment)
    comment.body_html = render_markdown(body)
    comment.edited_at = now or utcnow()
    db.session.commit()
    bump_thread(comment.thread_id)  # page cache (issue 6)
    return comment


def delete_comment(comment: Comment, *, actor: User) -> Comment:
    """Blank a comment but keep its place, so replies still hang off the tree."""
    if not permissions.can_delete_comment(actor, comment):
        raise PermissionDeniedError("You can only delete your own comments.")
    was_published = comment.status == CommentStatus.PUBLISHED
    db.session.add(CommentRevision(comment=comment, body_src=comment.body_src))
    comment.status = CommentStatus.DELETED
    comment.body_src = ""
    comment.body_html = ""
    if was_published:
        db.session.execute(
            update(Thread)
            .where(Thread.id == comment.thread_id)
            .values(comment_count=Thread.comment_count - 1)
        )
    db.session.commit()
    bump_thread(comment.thread_id)  # page cache (issue 6)
    return comment


def get_thread(thread_id: int) -> Thread:
    thread = db.session.get(Thread, thread_id, options=[selectinload(Thread.tags)])
    if thread is None:
        raise NotFoundError("There is no such thread.")
    return thread


def get_comment(comment_id: int) -> Comment:
    comment = db.session.get(Comment, comment_id)
    if comment is None:
        raise NotFoundError("There is no such comment.")
    return comment


def visible_filter(viewer: User | None):  # noqa: ANN201 - a SQL expression
    """Comments the viewer may see: public ones, their own, or all for moderators."""
    if permissions.can_moderate(viewer):
        return True
    if permissions.is_signed_in(viewer):
        return or_(Comment.status.in_(PUBLIC_STATUSES), Comment.author_id == viewer.id)  # type: ignore[union-attr]
    return Comment.status.in_(PUBLIC_STATUSES)


def thread_comments(thread: Thread, *, viewer: User | None) -> list[Comment]:
    """The thread's comment tree in display order, in one query whatever its size."""
    return list(
        db.session.scalars(
            select(Comment)
            .where(Comment.thread_id == thread.id, visible_filter(viewer))
            .order_by(Comment.path)
        )
    )


@dataclass(frozen=True, slots=True)
class ShownComment:
    """A comment as the thread page shows it: indentation capped, with the number and name of
    the comment it answers (None when that one isn't shown). Plain values, because a page
    of hundreds of comments spends most of its time reading attributes and building objects.
    It has what the permission predicates read (``author_id``, ``status``, ``tag_ids``: its
    thread's, for moderators limited to some tags)."""

    # As stored, in the order shown_comments selects them:
    id: int
    number: int
    parent_id: int | None
    author_id: int
    author: str
    status: str
    body_html: str
    created_at: datetime
    edited_at: datetime | None
    is_question: bool
    removal_reason: str
    appealed: bool
    # Worked out for the page:
    indent: int
    parent_number: int | None
    parent_author: str | None
    tag_ids: tuple[int, ...]
    # The collapsible group of replies it opens (``replies`` comments) or closes after it
    # (``closes`` groups): forum.threads.rules.reply_groups.
    replies: int
    closes: int

    @property
    def is_visible(self) -> bool:
        return self.status == CommentStatus.PUBLISHED


def shown_comments(thread: Thread, *, viewer: User | None, max_indent: int) -> list[ShownComment]:
    """The thread page's comments in tree order: one query of the columns shown, no ORM
    objects (the page reads nothing else of them)."""
    rows = db.session.execute(
        select(
            Comment.id,
            Comment.number,
            Comment.parent_id,
            Comment.author_id,
            User.username,
            Comment.status,
            Comment.body_html,
            Comment.created_at,
            Comment.edited_at,
            Comment.is_question,
            Comment.removal_reason,
            Comment.appealed,
            Comment.depth,  # last: the rest are ShownComment's first fields, in order
        )
        .join(User, User.id == Comment.author_id)
        .where(Comment.thread_id == thread.id, visible_filter(viewer))
        .order_by(Comment.path)
    ).all()
    indents = [min(row[-1], max_indent) for row in rows]
    # A parent always comes before its replies in tree order.
    parents: dict[int, tuple[int, str]] = {}
    shown: list[ShownComment] = []
    tag_ids = tuple(thread.tag_ids)
    for row, indent, nest in zip(rows, indents, rules.reply_groups(indents), strict=True):
        # Rows by position: reading a Row's fields by name costs more than the rest here.
        id_, number, parent_id, _author_id, username, status = row[:6]
        parents[id_] = (number, "[deleted]" if status == CommentStatus.DELETED else username)
        parent = parents.get(parent_id) if parent_id is not None else None
        shown.append(
            ShownComment(
                *row[:-1],  # every column but the depth
                indent,
                parent[0] if parent else None,
                parent[1] if parent else None,
                tag_ids,
                nest.replies,
                nest.closes,
            )
        )
    return shown


@dataclass(frozen=True)
class ThreadPage:
    """One page of a thread listing, with cursors for the pages either side (None at an end)."""

    items: list[Thread]
    newer: str | None
    older: str | None


def thread_page(
    stmt: Select[tuple[Thread]], *, before: str | None, after: str | None, per_page: int
) -> ThreadPage:
    """A page of ``stmt`` (latest_threads(), filtered) by keyset: the threads just older than
    the ``before`` cursor, just newer than ``after``, or the newest. One query, no COUNT, and
    an index walk of one page however deep it is. A malformed cursor is a 400."""
    key = tuple_(Thread.last_activity_at, Thread.id)
    newest = stmt
    try:
        if after is not None:
            at, id_ = rules.parse_cursor(after)
            stmt = stmt.where(key > tuple_(literal(at, UTCDateTime()), id_)).order_by(None)
            stmt = stmt.order_by(Thread.last_activity_at, Thread.id)
        elif before is not None:
            at, id_ = rules.parse_cursor(before)
            stmt = stmt.where(key < tuple_(literal(at, UTCDateTime()), id_))
    except ValueError as exc:
        raise ForumError(str(exc)) from exc
    rows = list(db.session.scalars(stmt.limit(per_page + 1)))
    more = len(rows) > per_page
    if after is not None and not more:
        # "Newer" reached the top: show the full first page rather than a short one.
        return thread_page(newest, before=None, after=None, per_page=per_page)
    rows = rows[:per_page]
    if after is not None:
        rows.reverse()

    def cursor(thread: Thread) -> str:
        return rules.format_cursor(thread.last_activity_at, thread.id)

    # Coming from a cursor means there is something on its other side.
    has_newer = after is not None or before is not None
    has_older = more or after is not None
    return ThreadPage(
        items=rows,
        newer=cursor(rows[0]) if rows and has_newer else None,
        older=cursor(rows[-1]) if rows and has_older else None,
    )


def latest_threads() -> Select[tuple[Thread]]:
    """Threads by latest activity, tags loaded in one extra query per page."""
    return (
        select(Thread)
        .options(selectinload(Thread.tags))
        .order_by(Thread.last_activity_at.desc(), Thread.id.desc())
    )


def user_comments(user: User, *, viewer: User | None, limit: int = 50) -> list[Comment]:
    return list(
        db.session.scalars(
            select(Comment)
            .options(selectinload(Comment.thread))
            .where(Comment.author_id == user.id, visible_filter(viewer))
            .where(Comment.status != CommentStatus.DELETED)
            .order_by(Comment.created_at.desc())
            .limit(limit)
        )
    )


def tag_filter(stmt: Select[tuple[Thread]], tag: Tag) -> Select[tuple[Thread]]:
    return stmt.where(Thread.tags.any(Tag.id == tag.id))
