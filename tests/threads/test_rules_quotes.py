"""Pure quoting rules: a quote block to start a reply with, and taking a person's words out of
others' posts when they delete their account with their text."""

from __future__ import annotations

import pytest

from forum.threads.rules import QUOTE_REMOVED, is_quoted_from, quote_markdown, unquote

SAID = "The shelter on **Elm** street closes at nine.\n\nIt opens again at six."


def _unquote(body: str, numbers: tuple[int, ...] = (3,)) -> str:
    return unquote(body, [SAID], author="hazel", numbers=numbers, placeholder_name="[gone]")


def test_a_quote_button_block_goes_with_the_name_in_its_header() -> None:
    body = quote_markdown("hazel", 3, SAID) + "Not on Sundays."
    assert _unquote(body) == f"In response to [gone] (#3):\n\n> {QUOTE_REMOVED}\n\nNot on Sundays."


def test_the_header_alone_is_enough_even_for_an_edited_quote() -> None:
    body = "In response to hazel (#3):\n\n> something she said before an edit\n\nNo."
    assert f"> {QUOTE_REMOVED}" in _unquote(body)
    by_number = "In response to HazelOld (#3):\n\n> older words\n\nNo."
    assert "[gone] (#3)" in _unquote(by_number)


@pytest.mark.parametrize(
    "quoted",
    ["> the shelter on Elm street", ">closes at nine", "> > It opens *again* at six."],
)
def test_a_quote_typed_by_hand_goes_when_its_words_are_theirs(quoted: str) -> None:
    body = f"Someone wrote:\n\n{quoted}\n\nI doubt it."
    assert _unquote(body) == f"Someone wrote:\n\n> {QUOTE_REMOVED}\n\nI doubt it."


@pytest.mark.parametrize(
    "body",
    [
        "> closes at\n\nShort quotes are common phrases.",
        "> The council funds the Elm street shelter.\n\nSomeone else's words.",
        "No quote at all.",
        "In response to rowan (#4):\n\n> words of rowan's own here\n\nKept.",
    ],
)
def test_other_peoples_quotes_and_short_phrases_stay(body: str) -> None:
    assert _unquote(body) == body


def test_is_quoted_from_needs_enough_words() -> None:
    assert is_quoted_from("Elm street closes at nine", [SAID])
    assert not is_quoted_from("at nine", [SAID])
    assert not is_quoted_from("Elm street opens at nine", [SAID])
