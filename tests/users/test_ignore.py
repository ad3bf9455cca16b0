"""Ignoring a person: their posts fold away for the reader who ignores them, their replies,
mentions and new threads notify and mail that reader no more, and they are never told."""

from __future__ import annotations

import html

from sqlalchemy import func, select

from forum import outbox
from forum.models import Notification, User, UserIgnore
from forum.moderation import service as moderation
from forum.subscriptions import service as subscriptions
from forum.tags.service import resolve_or_create_tags
from forum.threads import service as threads
from tests.factories import make_comment, make_moderator, make_thread, make_user


def _html(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _notified(db, user) -> int:
    return db.session.scalar(select(func.count()).where(Notification.user_id == user.id)) or 0


def test_ignoring_folds_their_posts_and_silences_them(client, login_as, db) -> None:
    reader = make_user("willow")
    pest = make_user("needler")
    thread = make_thread(reader, title="Who funds outreach vans")
    mine = make_comment(thread, author=reader, body="The county funds two vans.")
    outbox.process_due()
    login_as(reader)
    page = _html(client.post("/users/needler/ignore", follow_redirects=True))
    assert "You now ignore needler" in page and "They are not told." in page
    # Their reply and mention reach the reader no more; nor their new threads in a followed tag.
    subscriptions.follow_tag(reader, resolve_or_create_tags(["funding"])[0], "new_threads")
    before = _notified(db, reader)
    make_comment(thread, author=pest, parent=mine, body="Wrong again, @willow, as usual.")
    make_thread(pest, title="Vans are a waste", tags=["funding"])
    outbox.process_due()
    assert _notified(db, reader) == before
    # Folded on the thread page, with a way to open it.
    page = _html(client.get(f"/threads/{thread.id}"))
    assert "A comment from someone you ignore" in page
    assert '<span class="author">someone you ignore</span>' in page
    # The ignored member is told nothing and sees the thread as before.
    assert (
        db.session.scalars(select(Notification.kind).where(Notification.user_id == pest.id)).all()
        == []
    )
    login_as(pest)
    assert "ignore" not in _html(client.get(f"/threads/{thread.id}")).split("<main")[1].lower()


def test_the_settings_page_lists_whom_you_ignore_and_undoes_it(client, login_as, db) -> None:
    reader = make_user()
    make_user("needler")
    login_as(reader)
    client.post("/users/needler/ignore")
    page = _html(client.get("/settings/ignored"))
    assert "needler" in page and "Stop ignoring" in page
    client.post("/users/needler/unignore", data={"next": "/settings/ignored"})
    assert "You ignore nobody." in _html(client.get("/settings/ignored"))
    assert db.session.scalar(select(func.count()).select_from(UserIgnore)) == 0


def test_you_cannot_ignore_yourself_or_a_moderator(client, login_as, db) -> None:
    reader = make_user("willow")
    make_moderator("dana_k")
    login_as(reader)
    page = _html(client.post("/users/dana_k/ignore", follow_redirects=True))
    assert "Moderators can't be ignored" in page
    page = _html(client.post("/users/willow/ignore", follow_redirects=True))
    assert "You can't ignore yourself." in page
    assert client.post("/users/nobody-here/ignore").status_code == 404
    client.post("/logout")
    assert client.post("/users/dana_k/ignore").status_code == 302  # to the sign-in page
    assert db.session.scalar(select(func.count()).select_from(UserIgnore)) == 0


def test_the_thread_page_stays_constant_with_removed_and_ignored_comments(
    client, login_as, db, count_queries
) -> None:
    reader = make_user()
    pests = [make_user() for _ in range(3)]
    small, big = make_thread(), make_thread()
    for thread, n in ((small, 3), (big, 60)):
        for i in range(n):
            make_comment(thread, author=pests[i % 3], body=f"Point {i} on funding.")
        attack = threads.reply(
            thread=thread, author=make_user(), body="You people are liars.", confirmed=True
        )
        moderation.remove_post(attack, actor=make_moderator(), reason="Personal attack.")
    for pest in pests:
        subscriptions.ignore_user(reader, pest)
    reader_id = reader.id
    counts = []
    for thread_id in (small.id, big.id):
        db.session.remove()
        login_as(db.session.get(User, reader_id))
        db.session.remove()
        with count_queries() as counter:
            page = client.get(f"/threads/{thread_id}")
        assert page.status_code == 200
        assert "removed by a moderator: personal attack" in _html(page)
        counts.append(counter.count)
    # Nine on a first view: one of them asks whether the reader has a comment of their own
    # held or removed there, which lets the next view take the comments kept for everyone.
    assert counts[0] == counts[1] <= 9


def test_a_signed_in_page_reads_ignores_and_unread_count_with_the_sign_in(
    client, login_as, db, count_queries
) -> None:
    """Whom the reader ignores and how many notifications wait are read by the sign-in's
    select, not by selects of their own on every page; a change shows on the next page."""
    reader, pest = make_user("willow"), make_user("needler")
    thread = make_thread(reader, title="Who funds outreach vans")
    mine = make_comment(thread, author=reader, body="The county funds two vans.")
    make_comment(thread, author=make_user(), parent=mine, body="Which county, though?")  # 1
    make_comment(thread, author=pest, body="Vans are a waste of money.")  # 2, in her thread
    outbox.process_due()
    subscriptions.ignore_user(reader, pest)
    login_as(reader)
    path = f"/threads/{thread.id}"
    db.session.remove()
    with count_queries() as counter:
        page = _html(client.get(path))
    assert "A comment from someone you ignore" in page
    assert '<span class="badge-count">2<span class="visually-hidden"> unread' in page
    own = [s for s in counter.statements if "user_sessions" not in s]
    assert not any("FROM user_ignores" in s or "FROM notifications" in s for s in own), own
    client.post("/users/needler/unignore")
    client.post("/notifications/read")
    page = _html(client.get(path))
    assert "A comment from someone you ignore" not in page and "Vans are a waste" in page
    assert "badge-count" not in page
