"""The engine's shortcuts decide exactly as the plain way does.

``assess`` tries each shipped pattern only where a match can begin (``patterns.starts``),
skips de-obfuscation for ASCII text with nothing to rewrite (``normalize.FAST_PATH``) and
reads only the runs of letters when no single word can hide one; all can be switched off,
and every decision over the corpora must come out the same either way. A change to a rule
needs no update here: both sides run the same rules.
"""

from __future__ import annotations

import random
import re

import pytest

from bench.assess_outputs import outputs
from forum.moderation import normalize, patterns, rules, scorer
from forum.moderation.normalize import LEET, Deobfuscator
from forum.moderation.rules import MASK


def test_the_corpora_are_decided_alike_with_and_without_the_shortcuts(monkeypatch) -> None:
    fast = list(outputs(step=4))
    monkeypatch.setattr(rules, "SCAN_FROM_STARTS", False)
    monkeypatch.setattr(normalize, "FAST_PATH", False)
    plain = list(outputs(step=4))
    assert len(fast) > 180  # a quarter of the forum corpus and the demo threads, at least
    assert sum(bool(line["context"]["matches"]) for line in fast) >= 50
    for a, b in zip(fast, plain, strict=True):
        assert a == b, a["name"]


def _noise(rng: random.Random, alphabet: str, most: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, most)))


def test_every_pattern_finds_from_its_starts_what_it_finds_everywhere() -> None:
    """Texts stitched from the rules' own words, punctuation and names, many times over."""
    rng = random.Random(7)
    words = sorted(
        {w for rule in rules.default_rules() for t in rule.terms for w in t.split()}
        | set(re.findall(r"[a-z']+", " ".join(r.pattern for r in rules.default_rules())))
    )
    bits = [*words, "jody", "@jody.k", "/u/ash_k", "you're", ",", ".", "!", "?", "\n", MASK]
    named = ("jody",)
    compiled = {}
    for rule in rules.default_rules():
        by_name = rules._uses_participants(rule)
        regex = rules._compile_with(rule, rules.NAMED if by_name else rules.NOBODY)
        found_branches = patterns.branches(regex)
        assert found_branches is not None, rule.id
        index = patterns.NeedIndex(need for branch in found_branches for need in branch.needs)
        compiled[rule.id] = by_name, regex, index, patterns.LiveStarts(found_branches, index)
    ruled_out = 0
    for _ in range(400):
        text = " ".join(rng.choice(bits) for _ in range(rng.randint(1, 40)))
        marked, spans = rules._mark_names(text, named)
        words = rules._marked_words(patterns.word_positions(text), text, spans)
        assert words == patterns.word_positions(marked), text
        for rule_id, (by_name, regex, index, live) in compiled.items():
            scanned = marked if by_name else text
            at = patterns.word_positions(scanned)
            expected = [m.span() for m in regex.finditer(scanned)][: rules.MAX_SCANNED_MATCHES]
            every = patterns.start_positions(patterns.starts(regex), scanned, at, len(scanned))
            positions = patterns.start_positions(
                live.starts(index.held(scanned, at)), scanned, at, len(scanned)
            )
            assert positions is not None and every is not None
            ruled_out += len(every) - len(positions)  # begins only branches lacking words
            found = [
                m.span()
                for m in patterns.match_from(regex, scanned, positions, rules.MAX_SCANNED_MATCHES)
            ]
            assert found == expected, (rule_id, text)
    assert ruled_out > 1000  # the needed words rule starts out: the check is not vacuous


def test_no_shipped_pattern_begins_at_letters_inside_words() -> None:
    """A start of letters with no word boundary before it is tried wherever those letters
    are, inside other words too: "a person" after a sentence start, without \\b, was tried at
    every "a" of a text (133 of a 2,000-character comment), a fifth of the rules' time."""
    for rule in rules.default_rules():
        for names in (rules.NAMED, rules.NOBODY):
            begins = patterns.starts(rules._compile_with(rule, names))
            assert begins is not None, rule.id
            inside = [s for s in begins.literals if patterns.is_word_char(s[0])]
            assert not inside, (rule.id, inside)
            # Nor at an apostrophe: "'s " begins at every possessive ("Kemi's report").
            assert not [s for s in begins.literals if s[0] == "'"], (rule.id, begins.literals)


@pytest.mark.parametrize(
    ("pattern", "starts"),
    [
        # Short words are read on into what follows them, up to four characters.
        (
            r"\b(?:you|u) are a (?:pimp|shill)s?\b",
            (set(), (), (), {"u": (" are",), "you": (" are",)}),
        ),
        (r"(?<![\w@])(?:@\w+|jo) is", (set(), (), ("@",), {"jo": (" is",)})),
        (
            r"\b(?:the )?op\b|\bthe (?:people|posters) here",
            ({"op"}, (), (), {"the": (" op", " peo", " pos")}),
        ),
        (r"\b(?:those|these) people", ({"these", "those"}, (), (), {})),
        (r"pimp(?:s|es)?", (set(), (), ("pimp", "pimpes", "pimps"), {})),  # no boundary: anywhere
        (r"\bpimp\w*", (set(), ("pimp",), (), {})),  # a word that begins with it
        # A lookahead that no word character can begin ends the word.
        (r"\b(?:liar|cheat)(?=[.!?]| and\b|$)", ({"cheat", "liar"}, (), (), {})),
    ],
)
def test_starts_read_from_a_pattern(pattern: str, starts: tuple) -> None:
    words, stems, literals, phrases = starts
    found = patterns.starts(re.compile(pattern))
    assert found is not None
    assert (set(found.words), found.stems, found.literals, dict(found.phrases)) == (
        words,
        stems,
        literals,
        phrases,
    )


@pytest.mark.parametrize(
    ("pattern", "needs"),
    [
        # Past "you are", every match needs "paid" or "bribed": a text without either holds none.
        (r"\b(?:you|u) (?:are|were) (?:just )?(?:paid|bribed)\b", [{"bribed", "paid"}]),
        # Each alternative needs its own word.
        (r"\byou (?:work for|are paid by) (?:the|a) (?:lobby|agency)", [{"paid"}, {"work"}]),
        (r"\bthe (?:real )?(?:reason|motive) you\b", [{"motive", "reason"}, {"real"}]),
        # Only words most comments hold: no set worth checking.
        (r"\byou are (?:so|too) (?:\w+ )?(?:you|it)\b", [set()]),
    ],
)
def test_words_every_match_needs(pattern: str, needs: list[set[str]]) -> None:
    """The first (cheapest) set each alternative needs."""
    found = patterns.branches(re.compile(pattern))
    assert found is not None
    firsts = [{lead for _, lead in b.needs[0]} if b.needs else set() for b in found]
    assert sorted(firsts, key=sorted) == needs
    plain = "you are so kind"
    index = patterns.NeedIndex(need for branch in found for need in branch.needs)
    assert index.held(plain, patterns.word_positions(plain)) == 0


def test_each_branch_is_tried_only_where_the_text_holds_what_it_needs() -> None:
    """Two alternatives, one beginning with words most texts hold ("not", "never") but needing
    a pet name further on: a text without one is not tried at its "not"."""
    regex = re.compile(r"\b(?:not|never)\b[^.]{0,40}, (?:sweetheart|honey)\b|\byou people\b")
    found = patterns.branches(regex)
    assert found is not None
    assert sorted((sorted(b.leads), [sorted(n) for n in b.needs]) for b in found) == [
        ([("phrase", "you peo")], []),
        ([("word", "never"), ("word", "not")], [[("word", "honey"), ("word", "sweetheart")]]),
    ]
    index = patterns.NeedIndex(need for branch in found for need in branch.needs)
    live = patterns.LiveStarts(found, index)
    for text, tried in [
        ("you people never learn, not once", [0]),
        ("you people never learn, not once, honey", [0, 11, 24]),
    ]:
        at = patterns.word_positions(text)
        starts = live.starts(index.held(text, at))
        assert patterns.start_positions(starts, text, at, 100) == tried
        every = [m.start() for m in regex.finditer(text)]
        assert [m.start() for m in patterns.match_from(regex, text, tried, 10)] == every


@pytest.mark.parametrize("pattern", [r"\w+ you", r"(?i)you", r"x?", r"[ab]c", r"(?:x|\d)y"])
def test_patterns_that_may_begin_anywhere_are_scanned_everywhere(pattern: str) -> None:
    assert patterns.starts(re.compile(pattern)) is None


def test_text_said_to_need_no_rewrite_has_none() -> None:
    """Random ASCII in the characters that obfuscation uses: whenever the quick check says a
    text has nothing to rewrite, the close look finds nothing either."""
    rng = random.Random(11)
    deobfuscator = Deobfuscator(["liar", "pimp", "shill", "you", "ab", "aba", "abba", "idiot"])
    alphabet = "abilmprsy  '.-,!?_2619" + "".join(c for c in LEET if c.isascii())
    said_clean = 0
    for _ in range(20_000):
        folded = _noise(rng, alphabet, 16)
        if not normalize._words_to_look_at(folded) and not normalize._runs_to_look_at(folded):
            said_clean += 1
            assert deobfuscator._rewrites(folded) == [], folded
    assert said_clean > 1000  # the check is not vacuous


def test_text_is_normalised_alike_with_and_without_the_shortcuts(monkeypatch) -> None:
    """Random text in the characters obfuscation uses, with curly quotes, accents, look-alikes
    and zero-width spaces: the shortcuts (nothing to rewrite; only runs of letters to read
    when no single word can hide one) change nothing."""
    rng = random.Random(13)
    deobfuscator = Deobfuscator(["liar", "pimp", "shill", "you", "ab", "aba", "abba", "idiot"])
    alphabet = "abilmprsy  '.-,!?_2619\n\u2019\u201c\u00e9\u0456\u200b" + "".join(LEET)
    texts = [_noise(rng, alphabet, 24) for _ in range(20_000)]
    for _ in range(500):  # prose around a spaced-out word: only the runs are read
        texts.append(f"{_noise(rng, 'abms ,.', 30)} l i a r {_noise(rng, alphabet, 10)}")
    fast = [deobfuscator.normalize(text) for text in texts]
    monkeypatch.setattr(normalize, "FAST_PATH", False)
    plain = [deobfuscator.normalize(text) for text in texts]
    assert sum(a.text != text.lower() for a, text in zip(fast, texts, strict=True)) > 1000
    for text, a, b in zip(texts, fast, plain, strict=True):
        assert a == b, text


def test_runs_of_ascii_fold_as_their_characters_do_one_by_one() -> None:
    """``_fold`` lowers ASCII runs whole; each character folded alone must say the same."""
    rng = random.Random(17)
    alphabet = "aBz Q'.!1\n\u2018\u2019\u201d\u00c9\u00e9\u0456\u0430\u200b\u00ad\ufb01\uff21"
    for _ in range(5_000):
        text = _noise(rng, alphabet, 20)
        chars: list[str] = []
        index: list[int] = []
        for i, ch in enumerate(text):
            one, _ = normalize._fold(ch)
            chars += one
            index += [i] * len(one)
        assert normalize._fold(text) == (chars, index), text


@pytest.mark.parametrize(
    ("written", "original"),
    [
        (rules._SINGLE_QUOTE_RE, r"(?<![\w'])'(?=\w)[^'\n]{0,200}?[\w.!?,]'(?!\w)"),
        (rules._SQUEEZE_RE, r"\s{2,}|\s(?<! )|" + MASK + "{2,}"),
        (rules._SENTENCE_END_RE, r"(?<=[.!?])\s+|\n+"),
        (scorer._SENTENCE_RE, r"(?<=[.!?])\s+|\n+"),
        (scorer._TOKEN_RE, r"[a-z][a-z']*|[0-9]+|[!?]"),
    ],
)
def test_regexes_rewritten_for_speed_match_as_the_originals(written, original) -> None:
    rng = random.Random(3)
    plain = re.compile(original)
    for _ in range(50_000):
        text = _noise(rng, "ab9 '.!?\n\t,\u00a0\r" + MASK, 14)
        assert [m.span() for m in written.finditer(text)] == [
            m.span() for m in plain.finditer(text)
        ], text


def test_word_positions_are_where_each_word_begins() -> None:
    """Counted from the lengths of the split text, they are where ``\\w+`` finds each word,
    in the order words first appear, in any script and with marks, digits and underscores."""
    rng = random.Random(5)
    for _ in range(2000):
        text = _noise(rng, "ab c_\n.é’1ǂ-", 40)
        expected: dict[str, list[int]] = {}
        for m in re.finditer(r"\w+", text):
            expected.setdefault(m.group(), []).append(m.start())
        found = patterns.word_positions(text)
        assert found == expected and list(found) == list(expected), text


def test_the_bench_comment_is_tried_at_few_positions() -> None:
    """The rules' work on ``bench/bench_assess.py``'s 2,000-character comment, counted: 317
    positions when every alternative of a rule was tried wherever any could begin, 228 once
    each is tried only where the text holds the words it needs (``patterns.branches``)."""
    from bench.bench_assess import tried

    assert 0 < tried() <= 240


def test_warm_reads_every_shipped_rule_before_the_first_comment() -> None:
    """What gunicorn's master calls before forking: afterwards a comment naming someone
    compiles and reads no pattern."""
    rules.warm()
    compiled, read = rules._plan.cache_info().misses, patterns.branches.cache_info().misses
    rules.assess("Jody, you are a paid shill and your numbers are wrong.", ("Jody",))
    assert rules._plan.cache_info().misses == compiled
    assert patterns.branches.cache_info().misses == read


def test_a_disabled_rule_is_never_compiled() -> None:
    """A rule set is read for scanning whole (``rules._Scan``), but not the rules it never
    scans: a switched-off rule costs nothing and can't fail."""
    import dataclasses

    off = dataclasses.replace(rules.default_rules()[0], enabled=False, id="test.off")
    compiled = rules._plan.cache_info().misses
    prepared = rules._prepare("you are a pimp", rules._deobfuscator((off,)))
    assert rules.find_matches(prepared, (off,)) == []
    assert rules._plan.cache_info().misses == compiled
