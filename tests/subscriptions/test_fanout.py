"""Fan-out through the outbox: each follower hears of a thread or comment once, after commit."""

from __future__ import annotations

from sqlalchemy import func, select

from forum import outbox
from forum.models import Notification, OutboxEvent, TagLevel
from forum.moderation import service as moderation
from forum.subscriptions import service
from forum.tags import service as tags
from forum.tags.service import get_tag
from forum.threads import service as threads
from tests.factories import make_comment, make_moderator, make_thread, make_user

ACCUSATION = "Are some of you pimps yourselves? What is your real agenda here?"


def follow(user, slug: str, level: str = TagLevel.NEW_THREADS) -> None:
    tag = get_tag(slug) or tags.resolve_or_create_tags([slug])[0]
    service.follow_tag(user, tag, level)


def notices(db, user, kind: str | None = None) -> list[tuple[str, str]]:
    stmt = select(Notification.kind, Notification.key).where(Notification.user_id == user.id)
    if kind:
        stmt = stmt.where(Notification.kind == kind)
    return [tuple(row) for row in db.session.execute(stmt.order_by(Notification.id))]


def kinds_emitted(db) -> list[str]:
    return list(db.session.scalars(select(OutboxEvent.kind).order_by(OutboxEvent.id)))


def test_posting_writes_only_an_outbox_row_and_the_worker_tells_followers(app, db) -> None:
    reader, author = make_user(), make_user()
    follow(reader, "housing")
    thread = make_thread(author, tags=["housing"])
    assert notices(db, reader) == []  # nothing in the request but the event
    assert kinds_emitted(db) == ["thread.created"]
    outbox.drain()
    assert notices(db, reader) == [("new_thread", f"thread:{thread.id}")]
    assert notices(db, author) == []  # never about one's own thread
    assert kinds_emitted(db) == ["thread.created", "mail.fanout"]
    mail = db.session.scalars(select(OutboxEvent).where(OutboxEvent.kind == "mail.fanout")).one()
    assert mail.payload == {"kind": "new_thread", "thread_id": thread.id}


def test_a_follower_of_two_of_its_tags_hears_once_and_retagging_repeats_nothing(app, db) -> None:
    reader, author = make_user(), make_user()
    follow(reader, "housing")
    follow(reader, "funding", TagLevel.ALL)
    thread = make_thread(author, tags=["housing", "funding"])
    outbox.drain()
    threads.retag(thread, actor=author, tags="housing, funding, grants")
    follow(reader, "grants")
    threads.retag(thread, actor=author, tags="housing, grants")
    threads.retag(thread, actor=author, tags="housing, grants, funding")
    outbox.drain()
    assert notices(db, reader) == [("new_thread", f"thread:{thread.id}")]


def test_a_thread_that_gains_a_followed_tag_reaches_its_followers_then(app, db) -> None:
    reader, author = make_user(), make_user()
    follow(reader, "grants")
    thread = make_thread(author, tags=["housing"])
    outbox.drain()
    assert notices(db, reader) == []
    added = threads.retag(thread, actor=author, tags="housing, grants")
    assert [t.slug for t in added] == ["grants"]
    event = db.session.scalars(select(OutboxEvent).where(OutboxEvent.kind == "thread.tagged")).one()
    assert event.payload == {"thread_id": thread.id, "tag_ids": [added[0].id]}
    outbox.drain()
    assert notices(db, reader) == [("new_thread", f"thread:{thread.id}")]


def test_muted_followers_digest_levels_and_muted_threads_hear_nothing(app, db) -> None:
    muter, digest, author = make_user(), make_user(), make_user()
    follow(muter, "housing")
    follow(muter, "funding", TagLevel.MUTED)  # muting one of its tags wins
    follow(digest, "housing", TagLevel.DAILY)
    make_thread(author, tags=["housing", "funding"])
    outbox.drain()
    assert notices(db, muter) == [] and notices(db, digest) == []


def test_comments_reach_thread_followers_and_all_level_tag_followers_once(app, db) -> None:
    host = make_user()
    watcher, everything, new_only, muter = make_user(), make_user(), make_user(), make_user()
    follow(everything, "housing", TagLevel.ALL)
    follow(new_only, "housing")
    thread = make_thread(host, tags=["housing"])
    service.follow_thread(watcher, thread, "follow")
    service.follow_thread(muter, thread, "mute")
    follow(muter, "housing", TagLevel.ALL)
    commenter = make_user()
    comment = make_comment(thread, author=commenter)
    outbox.drain()
    key = f"comment:{comment.id}"
    assert notices(db, watcher) == [("new_comment", key)]
    assert notices(db, everything, "new_comment") == [("new_comment", key)]
    assert notices(db, new_only, "new_comment") == []
    assert notices(db, muter) == []
    # The host auto-follows their thread but already has the more specific notice.
    assert notices(db, host) == [("thread_reply", key)]
    assert notices(db, commenter) == []  # and the commenter now follows it


def test_posting_follows_the_thread_unless_the_setting_is_off(app, db) -> None:
    thread = make_thread()
    keen, reserved = make_user(), make_user()
    service.set_auto_follow(reserved, False)
    make_comment(thread, author=keen)
    make_comment(thread, author=reserved)
    assert service.thread_state(keen, thread) == "following"
    assert service.thread_state(reserved, thread) is None
    assert service.thread_state(thread.author, thread) == "following"


def test_a_muted_thread_stays_muted_after_posting_and_drops_thread_replies(app, db) -> None:
    host = make_user()
    thread = make_thread(host)
    service.follow_thread(host, thread, "mute")
    make_comment(thread, author=host)
    assert service.thread_state(host, thread) == "muted"
    make_comment(thread)
    outbox.drain()
    assert notices(db, host) == []


def test_held_comments_notify_no_follower_until_approved(app, db) -> None:
    watcher = make_user()
    thread = make_thread()
    service.follow_thread(watcher, thread, "follow")
    held = threads.reply(thread=thread, author=make_user(), body=ACCUSATION, confirmed=True)
    outbox.drain()
    assert notices(db, watcher) == []
    assert "comment.published" not in kinds_emitted(db)
    moderator = make_moderator()
    (item,) = moderation.open_queue(moderator)
    moderation.decide(item, actor=moderator, decision="approve")
    outbox.drain()
    assert notices(db, watcher) == [("new_comment", f"comment:{held.id}")]


def test_a_comment_removed_before_the_worker_runs_tells_nobody(app, db) -> None:
    watcher = make_user()
    thread = make_thread()
    service.follow_thread(watcher, thread, "follow")
    comment = make_comment(thread)
    threads.delete_comment(comment, actor=comment.author)
    outbox.drain()
    assert notices(db, watcher) == []
    done = db.session.scalar(select(func.count()).where(OutboxEvent.processed_at.is_not(None)))
    assert done >= 2  # the events ran (and found nothing to say); they don't linger


def test_running_an_event_twice_writes_nothing_twice(app, db) -> None:
    from forum.subscriptions import fanout

    reader = make_user()
    follow(reader, "housing")
    thread = make_thread(tags=["housing"])
    assert fanout.fan_out_thread(thread.id) == 1
    assert fanout.fan_out_thread(thread.id) == 0
    db.session.commit()
    assert len(notices(db, reader)) == 1


def test_fan_out_is_one_statement_whatever_the_audience(app, db, count_queries) -> None:
    from forum.subscriptions import fanout

    def statements(followers: int) -> int:
        slug = f"topic{followers}"
        for _ in range(followers):
            follow(make_user(), slug)
        thread = make_thread(tags=[slug])
        with count_queries() as counter:
            written = fanout.fan_out_thread(thread.id)
            db.session.commit()
        assert written == followers
        return counter.count

    assert statements(2) == statements(12)
