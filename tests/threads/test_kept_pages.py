"""Comment pages kept by each worker under the thread's version (threads.service.comment_page):
signed-in readers who see the public page share one read of it, every change shows at once,
and what only some readers see (their own held comment, whom they ignore) is never shared."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import text

from forum.cache import bump_thread
from forum.models import CommentStatus
from forum.moderation import service as moderation
from forum.subscriptions.service import ignore_user
from forum.threads import service as threads
from tests.factories import make_comment, make_moderator, make_thread, make_user


def _page(client, thread) -> str:
    response = client.get(f"/threads/{thread.id}/{thread.slug}")
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def _comment_reads(statements: list[str]) -> int:
    """The thread page's select of its comments' rows."""
    return sum("comments.body_html" in s and "users.username" in s for s in statements)


def test_signed_in_readers_share_one_read_of_an_unchanged_thread(
    client, login_as, db, count_queries
) -> None:
    thread = make_thread()
    for i in range(5):
        make_comment(thread, body=f"Point {i} on how outreach is funded.")
    login_as(make_user())
    with count_queries() as first:
        _page(client, thread)
    login_as(make_user())
    with count_queries() as second:
        page = _page(client, thread)
    assert _comment_reads(first.statements) == 1
    assert _comment_reads(second.statements) == 0
    assert all(f"Point {i} on how outreach is funded." in page for i in range(5))


def test_every_change_shows_at_once_to_a_signed_in_reader(client, login_as, db) -> None:
    author = make_user("plainspoken")
    thread = make_thread()
    edited = make_comment(thread, author=author, body="The first wording of my point.")
    removed = make_comment(thread, body="A comment a moderator will take down.")
    login_as(make_user())
    _page(client, thread)
    threads.edit_comment(edited, actor=author, body="The second wording, with a source.")
    moderation.remove_post(removed, actor=make_moderator(), reason="Personal attack.")
    make_comment(thread, body="A new reply about the shelter's waiting list.")
    page = _page(client, thread)
    assert "The second wording, with a source." in page and "The first wording" not in page
    assert "A comment a moderator will take down." not in page
    assert "A new reply about the shelter's waiting list." in page


def test_a_members_held_comment_is_shown_to_them_and_moderators_only(client, login_as, db) -> None:
    author, reader = make_user("plainspoken"), make_user()
    thread = make_thread()
    make_comment(thread, body="A published point about the hotline.")
    held = make_comment(thread, author=author, body="My held point about referral fees.")
    held.status = CommentStatus.PENDING
    db.session.commit()
    bump_thread(thread.id)
    for person, sees in (
        (reader, False),
        (author, True),
        (make_moderator(), True),
        (reader, False),
    ):
        login_as(person)
        page = _page(client, thread)
        assert "A published point about the hotline." in page
        assert ("My held point about referral fees." in page) is sees, person.username


def test_people_a_reader_ignores_are_folded_for_that_reader_only(client, login_as, db) -> None:
    loud, reader, other = make_user("loudvoice"), make_user(), make_user()
    thread = make_thread()
    make_comment(thread, author=loud, body="The loud take on the raids.")
    ignore_user(reader, loud)
    for person, folded in ((other, False), (reader, True), (other, False)):
        login_as(person)
        page = _page(client, thread)
        assert ("A comment from someone you ignore" in page) is folded


# Without a page cache (NullCache) as with one: the version is the database's.
BOTH = pytest.mark.parametrize("config_overrides", [{}, {"CACHE_TYPE": "NullCache"}])


@BOTH
def test_readers_share_one_read_without_a_page_cache_too(
    client, login_as, db, count_queries, config_overrides
) -> None:
    thread = make_thread()
    make_comment(thread, body="A point on the shelter's intake rules.")
    reads = []
    for person in (None, make_user(), make_user()):
        if person is not None:
            login_as(person)
        with count_queries() as view:
            assert "A point on the shelter's intake rules." in _page(client, thread)
        reads.append(_comment_reads(view.statements))
    assert reads == [1, 0, 0]


@BOTH
def test_a_change_made_in_the_database_by_any_path_shows_on_the_next_view(
    client, login_as, db, config_overrides
) -> None:
    """No service call and no cache bump: the database's triggers move the version, so a
    script, a migration or another host's worker can't leave a stale page behind."""
    thread, other = make_thread(), make_thread()
    kept = make_comment(thread, body="The wording readers saw first.")
    moved = make_comment(thread, body="A reply that belongs in the other thread.")
    gone = make_comment(thread, body="A reply an operator deletes by hand.")
    login_as(make_user())
    assert "The wording readers saw first." in _page(client, thread)
    assert "A reply that belongs" not in _page(client, other)
    statements = [
        ("UPDATE comments SET body_html = '<p>Changed by hand.</p>' WHERE id = :id", kept.id),
        ("UPDATE comments SET thread_id = :other, number = 99 WHERE id = :id", moved.id),
        ("DELETE FROM comments WHERE id = :id", gone.id),
    ]
    for sql, comment_id in statements:
        db.session.execute(text(sql), {"id": comment_id, "other": other.id})
    db.session.commit()
    page = _page(client, thread)
    assert "Changed by hand." in page and "The wording readers saw first." not in page
    assert "A reply that belongs" not in page and "deletes by hand" not in page
    assert "A reply that belongs in the other thread." in _page(client, other)


@BOTH
def test_a_renamed_author_shows_under_the_new_name_at_once(
    client, login_as, db, config_overrides
) -> None:
    author = make_user("oldhandle")
    thread = make_thread()
    make_comment(thread, author=author, body="My point about the audit.")
    login_as(make_user())
    assert "oldhandle" in _page(client, thread)
    db.session.execute(
        text("UPDATE users SET username = 'newhandle' WHERE id = :id"), {"id": author.id}
    )
    db.session.commit()
    page = _page(client, thread)
    assert "newhandle" in page and "oldhandle" not in page


def test_retagging_a_thread_gives_its_comments_the_new_tags(client, db) -> None:
    """Each comment carries its thread's tags (moderators' scopes are checked against them),
    and retagging changes no comment row: the tags are part of what a page is kept under."""
    thread = make_thread(tags=("funding",))
    make_comment(thread)
    first = threads.comment_page(thread, viewer=None, max_indent=6, size=200)
    threads.retag(thread, actor=make_moderator(), tags="labor-trafficking")
    db.session.expire_all()
    thread = threads.get_thread(thread.id)
    again = threads.comment_page(thread, viewer=None, max_indent=6, size=200)
    assert first.comments[0].tag_ids != again.comments[0].tag_ids == tuple(thread.tag_ids)
