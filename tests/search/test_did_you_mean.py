""" "Did you mean": corrections from the vocabulary posts have used, offered only when they
find something, at a bounded cost whatever the vocabulary holds."""

from __future__ import annotations

import random
import re
import string

import pytest
from flask.testing import FlaskClient
from sqlalchemy import insert, text

from forum.extensions import db
from forum.models import SearchWord, Thread
from forum.moderation import service as moderation
from forum.search import service as search_service
from forum.search import vocabulary
from forum.search.rules import (
    MAX_CORRECTED,
    NEIGHBOURS,
    SUGGESTION_CHECKS,
    closest,
    edit_budget,
)
from forum.search.service import search
from forum.threads import service as threads
from tests.api.test_openapi import check
from tests.factories import make_comment, make_moderator, make_thread, make_user


def words() -> set[str]:
    return set(db.session.scalars(text("SELECT word FROM search_words")))


def test_posts_add_their_words_to_the_vocabulary(app) -> None:
    thread = make_thread(title="Shelter FUNDING", body="Décriminalisation, 2024, ok.")
    assert {"shelter", "funding", "decriminalisation"} <= words()
    assert not {"2024", "ok"} & words()  # digits, and too short to correct towards
    db.session.add(SearchWord(length=7, word="already"))
    db.session.commit()
    make_comment(thread, body="Already there, already.")  # no duplicate-key error
    assert "already" in words()


def test_words_no_post_has_any_more_leave_the_vocabulary(app) -> None:
    """Edits, deletions and removals take out the words only they had, so the table keeps
    no copy of what was taken back; a word another post still has (in any ending) stays."""
    thread = make_thread(title="Minutes", body="Leaflets, zines.")
    comment = make_comment(thread, body="Leaflets first, then banners and zines.")
    threads.edit_comment(comment, actor=comment.author, body="Posters instead, and zine.")
    assert {"leaflets", "posters", "zine", "zines"} <= words()
    assert "banners" not in words()
    threads.delete_comment(comment, actor=comment.author)
    assert "posters" not in words()
    assert {"leaflets", "zines", "zine"} <= words()  # "zine" is "zines" to search
    db.session.delete(db.session.get(Thread, thread.id))
    db.session.commit()
    assert not {"leaflets", "zines", "minutes"} & words()


def test_a_misspelling_suggests_the_word_meant(app, client: FlaskClient) -> None:
    make_thread(title="Council funding for shelters", body="Figures below.")
    results = search("fundng")
    assert (results.hits, results.did_you_mean) == ([], "funding")
    html = client.get("/search?q=fundng").get_data(as_text=True)
    assert 'Did you mean: <a href="/search?q=funding">funding</a>?' in html
    # Every word is corrected that needs it, and known words are kept as typed.
    assert search("Council fundng for sheltrs").did_you_mean == "Council funding for shelters"
    # Zero-width characters are dropped before anything else.
    assert search("fund\u200bng").did_you_mean == "funding"


def test_the_suggestion_keeps_the_tag_and_author(app, client: FlaskClient) -> None:
    alice = make_user("alice")
    make_thread(alice, title="Strike funding", body="Notes.", tags=["labour"])
    make_thread(title="Housing funding", body="Notes.", tags=["housing"])
    assert search("fundng", tag="labour", author="alice").did_you_mean == "funding"
    html = client.get("/search?q=fundng&tag=labour&author=alice").get_data(as_text=True)
    (link,) = re.findall(r'Did you mean: <a href="([^"]*)">', html)
    assert link == "/search?q=funding&amp;tag=labour&amp;author=alice"
    # Under a filter that the corrected query finds nothing in, nothing is suggested.
    assert search("fundng", tag="labour", author=make_user("bob").username).did_you_mean is None


def test_nothing_close_suggests_nothing(app, client: FlaskClient) -> None:
    make_thread(title="Council funding", body="Figures below.")
    assert search("zzyzx").did_you_mean is None
    assert search("fnd").did_you_mean is None  # too short to guess at
    html = client.get("/search?q=zzyzx").get_data(as_text=True)
    assert "No results for" in html and "Did you mean" not in html
    # Found queries need no suggestion; nor do words that are all known but never together.
    assert search("funding").did_you_mean is None
    assert search("council figures zebra").did_you_mean is None


def test_only_a_suggestion_with_results_is_offered(app) -> None:
    """A word known only from a held comment, or one since removed, is never suggested:
    its query would find nothing, and a suggestion must not hint at what is hidden."""
    thread = make_thread(title="Minutes", body="Nothing yet.")
    held = threads.reply(
        thread=thread, author=make_user(), body="Quorum reached.", new_user_review=1
    )
    assert "quorum" in words()
    assert search("quorom").did_you_mean is None
    moderator = make_moderator()
    (item,) = moderation.open_queue(moderator)
    moderation.decide(item, actor=moderator, decision="approve")
    assert search("quorom").did_you_mean == "quorum"
    item = moderation.enqueue(held, "flags", priority=1)
    db.session.commit()
    moderation.decide(item, actor=moderator, decision="remove", reason="Off topic.")
    assert search("quorom").did_you_mean is None


def test_a_closer_word_without_results_gives_way_to_one_with(app) -> None:
    make_thread(title="Findings", body="The finding stands.")
    db.session.execute(insert(SearchWord), [{"length": 7, "word": "funding"}])
    db.session.commit()
    # "funding" is one edit from "fundng" but finds nothing; "finding" is two and does.
    assert closest("fundng", ["funding", "finding"])[0] == ("funding", 1)
    assert search("fundng").did_you_mean == "finding"


def test_the_api_gives_the_suggestion(client: FlaskClient) -> None:
    doc = client.get("/api/v1/openapi.json").get_json()
    make_thread(title="Council funding", body="Figures below.")
    for q, expected in (("fundng", "funding"), ("zzyzx", None), ("funding", None)):
        response = client.get("/api/v1/search", query_string={"q": q})
        check(doc, "/search", "get", response)
        assert response.get_json()["did_you_mean"] == expected


def _fill_vocabulary(size: int) -> None:
    """``size`` made-up words of four to eight letters, all starting "fu", so the slices read
    beside a typed "fundng" are full (the same made-up words for the same size)."""
    rng = random.Random(size)
    made: set[str] = set()
    while len(made) < size:
        made.add("fu" + "".join(rng.choices(string.ascii_lowercase, k=rng.randint(2, 6))))
    rows = [{"length": len(word), "word": word} for word in sorted(made)]
    db.session.execute(insert(SearchWord), rows)
    db.session.commit()


@pytest.mark.parametrize("size", [2_000, 40_000])
def test_a_suggestion_costs_the_same_whatever_the_vocabulary_holds(
    app, count_queries, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    """The work counted, not timed: vocabulary words compared, statements sent and
    corrected queries tried are the same fixed bounds at 2,000 words and at 40,000."""
    make_thread(title="Council funding", body="Figures below.")
    _fill_vocabulary(size)
    compared: list[int] = []

    def counting(word: str, candidates: list[str]) -> list[tuple[str, int]]:
        compared.append(len(candidates))
        return closest(word, candidates)

    monkeypatch.setattr(search_service, "closest", counting)
    with count_queries() as counter:
        search("fundng")
    # Lengths 4 to 8, NEIGHBOURS words on each side of "fundng" in each: every slice full.
    assert compared == [2 * NEIGHBOURS * (2 * edit_budget("fundng") + 1)]
    # The search's own ranking, the look-up of the typed words, the neighbours, and at most
    # SUGGESTION_CHECKS corrected queries counted to their first match.
    checks = [s for s in counter.statements if "count(" in s]
    assert len(checks) <= SUGGESTION_CHECKS
    assert counter.count == 3 + len(checks)


def test_many_unknown_words_are_no_typo_and_cost_nothing(app, count_queries) -> None:
    make_thread(title="Council funding", body="Figures below.")
    typed = " ".join(["fundng", "councl", "figurs", "belw", "shelterz"][: MAX_CORRECTED + 1])
    with count_queries() as counter:
        assert search(typed).did_you_mean is None
    assert counter.count == 2  # the search itself, and the look-up of its words


def test_the_neighbours_are_read_from_the_key_alone(app) -> None:
    """Each slice of vocabulary.neighbours is a range of the primary key that stops at its
    limit: no scan of the table, no sort of it."""
    _fill_vocabulary(2_000)
    statement = (
        db.session.query(SearchWord.word)
        .filter(SearchWord.length == 7, SearchWord.word >= "fundng")
        .order_by(SearchWord.word)
        .limit(NEIGHBOURS)
        .statement
    )
    sql = str(statement.compile(db.engine, compile_kwargs={"literal_binds": True}))
    if db.engine.dialect.name == "sqlite":
        plan = " ".join(row[3] for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
        assert "SEARCH search_words USING PRIMARY KEY (length=? AND word>?)" in plan
        assert "TEMP B-TREE" not in plan
    else:
        # With the statistics autovacuum would gather; a fresh table has none.
        db.session.execute(text("ANALYZE search_words"))
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = " ".join(row[0] for row in db.session.execute(text(f"EXPLAIN {sql}")))
        assert "Index Only Scan using pk_search_words" in plan
        assert "Sort" not in plan
        db.session.rollback()
    assert len(vocabulary.neighbours("fundng")) <= 2 * NEIGHBOURS * 5


@pytest.mark.parametrize(
    "query",
    [
        "fundng'; DROP TABLE search_words; --",
        "fundng OR 1=1",
        "fund\u200bng\u202e",
        "fundng " * 40,
        "f" + "u" * 199,
        "fundng " + "x" * 190,
        "%_fundng%",
    ],
)
def test_hostile_queries_give_a_clear_page(app, client: FlaskClient, query: str) -> None:
    make_thread(title="Council funding", body="Figures below.")
    search(query)  # no exception
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "No results for" in html
    assert db.session.scalar(text("SELECT count(*) FROM search_words")) > 0
