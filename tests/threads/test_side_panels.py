"""The side panels beside the reading column: the home page's active tags and open
questions, a tag's followers and questions, a thread's participants and outline."""

from __future__ import annotations

from forum.extensions import db
from forum.moderation import service as moderation
from forum.subscriptions import service as subscriptions
from forum.tags.service import active_tags, get_tag
from forum.threads import promotion
from forum.threads.promotion import latest_open_questions
from tests.factories import make_comment, make_moderator, make_thread, make_user


def _aside(response) -> str:
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    return html[html.index('<aside class="sidebar"') : html.index("</aside>")]


def test_active_tags_come_from_the_latest_threads_only(app) -> None:
    make_thread(tags=["archive-topic"])
    for _ in range(3):
        make_thread(tags=["funding", "labor-trafficking"])
    make_thread(tags=["funding"])
    assert [(t.slug, n) for t, n in active_tags(recent=3)] == [
        ("funding", 3),
        ("labor-trafficking", 2),
    ]
    assert "archive-topic" in [t.slug for t, _ in active_tags(recent=10)]


def test_open_questions_come_in_one_query_and_leave_once_answered(count_queries) -> None:
    thread = make_thread(tags=["funding"])
    question = make_comment(thread, body="Who audits the shelter grants each year?")
    make_comment(make_thread(tags=["housing"]), body="Where do the beds come from?")
    with count_queries() as counter:
        found = latest_open_questions()
    assert len(counter.statements) == 1
    assert [q.sentence for q in found] == [
        "Where do the beds come from?",
        "Who audits the shelter grants each year?",
    ]
    assert [q.comment_id for q in latest_open_questions(get_tag("funding"))] == [question.id]
    make_comment(thread, parent=question, body="The state board, every spring.")
    assert [q.sentence for q in latest_open_questions()] == ["Where do the beds come from?"]


def test_the_panels_look_at_the_newest_questions_only(app, count_queries, monkeypatch) -> None:
    """A forum whose recent questions are all answered scans a bounded window, not every
    question it ever had: the older open question is out of the panel's sight."""
    monkeypatch.setattr(promotion, "RECENT_QUESTIONS", 3)
    thread = make_thread(tags=["funding"])
    make_comment(thread, body="Is the 2019 audit online anywhere?")  # open, but older
    for n in range(3):
        asked = make_comment(thread, body=f"Which county reported {n} beds?")
        make_comment(thread, parent=asked, body="The state board did.")
    assert latest_open_questions() == []
    assert latest_open_questions(get_tag("funding")) == []
    monkeypatch.setattr(promotion, "RECENT_QUESTIONS", 4)
    assert [q.sentence for q in latest_open_questions()] == ["Is the 2019 audit online anywhere?"]


def test_the_home_panel_lists_active_tags_and_open_questions(client) -> None:
    thread = make_thread(tags=["decriminalization"])
    make_comment(thread, body="Has any city published its arrest data since the change?")
    aside = _aside(client.get("/"))
    assert 'href="/tags/decriminalization"' in aside
    assert "Has any city published its arrest data since the change?" in aside
    assert 'href="/questions"' in aside and 'href="/rules"' in aside


def test_a_tag_panel_counts_followers_but_not_those_who_muted_it(client) -> None:
    make_thread(tags=["funding"])
    tag = get_tag("funding")
    for level in ("new_threads", "weekly", "muted"):
        subscriptions.follow_tag(make_user(), tag, level)
    db.session.commit()
    aside = _aside(client.get("/tags/funding"))
    assert "<strong>2</strong> followers" in aside
    assert 'href="/tags/funding/feed.atom"' in aside


def test_the_thread_panel_names_who_takes_part_and_outlines_the_replies(client) -> None:
    ana, ben, removed = make_user("ana_reads"), make_user("ben_counts"), make_user("gone_author")
    thread = make_thread(ana, title="Counting beds")
    first = make_comment(thread, author=ben, body="The **2019** count missed rural shelters.")
    make_comment(thread, author=ana, parent=first, body="Which ones did it miss?")
    attack = make_comment(thread, author=removed, body="Some text that will be removed.")
    make_comment(thread, author=ana, body="Use `<script>alert(1)</script>` in a test, not here.")
    moderation.remove_post(attack, actor=make_moderator(), reason="Personal attack.")
    aside = _aside(client.get(f"/threads/{thread.id}"))
    assert "In this discussion" in aside
    assert aside.index(">ana_reads</a>") < aside.index(">ben_counts</a>")  # two replies to one
    assert "gone_author" not in aside and "will be removed" not in aside
    assert 'href="#c1"' in aside and "The 2019 count missed rural shelters." in aside
    assert 'href="#c2"' not in aside  # a reply to a reply is not in the outline
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in aside and "<script>alert" not in aside


def test_the_moderators_pages_use_the_whole_width(client, login_as) -> None:
    login_as(make_moderator())
    html = client.get("/mod/queue").get_data(as_text=True)
    assert '<div class="page">' in html and "<aside" not in html
