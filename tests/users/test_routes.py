"""Public profiles: what anyone may see of a person, and what they may not."""

from __future__ import annotations

import pytest

from forum.models import CommentStatus
from forum.threads import service
from forum.users.rules import identicon_svg
from tests.factories import make_comment, make_moderator, make_thread, make_user
from tests.markup import without_site_script


def _html(response) -> str:
    return response.get_data(as_text=True)


def test_profile_lists_the_persons_threads_and_comments(client) -> None:
    willow = make_user("willow", email="willow@example.org")
    thread = make_thread(willow, title="Willow's thread")
    other = make_thread(title="Someone else's thread")
    comment = make_comment(other, author=willow)

    html = _html(client.get("/users/willow"))

    assert f'<h1 class="profile-name">{identicon_svg(willow.id)}willow</h1>' in html
    assert "Willow&#39;s thread" in html
    assert f'href="/threads/{thread.id}/{thread.slug}"' in html
    assert f'<a href="/comments/{comment.id}">#1 in Someone else&#39;s thread</a>' in html
    assert "willow@example.org" not in html  # email is never shown


def test_profile_lookup_ignores_case(client) -> None:
    willow = make_user("Willow")
    heading = f'<h1 class="profile-name">{identicon_svg(willow.id)}Willow</h1>'
    assert heading in _html(client.get("/users/wILLOW"))


def test_profile_shows_the_role_of_staff_only(client) -> None:
    make_moderator("keeper")
    make_user("plain")
    assert "· moderator" in _html(client.get("/users/keeper"))
    assert "· member" not in _html(client.get("/users/plain"))


def test_profile_of_a_new_member_says_there_is_nothing_yet(client) -> None:
    make_user("quiet")
    html = _html(client.get("/users/quiet"))
    assert "No threads yet." in html and "No comments yet." in html


def test_deleted_and_held_comments_are_not_listed_for_others(client, login_as, db) -> None:
    author = make_user("hedge")
    thread = make_thread(title="Public thread")
    deleted = make_comment(thread, author=author)
    service.delete_comment(deleted, actor=author)
    held = make_comment(thread, author=author)
    held.status = CommentStatus.PENDING
    db.session.commit()

    html = _html(client.get("/users/hedge"))
    assert "No comments yet." in html
    assert f"/comments/{held.id}" not in html

    login_as(author)  # the author sees their own held comment, marked as such
    html = _html(client.get("/users/hedge"))
    assert f"/comments/{held.id}" in html
    assert "pending review" in html
    assert f"/comments/{deleted.id}" not in html


@pytest.mark.parametrize("name", ["nobody", "%3Cscript%3E", "a" * 100])
def test_unknown_profile_is_a_404_page_with_the_name_escaped(client, name) -> None:
    response = client.get(f"/users/{name}")
    assert response.status_code == 404
    html = _html(response)
    assert '<nav class="site-nav"' in html
    assert "<script" not in without_site_script(html)


def test_hostile_thread_titles_on_a_profile_are_escaped(client) -> None:
    author = make_user("plainname")
    make_thread(author, title="<script>alert(1)</script>")
    html = _html(client.get("/users/plainname"))
    assert "<script" not in without_site_script(html)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
