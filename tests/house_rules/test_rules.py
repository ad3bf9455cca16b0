"""The house rules' pure logic: sections and anchors, limits, and the links rules depend on."""

from __future__ import annotations

import time

import pytest

from forum.house_rules import rules
from forum.house_rules.rules import HouseRulesError, check_edit, parse, slugify
from forum.house_rules.service import default_text
from forum.moderation.defaults import DEFAULT_RULES
from forum.moderation.policy import REMOVAL_CATEGORIES


def test_sections_are_numbered_with_explicit_or_slugged_anchors() -> None:
    doc = parse(
        "Welcome.\n\n## Argue with ideas {#ideas-not-persons}\nNo insults.\n\n"
        "## Stay on topic!\nKeep to the thread.\n"
    )
    assert doc.intro == "Welcome."
    assert [(s.number, s.title, s.anchor) for s in doc.sections] == [
        (1, "Argue with ideas", "ideas-not-persons"),
        (2, "Stay on topic!", "stay-on-topic"),
    ]
    assert doc.sections[0].body == "No insults."
    assert doc.section("stay-on-topic") is doc.sections[1]


def test_headings_inside_code_fences_and_deeper_headings_stay_in_the_section() -> None:
    doc = parse("## One\n```\n## not a heading\n```\n### A sub-heading\ntext")
    assert len(doc.sections) == 1
    assert "## not a heading" in doc.sections[0].body
    assert "### A sub-heading" in doc.sections[0].body


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("No guessing: who people are", "no-guessing-who-people-are"),
        ("  Privacy  ", "privacy"),
        ("Café rules", "cafe-rules"),
        ("???", "section"),
        ("word " * 40, "-".join(["word"] * 12)),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug
    assert rules.is_anchor(slug)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "can't be empty"),
        ("   \n  ", "can't be empty"),
        ("x" * (rules.BODY_MAX + 1), "keep them under 30,000"),
        ("".join(f"## Rule {n}\ntext\n" for n in range(41)), "at most 40 sections"),
        ("## One\n## One\n", "Two sections have the anchor #one"),
        ("## One {#Bad Anchor}\n", "can't be an anchor"),
        ("## {#only-anchor}\n", "has no title"),
    ],
)
def test_bad_text_is_refused_with_a_reason(text: str, problem: str) -> None:
    with pytest.raises(HouseRulesError, match=problem):
        parse(text)


def test_forty_sections_and_thirty_thousand_characters_are_allowed() -> None:
    text = "".join(f"## Rule {n}\ntext\n" for n in range(40))
    assert len(parse(text).sections) == 40
    assert parse("## A\n" + "x" * (rules.BODY_MAX - 5)).sections[0].anchor == "a"


def test_parsing_is_linear_on_hostile_input() -> None:
    # Long lines that look almost like headings and anchors: each line is read once.
    nasty = ("## " + "{#" * 3000 + "}" * 3000 + "\n") * 2
    started = time.perf_counter()
    with pytest.raises(HouseRulesError):
        parse(nasty)
    big = "## A\n" + ("{#a " * 7000)[: rules.BODY_MAX - 10]
    parse(big)
    assert time.perf_counter() - started < 0.5


def test_an_edit_may_not_drop_a_linked_anchor_but_may_rename_its_title() -> None:
    required = {"ideas-not-persons", "appeals"}
    renamed = "## Debate the point {#ideas-not-persons}\nx\n## Appeals\ny"
    assert len(check_edit(renamed, required).sections) == 2
    with pytest.raises(HouseRulesError, match="#ideas-not-persons"):
        check_edit("## Debate the point\nx\n## Appeals\ny", required)


def test_every_built_in_rule_and_category_has_a_section_in_the_shipped_rules() -> None:
    shipped = parse(default_text())
    assert rules.missing_anchors(shipped, rules.linked_anchors()) == []
    for rule in DEFAULT_RULES:
        anchor = rules.section_for_rule(str(rule["id"]))
        assert anchor in shipped.anchors, rule["id"]
    for category in REMOVAL_CATEGORIES:
        assert rules.section_for_category(category) in shipped.anchors, category
    # The family decides, a full id overrides it, an unknown rule links to the top.
    assert rules.section_for_rule("motive.agenda") == "no-guessing-motives"
    assert rules.section_for_rule("accuse.sock_puppet") == "no-guessing-identities"
    assert rules.section_for_rule("hostility.slur") == "harassment"
    assert rules.section_for_rule("matrix.stooge") is None
    assert rules.section_for_category("spam") == "on-topic"


def test_the_shipped_rules_explain_ideas_not_persons_with_examples() -> None:
    shipped = parse(default_text())
    first = shipped.sections[0]
    assert first.anchor == "ideas-not-persons"
    assert "Over the line" in first.body and "Fine" in first.body
    assert {"lived-experience", "privacy", "how-moderation-works"} <= shipped.anchors
