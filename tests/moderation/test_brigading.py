"""Flags that can't be turned into a weapon: fresh accounts and accounts with no published
post can report but not hide, a record of declined flags wears a flagger down, and readers
who keep flagging one author together count once, with the queue saying so."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from forum.models import Comment, CommentStatus, Flag, User
from forum.models.base import utcnow
from forum.moderation import service as moderation
from forum.moderation.policy import Uncounted
from forum.threads import service as threads
from tests.factories import make_comment, make_moderator, make_thread, make_user

SURVIVOR_POINT = (
    "I worked in that trade for six years. The raids did not help me; a caseworker did. "
    "The 2025 report counts raids, not people who got out."
)


@pytest.fixture
def config_overrides() -> dict[str, object]:
    return {"FLAG_MIN_ACCOUNT_DAYS": 3}


def _established(db, name: str | None = None, *, days: int = 30, upheld: int = 0) -> User:
    """A reader with an account ``days`` old, a published comment, and ``upheld`` flags
    moderators agreed with."""
    reader = make_user(name)
    make_comment(author=reader, body="The funding table on page 4 is worth a look.")
    for _ in range(upheld):
        target = make_comment(body="A comment that moderators will remove.")
        moderation.flag_post(target, actor=reader, reason="ad_hominem")
        moderation.remove_post(target, actor=make_moderator(), reason="Personal attack.")
    db.session.execute(
        update(User).where(User.id == reader.id).values(created_at=utcnow() - timedelta(days=days))
    )
    db.session.commit()
    db.session.refresh(reader)
    return reader


def _attack(body: str, author: User | None = None) -> Comment:
    """A comment the rules flag, posted anyway, so it is published and queued."""
    return threads.reply(
        thread=make_thread(), author=author or make_user(), body=body, confirmed=True
    )


def test_three_fresh_accounts_cannot_hide_a_survivors_comment(client, login_as, db) -> None:
    survivor = _established(db, "survivor")
    comment = make_comment(author=survivor, body=SURVIVOR_POINT)
    for n in range(3):
        login_as(make_user(f"fresh{n}"))
        response = client.post(f"/comments/{comment.id}/flag", data={"reason": "ad_hominem"})
        assert response.status_code == 302
    db.session.refresh(comment)
    assert comment.status == CommentStatus.PUBLISHED
    uncounted = db.session.scalars(select(Flag.uncounted).where(Flag.comment_id == comment.id))
    assert set(uncounted) == {Uncounted.NEW_ACCOUNT}
    # They still reach the queue, marked as not counting.
    login_as(make_moderator())
    queue = client.get("/mod/queue").get_data(as_text=True)
    assert queue.count("not counted toward hiding: a new account") == 3
    assert SURVIVOR_POINT[:40] in queue


def test_three_established_readers_with_upheld_flags_hide_an_attack(db) -> None:
    attack = _attack("Whatever you say, sweetheart. Go back to your knitting.")
    readers = [_established(db, upheld=1) for _ in range(3)]
    for reader in readers[:2]:
        moderation.flag_post(attack, actor=reader, reason="ad_hominem")
    assert attack.status == CommentStatus.PUBLISHED  # 2 x 1.33 is under the threshold of 3
    moderation.flag_post(attack, actor=readers[2], reason="ad_hominem")
    assert attack.status == CommentStatus.PENDING
    weights = db.session.scalars(select(Flag.weight).where(Flag.comment_id == attack.id))
    assert list(weights) == [1.33, 1.33, 1.33]


def test_old_accounts_that_never_posted_count_for_nothing(db) -> None:
    comment = make_comment(body=SURVIVOR_POINT)
    lurkers = []
    for _ in range(4):
        lurker = make_user()
        lurker.created_at = utcnow() - timedelta(days=400)
        lurkers.append(lurker)
    db.session.commit()
    for lurker in lurkers:
        moderation.flag_post(comment, actor=lurker, reason="harassment")
    assert comment.status == CommentStatus.PUBLISHED
    assert set(db.session.scalars(select(Flag.uncounted))) == {Uncounted.NO_POSTS}


def test_a_flagger_whose_flags_are_declined_stops_counting(db) -> None:
    serial = _established(db)
    moderator = make_moderator()
    for _ in range(3):
        target = make_comment(body="An ordinary argument about grants.")
        moderation.flag_post(target, actor=serial, reason="ad_hominem")
        moderation.decide(moderation.open_item(target), actor=moderator, decision="dismiss")
    flag = moderation.flag_post(make_comment(), actor=serial, reason="ad_hominem")
    assert flag.weight == 0.4 and flag.uncounted == Uncounted.DECLINED


def test_readers_who_keep_flagging_one_author_together_count_once(client, login_as, db) -> None:
    survivor = _established(db, "plainspoken")
    ring = [_established(db, f"ring{n}") for n in range(3)]
    bystander = _established(db, "bystander")
    # This week the ring flagged four of plainspoken's comments together; moderators left
    # them up, or haven't decided yet.
    for n in range(4):
        earlier = make_comment(author=survivor, body=f"My experience with outreach, part {n}.")
        for member in ring:
            moderation.flag_post(earlier, actor=member, reason="ad_hominem")
    target = make_comment(author=survivor, body=SURVIVOR_POINT)
    for member in ring:
        moderation.flag_post(target, actor=member, reason="ad_hominem")
    assert target.status == CommentStatus.PUBLISHED  # three flags, counted as one
    moderation.flag_post(target, actor=bystander, reason="off_topic")
    assert target.status == CommentStatus.PUBLISHED  # 1 (the ring) + 1 (the bystander) < 3
    together = moderation.flag_coordination(target, [*(m.id for m in ring), bystander.id])
    assert together is not None and together.times == 5 and len(together.together) == 3
    login_as(make_moderator())
    item = moderation.open_item(target)
    page = client.get(f"/mod/queue/{item.id}").get_data(as_text=True)
    assert "3 of these 4 flaggers flagged plainspoken together 5 times this week." in page
    assert "Their flags count as one toward hiding." in page


def test_readers_whose_joint_flags_were_upheld_are_not_suspects(db) -> None:
    """Vigilant readers who keep reporting a real harasser are right, not a ring."""
    harasser = _established(db)
    watchers = [_established(db) for _ in range(3)]
    moderator = make_moderator()
    for n in range(3):
        attack = _attack(f"You people are liars, part {n}.", harasser)
        for watcher in watchers:
            if attack.status == CommentStatus.PUBLISHED:  # until their flags hide it
                moderation.flag_post(attack, actor=watcher, reason="harassment")
        moderation.decide(
            moderation.open_item(attack), actor=moderator, decision="remove", reason="Harassment."
        )
    latest = _attack("You people are liars, and always will be.", harasser)
    moderation.flag_post(latest, actor=watchers[0], reason="harassment")
    moderation.flag_post(latest, actor=watchers[1], reason="harassment")
    # Two readers moderators keep agreeing with hide it at once (1.5 + 1.5).
    assert latest.status == CommentStatus.PENDING
    together = moderation.flag_coordination(latest, [w.id for w in watchers[:2]])
    assert together is not None and together.suspicious == frozenset()


def test_an_opening_post_is_flagged_and_weighed_the_same_way(db) -> None:
    thread = make_thread(title="Why the raids failed", body=SURVIVOR_POINT)
    for _ in range(3):
        moderation.flag_post(thread, actor=make_user(), reason="ad_hominem")
    assert thread.status == CommentStatus.PUBLISHED
