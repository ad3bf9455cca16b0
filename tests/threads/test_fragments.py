"""Comments rendered once (forum.fragments): a thread page reuses what did not change, shows
every change at once, and never hands one reader's links to another."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from flask import g

from forum import templating
from forum.fragments import FragmentCache
from forum.models.base import utcnow
from forum.moderation import service as moderation
from forum.threads import service as threads
from tests.factories import make_comment, make_moderator, make_thread, make_user, sign_in_id


def _fragments(app) -> FragmentCache:
    return app.extensions["forum.fragments"]


def _page(client, thread) -> str:
    response = client.get(f"/threads/{thread.id}/{thread.slug}")
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def test_a_second_view_renders_no_comment_again(app, client, db) -> None:
    thread = make_thread()
    for i in range(30):
        make_comment(thread, body=f"Point {i} about the hotline figures.")
    fragments = _fragments(app)
    first = _page(client, thread)
    assert (fragments.hits, fragments.misses) == (0, 30)
    second = _page(client, thread)
    assert (fragments.hits, fragments.misses) == (30, 30)
    assert first == second


def test_an_edit_a_removal_and_a_deletion_show_at_once(app, client, login_as, db) -> None:
    author = make_user("plainspoken")
    thread = make_thread()
    edited = make_comment(thread, author=author, body="The first wording of my point.")
    removed = threads.reply(
        thread=thread, author=make_user(), body="You people are liars, all of you.", confirmed=True
    )
    deleted = make_comment(thread, author=author, body="A comment I will take back.")
    _page(client, thread)
    threads.edit_comment(edited, actor=author, body="The second wording, with a source.")
    moderation.remove_post(removed, actor=make_moderator(), reason="Personal attack.")
    threads.delete_comment(deleted, actor=author)
    page = _page(client, thread)
    assert "The second wording, with a source." in page
    assert "The first wording" not in page
    assert "You people are liars" not in page
    assert "removed by a moderator: personal attack" in page
    assert "A comment I will take back." not in page and "[deleted]" in page


def test_the_shown_time_moves_on_though_the_comment_did_not(client, db, monkeypatch) -> None:
    thread = make_thread()
    make_comment(thread, body="Posted a moment ago.")
    assert "just now" in _page(client, thread)
    later = utcnow() + timedelta(days=3, minutes=1)
    monkeypatch.setattr(templating, "utcnow", lambda: later)
    page = _page(client, thread)
    assert "3 days ago" in page and "just now" not in page


def test_each_reader_gets_their_own_actions_from_the_shared_fragments(client, login_as, db) -> None:
    author, reader, moderator = make_user("plainspoken"), make_user(), make_moderator()
    thread = make_thread()
    comment = make_comment(thread, author=author, body="Funding follows referrals, not need.")
    edit_link = f'href="/comments/{comment.id}/edit"'
    flag_link = f'href="/comments/{comment.id}/flag"'
    remove_link = f'href="/comments/{comment.id}/remove"'

    anonymous = _page(client, thread)
    assert "Funding follows referrals" in anonymous
    assert not any(link in anonymous for link in (edit_link, flag_link, remove_link))
    login_as(author)
    own = _page(client, thread)
    assert edit_link in own and flag_link not in own and remove_link not in own
    login_as(reader)
    other = _page(client, thread)
    assert flag_link in other and edit_link not in other and remove_link not in other
    login_as(moderator)
    staff = _page(client, thread)
    assert remove_link in staff and edit_link in staff


def test_what_depends_on_the_reader_is_never_shared(client, login_as, db) -> None:
    """A removed comment's author sees their text and the reason; others a placeholder, even
    after the author's view was rendered first."""
    author = make_user("plainspoken")
    thread = make_thread()
    comment = threads.reply(
        thread=thread, author=author, body="Some of you are on a payroll.", confirmed=True
    )
    moderation.remove_post(comment, actor=make_moderator(), reason="Guessing motives.")
    login_as(author)
    assert "Some of you are on a payroll." in _page(client, thread)
    client.post("/logout")
    page = _page(client, thread)
    assert "Some of you are on a payroll." not in page
    assert "Guessing motives" not in page


@pytest.mark.parametrize("config_overrides", [{"FRAGMENT_CACHE_SIZE": 10}])
def test_the_cache_keeps_at_most_its_size(app, client, db, config_overrides) -> None:
    thread = make_thread()
    for i in range(25):
        make_comment(thread, body=f"Point {i}.")
    _page(client, thread)
    _page(client, thread)
    fragments = _fragments(app)
    assert len(fragments._entries) == 10
    # The last ten drawn stay; the second view draws again the fifteen that were let go.
    assert (fragments.hits, fragments.misses) == (10, 40)


def test_signed_in_readers_with_the_same_actions_share_the_rendering(app, client, login_as, db):
    thread = make_thread()
    for i in range(20):
        make_comment(thread, body=f"Point {i} on referral funding.")
    fragments = _fragments(app)
    login_as(make_user())
    first = _page(client, thread)
    assert fragments.misses == 20
    login_as(make_user())
    second = _page(client, thread)
    assert (fragments.hits, fragments.misses) == (20, 20)
    flag = re.compile(r'href="/comments/\d+/flag"')
    assert len(flag.findall(first)) == len(flag.findall(second)) == 20


def _tokens(page: str) -> set[str]:
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', page))


def test_a_form_with_the_readers_token_is_never_shared_even_between_their_sessions(app, db) -> None:
    """Delete is a form carrying the session's CSRF token: two sessions of the same author
    each get their own, and each page holds only one token."""
    author = make_user("plainspoken")
    thread = make_thread()
    make_comment(thread, author=author, body="A point I may take back.")
    pages = []
    for _ in range(2):
        g.pop("csrf_token", None)  # the tests' app context outlives requests: no token kept
        session = app.test_client()
        with session.session_transaction() as s:
            s["_user_id"] = sign_in_id(author)
            s["_fresh"] = True
        page = _page(session, thread)
        assert ">Delete</button>" in page
        pages.append(page)
    first, second = (_tokens(page) for page in pages)
    assert len(first) == len(second) == 1
    assert first != second
