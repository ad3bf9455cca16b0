"""Long threads in pages: the first THREAD_PAGE_SIZE comments in tree order, "Show N more"
for the next (keyset on the tree path: a late page costs what the first does), permalinks
that open the page holding the comment, and a page cut inside a reply group that keeps its
depth."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from forum.models import Comment, CommentStatus
from forum.threads import service
from tests.factories import (
    append_comments,
    make_comment,
    make_moderator,
    make_thread,
    make_user,
)


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def _numbers(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<article class="comment[^"]*" id="c(\d+)"', html)]


def _more_link(html: str) -> str | None:
    match = re.search(r'<a href="([^"]+)" data-more-comments>([^<]+)</a>', html)
    return match.group(1).replace("&amp;", "&") if match else None


@pytest.fixture
def small_pages(app):
    app.config["THREAD_PAGE_SIZE"] = 3
    yield 3


def _flat(thread, n: int) -> list[Comment]:
    author = make_user()
    return [make_comment(thread, author=author, body=f"Point {i}.") for i in range(n)]


def test_a_long_thread_reads_page_by_page_with_its_numbers(client, small_pages) -> None:
    thread = make_thread()
    _flat(thread, 7)
    url = f"/threads/{thread.id}/{thread.slug}"
    first = _html(client.get(url))
    assert _numbers(first) == [1, 2, 3]
    assert "7 replies" in first
    link = _more_link(first)
    assert link and "Show 3 more" in first
    second = _html(client.get(link))
    assert _numbers(second) == [4, 5, 6]
    assert "Back to the first replies" in second
    third = _html(client.get(_more_link(second)))
    assert _numbers(third) == [7]
    assert _more_link(third) is None


def test_show_more_with_javascript_gets_only_the_next_comments(client, small_pages) -> None:
    thread = make_thread()
    _flat(thread, 5)
    link = _more_link(_html(client.get(f"/threads/{thread.id}/{thread.slug}")))
    part = _html(client.get(link + "&part=comments"))
    assert "<html" not in part and "<h1" not in part
    assert _numbers(part) == [4, 5]


def test_a_page_cut_inside_a_reply_group_keeps_its_depth(client, small_pages) -> None:
    thread = make_thread()
    top = make_comment(thread, body="Top.")
    child = make_comment(thread, parent=top, body="Child.")
    grandchild = make_comment(thread, parent=child, body="Grandchild.")
    make_comment(thread, parent=grandchild, body="Great-grandchild.")
    make_comment(thread, parent=child, body="Second grandchild.")
    first = _html(client.get(f"/threads/{thread.id}/{thread.slug}"))
    assert _numbers(first) == [1, 2, 3]
    assert first.count("<details") == first.count("</details>")
    second = _html(client.get(_more_link(first)))
    assert _numbers(second) == [4, 5]
    # #4 is three deep: the groups of #1, #2 and #3 open again around it, then close.
    assert "Replies to" in second
    for number in (1, 2, 3):
        assert f"Replies to #{number}, continued" in second
    assert second.count("<details") == second.count("</details>")
    assert "in reply to <a" in second and "#3</a>" in second  # names the parent on page one


def test_a_permalink_opens_the_page_that_holds_the_comment(client, small_pages) -> None:
    thread = make_thread()
    comments = _flat(thread, 8)
    early = client.get(f"/comments/{comments[1].id}")
    assert early.status_code == 302
    assert early.headers["Location"].endswith(f"/threads/{thread.id}/{thread.slug}#c2")
    late = client.get(f"/comments/{comments[6].id}")
    location = late.headers["Location"]
    assert "after=6" in location and location.endswith("#c7")
    page = _html(client.get(location))
    assert _numbers(page)[0] == 7


def test_a_reply_in_a_long_thread_lands_on_its_page(client, login_as, db, small_pages):
    thread = make_thread()
    _flat(thread, 5)
    login_as(make_user())
    response = client.post(f"/threads/{thread.id}/comments", data={"body": "A late point."})
    newest = db.session.scalars(select(Comment).order_by(Comment.id.desc()).limit(1)).one()
    assert response.status_code == 302
    # The comment's number stays in the address, as on a short thread ("#c6").
    assert response.headers["Location"] == f"/comments/{newest.id}#c{newest.number}"
    page = _html(client.get(client.get(response.headers["Location"]).headers["Location"]))
    assert newest.number in _numbers(page)


@pytest.mark.parametrize("after", ["x", "-1", "99999", "1" * 12])
def test_a_cursor_that_is_not_ours_is_a_404(client, small_pages, after: str) -> None:
    thread = make_thread()
    _flat(thread, 4)
    response = client.get(f"/threads/{thread.id}/{thread.slug}?after={after}")
    assert response.status_code == 404


def test_held_comments_count_for_nobody_else_on_any_page(client, login_as, db, small_pages):
    thread = make_thread()
    comments = _flat(thread, 6)
    comments[1].status = CommentStatus.PENDING
    db.session.commit()
    first = _html(client.get(f"/threads/{thread.id}/{thread.slug}"))
    assert _numbers(first) == [1, 3, 4]
    login_as(make_moderator())
    assert _numbers(_html(client.get(f"/threads/{thread.id}/{thread.slug}"))) == [1, 2, 3]


def test_a_late_page_costs_the_queries_of_the_first(client, db, count_queries, app) -> None:
    app.config["THREAD_PAGE_SIZE"] = 20
    thread = make_thread()
    parent = make_comment(thread)
    append_comments(thread, [(make_user(), parent if i % 3 == 0 else None) for i in range(119)])
    first_url = f"/threads/{thread.id}/{thread.slug}"
    late = service.comment_page(thread, viewer=None, max_indent=6, after=100, size=20)
    # Tree order: replies to #1 sit under it, so after top-level #100 come #102, #103, ...
    assert [c.number for c in late.comments][:3] == [102, 103, 105]
    assert len(late.comments) == 13 and late.next_after is None  # the top-level ones left
    counts = []
    for url in (first_url, f"{first_url}?after=20", f"{first_url}?after=100"):
        db.session.remove()
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        counts.append(counter.count)
    # A later page adds at most the cursor's path and the names of comments it answers that
    # came on earlier pages, however deep it is.
    assert max(counts[1:]) <= counts[0] + 2
