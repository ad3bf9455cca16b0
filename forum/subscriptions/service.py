"""Notifications: written in the same transaction as the action that causes them.

Callers add notifications and commit with their own change, so a rolled-back action tells
nobody, and held content tells nobody until it is approved.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Select, bindparam, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from forum import outbox
from forum.errors import ValidationError
from forum.extensions import db
from forum.models import (
    Comment,
    CommentStatus,
    Notification,
    NotificationKind,
    Tag,
    TagLevel,
    TagSubscription,
    Thread,
    ThreadSubscription,
    User,
    UserIgnore,
    thread_tags,
)
from forum.models.base import utcnow
from forum.subscriptions import rules


def notify(
    user_id: int,
    kind: str,
    *,
    key: str,
    actor: User | None = None,
    thread_id: int | None = None,
    comment_id: int | None = None,
    note: str = "",
) -> None:
    """Add one notification unless this person already has one with this key (no commit)."""
    try:
        with db.session.begin_nested():
            db.session.add(
                Notification(
                    user_id=user_id,
                    kind=kind,
                    key=key[:80],
                    actor_id=actor.id if actor else None,
                    thread_id=thread_id,
                    comment_id=comment_id,
                    note=note[:500],
                )
            )
    except IntegrityError:
        pass  # already told: retries and re-approvals must not repeat themselves


def comment_published(comment: Comment) -> None:
    """Tell the parent's author, the thread's author and those @mentioned (no commit).

    Followers of the thread (and of its tags at level "all") hear of it through the outbox,
    after commit: the event is added here so both publishing paths (posting, and a moderator
    approving a held comment) reach them. Someone who muted the thread isn't told of activity
    in it, but still hears of replies to them and mentions.
    """
    if comment.status != CommentStatus.PUBLISHED:
        return
    thread_author, listed = db.session.execute(
        select(Thread.author_id, Thread.is_listed).where(Thread.id == comment.thread_id)
    ).one()
    if not listed:
        return  # its thread waits for a moderator or was removed: nobody can read it
    outbox.emit("comment.published", comment_id=comment.id)
    names = rules.extract_mentions(comment.body_src)
    mentioned = (
        list(db.session.scalars(select(User.id).where(User.username_key.in_(names))))
        if names
        else []
    )
    parent_author = (
        db.session.scalar(select(Comment.author_id).where(Comment.id == comment.parent_id))
        if comment.parent_id
        else None
    )
    recipients = rules.reply_recipients(
        actor_id=comment.author_id,
        parent_author_id=parent_author,
        thread_author_id=thread_author,
        mentioned_ids=mentioned,
    )
    muted = set(
        db.session.scalars(
            select(ThreadSubscription.user_id).where(
                ThreadSubscription.thread_id == comment.thread_id,
                ThreadSubscription.muted.is_(True),
                ThreadSubscription.user_id.in_(list(recipients)),
            )
        )
        if recipients
        else []
    )
    ignoring = ignoring_ids(comment.author_id, recipients)
    for user_id, kind in recipients.items():
        if user_id in ignoring or (user_id in muted and kind == NotificationKind.THREAD_REPLY):
            continue
        notify(
            user_id,
            kind,
            key=f"comment:{comment.id}",
            actor=comment.author,
            thread_id=comment.thread_id,
            comment_id=comment.id,
        )


def _post_ids(post: Comment | Thread) -> tuple[int, int | None, str]:
    """(thread id, comment id or None, key part) of a comment or a thread's opening post."""
    if isinstance(post, Comment):
        return post.thread_id, post.id, str(post.id)
    return post.id, None, f"t{post.id}"


def ignoring_ids(author_id: int, among: Iterable[int]) -> set[int]:
    """Which of ``among`` ignore ``author_id``: they hear nothing of that person."""
    among = list(among)
    if not among:
        return set()
    return set(
        db.session.scalars(
            select(UserIgnore.user_id).where(
                UserIgnore.ignored_id == author_id, UserIgnore.user_id.in_(among)
            )
        )
    )


def tell_author(
    post: Comment | Thread, kind: str, *, event: int, actor: User | None = None, note: str = ""
) -> None:
    """Tell a post's author what moderation did with it (no commit). A notice with no comment
    is about the thread's opening post.

    ``event`` (a log row id) keeps a second removal after an appeal a separate notice.
    """
    thread_id, comment_id, part = _post_ids(post)
    notify(
        post.author_id,
        kind,
        key=f"{kind}:{part}:{event}",
        actor=actor,
        thread_id=thread_id,
        comment_id=comment_id,
        note=note,
    )


def tell_flaggers(post: Comment | Thread, flagger_ids: Iterable[int], outcome: str) -> None:
    """Readers who flagged a post learn what moderators decided (no commit)."""
    thread_id, comment_id, part = _post_ids(post)
    for user_id in flagger_ids:
        notify(
            user_id,
            NotificationKind.FLAG_OUTCOME,
            key=f"flag:{part}",
            thread_id=thread_id,
            comment_id=comment_id,
            note=outcome,
        )


def notifications_for(user: User) -> Select[tuple[Notification]]:
    # Threads and comments by a second query each, not the model's joined default: SQLite
    # materialises "threads JOIN users" whole for a nested outer join, 200 ms at 100,000
    # threads (bench/bench_fanout.py); by id, it is a page's worth of rows.
    return (
        select(Notification)
        .options(selectinload(Notification.thread), selectinload(Notification.comment))
        .where(Notification.user_id == user.id)
        .order_by(Notification.id.desc())
    )


# Selects that every signed-in page runs, built once with the reader as a bound parameter:
# building a select and its cache key cost twice what running one of these does.
_UNREAD = select(func.count(Notification.id)).where(Notification.unread_of(bindparam("user_id")))
# Whether a reader follows a thread (None: no), and if so muted: the follow button's one
# select, also read beside the thread itself on its page (forum.threads.service.get_thread).
THREAD_MUTED = select(ThreadSubscription.muted).where(
    ThreadSubscription.user_id == bindparam("user_id"),
    ThreadSubscription.thread_id == bindparam("thread_id"),
)
_IGNORED = select(UserIgnore.ignored_id).where(UserIgnore.user_id == bindparam("user_id"))


def unread_count(user: User) -> int:
    """Read with the sign-in when it can be (User.unread_notifications), else one query."""
    if user.unread_notifications is not None:
        return user.unread_notifications
    return db.session.scalar(_UNREAD, {"user_id": user.id}) or 0


def mark_read(user: User, ids: Iterable[int] | None = None) -> int:
    """Mark some (or, with None, all) of the user's own notifications read."""
    stmt = update(Notification).where(Notification.unread_of(user.id))
    if ids is not None:
        stmt = stmt.where(Notification.id.in_(list(ids)))
    changed = db.session.execute(stmt.values(read_at=utcnow())).rowcount
    db.session.commit()
    return changed


# --- following tags and threads ----------------------------------------------------------------


def dialect_insert(table: Any) -> Any:
    """INSERT with ``on_conflict_do_*`` for the database in use (SQLite or PostgreSQL)."""
    if db.engine.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def parse_level(raw: str) -> TagLevel:
    try:
        return TagLevel(raw)
    except ValueError:
        choices = ", ".join(level.value for level in TagLevel)
        raise ValidationError(
            f"Choose how to follow the tag: one of {choices}.",
            fields={"level": f"must be one of: {choices}"},
        ) from None


def _canonical(tag: Tag) -> Tag:
    # A merged tag's followers follow its target; the tags service resolves the same way.
    return tag.canonical or tag


def follow_tag(
    user: User, tag: Tag, level: str, *, limit: int = rules.MAX_FOLLOWED_TAGS
) -> TagSubscription:
    """Follow ``tag`` at ``level``, or change the level of an existing follow."""
    subscription = _set_level(user, _canonical(tag), parse_level(level), limit=limit)
    db.session.commit()
    return subscription


def _set_level(user: User, tag: Tag, level: TagLevel, *, limit: int) -> TagSubscription:
    subscription = db.session.get(TagSubscription, (user.id, tag.id))
    if subscription is None:
        if problem := rules.follow_limit_problem(followed_tag_count(user), limit=limit):
            raise ValidationError(problem, fields={"tag": problem})
        # Two tabs following at once must not fail on the primary key: upsert.
        db.session.execute(
            dialect_insert(TagSubscription)
            .values(user_id=user.id, tag_id=tag.id, level=level.value, created_at=utcnow())
            .on_conflict_do_update(
                index_elements=["user_id", "tag_id"], set_={"level": level.value}
            )
        )
        subscription = db.session.get(TagSubscription, (user.id, tag.id), populate_existing=True)
        assert subscription is not None
    subscription.level = level.value
    return subscription


def set_tag_levels(user: User, levels: Mapping[int, str]) -> int:
    """Change several followed tags' levels at once (tag id -> level); all or nothing.

    Ids the user doesn't follow are ignored (a stale form), so this never adds follows.
    """
    parsed = {tag_id: parse_level(raw) for tag_id, raw in levels.items()}
    changed = 0
    for subscription in db.session.scalars(
        select(TagSubscription).where(
            TagSubscription.user_id == user.id, TagSubscription.tag_id.in_(list(parsed))
        )
    ):
        level = parsed[subscription.tag_id].value
        if subscription.level != level:
            subscription.level = level
            changed += 1
    db.session.commit()
    return changed


def unfollow_tag(user: User, tag: Tag) -> bool:
    """Stop following ``tag`` (muting ends too); False if it wasn't followed."""
    removed = db.session.execute(
        delete(TagSubscription).where(
            TagSubscription.user_id == user.id, TagSubscription.tag_id == _canonical(tag).id
        )
    ).rowcount
    db.session.commit()
    return bool(removed)


def followed_tag_count(user: User) -> int:
    return db.session.scalar(select(func.count()).where(TagSubscription.user_id == user.id)) or 0


def tag_follower_count(tag: Tag) -> int:
    """How many readers follow the tag at any level but muted (its page's side panel)."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(TagSubscription)
            .where(TagSubscription.tag_id == tag.id, TagSubscription.level != TagLevel.MUTED)
        )
        or 0
    )


def tag_level(user: User | None, tag: Tag) -> str | None:
    """The level at which ``user`` follows ``tag``, or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        select(TagSubscription.level).where(
            TagSubscription.user_id == user.id, TagSubscription.tag_id == _canonical(tag).id
        )
    )


def followed_tags(user: User) -> list[tuple[Tag, TagSubscription]]:
    """The tags ``user`` follows, by slug, each with its subscription."""
    rows = db.session.execute(
        select(Tag, TagSubscription)
        .join(TagSubscription, TagSubscription.tag_id == Tag.id)
        .where(TagSubscription.user_id == user.id)
        .order_by(Tag.slug)
    ).all()
    return [(tag, subscription) for tag, subscription in rows]


def has_muted_tags(user: User | None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return (
        db.session.scalar(
            select(TagSubscription.tag_id)
            .where(TagSubscription.user_id == user.id, TagSubscription.level == TagLevel.MUTED)
            .limit(1)
        )
        is not None
    )


def without_muted(stmt: Select[Any], user: User | None) -> Select[Any]:
    """Leave out threads carrying a tag ``user`` muted (one subquery, no extra query)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return stmt
    muted_threads = (
        select(thread_tags.c.thread_id)
        .join(TagSubscription, TagSubscription.tag_id == thread_tags.c.tag_id)
        .where(TagSubscription.user_id == user.id, TagSubscription.level == TagLevel.MUTED)
    )
    return stmt.where(Thread.id.not_in(muted_threads))


def follow_thread(user: User, thread: Thread, action: str = "follow") -> str | None:
    """Apply a thread page action (follow, unfollow, mute); returns the state it leaves.

    A muted thread stays a row (muted) so that posting in it again doesn't re-follow it.
    """
    try:
        muted = rules.thread_subscription_for(action)
    except ValueError:
        raise ValidationError(
            "Choose follow, unfollow or mute.", fields={"action": "unknown action"}
        ) from None
    if muted is None:
        db.session.execute(
            delete(ThreadSubscription).where(
                ThreadSubscription.user_id == user.id, ThreadSubscription.thread_id == thread.id
            )
        )
    else:
        db.session.execute(
            dialect_insert(ThreadSubscription)
            .values(user_id=user.id, thread_id=thread.id, muted=muted, created_at=utcnow())
            .on_conflict_do_update(index_elements=["user_id", "thread_id"], set_={"muted": muted})
        )
    db.session.commit()
    return thread_state(user, thread)


def thread_state(user: User | None, thread: Thread) -> str | None:
    """ "following", "muted", or None: what the thread page's follow button shows."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if thread.follow_reader == user.id:  # read with the thread for this reader's page
        muted = thread.reader_muted
    else:
        muted = db.session.scalar(THREAD_MUTED, {"user_id": user.id, "thread_id": thread.id})
    if muted is None:
        return None
    return "muted" if muted else "following"


def followed_threads(user: User, *, limit: int = 200) -> list[tuple[Thread, bool]]:
    """Threads ``user`` follows or muted, latest activity first, with the muted flag."""
    rows = db.session.execute(
        select(Thread, ThreadSubscription.muted)
        .join(ThreadSubscription, ThreadSubscription.thread_id == Thread.id)
        .where(ThreadSubscription.user_id == user.id)
        .order_by(Thread.last_activity_at.desc(), Thread.id.desc())
        .limit(limit)
    ).all()
    return [(thread, muted) for thread, muted in rows]


def set_auto_follow(user: User, enabled: bool) -> None:
    user.auto_follow_threads = enabled
    db.session.commit()


def posted_in(user: User, thread_id: int) -> None:
    """Posting follows the thread when the poster asked for that (no commit).

    An existing row, followed or muted, is left as it is: muting sticks.
    """
    if not user.auto_follow_threads:
        return
    db.session.execute(
        dialect_insert(ThreadSubscription)
        .values(user_id=user.id, thread_id=thread_id, muted=False, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["user_id", "thread_id"])
    )


def thread_created(thread: Thread) -> None:
    """A new thread: its author follows it, and tag followers hear of it after commit unless
    it waits for a moderator (no commit; the thread must be flushed so it has an id)."""
    posted_in(thread.author, thread.id)
    if thread.status == CommentStatus.PUBLISHED:
        thread_published(thread)


def thread_published(thread: Thread) -> None:
    """Tag followers hear of the thread after commit: when it is posted, or when a moderator
    approves it after a hold (no commit)."""
    outbox.emit("thread.created", thread_id=thread.id)


# --- ignoring people --------------------------------------------------------------------------

# Enough for anyone's peace; more would only make each page's fold list long.
MAX_IGNORED = 500


def ignore_user(user: User, other: User) -> None:
    """``user`` no longer sees ``other``'s posts unfolded or hears of their replies and
    mentions. ``other`` is never told. Moderators can't be ignored: their notices about
    one's own posts must reach one."""
    if other.id == user.id:
        raise ValidationError("You can't ignore yourself.", fields={"name": "yourself"})
    if other.is_moderator:
        raise ValidationError(
            "Moderators can't be ignored: what they tell you about your posts must reach you.",
            fields={"name": "a moderator"},
        )
    if len(ignored_ids(user)) >= MAX_IGNORED:
        raise ValidationError(
            f"You ignore {MAX_IGNORED} people already; stop ignoring someone first.",
            fields={"name": "too many"},
        )
    db.session.execute(
        dialect_insert(UserIgnore)
        .values(user_id=user.id, ignored_id=other.id, created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["user_id", "ignored_id"])
    )
    db.session.commit()


def unignore_user(user: User, other: User) -> bool:
    """Stop ignoring ``other``; False if they weren't ignored."""
    removed = db.session.execute(
        delete(UserIgnore).where(UserIgnore.user_id == user.id, UserIgnore.ignored_id == other.id)
    ).rowcount
    db.session.commit()
    return bool(removed)


def ignored_ids(user: User | None) -> frozenset[int]:
    """Ids of the people ``user`` ignores (none for anonymous readers): as read with the
    sign-in (User.ignored_list), else one query."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    if user.ignored_list is not None:
        return frozenset(int(id_) for id_ in user.ignored_list.split(",") if id_)
    return frozenset(db.session.scalars(_IGNORED, {"user_id": user.id}))


def ignored_users(user: User) -> list[tuple[User, datetime]]:
    """Whom ``user`` ignores and since when, by name, for the settings page."""
    rows = db.session.execute(
        select(User, UserIgnore.created_at)
        .join(UserIgnore, UserIgnore.ignored_id == User.id)
        .where(UserIgnore.user_id == user.id)
        .order_by(User.username_key)
    ).all()
    return [(other, since) for other, since in rows]
