"""Load the demo content through the same services a person would use.

Comments go through the moderation rules as if their authors posted anyway, and the moderators
then work through a month of it (removals, an appeal, a dismissed flag, a spammer, a lock, a
pin), so the demo shows the review queue, the log, the transparency page and a warning, not
just a clean thread. The services stamp their records with the time they run; the demo then
dates each record to when it would have happened after the post it is about.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import func, select

from forum.auth.service import register_user
from forum.demo.content import TAGS, THREADS, USERS
from forum.extensions import db
from forum.models import (
    Comment,
    CommentStatus,
    Flag,
    FlagReason,
    ModerationAction,
    QueueItem,
    QueueSource,
    QueueState,
    Role,
    Tag,
    Thread,
    User,
)
from forum.models.base import utcnow
from forum.moderation import service as moderation
from forum.moderation.thread_actions import lock_thread, pin_thread, unlock_thread
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
    _date_accounts(users, now)
    for demo_tag in TAGS:
        (tag,) = resolve_or_create_tags([demo_tag.slug])
        tag.name, tag.description = demo_tag.name, demo_tag.description
    db.session.commit()
    flagged: list[Comment] = []
    question: tuple[Comment, User, datetime] | None = None
    for demo in sorted(THREADS, key=lambda t: -t.days_ago):
        started = now - timedelta(days=demo.days_ago)
        thread = create_thread(
            author=users[demo.author],
            title=demo.title,
            body=demo.body,
            tags=demo.tags,
            now=started,
            new_user_review=0,
        )
        posted: dict[str, Comment] = {}
        for item in demo.comments:
            parent = posted.get(item.reply_to) if item.reply_to else None
            if parent is not None and not parent.is_visible:
                _answer_in_the_open(parent)
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
    _a_month_of_moderation(users, flagged, now)
    _date_moderation()
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


def _decider(post: Comment | Thread) -> tuple[User, bool]:
    """A moderator who takes no part in the post's thread, else the admin, overriding."""
    staff = db.session.scalars(
        select(User).where(User.role.in_((Role.MODERATOR, Role.ADMIN))).order_by(User.id)
    ).all()
    for person in staff:
        if not moderation.decision_conflicts(person, [post]):
            return person, False
    return next(p for p in staff if p.is_admin), True


def _answer_in_the_open(held: Comment) -> None:
    """A held comment that regulars answered in the demo: approved, with its author warned."""
    item = moderation.open_item(held)
    if item is None:
        return
    moderator, override = _decider(held)
    moderation.decide(
        item,
        actor=moderator,
        decision="approve",
        reason="Left up so the question can be answered in the open.",
        override=override,
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


# Accounts that joined just before they first posted (the seeds' newcomers); everyone else
# has been around for months.
NEWCOMERS = ("northstar_ally", "gristmill", "fastvisa_help")


def _date_accounts(users: dict[str, User], now: datetime) -> None:
    """Regulars joined months ago, newcomers a few weeks ago: flags weigh by account age."""
    for n, (name, user) in enumerate(users.items()):
        user.created_at = now - timedelta(days=25 if name in NEWCOMERS else 120 + 9 * n)
    db.session.commit()


SPAM_TITLE = "Visa paperwork done in 48 hours, message me"
SPAM_BODY = (
    "Fast and guaranteed. Work permits, student visas, family visas. Message me or see "
    "https://example.com/fast-visa-deals for prices."
)
DISMISSED_NOTE = "She is calling everyone who cites these figures a liar."
OFF_TOPIC = "This drifts away from the kids the post is about."


def _a_month_of_moderation(users: dict[str, User], flagged: list[Comment], now: datetime) -> None:
    """What the moderators did over the demo's weeks: the attack still up removed, its removal
    appealed and upheld, a flag on hard disagreement dismissed, a spammer's first
    thread held and removed, the heated thread locked for a day, the resource list pinned.
    Each decision is made by a moderator who takes no part in the thread."""
    admin = next(users[u.username] for u in USERS if u.role == Role.ADMIN)
    for comment in flagged:
        _decide(comment, "remove", "Argue with what people say, not with who you think they are.")
    appealed = next((c for c in flagged if c.status == CommentStatus.REMOVED), None)
    if appealed is not None:
        moderation.appeal_removal(
            appealed, actor=appealed.author, reason="I was only asking a question."
        )
        _decide(
            appealed,
            "remove",
            "The question was about the person, not the argument. The removal stands.",
        )
    statistic = db.session.scalar(
        select(Comment)
        .join(User, User.id == Comment.author_id)
        .where(User.username == "tessaract", Comment.status == CommentStatus.PUBLISHED)
        .order_by(Comment.id)
        .limit(1)
    )
    if statistic is not None:
        moderation.flag_post(
            statistic, actor=users["plainspoken"], reason=FlagReason.AD_HOMINEM, note=DISMISSED_NOTE
        )
        _decide(
            statistic, "dismiss", "Disputing the figures is the point of the thread, not an attack."
        )
    spam = create_thread(
        author=users["fastvisa_help"],
        title=SPAM_TITLE,
        body=SPAM_BODY,
        tags=["immigration-and-deportation"],
        now=now - timedelta(days=9),
        new_user_review=2,
    )
    _decide(spam, "remove", "Advertising paid services is not allowed here.", category="spam")
    heated = db.session.scalar(
        select(Thread).where(Thread.tags.any(Tag.slug == "decriminalization")).limit(1)
    )
    if heated is not None:
        moderator, _ = _decider(heated)
        lock_thread(
            heated,
            actor=moderator,
            reason="Paused for a day: the last replies went round in circles. Back tomorrow.",
        )
        unlock_thread(heated, actor=moderator)
    resources = db.session.scalar(
        select(Thread).where(Thread.tags.any(Tag.slug == "hotlines-and-resources")).limit(1)
    )
    if resources is not None:
        pin_thread(resources, actor=admin, days=None, site_wide=True, now=resources.created_at)
    # Left for whoever opens the demo: a reader's flag on the newest thread, not yet decided.
    newest = db.session.scalar(
        select(Comment)
        .where(Comment.status == CommentStatus.PUBLISHED, Comment.parent_id.is_not(None))
        .order_by(Comment.created_at.desc())
        .limit(1)
    )
    if newest is not None:
        reader = users["fennel_and_salt"]
        if newest.author_id != reader.id:
            moderation.flag_post(newest, actor=reader, reason=FlagReason.OFF_TOPIC, note=OFF_TOPIC)


def _decide(
    post: Comment | Thread, decision: str, reason: str, *, category: str = "personal_attack"
) -> None:
    item = moderation.open_item(post)
    if item is None:
        return
    moderator, override = _decider(post)
    moderation.decide(
        item,
        actor=moderator,
        decision=decision,
        reason=reason,
        category=category if decision == "remove" else None,
        override=override,
    )


# How long after the previous step on the same post each kind of record comes, in minutes.
_STEP = {
    "flag": 25,
    "queue": 0,
    "rules": 0,
    "resolved": 185,
    "decision": 0,
    "appeal": 600,
    "lock": 900,
    "unlock": 1440,
    "pin": 30,
}
_DECISIONS = {"approve", "remove", "edit_approve", "dismiss", "restore"}
Event = tuple[datetime, tuple[str, int], str, Callable[[datetime], None]]


def _date_moderation() -> None:
    """Give each moderation record the time it would have had: its post's, plus a step of
    minutes or hours per record in the order they were made (never in the future)."""
    now = utcnow()
    start: dict[tuple[str, int], datetime] = {}
    for kind, model in (("comment", Comment), ("thread", Thread)):
        for id_, created in db.session.execute(select(model.id, model.created_at)):
            start[(kind, id_)] = created

    def about(comment_id: int | None, thread_id: int) -> tuple[str, int]:
        return ("comment", comment_id) if comment_id else ("thread", thread_id)

    events: list[Event] = []
    for flag in db.session.scalars(select(Flag)):
        key = about(flag.comment_id, flag.thread_id)
        events.append((flag.created_at, key, "flag", partial(setattr, flag, "created_at")))
    for item in db.session.scalars(select(QueueItem)):
        key = about(item.comment_id, item.thread_id)
        # An appeal comes hours after the removal; other items the moment their cause does.
        kind = "appeal" if item.source == QueueSource.APPEAL else "queue"
        events.append((item.created_at, key, kind, partial(setattr, item, "created_at")))
        if item.resolved_at is not None:
            resolved = partial(setattr, item, "resolved_at")
            events.append((item.resolved_at, key, "resolved", resolved))
    for row in db.session.scalars(select(ModerationAction)):
        key = (row.target_type, row.target_id)
        if key in start:  # not a warning about a user as such
            kind = "decision" if row.action in _DECISIONS else row.action
            kind = kind if kind in _STEP and kind != "appeal" else "rules"
            events.append((row.created_at, key, kind, partial(setattr, row, "created_at")))
    last = dict(start)
    for _, key, kind, set_time in sorted(events, key=lambda e: e[0]):
        jitter = (key[1] * 7) % 23 if _STEP[kind] else 0
        last[key] = min(last[key] + timedelta(minutes=_STEP[kind] + jitter), now)
        set_time(last[key])
    db.session.commit()
