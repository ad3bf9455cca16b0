"""Reading a compiled rule pattern before running it: the literals every match needs
(``anchors``), the words a match can begin with (``starts``), the words one of which every
match holds (``needs``), trying a pattern only at its starts (``match_from``), and the
parsed-structure checks the backtracking guard uses.

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
    return _starts_of(leads)


def _starts_of(leads: Iterable[tuple[str, str]]) -> Starts:
    """Leads (see ``_leads``) as a ``Starts``."""
    leads = set(leads)
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
        if op is _sre_constants.ASSERT and av[0] > 0 and word and _ends_word(list(av[1])):
            return _lead(acc, guarded, True, out)  # "(?=,| and\b|$)": the word ends here
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


def _ends_word(items: list[tuple[Any, Any]]) -> bool:
    """Whether every match of ``items`` begins with a character that is not a word character,
    or at the end of the text."""
    if not items:
        return False
    op, av = items[0]
    c = _sre_constants
    if op is c.LITERAL:
        return not is_word_char(chr(av))
    if op is c.IN:
        return _excludes_word_char([(op, av)], exact=True)
    if op is c.AT:
        return av in (c.AT_END, c.AT_END_STRING)
    if op is c.SUBPATTERN:
        return not (av[1] or av[2]) and _ends_word([*av[-1], *items[1:]])
    if op is c.BRANCH:
        return all(_ends_word([*branch, *items[1:]]) for branch in av[1])
    return False


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


# Words most comments hold: a necessary word among them rules out almost nothing.
COMMON_WORDS = frozenset(
    "a about after all also am an and any are as at be because been but by can could did do "
    "does don even for from had has have he her here him his how i if in is it its just like "
    "me more most my no not of on one only or our people she should so some than that the "
    "their them then there these they this those to too us very was we were what when where "
    "which who why will with would you your".split()
)
# What a phrase start may read on after a common word that still leaves it common ("you a",
# "you wer": the beginning of a common word).
_COMMON_PREFIXES = frozenset(w[:k] for w in COMMON_WORDS for k in range(len(w) + 1))
# How many necessary sets a pattern is checked for, at most: each costs a set intersection.
MAX_NEEDS = 3
# Places in a pattern ``needs`` reads leads from, at most (it is read once per rule).
MAX_NEED_PLACES = 4000
# Stems and literals are checked one by one: a set needing more such checks is not used.
MAX_NEED_CHECKS = 8


@lru_cache(maxsize=1024)
def needs(regex: Pattern) -> tuple[Starts, ...]:
    """Sets of leads of which every match of ``regex`` holds one somewhere, as ``Starts``:
    a text in which none of a set's leads occurs (``occurs``) holds no match.

    ``starts`` tells where a match can begin; a pattern that begins with "you" or "the" can
    begin in most texts, yet every match of it may need "paid" or "because" further on, or one
    of a lexicon's terms. Those are read as ``starts`` reads a pattern's beginning, from each
    place inside the pattern at which no word character can come before (after a space, a
    ``\\b``, or anything that always ends so); only sets with no word most comments hold
    (``COMMON_WORDS``) are kept, the fewest leads first.
    """
    if not isinstance(regex, re.Pattern) or regex.flags & ~re.UNICODE:
        return ()
    try:
        tree = _sre_parser.parse(regex.pattern)
    except Exception:  # pragma: no cover - it compiled
        return ()
    places = [MAX_NEED_PLACES]
    found = _need_sets(list(tree), False, places)
    usable = sorted({leads for leads in found if _selective(leads)}, key=_need_rank)
    return tuple(_starts_of(leads) for leads in usable[:MAX_NEEDS])


def _need_sets(
    items: list[tuple[Any, Any]], guarded: bool, places: list[int]
) -> list[frozenset[tuple[str, str]]]:
    """Lead sets of which every match of ``items`` holds one (see ``needs``), ``guarded`` if no
    word character can come before ``items``; ``places`` counts down what may still be read."""
    found: list[frozenset[tuple[str, str]]] = []
    for k, (op, av) in enumerate(items):
        if places[0] <= 0:
            break
        places[0] -= 1
        leads: set[tuple[str, str]] = set()
        if _leads(items[k:], "", guarded, leads) and len(leads) <= MAX_STARTS:
            found.append(frozenset(leads))
        if op is _sre_constants.SUBPATTERN and not (av[1] or av[2]):
            found += _need_sets(list(av[-1]), guarded, places)
        elif op is _sre_constants.BRANCH:
            union: set[tuple[str, str]] = set()
            for branch in av[1]:  # each branch must need a set, else the item needs none
                best = _best_need(_need_sets(list(branch), guarded, places))
                if best is None:
                    break
                union |= best
            else:
                found.append(frozenset(union))
        elif op in (_sre_constants.MAX_REPEAT, _sre_constants.MIN_REPEAT) and av[0] >= 1:
            found += _need_sets(list(av[2]), guarded, places)
        guarded = _guarded_after(op, av, guarded)
    return found


def _best_need(
    found: list[frozenset[tuple[str, str]]],
) -> frozenset[tuple[str, str]] | None:
    usable = [leads for leads in found if _selective(leads)]
    return min(usable, key=_need_rank, default=None)


def _selective(leads: frozenset[tuple[str, str]]) -> bool:
    """Whether no lead of the set is in most texts: a common word, the beginning of one or a
    short stem, a short literal, or a common word read on by the beginning of another ("you
    a", "you wer")."""
    if _need_cost(leads)[0] > MAX_NEED_CHECKS:
        return False
    for kind, s in leads:
        first = WORD_RUN_RE.match(s)
        word = first.group() if first is not None else ""
        if word in COMMON_WORDS and kind in ("word", "stem") or kind == "stem" and len(s) < 4:
            return False
        if kind == "phrase" and word in COMMON_WORDS and s[len(word) :].strip() in _COMMON_PREFIXES:
            return False
        if kind == "literal" and (len(s.strip()) < 4 or s.split()[0] in COMMON_WORDS):
            return False
    return True


def _need_rank(
    leads: frozenset[tuple[str, str]],
) -> tuple[tuple[int, int, int], list[tuple[str, str]]]:
    """The cheapest set first, ties in a fixed order (a set's order changes per process)."""
    return _need_cost(leads), sorted(leads)


def _need_cost(leads: frozenset[tuple[str, str]]) -> tuple[int, int, int]:
    """What checking a set costs: stems and literals one by one, then phrases (a comparison
    where their first word is), then words (all at once)."""
    one_by_one = sum(kind in ("stem", "literal") for kind, _ in leads)
    return one_by_one, sum(kind == "phrase" for kind, _ in leads), len(leads)


def _guarded_after(op: Any, av: Any, guarded: bool) -> bool:
    """Whether no word character can end what ``(op, av)`` matches (``guarded`` before it):
    then a word that follows begins at a word boundary. False whenever unsure."""
    c = _sre_constants
    if op is c.LITERAL:
        return not is_word_char(chr(av))
    if op is c.AT:
        return av in (c.AT_BOUNDARY, c.AT_BEGINNING, c.AT_BEGINNING_STRING)
    if op is c.ASSERT:
        return guarded
    if op is c.ASSERT_NOT:
        return guarded or (av[0] < 0 and _excludes_word_char(list(av[1])))
    if op is c.IN:
        return _excludes_word_char([(op, av)], exact=True)
    if op is c.SUBPATTERN:
        return not (av[1] or av[2]) and _guarded_through(list(av[-1]), guarded)
    if op is c.BRANCH:
        return all(_guarded_through(list(branch), guarded) for branch in av[1])
    if op in (c.MAX_REPEAT, c.MIN_REPEAT):
        low, _high, body = av
        ends_so = _guarded_through(list(body), True)
        if low == 0:
            return guarded and ends_so
        return _guarded_through(list(body), False) or (guarded and ends_so)
    return False


def _guarded_through(items: list[tuple[Any, Any]], guarded: bool) -> bool:
    for op, av in items:
        guarded = _guarded_after(op, av, guarded)
    return guarded


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
    """Where each word of ``text`` begins (gathered in a plain dict, whose methods are found
    faster than a subclass's, then wrapped)."""
    at: dict[str, list[int]] = {}
    for m in WORD_RUN_RE.finditer(text):
        at.setdefault(m.group(), []).append(m.start())
    return Words(at)


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


def occurs(starts: Starts, text: str, words_at: Words) -> bool:
    """Whether one of the leads of ``starts`` occurs in ``text`` (see ``needs``): where a
    match could begin, looked for until the first is found (``start_positions`` gives up,
    returning None, once it has found more than ``most``)."""
    return start_positions(starts, text, words_at, 0) is None


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
