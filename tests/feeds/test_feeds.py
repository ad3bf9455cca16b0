"""Public tag and thread feeds, read through feedparser as a feed reader would."""

from __future__ import annotations

from forum.extensions import db
from forum.models import CommentStatus, Tag
from forum.tags.service import merge_tags
from forum.threads.service import delete_comment, reply
from tests.factories import make_user
from tests.feeds.helpers import at, iso, parse_atom, thread_at


def _links(feed: dict) -> dict[str, str]:
    return {link["rel"]: link["href"] for link in feed["links"]}


# --- Tag feeds ------------------------------------------------------------------------------


def test_tag_feed_lists_the_tags_threads_newest_first(read_feed) -> None:
    ada = make_user("ada")
    old = thread_at(1, title="Old budget thread", author=ada)
    new = thread_at(5, title="New budget thread", tags=("funding", "housing"))
    thread_at(9, title="Elsewhere", tags=("housing",))

    parsed = read_feed("/tags/funding/feed.atom")

    assert [e.title for e in parsed.entries] == ["New budget thread", "Old budget thread"]
    first, second = parsed.entries
    assert first.id == f"tag:localhost,2026:thread:{new.id}"
    assert first.link == f"http://localhost/threads/{new.id}/new-budget-thread"
    assert second.author == "ada"
    assert second.author_detail.href == "http://localhost/users/ada"
    assert iso(second.published) == at(1) == iso(second.updated)
    assert {t.term for t in first.tags} == {"funding", "housing"}
    assert first.content[0].type == "text/html"
    assert "<strong>funding</strong>" in first.content[0].value
    assert old.id != new.id

    feed = parsed.feed
    tag = db.session.scalar(db.select(Tag).where(Tag.slug == "funding"))
    assert feed.id == f"tag:localhost,2026:feed:tag:{tag.id}"
    assert feed.title == "Threads tagged funding"
    assert iso(feed.updated) == at(5)  # the newest entry
    assert _links(feed) == {
        "self": "http://localhost/tags/funding/feed.atom",
        "alternate": "http://localhost/tags/funding",
    }


def test_tag_feed_keeps_ids_when_a_title_changes(read_feed) -> None:
    thread = thread_at(1, title="First wording")
    before = read_feed("/tags/funding/feed.atom").entries[0]
    thread.title, thread.slug, thread.edited_at = "Second wording", "second-wording", at(30)
    db.session.commit()

    after = read_feed("/tags/funding/feed.atom").entries[0]

    assert after.title == "Second wording"
    assert after.id == before.id
    assert after.link.endswith("/second-wording")
    assert iso(after.updated) == at(30)
    assert iso(after.published) == at(1)


def test_tag_feed_is_capped_at_thirty_threads(read_feed) -> None:
    for minute in range(32):
        thread_at(minute)
    entries = read_feed("/tags/funding/feed.atom").entries
    assert len(entries) == 30
    assert entries[0].title == "Thread at minute 31"


def test_an_empty_tag_feed_is_dated_by_the_tag(read_feed) -> None:
    tag = Tag(slug="quiet", name="Quiet", created_at=at(-60))
    db.session.add(tag)
    db.session.commit()
    parsed = read_feed("/tags/quiet/feed.atom")
    assert parsed.entries == []
    assert iso(parsed.feed.updated) == at(-60)


def test_merged_and_unnormalised_slugs_redirect_to_the_canonical_feed(client) -> None:
    thread_at(1, tags=("funding", "money"))
    source = db.session.scalar(db.select(Tag).where(Tag.slug == "money"))
    target = db.session.scalar(db.select(Tag).where(Tag.slug == "funding"))
    merge_tags(source, target)

    for url in ("/tags/money/feed.atom", "/tags/FUNDING/feed.atom"):
        response = client.get(url)
        assert response.status_code == 301, url
        assert response.headers["Location"] == "/tags/funding/feed.atom"
    assert client.get("/tags/no-such-tag/feed.atom").status_code == 404


def test_public_feeds_are_not_cached_publicly_and_answer_304_when_unchanged(client) -> None:
    thread = thread_at(1)
    for url in ("/tags/funding/feed.atom", f"/threads/{thread.id}/feed.atom"):
        response = client.get(url)
        assert response.headers["Cache-Control"] == "private, no-cache"
        etag = response.headers["ETag"]
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304
    reply(thread=thread, author=make_user(), body="Something new.", now=at(2))
    assert (
        client.get(f"/threads/{thread.id}/feed.atom", headers={"If-None-Match": etag}).status_code
        == 200
    )


# --- Thread feeds ---------------------------------------------------------------------------


def test_thread_feed_has_published_comments_newest_first_then_the_post(read_feed) -> None:
    thread = thread_at(0, title="Shelter funding")
    bea, cy = make_user("bea"), make_user("cyd")
    first = reply(thread=thread, author=bea, body="First response.", now=at(1))
    held = reply(thread=thread, author=cy, body="Held for review.", now=at(2))
    removed = reply(thread=thread, author=cy, body="Removed by a moderator.", now=at(3))
    deleted = reply(thread=thread, author=cy, body="Deleted by its author.", now=at(4))
    last = reply(thread=thread, author=cy, body="Latest response.", parent=first, now=at(5))
    held.status = CommentStatus.PENDING
    removed.status = CommentStatus.REMOVED
    db.session.commit()
    delete_comment(deleted, actor=cy)

    parsed = read_feed(f"/threads/{thread.id}/feed.atom")

    ids = [e.id for e in parsed.entries]
    assert ids == [
        f"tag:localhost,2026:comment:{last.id}",
        f"tag:localhost,2026:comment:{first.id}",
        f"tag:localhost,2026:thread:{thread.id}",
    ]
    body = " ".join(e.content[0].value for e in parsed.entries)
    for gone in ("Held for review", "Removed by a moderator", "Deleted by its author"):
        assert gone not in body
    newest, oldest, post = parsed.entries
    assert newest.title == f"#{last.number} by cyd"
    assert newest.link == f"http://localhost/threads/{thread.id}/shelter-funding#c{last.number}"
    assert newest.author == "cyd"
    assert iso(newest.published) == at(5)
    assert "Latest response." in newest.content[0].value
    assert oldest.author == "bea"
    assert post.title == "Shelter funding"
    assert post.link == f"http://localhost/threads/{thread.id}/shelter-funding"

    feed = parsed.feed
    assert feed.id == f"tag:localhost,2026:feed:thread:{thread.id}"
    assert feed.title == "Comments on Shelter funding"
    assert iso(feed.updated) == at(5)
    assert _links(feed) == {
        "self": f"http://localhost/threads/{thread.id}/feed.atom",
        "alternate": f"http://localhost/threads/{thread.id}/shelter-funding",
    }


def test_comment_ids_survive_a_thread_title_edit(read_feed) -> None:
    thread = thread_at(0, title="Before")
    reply(thread=thread, author=make_user(), body="A response.", now=at(1))
    before = [e.id for e in read_feed(f"/threads/{thread.id}/feed.atom").entries]
    thread.title, thread.slug = "After", "after"
    db.session.commit()
    after = read_feed(f"/threads/{thread.id}/feed.atom")
    assert [e.id for e in after.entries] == before
    assert after.feed.title == "Comments on After"


def test_a_thread_feed_without_comments_is_dated_by_the_thread(read_feed) -> None:
    thread = thread_at(7)
    parsed = read_feed(f"/threads/{thread.id}/feed.atom")
    assert len(parsed.entries) == 1
    assert iso(parsed.feed.updated) == at(7)


def test_unknown_thread_feed_is_404(client) -> None:
    assert client.get("/threads/999/feed.atom").status_code == 404
    assert client.get("/threads/0/feed.atom").status_code == 404


# --- Query counts ---------------------------------------------------------------------------


def test_feed_queries_do_not_grow_with_entries(client, count_queries) -> None:
    def queries(url: str) -> int:
        db.session.expire_all()  # nothing cached from the set-up: count a cold request
        with count_queries() as counter:
            response = client.get(url)
        assert response.status_code == 200
        return counter.count

    thread = thread_at(0, tags=("funding", "housing"))
    reply(thread=thread, author=make_user(), body="One.", now=at(1))
    small = (queries("/tags/funding/feed.atom"), queries(f"/threads/{thread.id}/feed.atom"))
    for minute in range(2, 8):
        thread_at(minute, tags=("funding", "housing"))
        reply(thread=thread, author=make_user(), body=f"Response {minute}.", now=at(minute))
    large = (queries("/tags/funding/feed.atom"), queries(f"/threads/{thread.id}/feed.atom"))
    assert small == large
    assert large[0] <= 3 and large[1] <= 3


# --- Alternate links on pages ---------------------------------------------------------------


def _alternate_links(html: str) -> list[str]:
    import re

    return re.findall(r'<link rel="alternate" type="application/atom\+xml"[^>]*>', html)


def test_tag_and_thread_pages_link_their_feeds(client) -> None:
    thread = thread_at(0, title='Rent <b>"strike"</b>')
    tag_page = client.get("/tags/funding").get_data(as_text=True)
    assert _alternate_links(tag_page) == [
        '<link rel="alternate" type="application/atom+xml" title="Threads tagged funding"'
        ' href="/tags/funding/feed.atom">'
    ]
    thread_page = client.get(f"/threads/{thread.id}/{thread.slug}").get_data(as_text=True)
    assert _alternate_links(thread_page) == [
        '<link rel="alternate" type="application/atom+xml"'
        ' title="Comments on Rent &lt;b&gt;&#34;strike&#34;&lt;/b&gt;"'
        f' href="/threads/{thread.id}/feed.atom">'
    ]
    # Each advertised feed exists and parses.
    for page in (tag_page, thread_page):
        href = _alternate_links(page)[0].split('href="')[1].rstrip('">')
        parse_atom(client.get(href).data)


def test_other_pages_and_error_pages_advertise_no_feed(client) -> None:
    thread_at(0)
    assert _alternate_links(client.get("/").get_data(as_text=True)) == []
    missing = client.get("/tags/no-such-tag")
    assert missing.status_code == 404
    assert _alternate_links(missing.get_data(as_text=True)) == []
    assert _alternate_links(client.get("/threads/999").get_data(as_text=True)) == []
