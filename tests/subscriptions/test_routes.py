"""The notifications page and the unread badge."""

from __future__ import annotations

from tests.factories import make_comment, make_thread, make_user


def test_the_header_counts_unread_and_the_page_lists_them(client, login_as) -> None:
    thread = make_thread()
    parent = make_comment(thread)
    replier = make_user("cezraa")
    make_comment(thread, parent=parent, author=replier)
    login_as(parent.author)
    html = client.get("/").get_data(as_text=True)
    assert '<span class="badge-count">1<span class="visually-hidden"> unread' in html
    page = client.get("/notifications").get_data(as_text=True)
    assert "<strong>cezraa</strong> replied to your comment" in page
    assert thread.title in page


def test_opening_one_marks_it_read_and_goes_to_the_comment(client, login_as, db) -> None:
    from forum.models import Notification

    thread = make_thread()
    parent = make_comment(thread)
    reply = make_comment(thread, parent=parent)
    login_as(parent.author)
    note = db.session.query(Notification).filter_by(user_id=parent.author_id).one()
    target = f"/threads/{thread.id}/{thread.slug}#c{reply.number}"
    response = client.post("/notifications/read", data={"id": note.id, "go": target})
    assert response.status_code == 302 and response.location.endswith(target)
    db.session.refresh(note)
    assert note.read_at is not None


def test_mark_read_never_redirects_off_site(client, login_as) -> None:
    login_as(make_user())
    response = client.post("/notifications/read", data={"go": "//evil.example/x"})
    assert response.location.endswith("/notifications")


def test_hostile_moderator_notes_are_escaped(client, login_as) -> None:
    from forum.moderation import service as moderation
    from tests.factories import make_moderator

    user = make_user()
    moderation.warn_user(user, actor=make_moderator(), reason="<script>alert(1)</script>")
    login_as(user)
    html = client.get("/notifications").get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_anonymous_readers_are_sent_to_sign_in(client) -> None:
    response = client.get("/notifications")
    assert response.status_code == 302 and "/login" in response.location
    assert client.post("/notifications/read").status_code == 302


def test_an_empty_list_says_what_will_appear(client, login_as) -> None:
    login_as(make_user())
    html = client.get("/notifications?page=x").get_data(as_text=True)
    assert "Nothing yet." in html
