"""Promoting a question from a comment into its own thread, and undoing it.

A use-case module beside ``service.py`` (same layer, same habits: each use case validates,
changes the models and commits once). The JSON API calls these functions as the site does.
"""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, Select, bindparam, exists, false, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, selectinload

from forum import outbox, permissions
from forum.cache import bump_thread
from forum.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from forum.extensions import db
from forum.models import (
    Comment,
    CommentStatus,
    Notification,
    NotificationKind,
    Promotion,
    Tag,
    Thread,
    User,
)
from forum.models.base import utcnow
from forum.moderation import service as moderation
from forum.subscriptions import service as subscriptions
from forum.tags.rules import TagError, parse_tag_list
from forum.tags.service import canonical, get_tag
from forum.templating import exact_time
from forum.text import clean_line, clean_text, excerpt, plain_text, render_markdown
from forum.threads import rules
from forum.threads import service as threads

# The intro is most of the new thread's body; the quote and its heading take the rest.
INTRO_MAX = rules.THREAD_BODY_MAX - rules.COMMENT_MAX - 200


class AlreadyPromotedError(ConflictError):
    """The comment already has its own thread; ``thread_id`` says which."""

    code = "already_promoted"

    def __init__(self, promotion: Promotion) -> None:
        super().__init__(
            f"This comment already has its own thread (thread {promotion.thread_id}).",
            fields={"thread_id": str(promotion.thread_id)},
        )
        self.promotion = promotion
        self.thread_id = promotion.thread_id


@dataclass(frozen=True)
class PromotionDraft:
    """What the promote form starts with."""

    title: str
    tags: str
    heading: str  # "NAME, on 22 Nov 2026 at 14:05 UTC, said:"
    reply_count: int


@dataclass(frozen=True)
class ThreadPromotions:
    """A thread page's links: where it came from, and which of its comments left."""

    incoming: Promotion | None
    outgoing: dict[int, Promotion]  # by source comment id


# --------------------------------------------------------------------------- queries


def live_promotion(comment_id: int) -> Promotion | None:
    return db.session.scalar(
        select(Promotion).where(Promotion.comment_id == comment_id, Promotion.undone_at.is_(None))
    )


def get_promotion(promotion_id: int) -> Promotion:
    promotion = db.session.get(Promotion, promotion_id)
    if promotion is None:
        raise NotFoundError("There is no such promotion.")
    return promotion


@cache
def _thread_promotions() -> Select[tuple[Promotion]]:
    """The select of ``thread_promotions``, built once (the thread is a bound parameter):
    building it every time cost as much as running it."""
    return (
        select(Promotion)
        .options(selectinload(Promotion.thread), selectinload(Promotion.source_thread))
        .where(Promotion.shown_on(bindparam("thread_id")))
    )


def thread_promotions(thread: Thread) -> ThreadPromotions:
    """Both directions for one thread page, in one query (and one per direction found), or
    none when the thread was read knowing it has no promotion (``Thread.has_promotions``)."""
    if thread.has_promotions is False:
        return ThreadPromotions(incoming=None, outgoing={})
    found = db.session.scalars(_thread_promotions(), {"thread_id": thread.id}).all()
    return ThreadPromotions(
        incoming=next((p for p in found if p.thread_id == thread.id), None),
        outgoing={p.comment_id: p for p in found if p.source_thread_id == thread.id},
    )


def _open() -> tuple[ColumnElement[bool], ...]:
    """What makes a comment an open question: a published question, not promoted, and not
    answered by a published reply from someone else."""
    answer = aliased(Comment)
    answered = exists().where(
        answer.parent_id == Comment.id,
        answer.status == CommentStatus.PUBLISHED,
        answer.author_id != Comment.author_id,
    )
    promoted = exists().where(Promotion.comment_id == Comment.id, Promotion.undone_at.is_(None))
    return (
        Comment.is_question.is_(True),
        Comment.status == CommentStatus.PUBLISHED,
        ~answered,
        ~promoted,
    )


def open_questions(tag: str | None = None, *, with_tags: bool = True) -> Select[tuple[Comment]]:
    """Questions asked in comments, still open (``_open``), in listed threads; newest first,
    optionally in one topic tag. ``with_tags`` loads each question's thread and its tags
    (the questions page shows them)."""
    stmt = (
        select(Comment)
        .where(*_open(), Comment.thread.has(Thread.is_listed))
        .order_by(Comment.created_at.desc(), Comment.id.desc())
    )
    if with_tags:
        stmt = stmt.options(selectinload(Comment.thread).selectinload(Thread.tags))
    if tag:
        found = get_tag(tag)
        if found is None:
            return stmt.where(false())
        stmt = stmt.where(Comment.thread.has(Thread.tags.any(Tag.id == canonical(found).id)))
    return stmt


@dataclass(frozen=True)
class OpenQuestion:
    """A question as a side panel lists it: the sentence, where it was asked, and when."""

    comment_id: int
    sentence: str
    thread_title: str
    created_at: datetime


# The side panels look for open questions among this many of the newest questions only, so
# a forum whose recent questions are all answered pays for a bounded scan, not every question.
RECENT_QUESTIONS = 200


@cache
def _latest_open(limit: int, window: int) -> Select[tuple[int, str, str, datetime]]:
    """The side panels' select (``latest_open_questions``), built once: a select is
    immutable, and building this one (an alias, a window, two EXISTS) cost more than running
    it. The thread's conditions go on the thread joined for its title: as an EXISTS on it
    again (as ``open_questions`` has them), PostgreSQL took 4 to 6 ms to plan the select and
    4 to run it, against about 1 and 2."""
    newest = (
        select(Comment.id)
        .where(Comment.is_question.is_(True))
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(window)
        .subquery()
    )
    return (
        select(Comment.id, Comment.body_src, Thread.title, Comment.created_at)
        .join(newest, newest.c.id == Comment.id)
        .join(Comment.thread)
        .where(*_open(), Thread.is_listed)
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(limit)
    )


def latest_open_questions(tag: Tag | None = None, *, limit: int = 5) -> list[OpenQuestion]:
    """The newest open questions among the forum's ``RECENT_QUESTIONS`` newest questions (of
    those, the ones in ``tag``'s threads, if given), in one query: the side panels of the home
    and tag pages. Narrowing the window to a tag first would walk every older question to
    fill it when the tag is quiet."""
    stmt = _latest_open(limit, RECENT_QUESTIONS)
    if tag is not None:
        stmt = stmt.where(Thread.tags.any(Tag.id == canonical(tag).id))
    rows = db.session.execute(stmt).all()
    return [
        OpenQuestion(id_, excerpt(rules.question_sentence(src) or plain_text(src), 140), title, at)
        for id_, src, title, at in rows
    ]


def replies_beneath(comment: Comment) -> list[Comment]:
    """Every comment below ``comment`` in its thread, parents before children.

    Walks parent ids rather than path prefixes: below the maximum depth a reply's path is its
    parent's sibling's, so a prefix would miss it.
    """
    children: dict[int | None, list[Comment]] = defaultdict(list)
    for c in db.session.scalars(
        select(Comment).where(Comment.thread_id == comment.thread_id).order_by(Comment.number)
    ):
        children[c.parent_id].append(c)
    found: list[Comment] = []
    queue = deque(children[comment.id])
    while queue:
        c = queue.popleft()
        found.append(c)
        queue.extend(children[c.id])
    return found


def _flagged_spans(comment: Comment) -> list[tuple[int, int]]:
    parent = db.session.get(Comment, comment.parent_id) if comment.parent_id else None
    assessment = moderation.screen_text(
        comment.body_src, thread=comment.thread, author=comment.author, parent=parent
    )
    return [(m.start, m.end) for m in assessment.matches]


def default_title(comment: Comment) -> str:
    """The question the comment asks, else the start of what it says."""
    question = rules.question_sentence(comment.body_src, flagged_spans=_flagged_spans(comment))
    if question:
        return question
    return excerpt(plain_text(comment.body_src), rules.TITLE_MAX - 1)


def attribution(promotion: Promotion) -> str:
    """Who the new thread says asked: their name, or "a reader" if they chose that."""
    if promotion.attribution_hidden:
        return rules.READER_LABEL
    return promotion.comment.author.username


def _heading(name: str, comment: Comment) -> str:
    return f"{name}, on {exact_time(comment.created_at)}, said:"


def draft(comment: Comment) -> PromotionDraft:
    return PromotionDraft(
        title=default_title(comment),
        tags=", ".join(t.slug for t in comment.thread.tags),
        heading=_heading(comment.author.username, comment),
        reply_count=len(replies_beneath(comment)),
    )


# --------------------------------------------------------------------------- use cases


def check_promotable(comment: Comment, *, actor: User | None) -> None:
    """Raise what stands in the way of promoting ``comment``, most fundamental first:
    gone (404), held or removed (409), already promoted (409 naming the thread), not yours (403).
    """
    if comment.status == CommentStatus.DELETED:
        raise NotFoundError("That comment was deleted.")
    if comment.status != CommentStatus.PUBLISHED:
        raise ConflictError("A held or removed comment can't be promoted.")
    if (existing := live_promotion(comment.id)) is not None:
        raise AlreadyPromotedError(existing)
    if not permissions.can_promote(actor, comment.thread.author_id, comment):
        raise PermissionDeniedError(
            "Only the thread's author and moderators can promote a comment."
        )


def _validate(title: str, tags: str | list[str], intro: str) -> None:
    errors: dict[str, str] = {}
    if problem := rules.check_title(clean_line(title)):
        errors["title"] = problem
    try:
        parse_tag_list(tags)
    except TagError as exc:
        errors["tags"] = str(exc)
    if len(intro) > INTRO_MAX:
        errors["intro"] = (
            f"Keep the introduction to {INTRO_MAX:,} characters; it has {len(intro):,}."
        )
    if errors:
        raise ValidationError("Please fix the marked fields.", fields=errors)


def promote_question(
    comment: Comment,
    *,
    actor: User,
    title: str | None = None,
    tags: str | list[str] | None = None,
    intro: str = "",
    move_replies: bool = False,
    now: datetime | None = None,
) -> Thread:
    """Open a thread that quotes ``comment`` under its author's name and exact time, then
    ``intro``; optionally move the replies beneath the comment into it, renumbered 1, 2, ...

    ``title``/``tags`` default to the question sentence and the source thread's tags.
    Raises NotFoundError, ConflictError (AlreadyPromotedError with ``thread_id`` when already
    promoted), PermissionDeniedError, ValidationError, and moderation.NudgeRequired when the
    rules match the intro (nothing is written; the promoter rephrases).
    """
    check_promotable(comment, actor=actor)
    source = comment.thread
    if title is None:
        title = default_title(comment)
    if tags is None:
        tags = [t.slug for t in source.tags]
    intro = clean_text(intro)
    _validate(title, tags, intro)
    if intro.strip():
        # Only the intro is new text: the quoted comment was published under the rules already.
        assessment = moderation.screen_text(intro, thread=source, author=actor)
        if assessment.action != "allow":
            raise moderation.NudgeRequired(assessment)
    now = now or utcnow()
    body = rules.compose_promoted_body(
        asker=comment.author.username,
        said_at=exact_time(comment.created_at),
        quote=comment.body_src,
        intro=intro,
    )
    thread = threads.build_thread(author=actor, title=title, body=body, tags=tags, now=now)
    try:
        db.session.flush()
        moved = _move_replies(comment, source, thread) if move_replies else []
        promotion = Promotion(
            comment_id=comment.id,
            thread_id=thread.id,
            source_thread_id=source.id,
            promoted_by_id=actor.id,
            created_at=now,
            quote=comment.body_src,
            intro=intro.strip(),
            moved=moved,
        )
        db.session.add(promotion)
        db.session.flush()
    except IntegrityError:
        # Someone promoted it in the meantime: the live-promotion index said no.
        db.session.rollback()
        if (existing := live_promotion(comment.id)) is not None:
            raise AlreadyPromotedError(existing) from None
        raise
    moderation.log_action(
        "promote",
        actor=actor,
        target_type="comment",
        target_id=comment.id,
        subject=comment.author,
        details={
            "promotion_id": promotion.id,
            "thread_id": thread.id,
            "source_thread_id": source.id,
            "title": thread.title,
            "moved": len(moved),
        },
    )
    # A new thread like any other: the promoter follows it, tag followers hear of it.
    subscriptions.thread_created(thread)
    if comment.author_id != actor.id:
        subscriptions.notify(
            comment.author_id,
            NotificationKind.QUESTION_PROMOTED,
            key=f"question_promoted:{promotion.id}",
            actor=actor,
            thread_id=thread.id,
        )
        # And by mail, if they asked for mail (the mail feature's handler decides).
        outbox.emit("mail.promoted", promotion_id=promotion.id)
    db.session.commit()
    bump_thread(source.id, thread.id)  # page cache (issue 6)
    return thread


def _move_replies(comment: Comment, source: Thread, target: Thread) -> list[dict[str, Any]]:
    """Move the subtree under ``comment`` into ``target`` (no commit); the old positions.

    Replies to the question become the new thread's top-level responses; the rest keep their
    parents. Numbers follow the original posting order, so the new thread reads 1, 2, 3...
    """
    below = replies_beneath(comment)
    if not below:
        return []
    in_order = sorted(below, key=lambda c: c.number)
    record = [
        {"id": c.id, "number": c.number, "path": c.path, "depth": c.depth, "parent_id": c.parent_id}
        for c in in_order
    ]
    new_number = {c.id: n for n, c in enumerate(in_order, start=1)}
    placed: dict[int, Comment] = {}
    for c in below:  # parents before children, so each parent's new path is known
        parent = placed.get(c.parent_id) if c.parent_id != comment.id else None
        number = new_number[c.id]
        c.path, c.depth = rules.comment_position(
            parent.path if parent else None, parent.depth if parent else 0, number
        )
        c.thread = target
        c.number = number
        c.parent_id = parent.id if parent else None
        placed[c.id] = c
    published = sum(c.status == CommentStatus.PUBLISHED for c in below)
    target.comment_seq = len(below)
    target.comment_count = published
    db.session.flush()
    db.session.execute(
        update(Thread)
        .where(Thread.id == source.id)
        .values(comment_count=Thread.comment_count - published)
    )
    _repoint_notifications([c.id for c in below], target.id)
    return record


def _repoint_notifications(comment_ids: list[int], thread_id: int) -> None:
    """Notifications about moved comments link to where the comments now are."""
    db.session.execute(
        update(Notification)
        .where(Notification.comment_id.in_(comment_ids))
        .values(thread_id=thread_id)
    )


def undo_promotion(
    promotion: Promotion,
    *,
    actor: User,
    now: datetime | None = None,
    window_hours: float | None = None,
) -> Thread:
    """Put everything back and delete the new thread; returns the source thread.

    Moved replies get their original numbers, tree and parents back. Responses posted in the
    new thread since then are not lost: they follow into the source thread as replies to the
    question (or to the reply they answered), with new numbers. Moderators only, within
    ``PROMOTION_UNDO_HOURS``.
    """
    if not permissions.can_undo_promotion(actor, promotion.thread or promotion.source_thread):
        raise PermissionDeniedError("Only moderators can undo a promotion.")
    if not promotion.is_live or promotion.thread is None:
        raise ConflictError("This promotion was already undone.")
    now = now or utcnow()
    hours = current_app.config["PROMOTION_UNDO_HOURS"] if window_hours is None else window_hours
    if not rules.within_undo_window(promotion.created_at, now, hours):
        raise ConflictError(
            f"A promotion can only be undone within {hours:g} hours; this one is older."
        )
    new, source, question = promotion.thread, promotion.source_thread, promotion.comment
    if live_promotion_from(new) is not None:
        raise ConflictError("A comment in the new thread was promoted in turn; undo that first.")
    in_new = {
        c.id: c
        for c in db.session.scalars(
            select(Comment).where(Comment.thread_id == new.id).order_by(Comment.number)
        )
    }
    back: list[Comment] = []
    for old in promotion.moved:
        c = in_new.pop(old["id"], None)
        if c is None:
            continue
        c.thread = source
        c.number, c.path, c.depth, c.parent_id = (
            old["number"],
            old["path"],
            old["depth"],
            old["parent_id"],
        )
        back.append(c)
    db.session.flush()
    by_id = {c.id: c for c in back}
    for c in in_new.values():  # responses posted in the new thread; numbers are in order
        parent = by_id.get(c.parent_id) if c.parent_id else question
        parent = parent or question
        number = threads.next_number(source)
        c.path, c.depth = rules.comment_position(parent.path, parent.depth, number)
        c.thread = source
        c.number = number
        c.parent_id = parent.id
        by_id[c.id] = c
        back.append(c)
    db.session.flush()
    published = sum(c.status == CommentStatus.PUBLISHED for c in back)
    db.session.execute(
        update(Thread)
        .where(Thread.id == source.id)
        .values(comment_count=Thread.comment_count + published)
    )
    _repoint_notifications([c.id for c in back], source.id)
    moderation.log_action(
        "undo_promote",
        actor=actor,
        target_type="comment",
        target_id=question.id,
        subject=question.author,
        details={
            "promotion_id": promotion.id,
            "thread_id": new.id,
            "title": new.title,
            "moved_back": len(promotion.moved),
            "later_responses": len(back) - len(promotion.moved),
        },
    )
    promotion.undone_at = now
    promotion.undone_by_id = actor.id
    promotion.thread_id = None
    db.session.flush()
    # The thread goes; its tags, follows and the asker's notification go with it (cascades).
    db.session.delete(new)
    db.session.commit()
    bump_thread(source.id, new.id)  # page cache (issue 6)
    db.session.refresh(source)
    return source


def live_promotion_from(thread: Thread) -> Promotion | None:
    return db.session.scalar(
        select(Promotion).where(
            Promotion.source_thread_id == thread.id, Promotion.undone_at.is_(None)
        )
    )


def hide_attribution(promotion: Promotion, *, actor: User, hidden: bool = True) -> Thread:
    """The asker chooses to be quoted as "a reader" (or by name again); the body is rebuilt."""
    if not promotion.is_live or promotion.thread is None:
        raise NotFoundError("This promotion was undone.")
    if not permissions.can_hide_attribution(actor, promotion.comment.author_id):
        raise PermissionDeniedError("Only the person who asked can change how they are named.")
    promotion.attribution_hidden = hidden
    thread = rebuild_body(promotion)
    db.session.commit()
    # Both pages: the source thread's link to the new one shows only while the asker is named.
    bump_thread(thread.id, promotion.comment.thread_id)  # page cache (issue 6)
    return thread


def rebuild_body(promotion: Promotion) -> Thread:
    """Compose a live promotion's thread body again from its parts after one changed (the
    attribution, or the quote when the asker deleted their account); commits nothing."""
    thread = promotion.thread
    if thread is None:
        raise NotFoundError("This promotion was undone.")
    thread.body_src = rules.compose_promoted_body(
        asker=attribution(promotion),
        said_at=exact_time(promotion.comment.created_at),
        quote=promotion.quote,
        intro=promotion.intro,
    )
    thread.body_html = render_markdown(thread.body_src)
    return thread
