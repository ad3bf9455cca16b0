"""Reading a compiled rule pattern before running it: the literals every match needs
(``anchors``), the words a match can begin with (``starts``), trying a pattern only at those
positions (``match_from``), and the parsed-structure checks the backtracking guard uses.

Pure (``re``'s own parser, no Flask); the rules engine (``rules.py``) decides when to use
each, and ``tests/moderation/test_fast_paths.py`` holds them to what plain scanning finds.
"""

from __future__ import annotations

import importlib
import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeAlias

# The parser behind ``re`` (private, untyped): reading a pattern's structure is how the
# backtracking check and the anchors find nested repeats and necessary literals.
_sre_constants: Any = importlib.import_module("re._constants")
_sre_parser: Any = importlib.import_module("re._parser")
# A compiled rule: ``re`` for the shipped patterns, the time-limited ``regex`` otherwise.
Pattern: TypeAlias = re.Pattern[str] | Any


def parse(pattern: str) -> Any:
    """``re``'s parsed form of a pattern (raises on syntax only the ``regex`` engine knows)."""
    return _sre_parser.parse(pattern)


# The shortest literal worth checking for: shorter ones ("u", "op") occur in most texts.
ANCHOR_MIN_CHARS = 3
# Trying a pattern at one position from Python costs about what ``re`` spends scanning this
# many characters; with more starts than that the whole text is scanned in one call.
CHARS_PER_START = 8


@lru_cache(maxsize=1024)
def anchors(regex: Pattern) -> frozenset[str] | None:
    """Literal strings of which every match of ``regex`` contains at least one, or None if
    the pattern gives no such set. Checking them with ``in`` costs a fraction of running a
    large alternation at every position of a text that can't match anyway."""
    if regex.flags & re.IGNORECASE:
        return None
    try:
        tree = _sre_parser.parse(regex.pattern)
    except Exception:  # pragma: no cover - it compiled
        return None
    return necessary(list(tree))


def necessary(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """The most selective necessary literal set of a parsed sequence (see ``anchors``)."""
    candidates: list[frozenset[str] | None] = []
    run: list[str] = []
    for op, av in items:
        if op is _sre_constants.LITERAL:
            run.append(chr(av))
            continue
        if run:
            candidates.append(frozenset({"".join(run)}))
            run = []
        if op is _sre_constants.SUBPATTERN:
            if av[1]:  # inline flags such as (?i:...): no literals
                return None
            candidates.append(necessary(list(av[-1])))
        elif op is _sre_constants.BRANCH:
            sets = [necessary(list(branch)) for branch in av[1]]
            found = [s for s in sets if s is not None]
            candidates.append(None if len(found) < len(sets) else frozenset().union(*found))
        elif op in (_sre_constants.MAX_REPEAT, _sre_constants.MIN_REPEAT):
            low, _high, sub = av
            if low >= 1:
                candidates.append(necessary(list(sub)))
    if run:
        candidates.append(frozenset({"".join(run)}))
    usable = [c for c in candidates if c and min(map(len, c)) >= ANCHOR_MIN_CHARS]
    if not usable:
        return None
    return max(usable, key=lambda c: (min(map(len, c)), -len(c)))


@dataclass(frozen=True, slots=True)
class Starts:
    """Where a match of a pattern can begin: with one of ``words`` as a whole word, with a word
    that begins with one of ``stems``, with one of ``literals`` anywhere (see ``starts``), or
    with a word of ``phrases`` as a whole word followed by one of its continuations ("the"
    then " op" or " peo": a common word that most often begins no match)."""

    words: frozenset[str]
    stems: tuple[str, ...]
    literals: tuple[str, ...]
    phrases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # The first words of ``phrases``, as a set, so that a text's words meet them in one step.
    phrase_words: frozenset[str] = frozenset()


# Ways a pattern may begin, at most: past that it is scanned at every position.
MAX_STARTS = 4000
# How much of what follows a first word a phrase start keeps: enough to tell "the op" from
# "the report" without multiplying the ways a pattern begins.
PHRASE_CHARS = 4


WORD_RUN_RE = re.compile(r"\w+")


@lru_cache(maxsize=1024)
def starts(regex: Pattern) -> Starts | None:
    """How every match of ``regex`` begins, read from its parsed form, or None if some match
    may begin otherwise than with a literal (or may be empty).

    A large alternation costs its time at every position of a text, though a match can only
    begin where the text has one of the few words the pattern starts with ("you", "are",
    "some", a participant's name). ``find_matches`` tries the pattern at those positions only,
    in order and resuming after each match as ``finditer`` does, so it finds the same matches.
    """
    if not isinstance(regex, re.Pattern) or regex.flags & ~re.UNICODE:
        return None
    try:
        tree = _sre_parser.parse(regex.pattern)
    except Exception:  # pragma: no cover - it compiled
        return None
    if tree.getwidth()[0] == 0:
        return None
    leads: set[tuple[str, str]] = set()
    if not _leads(list(tree), "", False, leads) or len(leads) > MAX_STARTS:
        return None
    words = frozenset(s for kind, s in leads if kind == "word")
    phrases: dict[str, set[str]] = {}
    for kind, s in leads:
        if kind == "phrase":
            first = WORD_RUN_RE.match(s)
            assert first is not None  # a phrase begins with a word (see ``_lead``)
            if first.group() not in words:  # the word alone already lets every match begin
                phrases.setdefault(first.group(), set()).add(s[first.end() :])
    return Starts(
        words=words,
        stems=tuple(sorted(s for kind, s in leads if kind == "stem")),
        literals=tuple(sorted(s for kind, s in leads if kind == "literal")),
        phrases={word: tuple(sorted(rests)) for word, rests in sorted(phrases.items())},
        phrase_words=frozenset(phrases),
    )


def is_word_char(ch: str) -> bool:
    """``\\w`` as ``re`` reads it in a str pattern."""
    return ch.isalnum() or ch == "_"


def _leads(
    items: list[tuple[Any, Any]], acc: str, guarded: bool, out: set[tuple[str, str]]
) -> bool:
    """Add to ``out`` how a match of ``items`` can begin, each path having consumed ``acc``
    so far, ``guarded`` if no word character may precede the match. A lead is ("word", w): the
    text's word there is ``w``; ("stem", s): that word begins with ``s``; ("literal", s): the
    text there begins with ``s``. False if a path begins with no literal, or if there are too
    many paths to follow."""
    if len(out) > MAX_STARTS:
        return False
    word = bool(acc) and is_word_char(acc[0])
    for k, (op, av) in enumerate(items):
        rest = items[k + 1 :]
        if op is _sre_constants.AT:
            if av is _sre_constants.AT_BOUNDARY:
                if not acc:
                    guarded = True
                elif word and is_word_char(acc[-1]):
                    return _lead(acc, guarded, True, out)  # the word ends here
            continue
        if op in (_sre_constants.ASSERT, _sre_constants.ASSERT_NOT):
            if op is _sre_constants.ASSERT_NOT and av[0] > 0 and not list(av[1]):
                # "(?!)" never matches (``{participant}`` when the text names nobody): this
                # path begins nowhere, and following it would make a match seem to begin at
                # whatever comes next, such as every space.
                return True
            if not acc and op is _sre_constants.ASSERT_NOT and av[0] < 0:
                guarded = guarded or _excludes_word_char(list(av[1]))
            continue  # zero-width: what it asks of the text is checked by the full match
        if op is _sre_constants.LITERAL:
            ch = chr(av)
            if word and not is_word_char(ch) and not (guarded and _is_phrase_word(acc)):
                return _lead(acc, guarded, True, out)
            acc += ch
            if word and _phrase_rest(acc) >= PHRASE_CHARS:
                return _lead(acc, guarded, False, out)
            word = is_word_char(acc[0])
            if not word and len(acc) >= ANCHOR_MIN_CHARS:
                return _lead(acc, guarded, False, out)
            continue
        if op is _sre_constants.SUBPATTERN:
            if av[1] or av[2]:  # inline flags change what a literal matches
                return False
            return _leads([*av[-1], *rest], acc, guarded, out)
        if op is _sre_constants.BRANCH:
            return all(_leads([*branch, *rest], acc, guarded, out) for branch in av[1])
        if op in (_sre_constants.MAX_REPEAT, _sre_constants.MIN_REPEAT):
            low, high, body = av
            if low == 0 and not _leads(rest, acc, guarded, out):
                return False
            if high == 1:
                return _leads([*body, *rest], acc, guarded, out)
            # At least once: the body begins it (what follows the body is not followed).
            return _leads(list(body), acc, guarded, out)
        if op is _sre_constants.IN and word and _excludes_word_char([(op, av)], exact=True):
            return _lead(acc, guarded, True, out)  # a separator such as [ -] ends the word
        break  # a class or anything else: the literal so far is all that is known
    return _lead(acc, guarded, False, out) if acc else False


def _lead(acc: str, guarded: bool, whole: bool, out: set[tuple[str, str]]) -> bool:
    if not acc:
        return False
    if not (guarded and is_word_char(acc[0])):
        out.add(("literal", acc))
    elif _phrase_rest(acc):
        out.add(("phrase", acc))
    else:
        out.add(("word" if whole else "stem", acc))
    return True


def _is_phrase_word(acc: str) -> bool:
    """Whether ``acc``, a whole word so far, is read on into a phrase: a word of at most
    three letters ("the", "you", "is", "a") begins many more places than a match."""
    return len(acc) <= 3 and all(map(is_word_char, acc))


def _phrase_rest(acc: str) -> int:
    """How many characters ``acc`` holds after its first word (0 if it is one word)."""
    first = WORD_RUN_RE.match(acc)
    return len(acc) - first.end() if first is not None and first.end() < len(acc) else 0


def _excludes_word_char(items: list[tuple[Any, Any]], exact: bool = False) -> bool:
    """Whether a one-character class holds every word character (a lookbehind such as
    ``(?<![\\w@])`` that then means "no word character before"), or, with ``exact``, none
    (a class such as ``[ -]`` that ends a word)."""
    if len(items) != 1 or items[0][0] is not _sre_constants.IN:
        return False
    members = items[0][1]
    if exact:
        return all(
            (op is _sre_constants.LITERAL and not is_word_char(chr(av)))
            or (
                op is _sre_constants.CATEGORY
                and av in (_sre_constants.CATEGORY_SPACE, _sre_constants.CATEGORY_NOT_WORD)
            )
            for op, av in members
        )
    return (_sre_constants.NEGATE, None) not in members and (
        _sre_constants.CATEGORY,
        _sre_constants.CATEGORY_WORD,
    ) in members


def literal_units(tree: object) -> list[str]:
    """Probe units made of the pattern's own literals: each character, and all of them."""
    if tree is None:
        return []
    chars: list[str] = []

    def walk(items: object) -> None:
        for op, av in items:  # type: ignore[attr-defined]
            if op is _sre_constants.LITERAL:
                chars.append(chr(av))
            elif op in (_sre_constants.MAX_REPEAT, _sre_constants.MIN_REPEAT):
                walk(av[2])
            elif op is _sre_constants.SUBPATTERN:
                walk(av[-1])
            elif op is _sre_constants.BRANCH:
                for branch in av[1]:
                    walk(branch)

    walk(tree)
    distinct = list(dict.fromkeys(chars))[:8]
    return [*distinct, "".join(distinct)] if distinct else []


def nested_unbounded(tree: object, inside_unbounded: bool) -> bool:
    """True if a repeat sits inside an unbounded repeat anywhere in the parsed pattern."""
    repeats = (_sre_constants.MAX_REPEAT, _sre_constants.MIN_REPEAT)
    for op, av in tree:  # type: ignore[attr-defined]
        if op in repeats:
            low, high, sub = av
            if inside_unbounded and high > 1:
                return True
            unbounded = high == _sre_constants.MAXREPEAT or high > 50
            if nested_unbounded(sub, inside_unbounded or unbounded):
                return True
        elif op == _sre_constants.BRANCH:
            for branch in av[1]:
                if nested_unbounded(branch, inside_unbounded):
                    return True
        elif op == _sre_constants.SUBPATTERN:
            if nested_unbounded(av[-1], inside_unbounded):
                return True
        elif op in (_sre_constants.ASSERT, _sre_constants.ASSERT_NOT):
            if nested_unbounded(av[1], inside_unbounded):
                return True
    return False


class Words(dict[str, list[int]]):
    """Where each word of a text begins (``word_positions``), with the words in order once
    asked for (``in_order``): a pattern that may begin with any word of a stem ("pimp\\w*")
    looks those words up by bisection instead of testing every word of the text."""

    _ordered: list[str] | None = None
    _words: frozenset[str] | None = None

    def in_order(self) -> list[str]:
        if self._ordered is None:
            self._ordered = sorted(self)
        return self._ordered

    def as_set(self) -> frozenset[str]:
        """The words, as a set: intersecting two sets walks the smaller, where intersecting a
        set with a dict walks the whole dict, once for every pattern."""
        if self._words is None:
            self._words = frozenset(self)
        return self._words


def word_positions(text: str) -> Words:
    """Where each word of ``text`` begins."""
    at = Words()
    for m in WORD_RUN_RE.finditer(text):
        at.setdefault(m.group(), []).append(m.start())
    return at


def start_positions(
    starts: Starts, text: str, words_at: Mapping[str, list[int]], most: int
) -> list[int] | None:
    """The positions of ``text`` where a match with these ``starts`` can begin, in order, or
    None if there are more than ``most``."""
    found: set[int] = set()
    words = words_at.as_set() if isinstance(words_at, Words) else frozenset(words_at)
    for word in starts.words & words:
        found.update(words_at[word])
        if len(found) > most:
            return None
    for word in starts.phrase_words & words:
        rests, size = starts.phrases[word], len(word)
        found.update(at for at in words_at[word] if text.startswith(rests, at + size))
        if len(found) > most:
            return None
    if starts.stems:
        ordered = words_at.in_order() if isinstance(words_at, Words) else sorted(words_at)
        for stem in starts.stems:
            i = bisect_left(ordered, stem)
            while i < len(ordered) and ordered[i].startswith(stem):
                found.update(words_at[ordered[i]])
                if len(found) > most:
                    return None
                i += 1
    for literal in starts.literals:
        i = text.find(literal)
        while i >= 0:
            found.add(i)
            if len(found) > most:
                return None
            i = text.find(literal, i + 1)
    return sorted(found)


def match_from(
    regex: re.Pattern[str], text: str, positions: Iterable[int], limit: int
) -> list[re.Match[str]]:
    """What ``finditer`` finds (at most ``limit``), trying only ``positions``:
    the leftmost match, then the next one at or after its end. Every match of the pattern
    is non-empty and begins at one of them, and ``match`` at a position sees the text before
    it as ``finditer`` does, so nothing differs."""
    found: list[re.Match[str]] = []
    resume = 0
    for pos in positions:
        if pos < resume:
            continue
        m = regex.match(text, pos)
        if m is not None:
            found.append(m)
            if len(found) == limit:
                break
            resume = m.end()
    return found
