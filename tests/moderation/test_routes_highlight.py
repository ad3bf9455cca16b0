"""The pure helper that cuts a comment into plain and highlighted pieces for the queue."""

from __future__ import annotations

import pytest

from forum.moderation.highlight import Piece, Span, find_excerpt, highlight


def test_no_spans_is_one_plain_piece() -> None:
    assert highlight("plain text", []) == [Piece("plain text")]


def test_a_span_is_cut_out_with_its_label() -> None:
    pieces = highlight("you are a shill, clearly", [Span(10, 15, "calls a person a shill")])
    assert [(p.text, p.marked) for p in pieces] == [
        ("you are a ", False),
        ("shill", True),
        (", clearly", False),
    ]
    assert pieces[1].labels == ("calls a person a shill",)
    assert pieces[1].kinds == ("rule",)


def test_overlapping_spans_share_pieces_and_labels() -> None:
    text = "abcdefghij"
    pieces = highlight(text, [Span(2, 6, "rule"), Span(4, 8, "reader", "flag")])
    assert [(p.text, p.kinds) for p in pieces] == [
        ("ab", ()),
        ("cd", ("rule",)),
        ("ef", ("flag", "rule")),
        ("gh", ("flag",)),
        ("ij", ()),
    ]
    assert "".join(p.text for p in pieces) == text


@pytest.mark.parametrize("span", [Span(-5, 3, "x"), Span(8, 50, "x"), Span(40, 60, "x")])
def test_stale_spans_are_clipped_not_trusted(span) -> None:
    pieces = highlight("short text", [span])
    assert "".join(p.text for p in pieces) == "short text"


def test_empty_and_inverted_spans_are_ignored() -> None:
    assert highlight("abc", [Span(2, 2, "x"), Span(2, 1, "x")]) == [Piece("abc")]


def test_markup_stays_text() -> None:
    pieces = highlight("<script>x</script>", [Span(0, 8, "tag")])
    assert pieces[0].text == "<script>"  # escaping is the template's job, on every piece


@pytest.mark.parametrize(
    ("excerpt", "found"),
    [
        ("real agenda", (13, 25)),
        ("REAL   agenda", (13, 25)),
        ("real\nagenda", (13, 25)),
        ("not there", None),
        ("   ", None),
        ("(a+)+$", None),  # regex characters are literal
    ],
)
def test_find_excerpt(excerpt, found) -> None:
    assert find_excerpt("what is your real  agenda here", excerpt) == found
