"""Thread and comment use cases. Each validates, changes the models and commits once."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache
from typing import Any, Generic, NamedTuple, TypeVar

from flask import current_app
from sqlalchemy import (
    ColumnElement,
    Exists,
    Integer,
    Select,
    bindparam,
    exists,
    func,
    inspect,
    literal,
    or_,
    select,
    true,
    tuple_,
    update,
)
from sqlalchemy.orm import InstrumentedAttribute, selectinload, with_expression
from sqlalchemy.orm.attributes import set_committed_value

from forum import permissions
from forum.cache import bump_thread
from forum.errors import ForumError, NotFoundError, PermissionDeniedError, ValidationError
from forum.extensions import db
from forum.kept import Kept
from forum.models import (
    Comment,
    CommentRevision,
    CommentStatus,
    Promotion,
    QueueSource,
    Tag,
    Thread,
    ThreadRevision,
    User,
    thread_tags,
)
from forum.models.base import UTCDateTime, utcnow
from forum.moderation import Assessment
from forum.moderation import service as moderation
from forum.moderation.policy import Placement, opening_post_text, place_comment
from forum.subscriptions import service as subscriptions
from forum.tags import service as tags_service
from forum.tags.rules import TagError, parse_tag_list
from forum.tags.service import resolve_or_create_tags
from forum.text import clean_line, clean_text, markup_problem, render_markdown
from forum.threads import rules

T = TypeVar("T")

# Statuses everyone sees; "deleted" renders as a placeholder so the tree keeps its shape.
PUBLIC_STATUSES = (CommentStatus.PUBLISHED, CommentStatus.DELETED)


def body_problem(body: str, limit: int) -> str | None:
    """What is wrong with a post's Markdown, or None: empty, longer than ``limit``, or more
    markup than a post may hold (forum.text.markup_problem: it bounds rendering work)."""
    if problem := rules.check_body(body, limit):
        return problem
    if problem := markup_problem(body):
        return f"{problem} Your text is kept below."
    return None


def _require_poster(actor: User) -> None:
    if not permissions.can_post(actor):
        raise PermissionDeniedError("Your account can't post right now.")


def create_thread(
    *,
    author: User,
    title: str,
    body: str,
    tags: str | Iterable[str],
    now: datetime | None = None,
    confirmed: bool = False,
    nudged: bool = False,
    new_user_review: int | None = None,
) -> Thread:
    """Open a thread; every problem with the input is reported at once.

    The title and opening post are screened like a reply (see ``reply``): a rule match
    raises NudgeRequired and writes nothing unless the author ``confirmed``; a held thread,
    or a new account's, waits for a moderator and reaches nobody until approved."""
    title, body, slugs = _thread_input(author=author, title=title, body=body, tags=tags)
    assessment = moderation.screen_opening_post(title, body, author=author)
    placement = place_comment(
        assessment.action,
        confirmed=confirmed,
        new_user=moderation.needs_new_user_review(author, new_user_review),
    )
    if placement.nudge:
        raise moderation.NudgeRequired(assessment)
    thread = _new_thread(author, title, body, slugs, now=now, status=placement.status)
    db.session.flush()
    moderation.record_screening(thread, assessment, queue=placement.queue, nudged=nudged)
    # Subscriptions: the author follows it; tag followers hear of it via the outbox.
    subscriptions.thread_created(thread)
    db.session.commit()
    bump_thread(thread.id)  # page cache (issue 6)
    return thread


def _thread_input(
    *,
    author: User,
    title: str,
    body: str,
    tags: str | Iterable[str],
    errors: dict[str, str] | None = None,
) -> tuple[str, str, list[str]]:
    """The cleaned title, body and tag slugs, or a ValidationError naming every problem
    (with ``errors`` the caller found)."""
    _require_poster(author)
    title = clean_line(title)
    body = clean_text(body)
    errors = dict(errors or {})
    if problem := rules.check_title(title):
        errors["title"] = problem
    if problem := body_problem(body, rules.THREAD_BODY_MAX):
        errors.setdefault("body", problem)
    slugs: list[str] = []
    try:
        slugs = parse_tag_list(tags)
    except TagError as exc:
        errors["tags"] = str(exc)
    if errors:
        raise ValidationError("Please fix the marked fields.", fields=errors)
    return title, body, slugs


def _new_thread(
    author: User,
    title: str,
    body: str,
    slugs: list[str],
    *,
    now: datetime | None,
    status: str = CommentStatus.PUBLISHED,
) -> Thread:
    now = now or utcnow()
    thread = Thread(
        title=title,
        slug=rules.slugify(title),
        author=author,
        body_src=body,
        body_html=render_markdown(body),
        created_at=now,
        published_at=now if status == CommentStatus.PUBLISHED else None,
        last_activity_at=now,
        tags=resolve_or_create_tags(slugs),
        status=status,
    )
    db.session.add(thread)
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
    """Validate and add a new, published thread to the session without committing (for use
    cases that open a thread as one step of a larger change and screen what they wrote
    themselves). ``errors`` found by the caller are reported together with these."""
    title, body, slugs = _thread_input(
        author=author, title=title, body=body, tags=tags, errors=errors
    )
    return _new_thread(author, title, body, slugs, now=now)


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
    interactive: bool = True,
) -> Comment:
    """Post a comment on the thread, or under ``parent``; it gets the next number.

    The moderation rules run first: a match raises NudgeRequired and writes nothing unless
    the author ``confirmed`` (posted anyway). ``nudged`` says the author saw a nudge before,
    so the log can tell whether they rephrased. Held comments count for nobody until approved.
    ``interactive`` False (a reply by mail, where nobody can be asked): a match is held for a
    moderator instead of raising NudgeRequired (forum.moderation.policy.place_comment).
    """
    check_can_reply(author, thread)
    body = clean_text(body)
    if problem := body_problem(body, rules.COMMENT_MAX):
        raise ValidationError(problem, fields={"body": problem})
    if parent is not None and (parent.thread_id != thread.id or not parent.is_visible):
        raise ValidationError(
            "That comment can't be replied to.", fields={"parent_id": "not a live comment here"}
        )
    assessment = moderation.screen_text(body, thread=thread, author=author, parent=parent)
    placement = place_comment(
        assessment.action,
        confirmed=confirmed,
        new_user=moderation.needs_new_user_review(author, new_user_review),
        interactive=interactive,
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


def parent_of(comment: Comment) -> Comment | None:
    """The comment this one answers (None at the top of the thread)."""
    return db.session.get(Comment, comment.parent_id) if comment.parent_id else None


def check_can_reply(actor: User, thread: Thread) -> None:
    """Refuse (403) a reply ``actor`` may not post here, saying why."""
    if permissions.can_reply(actor, thread):
        return
    if not permissions.can_post(actor):
        raise PermissionDeniedError("Your account can't post right now.")
    if thread.is_locked:
        why = f": {thread.lock_reason}" if thread.lock_reason else "."
        raise PermissionDeniedError(f"This thread is locked{why.rstrip('.')}. No new replies.")
    raise PermissionDeniedError("This thread can't be replied to while a moderator reviews it.")


def _screen_edit(
    post: Comment | Thread,
    text: str,
    *,
    actor: User,
    confirmed: bool,
) -> tuple[Assessment, Placement] | None:
    """Screen an author's edit as a new post is screened: a match raises NudgeRequired
    unless ``confirmed``. Moderators editing someone else's post are the reviewers: None."""
    if not permissions.is_author(actor, post):
        return None
    thread = post if isinstance(post, Thread) else post.thread
    parent = parent_of(post) if isinstance(post, Comment) else None
    assessment = moderation.screen_text(text, thread=thread, author=actor, parent=parent)
    placement = place_comment(assessment.action, confirmed=confirmed, new_user=False)
    if placement.nudge:
        raise moderation.NudgeRequired(assessment)
    return assessment, placement


def _apply_screening(
    post: Comment | Thread,
    screened: tuple[Assessment, Placement] | None,
    *,
    nudged: bool,
) -> None:
    """A published post whose edit a rule holds goes back to waiting; one the rules flag
    stays up with a queue item; a post already waiting gets its item's matches renewed."""
    if screened is None:
        return
    assessment, placement = screened
    if post.status == CommentStatus.PUBLISHED and placement.status != CommentStatus.PUBLISHED:
        moderation.set_status(post, placement.status)
    queue = placement.queue
    if queue is None and post.status == CommentStatus.PENDING and assessment.matches:
        queue = QueueSource.RULES
    moderation.record_screening(post, assessment, queue=queue, nudged=nudged)


def edit_comment(
    comment: Comment,
    *,
    actor: User,
    body: str,
    now: datetime | None = None,
    confirmed: bool = False,
    nudged: bool = False,
) -> Comment:
    """Replace a comment's text, keeping the earlier text as a revision. The author's edit
    is screened like a new comment, so an edit can't turn a clean comment into an attack."""
    if not permissions.can_edit_comment(actor, comment):
        raise PermissionDeniedError("You can only edit your own comments.")
    body = clean_text(body)
    if problem := body_problem(body, rules.COMMENT_MAX):
        raise ValidationError(problem, fields={"body": problem})
    if body == comment.body_src:
        return comment
    screened = _screen_edit(comment, body, actor=actor, confirmed=confirmed)
    db.session.add(CommentRevision(comment=comment, body_src=comment.body_src, editor_id=actor.id))
    comment.body_src = body
    comment.is_question = (
        _asks_question(body, screened[0]) if screened else rules.looks_like_question(body)
    )
    comment.body_html = render_markdown(body)
    comment.edited_at = now or utcnow()
    db.session.flush()
    _apply_screening(comment, screened, nudged=nudged)
    db.session.commit()
    bump_thread(comment.thread_id)  # page cache (issue 6)
    return comment


def delete_comment(comment: Comment, *, actor: User) -> Comment:
    """Blank a comment but keep its place, so replies still hang off the tree."""
    if not permissions.can_delete_comment(actor, comment):
        raise PermissionDeniedError("You can only delete your own comments.")
    was_published = comment.status == CommentStatus.PUBLISHED
    db.session.add(CommentRevision(comment=comment, body_src=comment.body_src, editor_id=actor.id))
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


def edit_thread(
    thread: Thread,
    *,
    actor: User,
    title: str,
    body: str,
    tags: str | Iterable[str],
    now: datetime | None = None,
    confirmed: bool = False,
    nudged: bool = False,
) -> Thread:
    """Change a thread's title, opening post and tags, keeping the earlier ones as a
    revision. The author's edit is screened like a new thread; followers of added tags hear
    of a published thread once."""
    if not permissions.can_edit_thread(actor, thread):
        raise PermissionDeniedError("You can only edit your own threads.")
    title, body, slugs = _thread_input(author=actor, title=title, body=body, tags=tags)
    before = (thread.title, thread.body_src, [t.slug for t in thread.tags])
    if (title, body, slugs) == before:
        return thread
    screened = None
    if (title, body) != before[:2]:
        screened = _screen_edit(
            thread, opening_post_text(title, body), actor=actor, confirmed=confirmed
        )
    db.session.add(
        ThreadRevision(
            thread_id=thread.id,
            title=before[0],
            body_src=before[1],
            tags=before[2],
            editor_id=actor.id,
        )
    )
    thread.title, thread.slug = title, rules.slugify(title)
    thread.body_src, thread.body_html = body, render_markdown(body)
    thread.edited_at = now or utcnow()
    tags_service.set_thread_tags(thread, slugs)
    db.session.flush()
    _apply_screening(thread, screened, nudged=nudged)
    if not permissions.is_author(actor, thread):
        moderation.log_action(
            "edit",
            actor=actor,
            target_type="thread",
            target_id=thread.id,
            subject=thread.author,
            details={"tags": slugs} if slugs != before[2] else {},
        )
    db.session.commit()
    bump_thread(thread.id)  # page cache (issue 6)
    return thread


def retag(thread: Thread, *, actor: User, tags: str | Iterable[str]) -> list[Tag]:
    """Replace a thread's tags (its author, or a moderator moving it: logged); returns the
    tags added, whose followers hear of a published thread once."""
    if not permissions.can_retag(actor, thread):
        raise PermissionDeniedError("Only the thread's author or a moderator can change its tags.")
    try:
        slugs = parse_tag_list(tags)
    except TagError as exc:
        raise ValidationError(str(exc), fields={"tags": str(exc)}) from None
    before = [t.slug for t in thread.tags]
    added = tags_service.set_thread_tags(thread, slugs)
    after = [t.slug for t in thread.tags]
    if after != before and not permissions.is_author(actor, thread):
        moderation.log_action(
            "retag",
            actor=actor,
            target_type="thread",
            target_id=thread.id,
            subject=thread.author,
            details={"from": before, "to": after},
        )
    db.session.commit()
    bump_thread(thread.id)  # page cache (issue 6)
    return added


def delete_thread(thread: Thread, *, actor: User) -> Thread:
    """The author blanks their opening post; its replies stay readable beneath "[deleted]"
    (a thread with no replies leaves the listings). The text is kept as a revision, for
    moderators only."""
    if not permissions.can_delete_thread(actor, thread):
        raise PermissionDeniedError("You can only delete your own threads.")
    db.session.add(
        ThreadRevision(
            thread_id=thread.id,
            title=thread.title,
            body_src=thread.body_src,
            tags=[t.slug for t in thread.tags],
            editor_id=actor.id,
        )
    )
    thread.status = CommentStatus.DELETED
    thread.body_src = ""
    thread.body_html = ""
    db.session.commit()
    bump_thread(thread.id)  # page cache (issue 6)
    return thread


# Every thread page reads its thread with its author and whether it has promotions, then its
# tags: selects built once (the id a bound parameter). SQLAlchemy's selectin loader built its
# select and the select's cache key anew each time, which cost more than running it; tags
# joined in would be one select fewer, but SQLite then reads the whole thread_tags table.
_THREAD = (
    select(Thread)
    .options(
        with_expression(Thread.has_promotions, exists().where(Promotion.shown_on(Thread.id))),
    )
    .where(Thread.id == bindparam("thread_id"))
)
_THREAD_TAGS = (
    select(Tag)
    .join(thread_tags, thread_tags.c.tag_id == Tag.id)
    .where(thread_tags.c.thread_id == bindparam("thread_id"))
    .order_by(Tag.slug)
)


def _own_hidden(thread_id: Any) -> Exists:
    """Whether the reader (``user_id``) has a comment in the thread that others don't see."""
    return exists().where(
        Comment.thread_id == thread_id,
        Comment.author_id == bindparam("user_id"),
        Comment.status.not_in(PUBLIC_STATUSES),
    )


# A signed-in reader's page also reads whether they follow the thread, for its button (the
# button's own select, thread and reader as bound parameters), and whether they have a
# comment of their own here that others don't see (comment_page): columns beside the
# thread, not loader options, since an expired thread is reloaded with the options it was
# read with, and this one's reader would be a parameter missing then.
_THREAD_FOR_READER = _THREAD.add_columns(
    subscriptions.THREAD_MUTED.scalar_subquery(), _own_hidden(Thread.id)
)


def get_thread(thread_id: int, *, reader: User | None = None) -> Thread:
    """The thread with its author and tags loaded; for a signed-in ``reader``, with whether
    they follow it (``Thread.reader_muted``)."""
    params = {"thread_id": thread_id}
    if not permissions.is_signed_in(reader):
        thread = db.session.scalar(_THREAD, params)
    else:
        reader_id: int = reader.id  # type: ignore[union-attr]
        row = db.session.execute(_THREAD_FOR_READER, {**params, "user_id": reader_id}).first()
        thread = row[0] if row else None
        if row is not None:
            set_committed_value(thread, "follow_reader", reader_id)
            set_committed_value(thread, "reader_muted", row[1])
            set_committed_value(thread, "reader_has_hidden", row[2])
    if thread is None:
        raise NotFoundError("There is no such thread.")
    if "tags" in inspect(thread).unloaded:  # not already in this session
        set_committed_value(thread, "tags", db.session.scalars(_THREAD_TAGS, params).all())
    return thread


def shown_thread(thread_id: int, *, viewer: User | None) -> Thread:
    """The thread if ``viewer`` (None: an anonymous reader) may see it: a held or removed
    thread looks missing to everyone but its author and moderators."""
    thread = get_thread(thread_id, reader=viewer)
    if not permissions.can_view_thread(viewer, thread):
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


class ShownComment(NamedTuple):
    """A comment as the thread page shows it: indentation capped, with the number and name of
    the comment it answers (None when that one isn't shown). A named tuple of plain values,
    because a page of hundreds of comments spends most of its time building them and, as
    keys of the rendered comments (forum.fragments), hashing and comparing them: a tuple
    does both in C. It has what the permission predicates read (``author_id``, ``status``,
    ``tag_ids``: its thread's, for moderators limited to some tags)."""

    # As stored, in the order the page's select (_comment_rows) reads them:
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
    removal_category: str
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
    # Removed, and the viewer is neither its author nor a moderator: only its place, number
    # and the category of the removal are shown; its text and author's name never leave here.
    redacted: bool = False
    # By someone the viewer ignores: folded away.
    ignored: bool = False

    @property
    def is_visible(self) -> bool:
        return self.status == CommentStatus.PUBLISHED


# What the thread page shows of others' comments: removed ones as a numbered placeholder,
# so readers see that moderation happened and why (the category, not the text).
SHOWN_STATUSES = (*PUBLIC_STATUSES, CommentStatus.REMOVED)
# Removed comments' fields blanked for readers other than the author and moderators.
_REDACTED = {"author": "", "body_html": "", "removal_reason": ""}


@dataclass(frozen=True, slots=True)
class CommentPage:
    """One page of a thread's comments in tree order.

    ``continues``: numbers of the comments whose reply groups this page carries on from the
    page before (outermost first), so indentation survives the cut. ``next_after``: the
    number to continue after, when more comments follow.
    """

    comments: list[ShownComment]
    continues: tuple[int, ...] = ()
    next_after: int | None = None


def _shown_filter(viewer: User | None) -> Any:
    """Which comments a viewer is shown: moderators all, the author their own, others the
    published and the removed (as placeholders)."""
    if permissions.can_moderate(viewer):
        return true()
    shown: Any = Comment.status.in_(SHOWN_STATUSES)
    if permissions.is_signed_in(viewer):
        shown = or_(shown, Comment.author_id == viewer.id)  # type: ignore[union-attr]
    return shown


@cache
def _comment_rows(shown: str, *, after: bool, limited: bool) -> Select[Any]:
    """The thread page's select, built once per kind of reader (``shown``: "public", "own"
    for a member, who also sees their own held comments, "all" for a moderator) and per
    shape of page, with the thread, reader, cursor and size as bound parameters: a select is
    immutable, and building this one cost about a tenth of the page."""
    stmt = (
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
            Comment.removal_category,
            Comment.appealed,
            Comment.path,  # last two: the rest are ShownComment's first fields, in order
            Comment.depth,
        )
        .join(User, User.id == Comment.author_id)
        .where(Comment.thread_id == bindparam("thread_id"))
        .order_by(Comment.path)
    )
    if shown == "public":
        stmt = stmt.where(Comment.status.in_(SHOWN_STATUSES))
    elif shown == "own":
        stmt = stmt.where(
            or_(Comment.status.in_(SHOWN_STATUSES), Comment.author_id == bindparam("viewer_id"))
        )
    if after:
        # The cursor's place read in the same statement: one round trip for a later page.
        after_path = select(Comment.path).where(
            Comment.thread_id == bindparam("thread_id"), Comment.number == bindparam("after")
        )
        stmt = stmt.where(Comment.path > after_path.scalar_subquery())
    if limited:
        stmt = stmt.limit(bindparam("limit", type_=Integer))
    return stmt


# Pages of comments as anonymous readers see them, kept by each worker under the thread's
# ``comments_version`` (bumped by the database on every change to them), for every reader who
# sees the same: a member whose own comments in the thread are all public sees that page,
# with the people they ignore folded. About 200 comments each.
KEPT_COMMENT_PAGES = 64
_OWN_HIDDEN = select(_own_hidden(bindparam("thread_id")))


def _sees_public_page(thread: Thread, viewer: User | None) -> bool:
    """Whether ``viewer`` is shown the comments anonymous readers are: not a moderator (who
    sees everything), and without a comment of their own here held or removed (they see it)."""
    if not permissions.is_signed_in(viewer):
        return True
    if permissions.can_moderate(viewer):
        return False
    viewer_id: int = viewer.id  # type: ignore[union-attr]
    if thread.follow_reader == viewer_id:  # read with the thread (get_thread)
        return not thread.reader_has_hidden
    return not db.session.scalar(_OWN_HIDDEN, {"thread_id": thread.id, "user_id": viewer_id})


def comment_page(
    thread: Thread,
    *,
    viewer: User | None,
    max_indent: int,
    ignored: frozenset[int] = frozenset(),
    after: int | None = None,
    size: int | None,
) -> CommentPage:
    """The thread page's comments in tree order (``read_comment_page``), read once per
    version of the thread by each worker for all readers who see the public page. The
    version comes with the thread's own row, so this needs no page cache, and a change
    committed by any worker or host shows on the next view."""
    if not _sees_public_page(thread, viewer):
        return read_comment_page(
            thread, viewer=viewer, max_indent=max_indent, ignored=ignored, after=after, size=size
        )
    kept: Kept[CommentPage] | None = current_app.extensions.get("forum.comment_pages")
    if kept is None:
        kept = current_app.extensions.setdefault(
            "forum.comment_pages",
            Kept(KEPT_COMMENT_PAGES, max_age=current_app.config["PAGE_CACHE_SECONDS"]),
        )
    # The tags are in the key: each comment carries them (moderators' scopes are checked
    # against them), and retagging a thread changes no comment.
    key = (thread.id, thread.comments_version, tuple(thread.tag_ids), after, size, max_indent)
    page = kept.get(key)
    if page is None:
        page = read_comment_page(thread, viewer=None, max_indent=max_indent, after=after, size=size)
        kept.put(key, page)
    if not ignored:
        return page
    folded = [c._replace(ignored=True) if c.author_id in ignored else c for c in page.comments]
    return replace(page, comments=folded)


def read_comment_page(
    thread: Thread,
    *,
    viewer: User | None,
    max_indent: int,
    ignored: frozenset[int] = frozenset(),
    after: int | None = None,
    size: int | None,
) -> CommentPage:
    """The thread page's comments in tree order: the ``size`` after comment number ``after``
    (the first ones without it), by keyset on the tree path, so a late page costs what the
    first does. One query of the columns shown, no ORM objects (the page reads nothing else
    of them), and one more on a later page for the names of answered comments shown before
    it. ``ignored``: authors the viewer ignores. Unknown ``after``: NotFoundError."""
    moderator = permissions.can_moderate(viewer)
    viewer_id = viewer.id if permissions.is_signed_in(viewer) else None  # type: ignore[union-attr]
    shown = "all" if moderator else "own" if viewer_id is not None else "public"
    params: dict[str, Any] = {"thread_id": thread.id, "viewer_id": viewer_id}
    if after is not None:
        params["after"] = after
    if size is not None:
        params["limit"] = size + 1
    stmt = _comment_rows(shown, after=after is not None, limited=size is not None)
    rows = db.session.execute(stmt, params).all()
    if not rows and after is not None and not _has_number(thread.id, after):
        raise NotFoundError("There is no such comment in this thread.")
    next_after = None
    if size is not None and len(rows) > size:
        rows = rows[:size]
        next_after = rows[-1][1]
    indents = [min(row[-1], max_indent) for row in rows]
    # A page that starts inside reply groups carries them on: the first comment's ancestors
    # (read from its path) open them again, so its depth still shows.
    continues: tuple[int, ...] = ()
    if rows and indents[0]:
        ancestors = rules.path_numbers(rows[0][-2])[:-1]
        continues = tuple(ancestors[-indents[0] :])
    nesting = rules.reply_groups([*range(len(continues)), *indents])[len(continues) :]
    # A parent comes before its replies in tree order: on the first page it is already here.
    parents: dict[int, tuple[int, str]] = {}
    if after is not None:
        parents = _answered_before(thread, rows, moderator=moderator, viewer_id=viewer_id)
    result: list[ShownComment] = []
    tag_ids = tuple(thread.tag_ids)
    for row, indent, nest in zip(rows, indents, nesting, strict=True):
        # Rows by position: reading a Row's fields by name costs more than the rest here.
        id_, number, parent_id, author_id, username, status = row[:6]
        redacted = status == CommentStatus.REMOVED and not moderator and author_id != viewer_id
        parents[id_] = (number, _shown_name(status, username, redacted))
        parent = parents.get(parent_id) if parent_id is not None else None
        comment = ShownComment(
            *row[:-2],  # every column but the path and the depth
            indent,
            parent[0] if parent else None,
            parent[1] if parent else None,
            tag_ids,
            nest.replies,
            nest.closes,
            redacted,
            author_id in ignored,
        )
        result.append(comment._replace(**_REDACTED) if redacted else comment)
    return CommentPage(result, continues, next_after)


def _shown_name(status: str, username: str, redacted: bool) -> str:
    """How a reply names the comment it answers."""
    if redacted:
        return "a removed comment"
    return "[deleted]" if status == CommentStatus.DELETED else username


_NUMBERED = select(Comment.id).where(
    Comment.thread_id == bindparam("thread_id"), Comment.number == bindparam("number")
)


def _has_number(thread_id: int, number: int) -> bool:
    return db.session.scalar(_NUMBERED, {"thread_id": thread_id, "number": number}) is not None


# The comments a later page's comments answer, by id: built once, the ids an expanding list.
_ANSWERED = (
    select(Comment.id, Comment.number, Comment.status, Comment.author_id, User.username)
    .join(User, User.id == Comment.author_id)
    .where(
        Comment.id.in_(bindparam("ids", expanding=True)),
        Comment.thread_id == bindparam("thread_id"),
    )
)


def _answered_before(
    thread: Thread, rows: Sequence[Any], *, moderator: bool, viewer_id: int | None
) -> dict[int, tuple[int, str]]:
    """(number, name) of the comments this page's comments answer that came on earlier pages
    and that this viewer is shown there."""
    here = {row[0] for row in rows}
    wanted = {row[2] for row in rows if row[2] is not None and row[2] not in here}
    if not wanted:
        return {}
    answered = db.session.execute(_ANSWERED, {"ids": sorted(wanted), "thread_id": thread.id}).all()
    found: dict[int, tuple[int, str]] = {}
    for id_, number, status, author_id, username in answered:
        shown = moderator or status in SHOWN_STATUSES or author_id == viewer_id
        if shown:
            redacted = status == CommentStatus.REMOVED and not moderator and author_id != viewer_id
            found[id_] = (number, _shown_name(status, username, redacted))
    return found


def page_start_for(comment: Comment, *, viewer: User | None, size: int) -> int | None:
    """The ``after`` cursor of the page that opens with ``comment`` when it isn't among the
    first ``size`` comments the viewer is shown (None: it is on the first page). Bounded:
    counts at most ``size`` rows and reads one more."""
    before = _shown_filter(viewer)
    earlier = (
        select(Comment.id)
        .where(Comment.thread_id == comment.thread_id, Comment.path < comment.path, before)
        .limit(size)
        .subquery()
    )
    if db.session.scalar(select(func.count()).select_from(earlier)) < size:
        return None
    return db.session.scalar(
        select(Comment.number)
        .where(Comment.thread_id == comment.thread_id, Comment.path < comment.path)
        .order_by(Comment.path.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class ListingPage(Generic[T]):
    """One page of a listing, with cursors for the pages either side (None at an end)."""

    items: list[T]
    newer: str | None
    older: str | None


def keyset_page(
    stmt: Select[tuple[T]],
    at: InstrumentedAttribute[datetime],
    id_: InstrumentedAttribute[int],
    *,
    before: str | None,
    after: str | None,
    per_page: int,
) -> ListingPage[T]:
    """A page of ``stmt``, ordered newest first by ``(at, id_)``, by keyset: the rows just
    older than the ``before`` cursor, just newer than ``after``, or the newest. One query, no
    COUNT, and an index walk of one page however deep it is. A malformed cursor is a 400."""
    key = tuple_(at, id_)
    newest = stmt
    try:
        if after is not None:
            when, last = rules.parse_cursor(after)
            stmt = stmt.where(key > tuple_(literal(when, UTCDateTime()), last)).order_by(None)
            stmt = stmt.order_by(at, id_)
        elif before is not None:
            when, last = rules.parse_cursor(before)
            stmt = stmt.where(key < tuple_(literal(when, UTCDateTime()), last))
    except ValueError as exc:
        raise ForumError(str(exc)) from exc
    rows = list(db.session.scalars(stmt.limit(per_page + 1)))
    more = len(rows) > per_page
    if after is not None and not more:
        # "Newer" reached the top: show the full first page rather than a short one.
        return keyset_page(newest, at, id_, before=None, after=None, per_page=per_page)
    rows = rows[:per_page]
    if after is not None:
        rows.reverse()

    def cursor(row: T) -> str:
        return rules.format_cursor(getattr(row, at.key), getattr(row, id_.key))

    # Coming from a cursor means there is something on its other side.
    has_newer = after is not None or before is not None
    has_older = more or after is not None
    return ListingPage(
        items=rows,
        newer=cursor(rows[0]) if rows and has_newer else None,
        older=cursor(rows[-1]) if rows and has_older else None,
    )


def thread_page(
    stmt: Select[tuple[Thread]], *, before: str | None, after: str | None, per_page: int
) -> ListingPage[Thread]:
    """A page of ``stmt`` (latest_threads(), filtered), latest activity first (keyset_page)."""
    return keyset_page(
        stmt, Thread.last_activity_at, Thread.id, before=before, after=after, per_page=per_page
    )


def latest_threads() -> Select[tuple[Thread]]:
    """Listed threads by latest activity, tags loaded in one extra query per page."""
    return (
        select(Thread)
        .options(selectinload(Thread.tags))
        .where(Thread.is_listed)
        .order_by(Thread.last_activity_at.desc(), Thread.id.desc())
    )


# Pinned threads shown above a listing's first page; more would push the news out of sight.
PINNED_SHOWN = 10


def _pinned(now: datetime) -> ColumnElement[bool]:
    return Thread.pinned_at.is_not(None) & (
        Thread.pinned_until.is_(None) | (Thread.pinned_until > now)
    )


def pinned_first(
    stmt: Select[tuple[Thread]], *, tag: Tag | None, now: datetime, first_page: bool = True
) -> tuple[list[Thread], Select[tuple[Thread]]]:
    """The threads pinned to the top of this listing (a tag's page, or with ``tag`` None the
    home page, where only site-wide pins count), and ``stmt`` without them, so a pinned
    thread is not listed twice. Pins end by themselves at their date; later pages
    (``first_page`` false) don't look for them."""
    pinned = _pinned(now) if tag is not None else _pinned(now) & Thread.pinned_site_wide
    if not first_page:
        return [], stmt.where(~pinned)
    shown = stmt.where(pinned, Thread.status == CommentStatus.PUBLISHED).order_by(None)
    threads = list(db.session.scalars(shown.order_by(Thread.pinned_at.desc()).limit(PINNED_SHOWN)))
    return threads, stmt.where(~pinned)


def user_comments(user: User, *, viewer: User | None, limit: int = 50) -> list[Comment]:
    """A member's latest comments the viewer may see: none from threads hidden from them."""
    stmt = (
        select(Comment)
        .options(selectinload(Comment.thread))
        .where(Comment.author_id == user.id, visible_filter(viewer))
        .where(Comment.status != CommentStatus.DELETED)
    )
    if not permissions.can_moderate(viewer):
        shown = Thread.is_listed
        if permissions.is_signed_in(viewer):
            shown = or_(shown, Thread.author_id == viewer.id)  # type: ignore[union-attr]
        stmt = stmt.join(Thread, Thread.id == Comment.thread_id).where(shown)
    return list(db.session.scalars(stmt.order_by(Comment.created_at.desc()).limit(limit)))


def tag_filter(stmt: Select[tuple[Thread]], tag: Tag) -> Select[tuple[Thread]]:
    return stmt.where(Thread.tags.any(Tag.id == tag.id))
