"""Notifications follow actions: replies, mentions, and moderators' decisions."""

from __future__ import annotations

from sqlalchemy import select

from forum.models import Notification
from forum.moderation import service as moderation
from forum.subscriptions import service
from forum.threads import service as threads
from tests.factories import make_comment, make_moderator, make_thread, make_user

ACCUSATION = "Are some of you pimps yourselves? What is your real agenda here?"


def kinds(db, user) -> list[str]:
    return list(
        db.session.scalars(
            select(Notification.kind).where(Notification.user_id == user.id).order_by("id")
        )
    )


def test_a_reply_tells_the_parent_author_and_the_thread_author(app, db) -> None:
    host = make_user()
    thread = make_thread(host)
    parent = make_comment(thread)
    mentioned = make_user("jody_k")
    make_comment(thread, parent=parent, body="I agree with the point about grants, @Jody_K.")
    assert kinds(db, parent.author) == ["reply"]
    assert kinds(db, host) == ["thread_reply", "thread_reply"]  # the parent, then the reply
    assert kinds(db, mentioned) == ["mention"]


def test_held_comments_tell_nobody_until_approved(app, db) -> None:
    host = make_user()
    thread = make_thread(host)
    author = make_user()
    held = threads.reply(thread=thread, author=author, body=ACCUSATION, confirmed=True)
    assert kinds(db, host) == []
    assert kinds(db, author) == ["comment_held"]
    moderator = make_moderator()
    (item,) = moderation.open_queue(moderator)
    moderation.decide(item, actor=moderator, decision="approve")
    assert kinds(db, host) == ["thread_reply"]
    assert kinds(db, author) == ["comment_held", "comment_approved"]
    assert held.is_visible


def test_removal_tells_the_author_why_and_flaggers_the_outcome(app, db) -> None:
    comment = make_comment()
    reader = make_user()
    moderation.flag_post(comment, actor=reader, reason="ad_hominem")
    moderator = make_moderator()
    (item,) = moderation.open_queue(moderator)
    moderation.decide(item, actor=moderator, decision="remove", reason="Attacks a person.")
    note = db.session.scalar(
        select(Notification.note).where(
            Notification.user_id == comment.author_id, Notification.kind == "comment_removed"
        )
    )
    assert note == "Attacks a person."
    outcome = db.session.scalar(select(Notification).where(Notification.user_id == reader.id))
    assert (outcome.kind, outcome.note) == ("flag_outcome", "removed")


def test_a_warning_reaches_the_person_warned(app, db) -> None:
    user = make_user()
    moderation.warn_user(user, actor=make_moderator(), reason="Argue with the idea, please.")
    assert kinds(db, user) == ["warning"]


def test_the_same_notification_is_never_written_twice(app, db) -> None:
    user = make_user()
    for _ in range(2):
        service.notify(user.id, "reply", key="comment:1")
    db.session.commit()
    assert kinds(db, user) == ["reply"]


def test_mark_read_touches_only_ones_own(app, db) -> None:
    me, other = make_user(), make_user()
    for user in (me, other):
        service.notify(user.id, "reply", key="comment:9")
    db.session.commit()
    theirs = db.session.scalar(select(Notification.id).where(Notification.user_id == other.id))
    assert service.mark_read(me, [theirs]) == 0
    assert service.unread_count(other) == 1
    assert service.mark_read(me) == 1
    assert service.unread_count(me) == 0
