"""Webmention end to end: a second local HTTP server plays the blog; the endpoint answers at
once, the worker's job verifies, a moderator approves, and the thread page shows the link."""

from __future__ import annotations

import re
import threading
import time
from typing import Any

import pytest
from sqlalchemy import select

from forum import outbox
from forum.auth.service import create_token
from forum.extensions import db
from forum.models import (
    CommentStatus,
    MentionStatus,
    ModerationAction,
    QueueItem,
    QueueSource,
    QueueState,
    Thread,
    Webmention,
)
from forum.models.base import utcnow
from forum.moderation.transparency import moderation_report
from forum.webmention.service import VERIFY
from tests.factories import make_comment, make_moderator, make_thread, sign_in_id
from tests.webmention.blog import Blog, Page, post_html


@pytest.fixture
def config_overrides() -> dict[str, Any]:
    # The blog runs on 127.0.0.1; tests that need the address check turn this off. The
    # deadline is generous (a loaded CI host can be slow to answer); timing tests set theirs.
    return {"WEBMENTION_ALLOW_PRIVATE": True, "WEBMENTION_TIMEOUT": 10.0}


def _thread_url(thread: Thread) -> str:
    return f"http://localhost/threads/{thread.id}/{thread.slug}"


def _send(client, source: str, target: str):  # noqa: ANN001, ANN202
    return client.post("/webmention", data={"source": source, "target": target})


def _mentions() -> list[Webmention]:
    db.session.expire_all()
    return list(db.session.scalars(select(Webmention).order_by(Webmention.id)))


def _open_items() -> list[QueueItem]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(QueueItem).where(
                QueueItem.source == QueueSource.WEBMENTION, QueueItem.state == QueueState.OPEN
            )
        )
    )


def _page(app, thread: Thread) -> str:  # noqa: ANN001
    """The thread page as an anonymous reader gets it (the page cache included)."""
    response = app.test_client().get(f"/threads/{thread.id}/{thread.slug}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _decide(app, moderator, item: QueueItem, decision: str) -> None:  # noqa: ANN001
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = sign_in_id(moderator)
    response = client.post(f"/mod/queue/{item.id}", data={"decision": decision})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def _mention_from(app, blog: Blog, thread: Thread, path: str = "/post", **html: Any) -> Webmention:
    """The blog publishes a post linking to ``thread`` and sends the webmention; the worker
    verifies it."""
    blog.pages[path] = Page(post_html(link=_thread_url(thread), **html))
    assert _send(app.test_client(), blog.url(path), _thread_url(thread)).status_code == 202
    outbox.drain()
    (mention,) = [m for m in _mentions() if m.source == blog.url(path)]
    return mention


# --- discovery ---------------------------------------------------------------------------------


def test_thread_pages_advertise_the_endpoint(app, client) -> None:
    thread = make_thread()
    for _ in range(2):  # rendered, then from the page cache: the header is on both
        response = client.get(f"/threads/{thread.id}/{thread.slug}")
        assert response.headers["Link"] == '<http://localhost/webmention>; rel="webmention"'
        html = response.get_data(as_text=True)
        assert '<link rel="webmention" href="/webmention">' in html


# --- the whole story ---------------------------------------------------------------------------


def test_a_pingback_from_the_blog_appears_after_approval(app, client, blog) -> None:
    thread = make_thread(title="Who pays for shelter beds")
    moderator = make_moderator()
    blog.pages["/2026/beds"] = Page(post_html(link=_thread_url(thread)))

    response = _send(client, blog.url("/2026/beds"), _thread_url(thread))

    assert response.status_code == 202
    assert "Accepted" in response.get_data(as_text=True)
    assert _mentions() == [] and blog.requests == []  # nothing fetched during the request
    assert "Linked from" not in _page(app, thread)  # and that page is now cached

    outbox.drain()  # the worker's job

    assert blog.requests == ["/2026/beds"]
    (mention,) = _mentions()
    assert mention.status == MentionStatus.PENDING
    assert (mention.title, mention.author, mention.source_host) == (
        "Why the funding debate matters",
        "Ada Blogger",
        "127.0.0.1",
    )
    (item,) = _open_items()
    assert item.mention_id == mention.id and item.thread_id == thread.id
    assert "Linked from" not in _page(app, thread)  # not before a moderator approves

    queue = app.test_client()
    with queue.session_transaction() as session:
        session["_user_id"] = sign_in_id(moderator)
    html = queue.get("/mod/queue").get_data(as_text=True)
    assert "A page on 127.0.0.1" in html and "Why the funding debate matters" in html
    assert "Who pays for shelter beds" in html
    item_page = queue.get(f"/mod/queue/{item.id}").get_data(as_text=True)
    assert "by Ada Blogger" in item_page

    _decide(app, moderator, item, "approve")

    page = _page(app, thread)  # at once: the approval bumped the cached page's version
    expected = (
        f'Linked from: <a href="{blog.url("/2026/beds")}" rel="nofollow ugc noopener">'
        "Why the funding debate matters</a> (127.0.0.1), "
        "A reply to the forum&#39;s thread on funding, from my blog."
    )
    assert expected in page
    db.session.expire_all()
    assert db.session.get(Thread, thread.id).mention_count == 1
    logged = db.session.scalar(
        select(ModerationAction).where(ModerationAction.target_type == "mention")
    )
    assert logged is not None and logged.action == "approve_mention"
    assert logged.actor_id == moderator.id and logged.details["host"] == "127.0.0.1"


def test_a_comment_permalink_is_a_target_of_its_thread(app, client, blog) -> None:
    comment = make_comment()
    target = f"http://localhost/comments/{comment.id}"
    blog.pages["/post"] = Page(post_html(link=target))
    assert _send(client, blog.url("/post"), target).status_code == 202
    outbox.drain()
    (mention,) = _mentions()
    assert mention.thread_id == comment.thread_id and mention.target == target


def test_a_removed_mention_never_shows(app, client, blog) -> None:
    thread = make_thread()
    mention = _mention_from(app, blog, thread)
    _decide(app, make_moderator(), _open_items()[0], "remove")
    assert _mentions()[0].status == MentionStatus.REJECTED
    assert "Linked from" not in _page(app, thread)
    # Sent again unchanged, it stays removed: nothing new for the moderators.
    assert _send(client, mention.source, mention.target).status_code == 202
    outbox.drain()
    assert _mentions()[0].status == MentionStatus.REJECTED and _open_items() == []


def test_a_post_without_the_link_stores_nothing(app, client, blog) -> None:
    thread = make_thread()
    blog.pages["/post"] = Page(post_html(link="http://localhost/threads/999/other"))
    assert _send(client, blog.url("/post"), _thread_url(thread)).status_code == 202
    outbox.drain()
    assert blog.requests == ["/post"]
    assert _mentions() == [] and _open_items() == []


# --- hostile sources ---------------------------------------------------------------------------


def test_without_allow_private_the_blog_on_loopback_is_never_fetched(app, client, blog) -> None:
    """The setting's default: a source on a private address (or redirecting to one) is
    refused before any connection; nothing is stored."""
    app.config["WEBMENTION_ALLOW_PRIVATE"] = False
    thread = make_thread()
    port = blog.server.server_address[1]
    blog.pages["/post"] = Page(post_html(link=_thread_url(thread)))
    blog.pages["/hop"] = Page(status=302, headers={"Location": f"http://127.0.0.2:{port}/post"})
    for path in ("/post", "/hop"):
        assert _send(client, blog.url(path), _thread_url(thread)).status_code == 202
    outbox.drain()
    assert blog.requests == [] and _mentions() == []


def test_a_50_mb_source_is_dropped_and_stores_nothing(app, client, blog) -> None:
    thread = make_thread()
    body = post_html(link=_thread_url(thread)).replace(b"</body></html>", b"")
    blog.pages["/huge"] = Page(body, stream=50 * 1024 * 1024)
    assert _send(client, blog.url("/huge"), _thread_url(thread)).status_code == 202
    outbox.drain()
    assert _mentions() == []
    assert blog.sent["/huge"] < 20 * 1024 * 1024


def test_a_slow_source_times_out_and_stores_nothing(app, client, blog) -> None:
    app.config["WEBMENTION_TIMEOUT"] = 0.3
    thread = make_thread()
    blog.pages["/slow"] = Page(post_html(link=_thread_url(thread)), delay=30)
    assert _send(client, blog.url("/slow"), _thread_url(thread)).status_code == 202
    started = time.monotonic()
    outbox.drain()
    assert time.monotonic() - started < 3
    assert _mentions() == []


def test_hostile_html_in_the_source_is_shown_as_text(app, client, blog) -> None:
    thread = make_thread()
    moderator = make_moderator()
    mention = _mention_from(
        app,
        blog,
        thread,
        title="<script>alert('title')</script>Big news",
        author="<img src=x onerror=alert(2)>Eve",
        summary='<script>alert("summary")</script>Read <b onclick="alert(3)">this</b>',
    )
    assert mention.title == "Big news" and mention.author == "Eve"
    assert mention.excerpt == "Read this"
    _decide(app, moderator, _open_items()[0], "approve")
    page = _page(app, thread)
    assert "Linked from: " in page and "Big news</a> (127.0.0.1), Read this" in page
    assert "alert(" not in page and "onerror" not in page and "onclick" not in page


def test_a_page_title_with_markup_is_escaped_text(app, client, blog) -> None:
    thread = make_thread()
    moderator = make_moderator()
    _mention_from(
        app, blog, thread, h_entry=False, page_title="<script>alert(1)</script> &amp; more"
    )
    (mention,) = _mentions()
    assert mention.title == "<script>alert(1)</script> & more"  # a <title> holds text only
    _decide(app, moderator, _open_items()[0], "approve")
    page = _page(app, thread)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; more</a>" in page
    assert "<script>alert" not in page


# --- the source changes or disappears ----------------------------------------------------------


def test_the_source_removing_the_link_removes_the_mention(app, client, blog) -> None:
    thread = make_thread()
    mention = _mention_from(app, blog, thread)
    _decide(app, make_moderator(), _open_items()[0], "approve")
    assert "Linked from" in _page(app, thread)

    blog.pages["/post"] = Page(post_html(link=None))  # the author edits the link out
    assert _send(client, mention.source, mention.target).status_code == 202
    outbox.drain()

    (gone,) = _mentions()
    assert gone.status == MentionStatus.GONE and (gone.title, gone.excerpt) == ("", "")
    assert "Linked from" not in _page(app, thread)
    assert db.session.get(Thread, thread.id).mention_count == 0


@pytest.mark.parametrize("status", [404, 410])
def test_a_deleted_source_removes_the_mention(app, client, blog, status: int) -> None:
    thread = make_thread()
    mention = _mention_from(app, blog, thread)
    _decide(app, make_moderator(), _open_items()[0], "approve")
    blog.pages["/post"] = Page(b"<p>gone</p>", status=status)
    _send(client, mention.source, mention.target)
    outbox.drain()
    assert _mentions()[0].status == MentionStatus.GONE
    assert "Linked from" not in _page(app, thread)


def test_a_mention_withdrawn_before_review_leaves_the_queue(app, client, blog) -> None:
    thread = make_thread()
    mention = _mention_from(app, blog, thread)
    blog.pages["/post"] = Page(post_html(link=None))
    _send(client, mention.source, mention.target)
    outbox.drain()
    assert _open_items() == []
    item = db.session.scalar(select(QueueItem).where(QueueItem.mention_id == mention.id))
    assert item.state == QueueState.DISMISSED and item.resolved_by_id is None


def test_changed_text_goes_back_to_review_and_hides_until_approved(app, client, blog) -> None:
    thread = make_thread()
    moderator = make_moderator()
    mention = _mention_from(app, blog, thread)
    _decide(app, moderator, _open_items()[0], "approve")
    # Sent again unchanged: nothing to review.
    _send(client, mention.source, mention.target)
    outbox.drain()
    assert _open_items() == [] and _mentions()[0].status == MentionStatus.APPROVED

    blog.pages["/post"] = Page(post_html(link=_thread_url(thread), title="A new title"))
    _send(client, mention.source, mention.target)
    outbox.drain()

    (changed,) = _mentions()
    assert changed.status == MentionStatus.PENDING and changed.title == "A new title"
    assert len(_open_items()) == 1
    assert "Linked from" not in _page(app, thread)
    _decide(app, moderator, _open_items()[0], "approve")
    assert "A new title</a>" in _page(app, thread)


def test_a_withdrawn_mention_that_links_again_comes_back_for_review(app, client, blog) -> None:
    thread = make_thread()
    mention = _mention_from(app, blog, thread)
    _decide(app, make_moderator(), _open_items()[0], "approve")
    blog.pages["/post"] = Page(post_html(link=None))
    _send(client, mention.source, mention.target)
    outbox.drain()
    blog.pages["/post"] = Page(post_html(link=_thread_url(thread)))
    _send(client, mention.source, mention.target)
    outbox.drain()
    assert _mentions()[0].status == MentionStatus.PENDING and len(_open_items()) == 1


# --- bad requests ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "'source' is missing"),
        ({"source": "https://blog.example/p"}, "'target' is missing"),
        ({"source": "not a url", "target": "{thread}"}, "'source' contains spaces"),
        ({"source": "mailto:a@b.example", "target": "{thread}"}, "absolute http or https"),
        ({"source": "{thread}", "target": "{thread}"}, "the same URL"),
        (
            {"source": "https://blog.example/p", "target": "https://elsewhere.example/threads/1"},
            "not a thread or comment on this site",
        ),
        (
            {"source": "https://blog.example/p", "target": "http://localhost/tags/funding"},
            "not a thread or comment on this site",
        ),
        (
            {"source": "https://blog.example/p", "target": "http://localhost/threads/999999"},
            "not a thread or comment on this site",
        ),
        (
            {"source": "https://blog.example/p", "target": "{held}"},
            "not a thread or comment on this site",
        ),
        (
            {"source": "https://blog.example/p", "target": "{held_comment}"},
            "not a thread or comment on this site",
        ),
    ],
)
def test_bad_requests_are_400_with_a_reason(app, client, data: dict[str, str], message) -> None:
    thread = make_thread()
    held = make_thread()
    held.status = CommentStatus.PENDING
    comment = make_comment(thread)
    comment.status = CommentStatus.REMOVED
    db.session.commit()
    urls = {
        "{thread}": _thread_url(thread),
        "{held}": _thread_url(held),
        "{held_comment}": f"http://localhost/comments/{comment.id}",
    }
    response = client.post("/webmention", data={k: urls.get(v, v) for k, v in data.items()})
    assert response.status_code == 400
    assert response.mimetype == "text/plain"
    assert message in response.get_data(as_text=True)
    verifications = select(outbox.OutboxEvent).where(outbox.OutboxEvent.kind == VERIFY)
    assert db.session.scalars(verifications).all() == []


def test_only_post_is_answered(client) -> None:
    assert client.get("/webmention").status_code == 405


# --- moderation, figures and costs -------------------------------------------------------------


def test_bulk_approve_takes_mentions_too(app, client, blog, login_as) -> None:
    thread = make_thread()
    moderator = make_moderator()
    _mention_from(app, blog, thread, path="/a")
    _mention_from(app, blog, thread, path="/b", title="Second post")
    ids = [item.id for item in _open_items()]
    login_as(moderator)
    response = client.post("/mod/queue/bulk", data={"decision": "approve", "item_id": ids})
    assert response.status_code == 302
    assert [m.status for m in _mentions()] == [MentionStatus.APPROVED] * 2
    assert _page(app, thread).count("Linked from: ") == 2


def test_a_mention_can_not_be_edited_or_dismissed(app, blog, login_as, client) -> None:
    thread = make_thread()
    _mention_from(app, blog, thread)
    login_as(make_moderator())
    (item,) = _open_items()
    for decision in ("edit_approve", "dismiss"):
        response = client.post(f"/mod/queue/{item.id}", data={"decision": decision, "body": "x"})
        assert response.status_code == 422
        assert "approved or removed" in response.get_data(as_text=True)
    assert _open_items() == [item]


def test_the_transparency_figures_count_mentions(app, client, blog) -> None:
    thread = make_thread()
    moderator = make_moderator()
    _mention_from(app, blog, thread, path="/a")
    _decide(app, moderator, _open_items()[0], "approve")
    _mention_from(app, blog, thread, path="/b", title="Second")
    _decide(app, moderator, _open_items()[0], "remove")
    _mention_from(app, blog, thread, path="/c", title="Third")  # still waiting

    (month,) = moderation_report(now=utcnow()).months
    assert (month.mentions, month.mentions_shown, month.mentions_removed) == (3, 1, 1)
    assert (month.removed, month.reinstated) == (0, 0)  # posts' figures stay the posts'
    html = app.test_client().get("/moderation").get_data(as_text=True)
    assert "Links from other sites per month" in html
    row = re.search(r"<tfoot><tr><th scope=\"row\">All</th><td>3</td><td>1</td><td>1</td>", html)
    assert row is not None


def test_the_api_queue_lists_posts_only(app, client, blog) -> None:
    thread = make_thread()
    _mention_from(app, blog, thread)
    (item,) = _open_items()
    token = create_token(make_moderator(), "queue")
    headers = {"Authorization": f"Bearer {token}"}
    listed = client.get("/api/v1/moderation/queue", headers=headers).get_json()
    assert listed["items"] == []
    response = client.post(
        f"/api/v1/moderation/queue/{item.id}", json={"decision": "approve"}, headers=headers
    )
    assert response.status_code == 404


def _thread_page_statements(app, count_queries, url: str) -> list[str]:  # noqa: ANN001
    db.session.remove()  # start cold, as a real request would
    with count_queries() as counter:
        response = app.test_client().get(url)
    assert response.status_code == 200
    return counter.statements


def test_mentions_cost_one_query_and_only_where_there_are_some(app, blog, count_queries) -> None:
    plain, linked = make_thread(), make_thread()
    _mention_from(app, blog, linked)
    _decide(app, make_moderator(), _open_items()[0], "approve")
    # A query string: rendered, not answered from the page cache.
    urls = [f"/threads/{t.id}/{t.slug}?fresh=1" for t in (plain, linked)]
    without = _thread_page_statements(app, count_queries, urls[0])
    with_one = _thread_page_statements(app, count_queries, urls[1])
    assert not any("webmentions" in s for s in without)
    assert sum("FROM webmentions" in s for s in with_one) == 1
    assert len(with_one) == len(without) + 1


def test_no_write_lock_is_held_while_a_slow_source_is_fetched(app, client, blog) -> None:
    """On SQLite the outbox takes the write lock to claim an event; the job gives it back
    before fetching, so the site can post while a source takes its time. Here the source
    answers only once a comment is posted: were the lock held, the post would wait for the
    fetch, the fetch would time out, and no mention would be kept."""
    app.config["WEBMENTION_TIMEOUT"] = 10.0
    thread = make_thread()
    posted = threading.Event()
    blog.pages["/slow"] = Page(post_html(link=_thread_url(thread)), hold=posted)
    _send(client, blog.url("/slow"), _thread_url(thread))

    def post_meanwhile() -> None:
        while not blog.requests:
            time.sleep(0.01)
        with app.app_context():
            make_comment(db.session.get(Thread, thread.id))
        posted.set()

    poster = threading.Thread(target=post_meanwhile)
    poster.start()
    outbox.drain()
    poster.join(timeout=10)
    assert posted.is_set()
    assert len(_mentions()) == 1
