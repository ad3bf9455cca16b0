"""Load the demo content through the same services a person would use.

Comments go through the moderation rules as if their authors posted anyway, so the demo shows
the review queue, the log and a warning, not just a clean thread.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from forum.auth.service import register_user
from forum.demo_content import TAGS, THREADS, USERS
from forum.extensions import db
from forum.models import Comment, FlagReason, QueueItem, QueueState, Role, Tag, Thread, User
from forum.models.base import utcnow
from forum.moderation import service as moderation
from forum.tags.service import resolve_or_create_tags
from forum.threads.promotion import promote_question
from forum.threads.service import create_thread, reply

# Demo accounts only exist on a local demo database; the README says so.
DEMO_PASSWORD = "demo-password"


def load_demo(now: datetime | None = None) -> str:
    """Create the demo users, tags, threads and comments once; "" if already there."""
    first = USERS[0].username.casefold()
    if db.session.scalar(select(User.id).where(User.username_key == first)) is not None:
        return ""
    now = now or utcnow()
    users = {u.username: register_user(u.username, DEMO_PASSWORD, role=u.role) for u in USERS}
    moderator = next(users[u.username] for u in USERS if u.role == Role.MODERATOR)
    for demo_tag in TAGS:
        (tag,) = resolve_or_create_tags([demo_tag.slug])
        tag.name, tag.description = demo_tag.name, demo_tag.description
    db.session.commit()
    flagged: list[Comment] = []
    question: tuple[Comment, User, datetime] | None = None
    for demo in sorted(THREADS, key=lambda t: -t.days_ago):
        started = now - timedelta(days=demo.days_ago)
        thread = create_thread(
            author=users[demo.author], title=demo.title, body=demo.body, tags=demo.tags, now=started
        )
        posted: dict[str, Comment] = {}
        for item in demo.comments:
            parent = posted.get(item.reply_to) if item.reply_to else None
            if parent is not None and not parent.is_visible:
                _answer_in_the_open(parent, moderator)
            posted[item.key] = reply(
                thread=thread,
                author=users[item.author],
                body=item.body,
                parent=parent,
                now=started + timedelta(minutes=item.minutes_after),
                # As if posted anyway after the nudge: attacks land in the review queue.
                confirmed=True,
                new_user_review=0,
            )
            if item.expect_moderation:
                flagged.append(posted[item.key])
            if item.is_question:
                question = (posted[item.key], users[demo.author], started)
    _flag_from_readers(flagged, list(users.values()))
    if question is not None:
        _promote_the_question(*question)
    tag_count = db.session.scalar(select(func.count(Tag.id)))
    thread_count = db.session.scalar(select(func.count(Thread.id)))
    comment_count = db.session.scalar(select(func.count(Comment.id)))
    return f"{len(users)} users, {tag_count} tags, {thread_count} threads, {comment_count} comments"


# The host's introduction to the promoted question: our own words, like the rest of the demo.
PROMOTION_INTRO = (
    "Thank you for asking this so plainly. It kept coming back to me after the funding "
    "thread went quiet, and it deserves more than a reply fifteen levels down, so here it "
    "is at the top of its own thread.\n\n"
    "I'll start with what the providers I spoke to agree on, and I'd like the people who do "
    "this work to correct and extend it:\n\n"
    "- **The first night:** a real bed somewhere that is not a cell, food, and a phone call "
    "to someone she trusts.\n"
    "- **The first conversation:** with an advocate who works for her, in her own language, "
    "before anyone asks for a statement.\n"
    "- **Choice:** help does not depend on talking to police, and going home, staying or "
    "going back to work are all answers we plan for.\n"
    "- **Time:** weeks to recover and get legal advice, not the 48 hours a case file wants.\n\n"
    "What is missing, and where have you seen this done well?"
)


def _promote_the_question(comment: Comment, host: User, started: datetime) -> None:
    """The host gives the demo's one question its own thread, as the thread says they will.

    The replies stay where they were: one of them is the host saying a thread is coming.
    """
    promote_question(
        comment,
        actor=host,
        title="What should happen to people found in a raid, if we were doing it right?",
        intro=PROMOTION_INTRO,
        now=max(started + timedelta(hours=12), comment.created_at + timedelta(minutes=60)),
    )


def _answer_in_the_open(held: Comment, moderator: User) -> None:
    """A held comment that regulars answered in the demo: approved, with its author warned."""
    item = moderation.open_item(held)
    if item is None:
        return
    moderation.decide(
        item,
        actor=moderator,
        decision="approve",
        reason="Left up so the question can be answered in the open.",
    )
    moderation.warn_user(
        held.author,
        actor=moderator,
        comment=held,
        reason="Question people's arguments, not their motives or who they are.",
    )


def _flag_from_readers(comments: list[Comment], people: list[User]) -> None:
    """Readers flag the attacks still up: one the rules missed gets enough flags to hide."""
    for comment in comments:
        if not comment.is_visible or comment.id in _decided(comments):
            continue
        queued = moderation.open_item(comment) is not None
        readers = [u for u in people if u.id != comment.author_id and not u.is_moderator]
        for reader in readers[: 1 if queued else 3]:
            moderation.flag_post(
                comment,
                actor=reader,
                reason=FlagReason.AD_HOMINEM,
                note="Aimed at a person, not at what they said.",
            )


def _decided(comments: list[Comment]) -> set[int]:
    """Comments a moderator has already ruled on."""
    ids = [c.id for c in comments]
    return set(
        db.session.scalars(
            select(QueueItem.comment_id).where(
                QueueItem.comment_id.in_(ids), QueueItem.state != QueueState.OPEN
            )
        )
    )
