"""Threads under the same moderation as replies: an accusation as a new thread is nudged,
held and invisible until approved; threads are edited (re-screened, with a history), deleted,
removed, locked, pinned and re-tagged, and every moderator action is logged."""

from __future__ import annotations

import re
from datetime import timedelta

import feedparser
import pytest
from sqlalchemy import func, select

from forum import outbox
from forum.errors import ConflictError, PermissionDeniedError
from forum.models import (
    Comment,
    CommentStatus,
    ModerationAction,
    Notification,
    OutboxEvent,
    QueueItem,
    Thread,
    ThreadRevision,
)
from forum.models.base import utcnow
from forum.moderation import service as moderation
from forum.moderation import thread_actions
from forum.subscriptions import service as subscriptions
from forum.tags.service import resolve_or_create_tags
from forum.threads import service as threads
from tests.factories import make_admin, make_comment, make_moderator, make_thread, make_user

ACCUSATION_TITLE = "Are some of you pimps?"
ACCUSATION_BODY = "What is your real motivation, you liars? Some of you profit from the trade."


def _html(response) -> str:
    return response.get_data(as_text=True)


def _actions(db) -> list[str]:
    return list(db.session.scalars(select(ModerationAction.action).order_by(ModerationAction.id)))


def _new_thread(client, **extra: str):
    data = {"title": ACCUSATION_TITLE, "body": ACCUSATION_BODY, "tags": "decriminalization"}
    return client.post("/threads/new", data={**data, **extra})


# --------------------------------------------------------------------------- screening


def test_an_accusation_as_a_new_thread_brings_the_nudge_and_writes_nothing(
    client, login_as, db
) -> None:
    login_as(make_user())
    response = _new_thread(client)
    assert response.status_code == 422
    html = _html(response)
    # The title and the post come back, each with what matched marked, and "Post anyway".
    assert re.search(
        r'class="nudge-text nudge-title"><mark[^>]*>Are some of you pimps</mark>', html
    )
    assert "<mark" in html.split('class="nudge-text nudge-title"')[1].split("</section>")[0]
    assert 'name="confirm" value="1"' in html and ACCUSATION_BODY.split(",")[0] in html
    assert db.session.scalar(select(func.count(Thread.id))) == 0
    assert db.session.scalar(select(func.count(OutboxEvent.id))) == 0


def test_posted_anyway_it_is_held_and_nobody_else_can_find_it(client, login_as, db) -> None:
    follower = make_user()
    author = make_user()
    subscriptions.follow_tag(
        follower, resolve_or_create_tags(["decriminalization"])[0], "new_threads"
    )
    login_as(author)
    response = _new_thread(client, confirm="1", nudged="1")
    assert response.status_code == 302
    thread = db.session.scalar(select(Thread))
    assert thread.status == CommentStatus.PENDING and thread.published_at is None
    page = _html(client.get(response.location, follow_redirects=True))
    assert "Your thread is waiting for a moderator" in page
    assert "only you and moderators can see this thread" in page
    # The author is told; the queue has it with the rules' matches; nothing was announced.
    assert db.session.scalar(select(Notification.kind).where(Notification.user_id == author.id))
    item = db.session.scalar(select(QueueItem))
    assert item.comment_id is None and item.thread_id == thread.id
    assert {m["rule_id"] for m in item.matches} >= {"accuse.role", "motive.agenda"}
    assert outbox.process_due() == 0
    assert db.session.scalar(select(func.count()).where(Notification.user_id == follower.id)) == 0

    login_as(make_user())
    assert client.get(f"/threads/{thread.id}").status_code == 404
    assert "pimps" not in _html(client.get("/"))
    assert "pimps" not in _html(client.get("/tags/decriminalization"))
    assert f"/threads/{thread.id}" not in _html(client.get("/search?q=pimps"))
    feed = feedparser.parse(client.get("/tags/decriminalization/feed.atom").data)
    assert feed.entries == []
    assert client.get(f"/threads/{thread.id}/feed.atom").status_code == 404
    assert client.get(f"/api/v1/threads/{thread.id}").status_code == 404
    assert client.get("/api/v1/threads").get_json()["threads"] == []
    assert client.get(f"/threads/{thread.id}/reply").status_code == 404


def test_the_api_holds_the_same_thread_with_a_202_naming_the_matches(client, db) -> None:
    from forum.auth.service import create_token

    token = create_token(make_user(), "test")
    response = client.post(
        "/api/v1/threads",
        json={"title": ACCUSATION_TITLE, "body": ACCUSATION_BODY, "tags": ["decriminalization"]},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 202
    data = response.get_json()
    assert data["status"] == "pending_review"
    assert {m["rule_id"] for m in data["matches"]} >= {"accuse.role", "motive.agenda"}
    start = next(m["start"] for m in data["matches"] if m["rule_id"] == "accuse.role")
    assert ACCUSATION_TITLE[start:].startswith("Are some of you pimps")
    assert client.get(f"/api/v1/threads/{data['id']}").status_code == 404  # anonymous


def test_approval_announces_the_thread_as_if_just_posted(client, login_as, db) -> None:
    follower = make_user()
    subscriptions.follow_tag(follower, resolve_or_create_tags(["housing"])[0], "new_threads")
    thread = threads.create_thread(
        author=make_user(),
        title="Are some of you pimps?",
        body="Answer me.",
        tags="housing",
        confirmed=True,
    )
    (item,) = moderation.open_queue(make_moderator())
    moderation.decide(item, actor=make_moderator(), decision="approve")
    assert thread.status == CommentStatus.PUBLISHED and thread.published_at is not None
    outbox.process_due()
    kinds = db.session.scalars(select(Notification.kind).where(Notification.user_id == follower.id))
    assert list(kinds) == ["new_thread"]
    assert "Are some of you pimps" in _html(client.get("/"))


def test_a_new_accounts_first_threads_wait_like_their_first_comments(app, db) -> None:
    newcomer = make_user()
    first = threads.create_thread(
        author=newcomer,
        title="Shelter beds",
        body="Who funds them?",
        tags="funding",
        new_user_review=2,
    )
    assert first.status == CommentStatus.PENDING
    assert db.session.scalar(select(QueueItem.source)) == "new_user"
    assert "new_user_hold" in _actions(db)
    moderation.decide(
        moderation.open_queue(make_moderator())[0], actor=make_moderator(), decision="approve"
    )
    veteran = make_user()
    for n in range(2):
        make_comment(author=veteran, body=f"A point about the evidence, {n}.")
    settled = threads.create_thread(
        author=veteran, title="Outreach", body="A plan.", tags="funding", new_user_review=2
    )
    assert settled.status == CommentStatus.PUBLISHED


def test_a_clean_thread_is_published_at_once_and_announced(db) -> None:
    thread = make_thread(title="Funding survivor services", body="The 2025 report says...")
    assert thread.status == CommentStatus.PUBLISHED and thread.published_at is not None
    assert db.session.scalar(select(OutboxEvent.kind)) == "thread.created"
    assert db.session.scalar(select(func.count(QueueItem.id))) == 0


# --------------------------------------------------------------------------- edits and history


def test_the_author_edits_title_body_and_tags_and_anyone_reads_the_diff(
    client, login_as, db
) -> None:
    author = make_user("janfray")
    thread = make_thread(
        author, title="Shelter beds", body="The council pays for beds.", tags=["housing"]
    )
    login_as(author)
    form = _html(client.get(f"/threads/{thread.id}/edit"))
    assert "Shelter beds" in form and "The council pays for beds." in form
    response = client.post(
        f"/threads/{thread.id}/edit",
        data={
            "title": "Shelter beds in winter",
            "body": "The county pays for most beds.",
            "tags": "housing, funding",
        },
    )
    assert response.status_code == 302
    db.session.refresh(thread)
    assert thread.title == "Shelter beds in winter" and thread.edited_at is not None
    assert [t.slug for t in thread.tags] == ["funding", "housing"]
    (revision,) = db.session.scalars(select(ThreadRevision))
    assert (revision.title, revision.tags, revision.editor_id) == (
        "Shelter beds",
        ["housing"],
        author.id,
    )
    client.post("/logout")
    history = _html(client.get(f"/threads/{thread.id}/history"))
    assert "2 versions" in history and "edited by" in history and "janfray" in history
    assert "<del>council</del><ins>county</ins>" in history
    assert "<ins> in winter</ins>" in history
    assert "<ins>funding</ins>" in history


def test_an_edit_into_an_accusation_is_nudged_then_held(client, login_as, db) -> None:
    author = make_user()
    thread = make_thread(author, title="Shelter beds", body="Who pays?", tags=["housing"])
    login_as(author)
    data = {"title": ACCUSATION_TITLE, "body": ACCUSATION_BODY, "tags": "housing"}
    nudged = client.post(f"/threads/{thread.id}/edit", data=data)
    assert nudged.status_code == 422 and "Save anyway" in _html(nudged)
    db.session.refresh(thread)
    assert thread.title == "Shelter beds"
    client.post(f"/threads/{thread.id}/edit", data={**data, "confirm": "1", "nudged": "1"})
    db.session.refresh(thread)
    assert thread.status == CommentStatus.PENDING
    assert moderation.open_item(thread) is not None
    client.post("/logout")
    assert client.get(f"/threads/{thread.id}").status_code == 404


def test_a_clean_comment_edited_into_an_attack_is_queued_or_held(client, login_as, db) -> None:
    """Hardening round two, item 2: the edit's assessment is no longer ignored."""
    author = make_user()
    comment = make_comment(author=author, body="The 2025 figures look inflated to me.")
    login_as(author)
    attack = "Are some of you traffickers yourselves? What is your real motivation?"
    nudged = client.post(f"/comments/{comment.id}/edit", data={"body": attack})
    assert nudged.status_code == 422 and "<mark" in _html(nudged)
    db.session.refresh(comment)
    assert comment.body_src.startswith("The 2025")
    client.post(f"/comments/{comment.id}/edit", data={"body": attack, "confirm": "1"})
    db.session.refresh(comment)
    assert comment.status == CommentStatus.PENDING and comment.thread.comment_count == 0
    item = moderation.open_item(comment)
    assert item is not None and item.matches
    # A moderator's edit of someone else's comment is not screened: they are the reviewers.
    other = make_comment(body="A fair point about method.")
    threads.edit_comment(other, actor=make_moderator(), body=attack)
    assert other.status == CommentStatus.PUBLISHED


def test_histories_are_bounded_and_private_where_the_post_is(client, login_as, db) -> None:
    author = make_user()
    comment = make_comment(author=author, body="Version 0.")
    for n in range(1, 26):
        threads.edit_comment(comment, actor=author, body=f"Version {n}.")
    page = _html(client.get(f"/comments/{comment.id}/history"))
    assert "26 versions" in page and "6 older versions not shown" in page
    assert page.count('class="version"') == 20
    threads.delete_comment(comment, actor=author)
    # A deleted post's earlier texts are for moderators only.
    assert client.get(f"/comments/{comment.id}/history").status_code == 404
    login_as(make_moderator())
    assert "Version 25." in _html(client.get(f"/comments/{comment.id}/history"))
    assert client.get("/comments/999999/history").status_code == 404


def test_deleting_a_thread_keeps_its_replies_under_deleted(client, login_as, db) -> None:
    author = make_user("quillfeather")
    thread = make_thread(author, title="Raids and services", body="My opening words.")
    make_comment(thread, body="A reply that stays readable.")
    lonely = make_thread(author, title="Nobody answered", body="Alone.")
    login_as(author)
    assert client.post(f"/threads/{thread.id}/delete").status_code == 302
    client.post(f"/threads/{lonely.id}/delete")
    client.post("/logout")
    page = _html(client.get(f"/threads/{thread.id}"))
    assert "[deleted]" in page and "A reply that stays readable." in page
    assert "My opening words." not in page and "quillfeather" not in page
    home = _html(client.get("/"))
    assert "Raids and services" in home and "Nobody answered" not in home
    login_as(make_user())
    assert client.post(f"/threads/{thread.id}/delete").status_code == 403


# --------------------------------------------------------------------------- moderators


def test_a_moderator_removes_a_thread_with_a_reason_the_author_sees(client, login_as, db) -> None:
    author = make_user()
    thread = make_thread(author, title="Spam and links", tags=["housing"])
    moderator = make_moderator()
    login_as(moderator)
    refused = client.post(f"/threads/{thread.id}/remove", data={"reason": ""})
    assert refused.status_code == 303
    db.session.refresh(thread)
    assert thread.status == CommentStatus.PUBLISHED
    client.post(f"/threads/{thread.id}/remove", data={"reason": "Advertising.", "category": "spam"})
    db.session.refresh(thread)
    assert (thread.status, thread.removal_category) == (CommentStatus.REMOVED, "spam")
    login_as(author)
    page = _html(client.get(f"/threads/{thread.id}"))
    assert "Removed by a moderator: Advertising." in page and "Appeal this removal" in page
    notice = db.session.scalar(select(Notification).where(Notification.user_id == author.id))
    assert notice.kind == "comment_removed" and notice.comment_id is None
    assert "A moderator removed your thread" in _html(client.get("/notifications"))
    client.post(f"/threads/{thread.id}/appeal", data={"reason": "It was a shelter's own page."})
    assert db.session.scalar(select(QueueItem.source).where(QueueItem.state == "open")) == "appeal"
    login_as(make_user())
    assert client.get(f"/threads/{thread.id}").status_code == 404
    assert client.post(f"/threads/{thread.id}/remove", data={"reason": "x"}).status_code == 403
    assert _actions(db) == ["remove", "appeal"]


def test_a_locked_thread_takes_no_replies_but_a_moderators(client, login_as, db) -> None:
    thread = make_thread(tags=["housing"])
    moderator = make_moderator()
    login_as(moderator)
    assert client.post(f"/threads/{thread.id}/lock", data={"reason": ""}).status_code == 303
    client.post(f"/threads/{thread.id}/lock", data={"reason": "It went round in circles."})
    member = make_user()
    login_as(member)
    page = _html(client.get(f"/threads/{thread.id}"))
    assert "Locked by a moderator:</strong> It went round in circles." in page
    assert "This thread is locked: no new replies." in page
    response = client.post(f"/threads/{thread.id}/comments", data={"body": "One more thing."})
    assert response.status_code == 403 and "locked" in _html(response)
    assert client.get(f"/threads/{thread.id}/reply").status_code == 403
    login_as(moderator)
    client.post(f"/threads/{thread.id}/comments", data={"body": "Closing note from us."})
    client.post(f"/threads/{thread.id}/unlock")
    login_as(member)
    assert (
        client.post(f"/threads/{thread.id}/comments", data={"body": "Thanks."}).status_code == 302
    )
    assert _actions(db) == ["lock", "unlock"]


def test_pinned_threads_come_first_once_until_their_date(client, login_as, app, db) -> None:
    older = make_thread(title="Hotlines and shelters", tags=["housing"])
    make_thread(title="Newer chatter", tags=["housing"])
    moderator = make_moderator()
    thread_actions.pin_thread(older, actor=moderator, days=7)
    page = _html(client.get("/tags/housing"))
    assert page.index("Hotlines and shelters") < page.index("Newer chatter")
    assert page.count("Hotlines and shelters") == 1 and "Pinned</span>" in page
    home = _html(client.get("/"))
    assert home.index("Newer chatter") < home.index("Hotlines and shelters")  # not site-wide
    with pytest.raises(PermissionDeniedError):
        thread_actions.pin_thread(older, actor=moderator, days=7, site_wide=True)
    thread_actions.unpin_thread(older, actor=moderator)
    thread_actions.pin_thread(older, actor=make_admin(), days=7, site_wide=True)
    home = _html(client.get("/"))
    assert home.index("Hotlines and shelters") < home.index("Newer chatter")
    later = utcnow() + timedelta(days=8)
    pinned, _ = threads.pinned_first(threads.latest_threads(), tag=None, now=later)
    assert pinned == []
    login_as(moderator)
    bad = client.post(f"/threads/{older.id}/pin", data={"days": "forever"})
    assert bad.status_code == 303


def test_a_moderator_moving_tags_is_logged(client, login_as, db) -> None:
    thread = make_thread(tags=["housing"])
    login_as(make_moderator())
    client.post(f"/threads/{thread.id}/tags", data={"tags": "funding"})
    row = db.session.scalar(select(ModerationAction).where(ModerationAction.action == "retag"))
    assert row.details == {"from": ["housing"], "to": ["funding"]}


def test_readers_flag_an_opening_post_and_enough_trusted_flags_hide_it(
    client, login_as, db
) -> None:
    thread = make_thread(title="A thread its readers object to", tags=["housing"])
    readers = [make_user() for _ in range(3)]
    login_as(readers[0])
    page = _html(client.get(f"/threads/{thread.id}/flag"))
    assert "Flag the thread" in page
    assert client.post(f"/threads/{thread.id}/flag", data={}).status_code == 422
    client.post(f"/threads/{thread.id}/flag", data={"reason": "ad_hominem"})
    assert client.post(f"/threads/{thread.id}/flag", data={"reason": "spam"}).status_code == 409
    for reader in readers[1:]:
        moderation.flag_post(thread, actor=reader, reason="ad_hominem")
    db.session.refresh(thread)
    assert thread.status == CommentStatus.PENDING
    login_as(thread.author)
    assert client.get(f"/threads/{thread.id}/flag").status_code == 404  # hidden, and own


def test_every_moderator_action_on_a_thread_is_logged_with_its_target(db) -> None:
    thread = make_thread(tags=["housing"])
    moderator = make_moderator()
    thread_actions.lock_thread(thread, actor=moderator, reason="Cooling off.")
    thread_actions.pin_thread(thread, actor=moderator, days=None)
    moderation.remove_post(thread, actor=moderator, reason="Off topic.")
    moderation.restore_post(thread, actor=moderator)
    rows = db.session.execute(
        select(ModerationAction.action, ModerationAction.target_type, ModerationAction.actor_id)
    ).all()
    assert rows == [
        ("lock", "thread", moderator.id),
        ("pin", "thread", moderator.id),
        ("remove", "thread", moderator.id),
        ("restore", "thread", moderator.id),
    ]
    assert moderation.remove_post(thread, actor=moderator, reason="Again.").status == "removed"
    with pytest.raises(ConflictError):
        moderation.remove_post(thread, actor=moderator, reason="Once more.")


def test_replies_to_comments_in_a_removed_thread_tell_nobody(db) -> None:
    thread = make_thread()
    parent = make_comment(thread)
    moderation.remove_post(thread, actor=make_moderator(), reason="Off topic.")
    db.session.query(Notification).delete()
    db.session.commit()
    comment = db.session.scalar(select(Comment).where(Comment.id == parent.id))
    subscriptions.comment_published(comment)
    assert db.session.scalar(select(func.count(Notification.id))) == 0
