"""Question detection and the promoted thread's body: pure rules, no app."""

from __future__ import annotations

import ast
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from forum import permissions
from forum.threads import rules

# Examples written for this forum, on its subjects.
REAL_QUESTIONS = [
    "Does a T visa application require the survivor to cooperate with police?",
    "Thanks, Oak. Where does a woman sleep on the first night after a raid?",
    "Which shelters in the county take people who are still working?",
    "I'd like to know how labour cases get identified, if not through police.",
    "I wonder whether the hotline counts repeat callers twice.",
    "- Who pays for the interpreter at the first interview?\n- Is it the same agency?",
    "What *should* the grant form ask instead of arrest counts?",
]
NOT_QUESTIONS = [
    "The budget puts twice as much into task forces as into housing.",
    "Funding follows the story we tell, right?",
    "The numbers are inflated, aren't they?",
    "Really?",
    "Says who?",
    "Are you serious?",
    "Do you even read the reports you cite?",
    "Have you actually read the evaluation before dismissing it?",
    "Isn't it obvious that raids make things worse?",
    "What is wrong with you people?",
    "How dare you call survivors liars?",
    # Questions someone else asked: quoted with ">" or in quotation marks.
    "> Where does the money actually go?\n\nI've been asking myself the same thing.",
    'She kept asking "who pays for the motel on Friday night?" and nobody answered.',
    "Their flyer says “are you being held against your will?” in six languages.",
    # Question marks in code and links are not questions.
    "The sheet is at https://sheets.example.net/d/budget?tab=2 if you want it.",
    "Search with `status=open?` in the tracker.",
    "",
]


@pytest.mark.parametrize("text", REAL_QUESTIONS)
def test_real_questions_are_found(text: str) -> None:
    assert rules.looks_like_question(text)
    assert rules.question_sentence(text)


@pytest.mark.parametrize("text", NOT_QUESTIONS)
def test_rhetorical_quoted_and_non_questions_are_not(text: str) -> None:
    assert not rules.looks_like_question(text)
    assert rules.question_sentence(text) is None


def test_an_attack_phrased_as_a_question_is_skipped_where_the_rules_flagged_it() -> None:
    text = "Are some of you pimps yourselves, profiting from this? Who funds the shelters?"
    attack = (0, text.index("?") + 1)
    only_attack = text[: attack[1]]
    assert rules.looks_like_question(only_attack)  # by its punctuation alone...
    assert not rules.looks_like_question(only_attack, flagged_spans=[attack])  # ...not once flagged
    assert rules.question_sentence(text, flagged_spans=[attack]) == "Who funds the shelters?"


def test_question_sentence_is_plain_text_fit_for_a_title() -> None:
    text = (
        "This thread has been useful. What *should* happen to the people found in an "
        "operation, if we were doing it right? Where does she sleep?"
    )
    assert rules.question_sentence(text) == (
        "What should happen to the people found in an operation, if we were doing it right?"
    )
    long = "Why " + "really " * 60 + "do grants pay for overtime?"
    sentence = rules.question_sentence(long)
    assert sentence is not None and len(sentence) <= rules.TITLE_MAX
    assert sentence.endswith("…")


def test_promoted_body_quotes_the_comment_under_name_and_exact_time() -> None:
    body = rules.compose_promoted_body(
        asker="fen_and_salt",
        said_at="22 Nov 2026 at 14:05 UTC",
        quote="First line.\n\n> their quote\nWhat now?",
        intro="Thank you for asking.",
    )
    assert body.startswith("fen\\_and\\_salt, on 22 Nov 2026 at 14:05 UTC, said:\n\n")
    assert "> First line.\n>\n> > their quote\n> What now?\n" in body
    assert body.rstrip().endswith("Thank you for asking.")
    anonymous = rules.compose_promoted_body(
        asker=rules.READER_LABEL, said_at="1 Dec 2026 at 09:00 UTC", quote="Why?", intro=""
    )
    assert anonymous.startswith("a reader, on 1 Dec 2026 at 09:00 UTC, said:")


def test_undo_window() -> None:
    at = datetime(2026, 11, 22, 14, 5, tzinfo=UTC)
    assert rules.within_undo_window(at, at + timedelta(hours=72), 72)
    assert not rules.within_undo_window(at, at + timedelta(hours=72, seconds=1), 72)


def _person(id_: int, *, moderator: bool = False, suspended: bool = False) -> SimpleNamespace:
    return SimpleNamespace(
        id=id_,
        is_authenticated=True,
        is_moderator=moderator,
        is_admin=False,
        is_suspended=suspended,
        scope_tag_ids=frozenset(),
    )


@pytest.mark.parametrize(
    ("actor", "status", "allowed"),
    [
        (_person(1), "published", True),  # the thread's author
        (_person(2, moderator=True), "published", True),
        (_person(3), "published", False),  # another member
        (_person(1, suspended=True), "published", False),
        (_person(1), "pending_review", False),
        (_person(2, moderator=True), "removed", False),
        (_person(1), "deleted", False),
        (None, "published", False),
    ],
)
def test_can_promote(actor, status: str, allowed: bool) -> None:
    comment = SimpleNamespace(author_id=9, status=status, tag_ids=[1])
    assert permissions.can_promote(actor, 1, comment) is allowed


def test_hiding_attribution_is_the_askers_choice_only() -> None:
    assert permissions.can_hide_attribution(_person(9), 9)
    assert not permissions.can_hide_attribution(_person(2, moderator=True), 9)
    assert not permissions.can_hide_attribution(None, 9)


def test_threads_rules_stay_pure() -> None:
    source = Path(rules.__file__).read_text()
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & {"flask", "flask_sqlalchemy", "sqlalchemy", "forum"}
