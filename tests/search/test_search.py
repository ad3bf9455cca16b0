"""Search on the database the suite runs against (SQLite FTS5 or PostgreSQL GIN)."""

from __future__ import annotations

import re

import flask_migrate
import pytest
from flask.testing import FlaskClient
from sqlalchemy import Connection, inspect, text

from forum import create_app
from forum.extensions import db
from forum.models import CommentStatus, Thread
from forum.moderation import service as moderation
from forum.search import service as search_service
from forum.search.rules import (
    SNIPPET_SCAN_CHARS,
    SNIPPET_WORDS,
    SearchQuery,
    SnippetPiece,
    highlight,
)
from forum.search.service import search
from forum.threads import service as threads
from forum.threads.rules import THREAD_BODY_MAX
from tests.conftest import base_config
from tests.factories import make_comment, make_moderator, make_thread, make_user

FILLER = "Some context about the week, the meeting and the people who came along. " * 6


def kinds(results) -> list[tuple[str, int]]:  # noqa: ANN001
    return [(h.kind, h.comment.id if h.comment else h.thread.id) for h in results.hits]


def test_a_title_match_outranks_a_passing_mention(app) -> None:
    mention = make_comment(body=f"{FILLER} Oh, and tenancy came up once. {FILLER}")
    thread = make_thread(title="Tenancy rights for survivors", body="What do we know?")
    results = search("tenancy")
    assert kinds(results)[0] == ("thread", thread.id)
    assert ("comment", mention.id) in kinds(results)
    assert results.total == 2


def test_snippets_mark_the_matching_words_as_pieces(app) -> None:
    make_comment(body=f"{FILLER} We need more shelter beds near the station. {FILLER}")
    (hit,) = search("shelter").hits
    marked = [p.text.lower() for p in hit.snippet if p.match]
    assert marked == ["shelter"]
    assert "beds near the station" in "".join(p.text for p in hit.snippet)


def test_prefix_search_with_a_trailing_star(app) -> None:
    comment = make_comment(body="Decriminalisation is the question tonight.")
    assert search("decrim").hits == []
    assert kinds(search("decrim*")) == [("comment", comment.id)]


def test_a_word_finds_its_other_endings(app) -> None:
    """The issue: "funding" found 2 demo threads and "fund*" 11. Both databases stem with
    Porter, so every ending of a word is found, and prefixes still work on top."""
    funded = make_thread(title="Who funded the shelter?", body="Nobody knows.", tags=["housing"])
    funds = make_comment(funded, body="The council funds it, through a grant.")
    fundamental = make_comment(funded, body="A fundamental question.")
    unrelated = make_comment(funded, body="Fun day out.")
    for query in ("funding", "FUNDS", "fund"):
        assert set(kinds(search(query))) == {("thread", funded.id), ("comment", funds.id)}
    assert set(kinds(search("fund*"))) == {
        ("thread", funded.id),
        ("comment", funds.id),
        ("comment", fundamental.id),
    }
    assert ("comment", unrelated.id) not in kinds(search("fund*"))
    # Every word must still appear: stems are ANDed like words.
    assert kinds(search("funding grant")) == [("comment", funds.id)]
    (hit,) = search("funding grant").hits
    assert [p.text for p in hit.snippet if p.match] == ["funds", "grant"]


@pytest.mark.parametrize("query", ["decriminalisation", "DÉCRIMINALISATION", "décrim*"])
def test_accents_and_case_are_folded(app, query: str) -> None:
    comment = make_comment(body="La décriminalisation, enfin.")
    assert kinds(search(query)) == [("comment", comment.id)]


def test_tag_and_author_filters(app) -> None:
    alice, bob = make_user("alice"), make_user("bob")
    housing = make_thread(alice, title="Rent strike notes", tags=["housing"])
    labour = make_thread(bob, title="Strike fund", tags=["labour"])
    by_bob = make_comment(housing, author=bob, body="The strike starts Monday.")
    assert len(search("strike").hits) == 3
    assert {k for k in kinds(search("strike", tag="Housing"))} == {
        ("thread", housing.id),
        ("comment", by_bob.id),
    }
    assert set(kinds(search("strike", author="BOB"))) == {
        ("thread", labour.id),
        ("comment", by_bob.id),
    }
    assert kinds(search("strike", tag="labour", author="alice")) == []


def test_unknown_tag_or_author_is_a_message_not_an_error(app) -> None:
    make_thread(title="Strike fund")
    assert "no tag" in (search("strike", tag="no-such-tag").message or "")
    assert "No one is called" in (search("strike", author="nobody-here").message or "")


def test_pagination_twenty_a_page(app) -> None:
    thread = make_thread(title="Minutes")
    for n in range(25):
        make_comment(thread, body=f"Agenda item {n}: budget.")
    first = search("budget")
    assert (len(first.hits), first.total, first.next_page) == (20, 25, 2)
    second = search("budget", page=2)
    assert (len(second.hits), second.next_page) == (5, None)
    assert not set(kinds(first)) & set(kinds(second))
    far = search("budget", page=10**6)
    assert (far.page, far.hits) == (50, [])


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced',
        "NEAR(budget",
        "budget*",
        "* budget",
        "'; DROP TABLE threads; --",
        "budget OR 1=1",
        "budget & ! | :* <->",
        "title:budget",
        "budget " * 300,
        "bud\u200bget",
        "\u202ebudget",
        "()" * 50,
    ],
)
def test_hostile_queries_never_fail(app, client: FlaskClient, query: str) -> None:
    make_comment(body="The budget is tight.")
    search(query)  # no exception
    assert client.get("/search", query_string={"q": query}).status_code == 200
    assert db.session.scalar(text("SELECT count(*) FROM threads")) == 1


def test_query_is_echoed_escaped(app, client: FlaskClient) -> None:
    make_comment(body="script alert budget")
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    html = client.get("/search", query_string={"q": payload}).get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(" in html


def test_snippet_text_is_escaped_and_marked(app, client: FlaskClient) -> None:
    make_comment(body="Budget <b>talk</b> & <script>x()</script> today.")
    html = client.get("/search?q=budget").get_data(as_text=True)
    assert "<mark>Budget</mark>" in html
    assert "<script>x()" not in html and "<b>talk" not in html


def test_the_title_is_marked_where_the_match_is(app, client: FlaskClient) -> None:
    """A thread found by its title shows the word marked in the title; a comment's result
    marks its thread's title too; the title stays escaped."""
    thread = make_thread(title="Shelter <em>beds</em> by district", body="Figures below.")
    make_comment(thread, body="The shelter counts are from May.")
    html = client.get("/search?q=shelter").get_data(as_text=True)
    titles = re.findall(r"<h2><a [^>]*>(.*?)</a></h2>", html)
    assert len(titles) == 2
    for title in titles:
        assert "<mark>Shelter</mark> &lt;em&gt;beds&lt;/em&gt; by district" in title
    unmarked = client.get("/search?q=figures").get_data(as_text=True)
    assert "<mark>Shelter</mark>" not in unmarked and "<mark>Figures</mark>" in unmarked


@pytest.mark.parametrize(
    ("title", "shown"),
    [
        (
            "<script>alert(1)</script> funded",
            "&lt;script&gt;alert(1)&lt;/script&gt; <mark>funded</mark>",
        ),
        ("<b>Funded</b> shelters", "&lt;b&gt;<mark>Funded</mark>&lt;/b&gt; shelters"),
        (
            '"><img src=x onerror=alert(1)> funds',
            "&#34;&gt;&lt;img src=x onerror=alert(1)&gt; <mark>funds</mark>",
        ),
        (
            "</mark><mark>funding</mark>",
            "&lt;/mark&gt;&lt;mark&gt;<mark>funding</mark>&lt;/mark&gt;",
        ),
        ("\x02Funding\x03 <i>x</i>", "<mark>Funding</mark> &lt;i&gt;x&lt;/i&gt;"),
    ],
)
def test_hostile_titles_are_marked_and_escaped(
    app, client: FlaskClient, title: str, shown: str
) -> None:
    """The title is marked in pieces of text, each escaped by Jinja: markup in a title is
    shown as written, the marks are the only tags, and control characters that the
    highlighter uses as its own markers never reach it from a title."""
    make_thread(title=title, body="Body.", tags=["housing"])
    html = client.get("/search?q=funding").get_data(as_text=True)
    (heading,) = re.findall(r"<h2><a [^>]*>(.*?)</a></h2>", html)
    assert shown in heading
    assert re.sub(r"</?mark>", "", heading).count("<") == 0


def test_empty_state_and_no_results_pages(client: FlaskClient) -> None:
    empty = client.get("/search").get_data(as_text=True)
    assert 'name="q"' in empty and "Type a few words" in empty
    short = client.get("/search?q=x").get_data(as_text=True)
    assert "Type at least 2 characters" in short
    none = client.get("/search?q=zzyzx").get_data(as_text=True)
    assert "No results for" in none and "fewer words" in none


def test_the_header_has_a_search_box(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert 'role="search"' in html and 'action="/search"' in html


def test_held_removed_deleted_never_appear_and_approval_brings_back(app) -> None:
    thread = make_thread(title="Minutes")
    author = make_user()
    held = threads.reply(thread=thread, author=author, body="Quorum held back.", new_user_review=1)
    assert held.status == CommentStatus.PENDING
    assert search("quorum").hits == []
    moderator = make_moderator()
    (item,) = moderation.open_queue(moderator)
    moderation.decide(item, actor=moderator, decision="approve")
    assert kinds(search("quorum")) == [("comment", held.id)]

    item = moderation.enqueue(held, "flags", priority=1)
    db.session.commit()
    moderation.decide(item, actor=moderator, decision="remove", reason="Off topic.")
    assert search("quorum").hits == []

    gone = make_comment(thread, author=author, body="Quorum again.")
    assert kinds(search("quorum")) == [("comment", gone.id)]
    threads.delete_comment(gone, actor=author)
    assert search("quorum").hits == []


def test_edits_update_the_index(app) -> None:
    comment = make_comment(body="Original wording about leaflets.")
    threads.edit_comment(comment, actor=comment.author, body="New wording about posters.")
    assert search("leaflets").hits == []
    assert kinds(search("posters")) == [("comment", comment.id)]
    thread = comment.thread
    thread.title = "Renamed: zine fair"
    db.session.commit()
    assert ("thread", thread.id) in kinds(search("zine"))


def test_a_deleted_thread_leaves_the_index(app) -> None:
    thread = make_thread(title="Banner workshop", body="Bring paint.")
    make_comment(thread, body="Banner cloth is in the cupboard.")
    assert len(search("banner").hits) == 2
    db.session.delete(db.session.get(Thread, thread.id))
    db.session.commit()
    assert search("banner").hits == []


def test_the_count_is_capped(app, monkeypatch: pytest.MonkeyPatch) -> None:
    from forum.search import service

    monkeypatch.setattr(service, "COUNT_CAP", 3)
    thread = make_thread(title="Minutes")
    for _ in range(25):
        make_comment(thread, body="Budget again.")
    results = search("budget", page=2)
    assert (results.total, results.total_is_capped) == (3, True)


def test_only_the_newest_matches_are_ranked(app, monkeypatch: pytest.MonkeyPatch) -> None:
    """A common word costs the same as a rare one: past RANK_CANDIDATES matches of a kind,
    the older ones drop out, however well they would score."""
    from forum.search import service

    monkeypatch.setattr(service, "RANK_CANDIDATES", 3)
    thread = make_thread(title="Shelter rota", body="Weekly planning.")
    oldest = make_comment(thread, body="Hotline hotline hotline: the hotline again.")
    newer = [make_comment(thread, body=f"The hotline, call {n}.") for n in range(3)]
    best_new = make_comment(thread, body="Hotline hotline, twice.")
    hits = kinds(search("hotline"))
    assert hits[0] == ("comment", best_new.id)
    assert sorted(hits) == sorted(("comment", c.id) for c in [best_new, *newer[1:]])
    assert ("comment", oldest.id) not in hits


def test_the_search_objects_are_in_place(app) -> None:
    """A later batch migration on SQLite rebuilds threads/comments and drops their triggers;
    this fails until that migration re-creates them. On PostgreSQL, both GIN indexes serve
    the stored vectors the service queries with."""
    if db.engine.dialect.name == "sqlite":
        names = set(
            db.session.scalars(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
        )
        assert {
            f"search_index_{table}_{event}"
            for table in ("thread", "comment")
            for event in ("insert", "update", "delete")
        } <= names
        return
    from forum.search.service import PG_CONFIG

    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    # On an empty table the indexes holding status look as good; hide them (this
    # transaction only).
    db.session.execute(text("DROP INDEX ix_comments_status"))
    db.session.execute(text("DROP INDEX ix_comments_author_id_status"))
    q = f"websearch_to_tsquery({PG_CONFIG}, 'x')"
    plans = [
        db.session.execute(text(f"EXPLAIN SELECT id FROM threads WHERE search_vector @@ {q}")),
        db.session.execute(
            text(
                f"EXPLAIN SELECT id FROM comments WHERE status = 'published' "
                f"AND search_vector @@ {q}"
            )
        ),
    ]
    shown = ["\n".join(row[0] for row in plan) for plan in plans]
    assert "ix_threads_search" in shown[0]
    assert "ix_comments_search" in shown[1]
    db.session.rollback()


def test_the_migration_indexes_rows_that_already_exist(scratch_url: str) -> None:
    app = create_app(base_config(scratch_url))
    with app.app_context():
        flask_migrate.upgrade(revision="5978b1bb7ae9")
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO users (id, username, username_key, password_hash, role, "
                    "session_version, created_at, email_notifications, auto_follow_threads) "
                    "VALUES (1, 'janfray', 'janfray', 'x', 'member', 1, CURRENT_TIMESTAMP, "
                    "false, true)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO threads (id, title, slug, author_id, body_src, body_html, "
                    "created_at, last_activity_at, comment_count, comment_seq) VALUES (1, "
                    "'Old picket', 'old', 1, 'b', '<p>b</p>', CURRENT_TIMESTAMP, "
                    "CURRENT_TIMESTAMP, 1, 2)"
                )
            )
            for id_, status in ((1, "published"), (2, "pending_review")):
                conn.execute(
                    text(
                        "INSERT INTO comments (id, thread_id, author_id, number, path, depth, "
                        "body_src, body_html, status, created_at, removal_reason, appealed, "
                        "is_question) VALUES (:id, 1, 1, :id, :path, 0, 'picket line', 'p', "
                        ":status, CURRENT_TIMESTAMP, '', false, false)"
                    ),
                    {"id": id_, "path": f"{id_:06d}", "status": status},
                )
        flask_migrate.upgrade()
        assert sorted(kinds(search("picket"))) == [("comment", 1), ("thread", 1)]
        db.session.remove()
        flask_migrate.downgrade(revision="5978b1bb7ae9")
        flask_migrate.upgrade()
        assert len(search("picket").hits) == 2
        db.session.remove()
        flask_migrate.downgrade(revision="base")
        db.engine.dispose()


def _finds_funding(conn: Connection) -> list[int]:
    """What "funding" finds, straight from the index (the service needs the vocabulary)."""
    if conn.dialect.name == "sqlite":
        sql = "SELECT -rowid FROM search_index WHERE search_index MATCH '\"funding\"'"
    else:
        sql = "SELECT id FROM threads WHERE search_vector @@ to_tsquery('forum_search', 'funding')"
    return list(conn.scalars(text(sql)))


def test_the_stemming_migration_reindexes_and_fills_the_vocabulary(scratch_url: str) -> None:
    """Upgraded, a thread that says "Funded" is found by "funding" and its words are in the
    vocabulary; downgraded, the index is back to words as written; upgraded again, stemmed."""
    app = create_app(base_config(scratch_url))
    with app.app_context():
        flask_migrate.upgrade(revision="3c5e8a1f0b27")
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO users (id, username, username_key, password_hash, role, "
                    "created_at) VALUES (1, 'janfray', 'janfray', 'x', 'member', "
                    "CURRENT_TIMESTAMP)"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO threads (id, title, slug, author_id, body_src, body_html, "
                    "created_at, last_activity_at, comment_count, comment_seq, status) VALUES "
                    "(1, 'Funded Décriminalisation', 'old', 1, 'Grant 2024 ok', '<p>b</p>', "
                    "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0, 0, 'published')"
                )
            )
            assert _finds_funding(conn) == []
        flask_migrate.upgrade()
        with db.engine.connect() as conn:
            assert _finds_funding(conn) == [1]
            vocabulary = set(conn.scalars(text("SELECT word FROM search_words")))
        assert vocabulary == {"funded", "decriminalisation", "grant"}
        assert search("fundng").did_you_mean == "funded"
        db.session.remove()
        flask_migrate.downgrade(revision="3c5e8a1f0b27")
        with db.engine.connect() as conn:
            assert _finds_funding(conn) == []
            assert "search_words" not in inspect(conn).get_table_names()
        flask_migrate.upgrade()
        with db.engine.connect() as conn:
            assert _finds_funding(conn) == [1]
        flask_migrate.downgrade(revision="base")
        db.engine.dispose()


def test_a_page_of_one_word_floods_highlights_a_bounded_window_of_each(
    app, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The attack: threads whose body is one short word repeated to 50,000 characters made
    the database's highlighter quadratic; now each hit's highlighter reads a capped opening."""
    author = make_user("flooder")
    for _ in range(10):
        make_thread(author, title="Flood", body=("word " * 10_000)[:THREAD_BODY_MAX])
    fed: list[int] = []

    def counting(document: str, query: SearchQuery) -> list[SnippetPiece]:
        fed.append(len(document))
        return highlight(document, query)

    monkeypatch.setattr(search_service, "highlight", counting)
    response = client.get("/search?q=word")
    assert response.status_code == 200
    assert len(fed) == 10
    assert max(fed) <= SNIPPET_SCAN_CHARS
    html = response.get_data(as_text=True)
    assert html.count("<mark>") == 10 * SNIPPET_WORDS


@pytest.mark.parametrize("query", ["a*", '"a"', "-a"])
def test_one_letter_with_syntax_is_refused_on_the_page(client: FlaskClient, query: str) -> None:
    make_comment(body="a a a a")
    html = client.get("/search", query_string={"q": query}).get_data(as_text=True)
    assert "Search for a word of at least 2 letters or digits" in html
    assert 'class="search-results"' not in html


@pytest.mark.parametrize(
    "config_overrides", [{"RATELIMIT_ENABLED": True, "RATELIMIT_SEARCH": "2 per minute"}]
)
def test_searching_is_rate_limited_on_the_page_and_the_api(client: FlaskClient) -> None:
    assert client.get("/search?q=budget").status_code == 200
    assert client.get("/api/v1/search?q=budget").status_code == 200
    assert client.get("/search?q=budget").status_code == 429
    assert client.get("/api/v1/search?q=budget").status_code == 429
    # Other pages are not affected.
    assert client.get("/").status_code == 200
