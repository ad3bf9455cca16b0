"""forum.tags.rules: one slug per topic, and tag lists people can fix when refused."""

from __future__ import annotations

import re

import pytest

from forum.tags.rules import (
    MAX_TAGS_PER_THREAD,
    TAG_MAX_LENGTH,
    TagError,
    normalize_tag,
    parse_tag_list,
    tag_display_name,
)


@pytest.mark.parametrize(
    "name",
    [
        "Labor Trafficking",
        "labor-trafficking",
        "LABOR_trafficking",
        "  labor   trafficking ",
        "Lábor Trafficking",
        "labor--trafficking!",
        "labor/trafficking",
        "l\u0430bor trafficking",  # Cyrillic a
        "lab\u043er traffi\u0441king",  # Cyrillic o, and es (looks like c)
        "labor traff\u0456cking",  # Cyrillic i
        "lab\u043er tr\u0430fficking",
        "L\u0410B\u041eR TR\u0410FFI\u0421KING",  # Cyrillic capitals
        "lab\u03bfr trafficking",  # Greek omicron
        "l\u03b1bor trafficking",  # Greek alpha
        "LAB\u039fR TRAFFICKING",  # Greek capital omicron
        "lab\u200bor traf\u200dfic\u2060king",  # zero-width characters inside words
        "lab\u00ador traf\ufe0ffic\u034fking",  # soft hyphen, variation selector, CGJ
        "\u202elabor trafficking\u202c",  # bidi override
        "\uff2c\uff41\uff42\uff4f\uff52 \uff54\uff52\uff41\uff46\uff46\uff49\uff43\uff4b\uff49\uff4e\uff47",  # noqa: E501 full-width
        "l\u00e0b\u00f6r tr\u00e4ff\u00efcking",  # assorted accents
        "la\u0301bor trafficking",  # decomposed accent
        "labor\ttrafficking\n",
        "l\u03acbor trafficking",  # Greek alpha with tonos
    ],
)
def test_variants_of_one_topic_share_a_slug(name: str) -> None:
    assert normalize_tag(name) == "labor-trafficking"


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Housing", "housing"),
        ("H-1B visas", "h-1b-visas"),
        ("2024 elections", "2024-elections"),
        ("Straße", "strasse"),
        ("Ærø", "aero"),
        ("\U0001d40b\U0001d41a\U0001d41b\U0001d428\U0001d42b", "labor"),  # bold maths letters
        ("\u039d\u039f", "no"),  # Greek capitals Nu, Omicron
        ("\u0440\u043e\u0440", "pop"),  # all-Cyrillic look-alike of "pop"
        ("workers' rights", "workers-rights"),
        ("труд", ""),  # a real Cyrillic word: not mangled into Latin fragments
        ("labor труд", "labor"),
        ("!!!", ""),
        ("", ""),
        ("\u200b\u200b", ""),
        ("---", ""),
    ],
)
def test_normalize_tag(name: str, slug: str) -> None:
    assert normalize_tag(name) == slug


def test_normalize_tag_is_idempotent() -> None:
    for name in ("Labor Trafficking", "H-1B visas", "Ærø", "l\u0430bor"):
        slug = normalize_tag(name)
        assert normalize_tag(slug) == slug


def test_tag_display_name() -> None:
    assert tag_display_name("labor-trafficking") == "labor trafficking"
    assert tag_display_name("housing") == "housing"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("labor trafficking, funding", ["labor-trafficking", "funding"]),
        ("Funding,funding , FUNDING", ["funding"]),
        ("b, a, b", ["b", "a"]),
        ("housing,\nfunding", ["housing", "funding"]),
        ("housing，funding", ["housing", "funding"]),  # full-width comma
        (" housing , , ,", ["housing"]),
        (["Labor Trafficking", "labor_trafficking", "Funding"], ["labor-trafficking", "funding"]),
        (("a, b", "c"), ["a", "b", "c"]),
        (["a", "b", "c", "d", "e"], ["a", "b", "c", "d", "e"]),
        (["a", "b", "c", "d", "e", "A", "b"], ["a", "b", "c", "d", "e"]),  # counted after dedupe
        ("x" * TAG_MAX_LENGTH, ["x" * TAG_MAX_LENGTH]),
    ],
)
def test_parse_tag_list(raw: str | list[str], expected: list[str]) -> None:
    assert parse_tag_list(raw) == expected


@pytest.mark.parametrize("raw", ["", "  ", ", ,", [], [""]])
def test_parse_tag_list_optional_may_be_empty(raw: str | list[str]) -> None:
    assert parse_tag_list(raw, required=False) == []


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "at least one tag"),
        (" , ", "at least one tag"),
        ([], "at least one tag"),
        ("a, b, c, d, e, f", f"at most {MAX_TAGS_PER_THREAD} tags"),
        (["a", "b", "c", "d", "e", "f"], "you gave 6"),
        ("x" * (TAG_MAX_LENGTH + 1), f"{TAG_MAX_LENGTH} characters or fewer"),
        ("housing, !!!", '"!!!" can\'t be used as a tag'),
        ("труд", "Latin letters (a-z) or digits (0-9)"),
    ],
)
def test_parse_tag_list_errors(raw: str | list[str], message: str) -> None:
    with pytest.raises(TagError, match=re.escape(message)):
        parse_tag_list(raw)


def test_tag_error_is_a_value_error() -> None:
    assert issubclass(TagError, ValueError)


def test_long_input_is_shortened_in_the_message() -> None:
    with pytest.raises(TagError) as excinfo:
        parse_tag_list("y" * 500)
    assert len(str(excinfo.value)) < 120
