"""Query parsing and snippet splitting: pure, so no app or database."""

from __future__ import annotations

import pytest

from forum.models.search import SEARCH_WORD_MAX
from forum.search.rules import (
    CORRECTIONS_PER_WORD,
    MAX_PAGE,
    NO_WORDS,
    QUERY_MAX,
    SHORT_WORDS,
    SNIPPET_SCAN_CHARS,
    SNIPPET_WORDS,
    SUGGESTION_CHECKS,
    TOO_SHORT,
    VOCABULARY_MAX,
    SnippetPiece,
    clamp_page,
    closest,
    correctable,
    highlight,
    is_search_index_object,
    mark_title,
    parse_query,
    split_snippet,
    stem,
    suggestions,
    vocabulary_words,
)


@pytest.mark.parametrize("raw", [None, "", " ", "a", "\u200b\u200bx\u200b", "\x00\x01"])
def test_empty_or_too_short_asks_for_two_characters(raw: str | None) -> None:
    query = parse_query(raw)
    assert query.is_empty
    assert query.message == TOO_SHORT


@pytest.mark.parametrize("raw", ["!!!", '""', "**", "()", "-:-", "'; --", "<>"])
def test_punctuation_alone_has_no_words(raw: str) -> None:
    query = parse_query(raw)
    assert query.is_empty
    assert query.message == NO_WORDS


@pytest.mark.parametrize(
    ("raw", "fts5"),
    [
        ("housing rights", '"housing" "rights"'),
        ('"housing', '"housing"'),
        ("NEAR(a b)", '"NEAR" "a" "b"'),
        ("a OR b NOT c", '"a" "OR" "b" "NOT" "c"'),
        ("-police title:raid", '"police" "title" "raid"'),
        ("'; DROP TABLE threads; --", '"DROP" "TABLE" "threads"'),
        ("décriminalisation", '"décriminalisation"'),
        ("de\u0301crim", '"décrim"'),  # NFC first
        ("zero\u200bwidth", '"zerowidth"'),
        ("<script>alert(1)</script>", '"script" "alert" "1" "script"'),
        ("co-op*", '"co" "op"*'),
    ],
)
def test_words_are_quoted_and_anded(raw: str, fts5: str) -> None:
    assert parse_query(raw).fts5 == fts5


def test_a_trailing_star_makes_the_last_word_a_prefix() -> None:
    query = parse_query("sex decrim*")
    assert query.prefix
    assert query.fts5 == '"sex" "decrim"*'
    assert query.whole_words == '"sex"'
    assert query.prefix_tsquery == "'decrim':*"


@pytest.mark.parametrize("raw", ["decrim", "decrim *", "a*", "x d*", "*decrim"])
def test_no_prefix_without_a_word_right_before_the_star(raw: str) -> None:
    query = parse_query(raw)
    assert not query.prefix
    assert query.prefix_tsquery is None


def test_long_input_is_cut_and_bounded() -> None:
    query = parse_query("word " * 1000)
    assert len(query.text) <= QUERY_MAX
    assert 0 < len(query.terms) <= 16


def test_operator_words_stay_words_for_websearch() -> None:
    assert parse_query("this or that").whole_words == '"this" "or" "that"'


def test_split_snippet_into_pieces() -> None:
    assert split_snippet("…about \x02housing\x03 and\n \x02rent\x03…") == [
        SnippetPiece("…about ", False),
        SnippetPiece("housing", True),
        SnippetPiece(" and ", False),
        SnippetPiece("rent", True),
        SnippetPiece("…", False),
    ]


def test_split_snippet_survives_unpaired_markers_and_html() -> None:
    pieces = split_snippet("<b>\x03x\x02\x02y")
    assert "".join(p.text for p in pieces) == "<b>xy"
    assert split_snippet("") == []


@pytest.mark.parametrize(("page", "expected"), [(-5, 1), (0, 1), (1, 1), (7, 7), (10**9, MAX_PAGE)])
def test_pages_are_capped(page: int, expected: int) -> None:
    assert clamp_page(page) == expected


@pytest.mark.parametrize(
    ("name", "owned"),
    [
        ("search_index", True),
        ("search_index_data", True),
        ("ix_comments_search", True),
        ("ix_threads_search", True),
        ("threads", False),
        ("ix_comments_status", False),
        (None, False),
    ],
)
def test_names_the_objects_the_migration_owns(name: str | None, owned: bool) -> None:
    assert is_search_index_object(name) is owned


@pytest.mark.parametrize("raw", ["a*", '"a"', "-a", "a b c", "(x) -y*", "é*"])
def test_one_letter_words_are_refused_once_the_syntax_is_gone(raw: str) -> None:
    query = parse_query(raw)
    assert query.is_empty
    assert query.message == SHORT_WORDS
    assert "at least 2 letters or digits" in query.message


def test_a_short_word_beside_a_long_one_is_kept() -> None:
    assert parse_query("a budget").terms == ("a", "budget")


def test_highlight_marks_matches_around_the_first_one() -> None:
    document = "One two three four five six seven eight. Shelter BEDS near the station; shelter."
    pieces = highlight(document, parse_query("shelter"))
    assert [p.text for p in pieces if p.match] == ["Shelter", "shelter"]
    text = "".join(p.text for p in pieces)
    assert text.startswith("…three four") and "near the station" in text


def test_mark_title_marks_every_matching_word_of_the_whole_title() -> None:
    pieces = mark_title("Beds, more beds: the Décrim debate", parse_query("beds decrim*"))
    assert [p.text for p in pieces if p.match] == ["Beds", "beds", "Décrim"]
    assert "".join(p.text for p in pieces) == "Beds, more beds: the Décrim debate"


def test_highlight_folds_case_and_accents_and_prefixes() -> None:
    pieces = highlight("La Décriminalisation, enfin.", parse_query("decrim*"))
    assert [p.text for p in pieces if p.match] == ["Décriminalisation"]


def test_highlight_reads_a_bounded_window_whatever_the_document() -> None:
    # One word repeated 10,000 times: the attack that made FTS5's snippet() quadratic.
    document = "word " * 10_000
    pieces = highlight(document, parse_query("word"))
    marked = [p for p in pieces if p.match]
    assert len(marked) == SNIPPET_WORDS
    assert sum(len(p.text) for p in pieces) < SNIPPET_SCAN_CHARS
    assert pieces[-1].text.endswith("…")


def test_highlight_of_a_late_match_shows_the_opening_unmarked() -> None:
    document = "filler " * (SNIPPET_SCAN_CHARS // 7 + 10) + "shelter"
    pieces = highlight(document, parse_query("shelter"))
    assert not any(p.match for p in pieces)
    assert "".join(p.text for p in pieces).startswith("filler filler")


@pytest.mark.parametrize(
    ("word", "stemmed"),
    [
        ("funding", "fund"),
        ("Funded", "fund"),
        ("FUNDS", "fund"),
        ("fund", "fund"),
        ("Communities", "commun"),
        ("Décriminalisation", "decriminalis"),
        # FTS5's porter tokenizer leaves words under three letters alone.
        ("is", "is"),
    ],
)
def test_stems_are_folded_porter_stems(word: str, stemmed: str) -> None:
    assert stem(word) == stemmed


def test_the_title_marks_every_form_of_a_stemmed_word() -> None:
    pieces = mark_title(
        "Funded, funds & <b>funding</b>: a fundamental change", parse_query("funding")
    )
    assert [p.text for p in pieces if p.match] == ["Funded", "funds", "funding"]
    # A prefix is the beginning of a stem, as the databases read it.
    pieces = mark_title("Funded, funds and a fundamental change", parse_query("funding*"))
    assert [p.text for p in pieces if p.match] == ["Funded", "funds", "fundamental"]


def test_a_snippet_marks_every_form_of_a_stemmed_word() -> None:
    pieces = highlight(
        "We funded it; the funds ran out, so funding is the question.", parse_query("fund")
    )
    assert [p.text for p in pieces if p.match] == ["funded", "funds", "funding"]


def test_vocabulary_words_are_folded_letters_of_a_useful_length() -> None:
    text = "Funding, FUNDING and Décriminalisation: 2024 is ok b4 x " + "a" * 41 + " " + "b" * 40
    assert vocabulary_words(text) == {"funding", "and", "decriminalisation", "b" * 40}


def test_the_vocabulary_keeps_words_as_long_as_its_column() -> None:
    assert VOCABULARY_MAX == SEARCH_WORD_MAX


@pytest.mark.parametrize(
    ("raw", "positions"),
    [
        ("fundng", {0: "fundng"}),
        ("Fundng for SHELTRS", {0: "fundng", 2: "sheltrs"}),
        # Too short, digits, or the prefix being typed: not corrected.
        ("fnd 2024 b4", {}),
        ("shelter fundi*", {0: "shelter"}),
        ("Décrim", {0: "decrim"}),
    ],
)
def test_correctable_words(raw: str, positions: dict[int, str]) -> None:
    assert correctable(parse_query(raw)) == positions


def test_closest_is_fewest_edits_then_longest_shared_beginning() -> None:
    candidates = ["finding", "fundings", "funded", "fund", "sending", "funding", "fundng"]
    # "fundng" itself is no correction. Of the two-edit ones, "finding" starts least like it.
    assert CORRECTIONS_PER_WORD == 3
    assert closest("fundng", candidates) == [("funding", 1), ("fund", 2), ("funded", 2)]
    assert closest("fundng", ["finding", "sending"]) == [("finding", 2)]
    assert closest("fudning", ["funding"]) == [("funding", 1)]  # two letters swapped
    # Short words get one edit, and nothing close is nothing.
    assert closest("shlf", ["shelf", "shelves"]) == [("shelf", 1)]
    assert closest("zzyzx", candidates) == []
    assert closest("fundng", []) == []


def test_suggestions_replace_each_unknown_word_fewest_edits_first() -> None:
    query = parse_query("Fundng for sheltrs")
    found = suggestions(
        query,
        {0: [("funding", 1), ("fund", 2)], 2: [("shelters", 1), ("shelter", 2)]},
    )
    assert [s.text for s in found] == [
        "funding for shelters",
        "funding for shelter",
        "fund for shelters",
    ][:SUGGESTION_CHECKS]
    assert found[0].terms == ("funding", "for", "shelters")
    assert suggestions(query, {0: [("funding", 1)], 2: []}) == []
    prefixed = suggestions(parse_query("fundng shel*"), {0: [("funding", 1)]})
    assert [(s.text, s.prefix) for s in prefixed] == [("funding shel*", True)]
