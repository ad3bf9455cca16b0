"""Thread pages and comment forms, as readers, authors, other members and moderators see them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from forum.models import Comment, CommentStatus, Tag, Thread, User
from forum.models.base import utcnow
from forum.threads import service
from tests.factories import (
    append_comments,
    make_comment,
    make_moderator,
    make_thread,
    make_user,
)
from tests.markup import without_site_script


def _html(response) -> str:
    return response.get_data(as_text=True)


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _article_class(html: str, number: int) -> str:
    match = re.search(rf'<article class="([^"]*)" id="c{number}"', html)
    assert match, f"comment #{number} is not on the page"
    return match.group(1)


def _suspend(db, user) -> None:
    user.suspended_until = utcnow() + timedelta(days=2)
    db.session.commit()


def _thread_url(thread: Thread) -> str:
    return f"/threads/{thread.id}/{thread.slug}"


# --- Home -----------------------------------------------------------------------------------


def test_home_lists_threads_newest_activity_first_with_tags(client) -> None:
    older = make_thread(title="Shelter funding cuts", tags=["funding", "housing"])
    newer = make_thread(title="Court dates this week")
    make_comment(older)  # activity bumps the older thread to the top

    html = _html(client.get("/"))

    assert html.index("Shelter funding cuts") < html.index("Court dates this week")
    assert f'href="{_thread_url(newer)}"' in html
    assert '<a class="tag" href="/tags/housing">housing</a>' in html
    assert "1 reply" in html


def test_home_with_no_threads_says_so(client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert "No threads yet." in _html(response)


def _titles(html: str) -> list[str]:
    return re.findall(r">(Paged thread \d+)<", html)


def _pager_link(html: str, rel: str) -> str | None:
    match = re.search(rf'<a rel="{rel}" href="([^"]+)"', html)
    return match.group(1).replace("&amp;", "&") if match else None


def test_home_pages_through_threads_older_and_back_newer(app, client) -> None:
    app.config["THREADS_PER_PAGE"] = 2
    # Two threads share a moment: the id breaks the tie, so neither is skipped or repeated.
    start, author = utcnow() - timedelta(hours=1), make_user()
    for n in range(5):
        at = start + timedelta(minutes=min(n, 2) if n < 3 else n)
        service.create_thread(
            author=author, title=f"Paged thread {n}", body="B.", tags=["a"], now=at
        )

    first = _html(client.get("/"))
    assert _titles(first) == ["Paged thread 4", "Paged thread 3"]
    assert _pager_link(first, "prev") is None
    second = _html(client.get(_pager_link(first, "next")))
    assert _titles(second) == ["Paged thread 2", "Paged thread 1"]
    third = _html(client.get(_pager_link(second, "next")))
    assert _titles(third) == ["Paged thread 0"]
    assert _pager_link(third, "next") is None
    back = _html(client.get(_pager_link(third, "prev")))
    assert _titles(back) == ["Paged thread 2", "Paged thread 1"]
    # "Newer" from the second page reaches the top: the full first page, no "Newer" link.
    top = _html(client.get(_pager_link(back, "prev")))
    assert _titles(top) == ["Paged thread 4", "Paged thread 3"]
    assert _pager_link(top, "prev") is None


def test_a_deep_home_page_costs_one_query_for_its_threads(app, client, count_queries) -> None:
    app.config["THREADS_PER_PAGE"] = 2
    for n in range(6):
        make_thread(title=f"Paged thread {n}")
    link = _pager_link(_html(client.get(_pager_link(_html(client.get("/")), "next"))), "next")
    with count_queries() as counter:
        html = _html(client.get(link))
    assert _titles(html) == ["Paged thread 1", "Paged thread 0"]
    # The side panel's queries read tags and comments; the listing is the one on threads.
    listing = [s for s in counter.statements if s.startswith("SELECT threads.") and "LIMIT" in s]
    # A keyset walk from the cursor (SQLite's compiler writes a constant "OFFSET ?" of 0).
    assert len(listing) == 1 and "(threads.last_activity_at, threads.id) <" in listing[0]
    # No count of the whole list (the side panel counts the tags of the latest 50 threads).
    assert not any("count(" in s.lower() for s in counter.statements if "FROM tags" not in s)


@pytest.mark.parametrize("cursor", ["abc", "12-", "-3", "1-2-3", "9" * 30 + "-1", "１２-３"])
def test_a_broken_page_link_is_a_400_that_says_what_to_do(app, client, cursor) -> None:
    make_thread(title="Only thread")
    for param in ("before", "after"):
        response = client.get("/", query_string={param: cursor})
        assert response.status_code == 400
        assert "That page link is broken. Start again from the first page." in _html(response)


def test_an_old_page_number_shows_the_first_page(app, client) -> None:
    make_thread(title="Only thread")
    response = client.get("/?page=3")
    assert response.status_code == 200 and "Only thread" in _html(response)


# --- Starting a thread ----------------------------------------------------------------------


def test_new_thread_form_needs_sign_in(client) -> None:
    response = client.get("/threads/new")
    assert response.status_code == 302
    assert response.location == "/login?next=%2Fthreads%2Fnew"


def test_anonymous_post_of_a_thread_is_redirected_and_writes_nothing(client, db) -> None:
    response = client.post("/threads/new", data={"title": "T", "body": "B", "tags": "x"})
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")
    assert _count(db, Thread) == 0


def test_new_thread_form_prefills_the_tag_from_a_tag_page(client, login_as) -> None:
    login_as(make_user())
    html = _html(client.get("/threads/new?tag=housing"))
    assert 'name="tags" required value="housing"' in html


def test_posting_a_thread_redirects_to_its_page_showing_title_body_and_tags(
    client, login_as, db
) -> None:
    login_as(make_user("willow"))
    response = client.post(
        "/threads/new",
        data={
            "title": "Where do survivors find legal aid?",
            "body": "Looking for **free** clinics.",
            "tags": "Legal Aid, housing",
        },
    )
    thread = db.session.scalar(select(Thread))
    assert response.status_code == 302
    assert response.location == f"/threads/{thread.id}/where-do-survivors-find-legal-aid"

    html = _html(client.get(response.location))
    assert "<h1>Where do survivors find legal aid?</h1>" in html
    assert "<strong>free</strong>" in html
    assert '<a class="tag" href="/tags/legal-aid">legal-aid</a>' in html
    assert '<a class="tag" href="/tags/housing">housing</a>' in html
    assert 'href="/users/willow">willow</a>' in html


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"title": "", "body": "Body text", "tags": "funding"}, "title", "Give the thread"),
        ({"title": "x" * 201, "body": "Body", "tags": "funding"}, "title", "Keep the title"),
        ({"title": "A title", "body": "   ", "tags": "funding"}, "body", "Write something first."),
        ({"title": "A title", "body": "Body", "tags": ""}, "tags", "Add at least one tag"),
        ({"title": "A title", "body": "Body", "tags": "a,b,c,d,e,f"}, "tags", "at most 5 tags"),
        ({"title": "A title", "body": "Body", "tags": "!!!"}, "tags", "can&#39;t be used as a tag"),
    ],
)
def test_bad_thread_is_rerendered_with_the_error_by_its_field_and_text_kept(
    client, login_as, db, form, field, message
) -> None:
    login_as(make_user())
    response = client.post("/threads/new", data=form)

    assert response.status_code == 422
    html = _html(response)
    error = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', html)
    assert error and message in error.group(1)
    assert f'aria-describedby="{field}-error"' in html
    # What the person typed is still in the form.
    assert f'value="{form["title"]}"' in html
    assert f'value="{form["tags"]}"' in html
    assert f">{form['body']}</textarea>" in html
    assert _count(db, Thread) == 0


def test_hostile_title_and_tags_are_escaped_once_on_every_page(client, login_as, db) -> None:
    login_as(make_user())
    title = '<script>alert("t")</script> & <b>bold</b>'
    client.post("/threads/new", data={"title": title, "body": "Body", "tags": "funding"})
    thread = db.session.scalar(select(Thread))
    escaped = "&lt;script&gt;alert(&#34;t&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"

    for url in (_thread_url(thread), "/", "/tags/funding", f"/users/{thread.author.username}"):
        html = _html(client.get(url))
        assert escaped in html, url
        assert "<script" not in without_site_script(html), url
        assert "&amp;lt;" not in html, url  # escaped once, not twice


def test_rejected_hostile_input_is_echoed_escaped(client, login_as) -> None:
    login_as(make_user())
    hostile = '"><script>alert(1)</script>'
    response = client.post("/threads/new", data={"title": hostile, "body": "", "tags": hostile})
    assert response.status_code == 422
    html = _html(response)
    assert "<script" not in without_site_script(html)
    assert 'value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in html


def test_sql_metacharacters_are_stored_literally(client, login_as, db) -> None:
    login_as(make_user())
    title = "Robert'); DROP TABLE threads;-- 100% _done_"
    client.post("/threads/new", data={"title": title, "body": "' OR 1=1 --", "tags": "funding"})
    thread = db.session.scalar(select(Thread))
    assert thread.title == title
    assert thread.body_src == "' OR 1=1 --"
    assert "Robert&#39;); DROP TABLE threads;-- 100% _done_" in _html(client.get("/"))


def test_bidi_and_zero_width_characters_are_stripped_from_titles(client, login_as, db) -> None:
    login_as(make_user())
    client.post(
        "/threads/new",
        data={"title": "Invoice\u202egpj.exe\u200b plan", "body": "Body", "tags": "funding"},
    )
    thread = db.session.scalar(select(Thread))
    assert thread.title == "Invoicegpj.exe plan"
    html = _html(client.get(_thread_url(thread)))
    assert "\u202e" not in html and "\u200b" not in html
    assert "<h1>Invoicegpj.exe plan</h1>" in html


def test_look_alike_and_zero_width_tags_fold_into_one_tag(client, login_as, db) -> None:
    login_as(make_user())
    # Latin, with a zero-width space, with a Cyrillic "і", and full-width letters.
    tags = "funding, fund\u200bing, fund\u0456ng, \uff26\uff35\uff2e\uff24\uff29\uff2e\uff27"
    client.post("/threads/new", data={"title": "One tag", "body": "Body", "tags": tags})
    thread = db.session.scalar(select(Thread))
    assert [t.slug for t in db.session.scalars(select(Tag))] == ["funding"]
    html = _html(client.get(_thread_url(thread)))
    assert html.count('class="tag"') == 1


def test_suspended_member_cannot_start_a_thread(client, login_as, db) -> None:
    user = make_user()
    _suspend(db, user)
    login_as(user)
    assert client.get("/threads/new").status_code == 403
    response = client.post("/threads/new", data={"title": "T", "body": "B", "tags": "funding"})
    assert response.status_code == 403
    assert _count(db, Thread) == 0
    assert 'href="/threads/new"' not in _html(client.get("/"))


# --- Reading a thread -----------------------------------------------------------------------


def test_thread_page_shows_numbered_comments_nested_under_their_parents(client) -> None:
    thread = make_thread(title="Outreach ideas")
    first = make_comment(thread, author=make_user("ash"), body="First idea.")
    make_comment(thread, body="Second idea.")
    make_comment(thread, parent=first, body="Building on the first.")

    html = _html(client.get(_thread_url(thread)))

    assert "<h1>Outreach ideas</h1>" in html
    assert "3 replies" in html
    # Tree order: #3 answers #1 so it sits between #1 and #2, one level in.
    assert html.index('id="c1"') < html.index('id="c3"') < html.index('id="c2"')
    assert "indent-0" in _article_class(html, 1)
    assert "indent-1" in _article_class(html, 3)
    assert '<a href="#c1">ash #1</a>' in html
    assert html.count('class="in-reply-to"') == 1


def test_thread_without_slug_and_wrong_slug_redirect_permanently_to_the_canonical_address(
    client,
) -> None:
    thread = make_thread(title="Canonical address")
    assert client.get(f"/threads/{thread.id}").status_code == 200
    response = client.get(f"/threads/{thread.id}/some-old-title")
    assert response.status_code == 301
    assert response.location == f"/threads/{thread.id}/canonical-address"


def test_a_thread_whose_title_collides_with_a_sub_route_is_still_readable(client) -> None:
    thread = make_thread(title="Reply")
    response = client.get(f"/threads/{thread.id}/{thread.slug}")
    assert response.status_code == 200
    assert "<h1>Reply</h1>" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "url", ["/threads/99999999999999999999", "/comments/99999999999999999999", "/threads/0"]
)
def test_ids_beyond_the_database_range_are_404_not_500(client, url) -> None:
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("page", ["99999999999999999999", "-3", "x", "١"])
def test_unusable_page_numbers_still_show_a_page(client, page) -> None:
    make_thread()
    assert client.get(f"/?page={page}").status_code == 200


@pytest.mark.parametrize("url", ["/threads/9999", "/threads/9999/any-slug", "/threads/abc"])
def test_unknown_thread_is_a_404_page_in_the_site_layout(client, url) -> None:
    response = client.get(url)
    assert response.status_code == 404
    html = _html(response)
    assert '<nav class="site-nav"' in html
    assert "<h1>404</h1>" in html


def test_deleted_comment_shows_a_placeholder_and_its_reply_still_hangs_off_it(client) -> None:
    thread = make_thread()
    parent = make_comment(thread, author=make_user("rowan"), body="Words I regret.")
    make_comment(thread, parent=parent, body="A reply to the regretted words.")
    service.delete_comment(parent, actor=parent.author)

    html = _html(client.get(_thread_url(thread)))

    assert "Words I regret." not in html
    assert '<p class="placeholder">[deleted]</p>' in html
    assert "status-deleted" in _article_class(html, 1)
    assert '<a href="#c1">[deleted] #1</a>' in html
    assert "rowan" not in html
    assert "A reply to the regretted words." in html


def test_edited_comment_is_marked_edited(client) -> None:
    comment = make_comment(body="Draft wording.")
    html = _html(client.get(f"/comments/{comment.id}", follow_redirects=True))
    assert 'class="edited"' not in html
    service.edit_comment(comment, actor=comment.author, body="Final wording.")
    html = _html(client.get(f"/comments/{comment.id}", follow_redirects=True))
    assert ">edited</a>" in html
    assert "Final wording." in html and "Draft wording." not in html


def test_comment_bodies_are_sanitised(client) -> None:
    thread = make_thread()
    make_comment(thread, body="<script>alert(1)</script> [x](javascript:alert(1)) <img src=x>")
    html = _html(client.get(_thread_url(thread)))
    assert "<script" not in without_site_script(html)
    assert 'href="javascript:' not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as the text that was typed


def test_pending_comment_is_hidden_from_others_but_shown_to_its_author(
    client, login_as, db
) -> None:
    thread = make_thread()
    author = make_user()
    comment = make_comment(thread, author=author, body="Awaiting review text.")
    comment.status = CommentStatus.PENDING
    db.session.commit()

    assert "Awaiting review text." not in _html(client.get(_thread_url(thread)))
    assert client.get(f"/comments/{comment.id}").status_code == 404
    login_as(author)
    html = _html(client.get(_thread_url(thread)))
    assert "Awaiting review text." in html
    assert "only you and moderators can see this comment" in html


def test_anonymous_reader_sees_a_sign_in_prompt_instead_of_forms(client) -> None:
    thread = make_thread()
    make_comment(thread)
    html = _html(client.get(_thread_url(thread)))
    assert f'action="/threads/{thread.id}/comments"' not in html
    assert f'href="/login?next=/threads/{thread.id}/{thread.slug}">Sign in</a> or' in html
    assert ">Reply</a>" not in html and ">Edit</a>" not in html and ">Delete</button>" not in html


def test_suspended_member_sees_no_reply_form_and_cannot_reply(client, login_as, db) -> None:
    thread = make_thread()
    comment = make_comment(thread)
    user = make_user()
    _suspend(db, user)
    login_as(user)

    html = _html(client.get(_thread_url(thread)))
    assert "Your account can't post right now." in html
    assert f'action="/threads/{thread.id}/comments"' not in html
    assert ">Reply</a>" not in html

    response = client.post(
        f"/threads/{thread.id}/comments", data={"body": "Let me in.", "parent_id": comment.id}
    )
    assert response.status_code == 403
    assert _count(db, Comment) == 1


# --- Replying -------------------------------------------------------------------------------


def test_reply_lands_nested_under_its_parent_and_redirects_to_its_anchor(
    client, login_as, db
) -> None:
    thread = make_thread(title="Nesting")
    parent = make_comment(thread, author=make_user("oak"))
    make_comment(thread)
    login_as(make_user("birch"))

    response = client.post(
        f"/threads/{thread.id}/comments", data={"body": "I agree with oak.", "parent_id": parent.id}
    )

    assert response.status_code == 302
    assert response.location == f"/threads/{thread.id}/nesting#c3"
    html = _html(client.get(response.location))
    assert html.index('id="c1"') < html.index('id="c3"') < html.index('id="c2"')
    assert "indent-1" in _article_class(html, 3)
    assert "I agree with oak." in html
    assert '<p class="in-reply-to">in reply to <a href="#c1">oak #1</a></p>' in html


def test_top_level_reply_from_the_thread_page_form(client, login_as) -> None:
    thread = make_thread()
    login_as(make_user())
    response = client.post(f"/threads/{thread.id}/comments", data={"body": "Top level."})
    assert response.location.endswith("#c1")
    html = _html(client.get(_thread_url(thread)))
    assert "indent-0" in _article_class(html, 1)
    assert "1 reply" in html


@pytest.mark.parametrize(
    ("body", "message"), [("  \n ", "Write something first."), ("x" * 20_001, "Keep it to 20,000")]
)
def test_bad_reply_is_rerendered_with_the_error_and_text_kept(
    client, login_as, db, body, message
) -> None:
    thread = make_thread()
    parent = make_comment(thread)
    login_as(make_user())
    response = client.post(
        f"/threads/{thread.id}/comments", data={"body": body, "parent_id": parent.id}
    )
    assert response.status_code == 422
    html = _html(response)
    assert message in re.search(r'<p class="field-error" id="body-error">([^<]*)</p>', html)[1]
    assert f">{body}</textarea>" in html
    assert f'name="parent_id" value="{parent.id}"' in html  # still replying to the same comment
    assert _count(db, Comment) == 1


def test_reply_to_a_comment_of_another_thread_is_a_404(client, login_as, db) -> None:
    thread = make_thread()
    elsewhere = make_comment()
    login_as(make_user())
    response = client.post(
        f"/threads/{thread.id}/comments", data={"body": "Hi", "parent_id": elsewhere.id}
    )
    assert response.status_code == 404
    assert _count(db, Comment) == 1


def test_reply_to_a_deleted_comment_is_refused_with_text_kept(client, login_as, db) -> None:
    thread = make_thread()
    parent = make_comment(thread, body="Soon gone.")
    service.delete_comment(parent, actor=parent.author)
    login_as(make_user())
    response = client.post(
        f"/threads/{thread.id}/comments", data={"body": "Too late?", "parent_id": parent.id}
    )
    assert response.status_code == 422
    html = _html(response)
    assert ">Too late?</textarea>" in html
    assert 'id="parent_id-error"' in html
    assert "no longer open to replies" in html
    assert _count(db, Comment) == 1


def test_anonymous_reply_is_redirected_to_sign_in_and_writes_nothing(client, db) -> None:
    thread = make_thread()
    response = client.post(f"/threads/{thread.id}/comments", data={"body": "Drive-by"})
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")
    assert _count(db, Comment) == 0


def test_reply_to_an_unknown_thread_is_a_404(client, login_as) -> None:
    login_as(make_user())
    assert client.post("/threads/9999/comments", data={"body": "Hello"}).status_code == 404


# --- The no-JS reply page -------------------------------------------------------------------


def test_reply_page_shows_the_parent_and_carries_its_id(client, login_as) -> None:
    thread = make_thread(title="Reply page")
    parent = make_comment(thread, author=make_user("elm"), body="The *parent* text.")
    login_as(make_user())
    html = _html(client.get(f"/threads/{thread.id}/reply?to={parent.id}"))
    assert '<blockquote class="replying-to">' in html
    assert "elm #1" in html
    assert "<em>parent</em>" in html
    assert f'<input type="hidden" name="parent_id" value="{parent.id}">' in html
    assert "></textarea>" in html  # empty body without quote=1


def test_reply_page_with_quote_prefills_an_attributed_quote(client, login_as) -> None:
    thread = make_thread()
    parent = make_comment(thread, author=make_user("hazel"), body="Line one.\n\nLine <two>.")
    login_as(make_user())
    html = _html(client.get(f"/threads/{thread.id}/reply?to={parent.id}&quote=1"))
    textarea = re.search(r'<textarea id="body"[^>]*>(.*?)</textarea>', html, re.S)[1]
    quote = "In response to hazel (#1):\n\n&gt; Line one.\n&gt;\n&gt; Line &lt;two&gt;.\n\n"
    assert textarea == quote


def test_reply_page_without_a_parent_is_a_top_level_reply(client, login_as) -> None:
    thread = make_thread(title="Plain reply")
    login_as(make_user())
    html = _html(client.get(f"/threads/{thread.id}/reply"))
    assert "Reply in" in html and "Plain reply" in html
    assert 'name="parent_id"' not in html
    assert "replying-to" not in html


def test_reply_page_needs_sign_in(client) -> None:
    thread = make_thread()
    response = client.get(f"/threads/{thread.id}/reply")
    assert response.status_code == 302
    assert response.location == f"/login?next=%2Fthreads%2F{thread.id}%2Freply"


def test_reply_page_for_a_comment_of_another_thread_is_a_404(client, login_as) -> None:
    thread = make_thread()
    other = make_comment()
    login_as(make_user())
    assert client.get(f"/threads/{thread.id}/reply?to={other.id}").status_code == 404
    assert client.get(f"/threads/{thread.id}/reply?to=99999").status_code == 404
    assert client.get("/threads/9999/reply").status_code == 404


def test_reply_page_does_not_reveal_a_held_or_deleted_comment(client, login_as, db) -> None:
    thread = make_thread()
    held = make_comment(thread, author=make_user("secretive"), body="Held for review text.")
    held.status = CommentStatus.PENDING
    gone = make_comment(thread, author=make_user("vanished"), body="Deleted words.")
    service.delete_comment(gone, actor=gone.author)
    db.session.commit()
    login_as(make_user())
    cases = ((held, "Held for review text.", "secretive"), (gone, "Deleted words.", "vanished"))
    for comment, secret, name in cases:
        for quote in ("", "&quote=1"):
            html = _html(client.get(f"/threads/{thread.id}/reply?to={comment.id}{quote}"))
            assert name not in html
            assert secret not in html
            assert "In response to" not in html
    assert "[deleted]" in html


# --- Permalinks -----------------------------------------------------------------------------


def test_comment_permalink_redirects_to_the_anchor_on_the_thread_page(client) -> None:
    thread = make_thread(title="Permalinks work")
    make_comment(thread)
    second = make_comment(thread)
    response = client.get(f"/comments/{second.id}")
    assert response.status_code == 302
    assert response.location == f"/threads/{thread.id}/permalinks-work#c2"


def test_unknown_comment_permalink_is_a_404_page(client) -> None:
    response = client.get("/comments/9999")
    assert response.status_code == 404
    assert '<nav class="site-nav"' in _html(response)


# --- Editing --------------------------------------------------------------------------------


def test_author_edits_their_comment_and_lands_on_it(client, login_as, db) -> None:
    thread = make_thread(title="Edits")
    comment = make_comment(thread, body="Frist post.")
    login_as(comment.author)

    form = _html(client.get(f"/comments/{comment.id}/edit"))
    assert ">Frist post.</textarea>" in form
    response = client.post(f"/comments/{comment.id}/edit", data={"body": "First post."})

    assert response.status_code == 302
    assert response.location == f"/threads/{thread.id}/edits#c1"
    html = _html(client.get(response.location))
    assert "First post." in html and "Frist post." not in html
    assert ">edited</a>" in html


def test_bad_edit_is_rerendered_with_text_kept_and_nothing_saved(client, login_as, db) -> None:
    comment = make_comment(body="Original.")
    login_as(comment.author)
    long_body = "y" * 20_001
    response = client.post(f"/comments/{comment.id}/edit", data={"body": long_body})
    assert response.status_code == 422
    html = _html(response)
    assert 'id="body-error"' in html
    assert f">{long_body}</textarea>" in html
    db.session.expire_all()
    assert comment.body_src == "Original." and comment.edited_at is None


def test_another_member_may_not_edit_or_delete_and_sees_no_links(client, login_as, db) -> None:
    thread = make_thread()
    comment = make_comment(thread, body="Mine, not yours.")
    login_as(make_user())

    assert client.get(f"/comments/{comment.id}/edit").status_code == 403
    edit = client.post(f"/comments/{comment.id}/edit", data={"body": "Hijacked."})
    assert edit.status_code == 403
    assert "<h1>403</h1>" in _html(edit)
    assert client.post(f"/comments/{comment.id}/delete").status_code == 403

    html = _html(client.get(_thread_url(thread)))
    assert f"/comments/{comment.id}/edit" not in html
    assert f"/comments/{comment.id}/delete" not in html
    assert ">Reply</a>" in html  # they may still answer it
    db.session.expire_all()
    assert comment.body_src == "Mine, not yours." and comment.status == CommentStatus.PUBLISHED


def test_author_and_moderator_see_edit_and_delete_links(client, login_as) -> None:
    thread = make_thread()
    comment = make_comment(thread)
    for viewer in (comment.author, make_moderator()):
        login_as(viewer)
        html = _html(client.get(_thread_url(thread)))
        assert f'href="/comments/{comment.id}/edit">Edit</a>' in html
        assert f'action="/comments/{comment.id}/delete"' in html


def test_moderator_may_edit_someone_elses_comment(client, login_as) -> None:
    comment = make_comment(body="Contains a phone number 555-0100.")
    login_as(make_moderator())
    response = client.post(f"/comments/{comment.id}/edit", data={"body": "Number removed."})
    assert response.status_code == 302
    assert "Number removed." in _html(client.get(response.location))


def test_suspended_author_may_not_edit_their_comment(client, login_as, db) -> None:
    comment = make_comment()
    _suspend(db, comment.author)
    login_as(comment.author)
    assert client.get(f"/comments/{comment.id}/edit").status_code == 403
    assert f"/comments/{comment.id}/edit" not in _html(
        client.get(f"/comments/{comment.id}", follow_redirects=True)
    )


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_edit_is_redirected_to_sign_in(client, method) -> None:
    comment = make_comment()
    response = getattr(client, method)(f"/comments/{comment.id}/edit", data={"body": "x"})
    assert response.status_code == 302
    assert response.location == f"/login?next=%2Fcomments%2F{comment.id}%2Fedit"


def test_edit_or_delete_of_an_unknown_comment_is_a_404(client, login_as) -> None:
    login_as(make_user())
    assert client.get("/comments/9999/edit").status_code == 404
    assert client.post("/comments/9999/delete").status_code == 404


# --- Deleting -------------------------------------------------------------------------------


def test_author_deletes_their_comment_and_sees_the_placeholder(client, login_as, db) -> None:
    thread = make_thread(title="Deletes")
    comment = make_comment(thread, body="Remove me.")
    login_as(comment.author)

    response = client.post(f"/comments/{comment.id}/delete")

    assert response.status_code == 302
    assert response.location == f"/threads/{thread.id}/deletes#c1"
    html = _html(client.get(response.location))
    assert "Remove me." not in html
    assert '<p class="placeholder">[deleted]</p>' in html
    assert "0 replies" in html
    # A deleted comment offers nothing more to do.
    assert f"/comments/{comment.id}/delete" not in html
    assert client.post(f"/comments/{comment.id}/delete").status_code == 403


def test_anonymous_delete_is_redirected_and_changes_nothing(client, db) -> None:
    comment = make_comment()
    response = client.post(f"/comments/{comment.id}/delete")
    assert response.status_code == 302
    assert response.location.startswith("/login?next=")
    db.session.expire_all()
    assert comment.status == CommentStatus.PUBLISHED


def test_delete_is_post_only(client, login_as) -> None:
    comment = make_comment()
    login_as(comment.author)
    response = client.get(f"/comments/{comment.id}/delete")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]


# --- Query counts ---------------------------------------------------------------------------


def _add_comments(thread: Thread, n: int) -> None:
    """Many comments quickly: a few real replies, the rest appended as the service would."""
    authors = [make_user() for _ in range(3)]
    parent = make_comment(thread, author=authors[0])
    make_comment(thread, author=authors[1], parent=parent)
    append_comments(
        thread, [(authors[i % 3], parent if i % 4 == 0 else None) for i in range(n - 2)]
    )


def _thread_page_queries(client, db, count_queries, url: str) -> int:
    db.session.remove()  # start cold, as a real request would
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200
    return counter.count


def test_thread_page_query_count_does_not_grow_with_comments(
    client, login_as, db, count_queries
) -> None:
    small, big = make_thread(), make_thread()
    _add_comments(small, 5)
    _add_comments(big, 500)
    small_url, big_url = _thread_url(small), _thread_url(big)
    member_id = make_user().id

    anonymous = [_thread_page_queries(client, db, count_queries, u) for u in (small_url, big_url)]
    login_as(db.session.get(User, member_id))
    signed_in = [_thread_page_queries(client, db, count_queries, u) for u in (small_url, big_url)]

    # Anonymous: the thread, its tags, the comments, the promotions. Signed in, also the
    # reader, their follow of the thread, their unread count and whom they ignore.
    assert anonymous[0] == anonymous[1] <= 4
    assert signed_in[0] == signed_in[1] <= 8
    html = _html(client.get(big_url))
    # The first 200 in tree order; the rest a link away (tests/threads/test_pages.py).
    assert "500 replies" in html and html.count('<article class="comment') == 200
    assert "Show 200 more" in html


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "member"])
def test_home_page_query_count_does_not_grow_with_threads(
    client, login_as, db, count_queries, signed_in
) -> None:
    author_ids = [make_user().id for _ in range(4)]
    for n in range(3):
        make_thread(db.session.get(User, author_ids[n % 4]), tags=["funding", f"tag{n}"])
    if signed_in:
        login_as(make_user())
    few = _thread_page_queries(client, db, count_queries, "/")
    for n in range(27):
        make_thread(db.session.get(User, author_ids[n % 4]), tags=["funding", f"more{n}"])
    many = _thread_page_queries(client, db, count_queries, "/")

    assert few == many
    assert many <= 8


ACCUSATION = "Are some of you pimps yourselves? What is your real agenda here?"


def test_an_accusation_gets_a_nudge_with_the_words_marked_and_nothing_posted(
    client, login_as, db
) -> None:
    thread = make_thread()
    login_as(make_user())
    response = client.post(f"/threads/{thread.id}/comments", data={"body": ACCUSATION})
    html = _html(response)
    assert response.status_code == 422
    assert "this reads as aimed at a person" in html
    assert "<mark" in html and "pimps" in html
    assert 'name="confirm"' in html and 'name="nudged" value="1"' in html
    assert "real agenda here?</textarea>" in html  # the text is kept
    assert _count(db, Comment) == 0


def test_rephrasing_after_a_nudge_posts_and_the_log_says_so(client, login_as, db) -> None:
    from forum.models import ModerationAction

    thread = make_thread()
    login_as(make_user())
    body = "I think the figures in the report overcount rescues."
    response = client.post(f"/threads/{thread.id}/comments", data={"body": body, "nudged": "1"})
    assert response.status_code == 302
    assert db.session.scalar(select(ModerationAction.action)) == "author_rephrased"


def test_posting_anyway_holds_the_comment_and_the_author_is_told(client, login_as, db) -> None:
    thread = make_thread()
    author = make_user()
    login_as(author)
    response = client.post(
        f"/threads/{thread.id}/comments",
        data={"body": ACCUSATION, "confirm": "1", "nudged": "1"},
        follow_redirects=True,
    )
    html = _html(response)
    assert "waiting for a moderator" in html
    comment = db.session.scalar(select(Comment))
    assert comment.status == CommentStatus.PENDING
    login_as(make_user())
    assert "real agenda" not in _html(client.get(_thread_url(thread)))


def test_removed_comment_shows_its_reason_and_an_appeal_link_to_its_author(
    client, login_as, db
) -> None:
    comment = make_comment(body="A comment a moderator removed.")
    comment.status = CommentStatus.REMOVED
    comment.removal_reason = "It attacked a person."
    db.session.commit()
    login_as(comment.author)
    html = _html(client.get(f"/threads/{comment.thread_id}"))
    assert "It attacked a person." in html
    assert f"/comments/{comment.id}/appeal" in html
    login_as(make_user())
    assert "It attacked a person." not in _html(client.get(f"/threads/{comment.thread_id}"))


def test_readers_see_a_flag_link_but_not_on_their_own_comment(client, login_as) -> None:
    comment = make_comment()
    login_as(make_user())
    assert f"/comments/{comment.id}/flag" in _html(client.get(f"/threads/{comment.thread_id}"))
    login_as(comment.author)
    assert f"/comments/{comment.id}/flag" not in _html(client.get(f"/threads/{comment.thread_id}"))
