"""Reading a compiled rule pattern before running it: the literals every match needs
(``anchors``), the words a match can begin with (``starts``), its alternatives with the words
each needs further on (``branches``), which of those a text holds (``NeedIndex``) and so where
its matches can begin (``LiveStarts``), trying a pattern only there (``match_from``), and the
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
_WORD_SPLIT_RE = re.compile(r"(\w+)")


@lru_cache(maxsize=1024)
def starts(regex: Pattern) -> Starts | None:
    """How every match of ``regex`` begins, read from its parsed form, or None if some match
    may begin otherwise than with a literal (or may be empty).

    A large alternation costs its time at every position of a text, though a match can only
    begin where the text has one of the few words the pattern starts with ("you", "are",
    "some", a participant's name). ``find_matches`` tries the pattern at those positions only,
    in order and resuming after each match as ``finditer`` does, so it finds the same matches.
    """
    parsed = _parsed(regex)
    if parsed is None:
        return None
    leads: set[tuple[str, str]] = set()
    if not _leads(parsed, "", False, leads) or len(leads) > MAX_STARTS:
        return None
    return _starts_of(leads)


Items: TypeAlias = list[tuple[Any, Any]]


def _parsed(regex: Pattern) -> Items | None:
    """The parsed form of a plain ``re`` pattern that never matches the empty string (as
    ``_plain`` lists), or None."""
    if not isinstance(regex, re.Pattern) or regex.flags & ~re.UNICODE:
        return None
    return _parsed_text(regex.pattern)


@lru_cache(maxsize=1024)
def _parsed_text(pattern: str) -> Items | None:
    try:
        tree = _sre_parser.parse(pattern)
    except Exception:  # pragma: no cover - it compiled
        return None
    return _plain(tree) if tree.getwidth()[0] > 0 else None


def _plain(tree: Any) -> Items:
    """A parsed pattern as nested lists: ``re``'s parsed form reads each item through a
    Python method, which made reading the shipped rules several times slower."""
    c = _sre_constants
    out: Items = []
    for op, av in tree.data:
        if op is c.SUBPATTERN:
            av = (*av[:-1], _plain(av[-1]))
        elif op is c.BRANCH:
            av = (av[0], [_plain(branch) for branch in av[1]])
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            av = (av[0], av[1], _plain(av[2]))
        elif op in (c.ASSERT, c.ASSERT_NOT):
            av = (av[0], _plain(av[1]))
        elif op is c.ATOMIC_GROUP:
            av = _plain(av)
        out.append((op, av))
    return out


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


# What follows a part of a pattern while its leads are read: (items, from which index) in
# turn, innermost first, so no list is copied as the paths through a pattern multiply.
Then: TypeAlias = tuple[tuple[Items, int], ...]


def _leads(
    items: Items,
    acc: str,
    guarded: bool,
    out: set[tuple[str, str]],
    start: int = 0,
    then: Then = (),
) -> bool:
    """Add to ``out`` how a match of ``items`` (from ``start``, then ``then``) can begin, each
    path having consumed ``acc`` so far, ``guarded`` if no word character may precede the
    match. A lead is ("word", w): the text's word there is ``w``; ("stem", s): that word
    begins with ``s``; ("literal", s): the text there begins with ``s``. False if a path
    begins with no literal, or if there are too many paths to follow."""
    if len(out) > MAX_STARTS:
        return False
    c = _sre_constants
    word = bool(acc) and is_word_char(acc[0])
    while True:
        for k in range(start, len(items)):
            op, av = items[k]
            if op is c.AT:
                if av is c.AT_BOUNDARY:
                    if not acc:
                        guarded = True
                    elif word and is_word_char(acc[-1]):
                        return _lead(acc, guarded, True, out)  # the word ends here
                continue
            if op is c.ASSERT and av[0] > 0 and word and _ends_word(list(av[1])):
                return _lead(acc, guarded, True, out)  # "(?=,| and\b|$)": the word ends here
            if op in (c.ASSERT, c.ASSERT_NOT):
                if op is c.ASSERT_NOT and av[0] > 0 and not av[1]:
                    # "(?!)" never matches (``{participant}`` when the text names nobody):
                    # this path begins nowhere, and following it would make a match seem to
                    # begin at whatever comes next, such as every space.
                    return True
                if not acc and op is c.ASSERT_NOT and av[0] < 0:
                    guarded = guarded or _excludes_word_char(list(av[1]))
                continue  # zero-width: what it asks of the text is checked by the full match
            if op is c.LITERAL:
                ch = chr(av)
                is_word = is_word_char(ch)
                if word and not is_word and not (guarded and _is_phrase_word(acc)):
                    return _lead(acc, guarded, True, out)
                acc += ch
                if word and _phrase_rest(acc) >= PHRASE_CHARS:
                    return _lead(acc, guarded, False, out)
                word = word or (len(acc) == 1 and is_word)
                if not word and len(acc) >= ANCHOR_MIN_CHARS:
                    return _lead(acc, guarded, False, out)
                continue
            after = ((items, k + 1), *then)
            if op is c.SUBPATTERN:
                if av[1] or av[2]:  # inline flags change what a literal matches
                    return False
                return _leads(av[-1], acc, guarded, out, 0, after)
            if op is c.BRANCH:
                return all(_leads(branch, acc, guarded, out, 0, after) for branch in av[1])
            if op in (c.MAX_REPEAT, c.MIN_REPEAT):
                low, high, body = av
                if low == 0 and not _leads(items, acc, guarded, out, k + 1, then):
                    return False
                if high == 1:
                    return _leads(body, acc, guarded, out, 0, after)
                # At least once: the body begins it (what follows the body is not followed).
                return _leads(body, acc, guarded, out)
            if op is c.IN and word and _excludes_word_char([(op, av)], exact=True):
                return _lead(acc, guarded, True, out)  # a separator such as [ -] ends the word
            return _lead(acc, guarded, False, out) if acc else False  # a class, or the like
        if not then:
            return _lead(acc, guarded, False, out) if acc else False
        (items, start), then = then[0], then[1:]


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
# Sets of leads a pattern's alternative is checked for, at most.
MAX_NEEDS = 3
# Places in a pattern ``branches`` reads needs from, at most, in each part it reads.
MAX_NEED_PLACES = 4000


# Alternatives a pattern is split into at its leading alternations, at most (``branches``).
MAX_BRANCHES = 32


@dataclass(frozen=True, slots=True)
class Branch:
    """Alternatives of a pattern that begin with ``leads`` (see ``_leads``) and need the same
    sets of leads further on (see ``branches``)."""

    leads: frozenset[tuple[str, str]]
    needs: tuple[frozenset[tuple[str, str]], ...]


@lru_cache(maxsize=1024)
def branches(regex: Pattern) -> tuple[Branch, ...] | None:
    """The pattern split at its leading alternations into alternatives, each with how it
    begins (as ``starts`` reads it) and the sets of leads of which every match of it holds
    one somewhere; alternatives that need the same are merged. None where ``starts`` is None.

    A rule of many alternatives begins at many words ("you", "that", "not"), yet most of its
    alternatives need words of their own further on: "not ..., sweetheart", "paid" or
    "because", one of a lexicon's terms. Where a text lacks them, the words only those
    alternatives begin with are not tried (``LiveStarts``). Needs are read as ``starts``
    reads a beginning, from each place inside the pattern at which no word character can come
    before (after a space, a ``\b``, or anything that always ends so); only sets with no word
    most comments hold (``COMMON_WORDS``) are kept, the fewest leads first. An alternative
    needs what the whole pattern needs and what each alternation it took needs: each part is
    read once, where reading every alternative whole would read their shared tail again.
    """
    tree = _parsed(regex)
    if tree is None or starts(regex) is None:
        return None
    # What an alternation's branches need is read with it, and found again here by the
    # branch when an alternative took it (``_need_sets``).
    read: NeedMemo = {}

    def needed(part: Any, guarded: bool) -> set[frozenset[tuple[str, str]]]:
        found = read.get((id(part), guarded))
        if found is None:
            found = read[id(part), guarded] = _need_sets(part, guarded, [MAX_NEED_PLACES], read)
        return {leads for leads in found if _usable(leads)}

    # The whole pattern's needs, read apart: reading on through every branch of an
    # alternation, as parts are read, would spend its places before its last items.
    whole = {leads for leads in _need_sets(tree, False, [MAX_NEED_PLACES]) if _usable(leads)}
    merged: dict[tuple[frozenset[tuple[str, str]], ...], set[tuple[str, str]]] = {}
    for items, parts in _alternatives(tree):
        leads: set[tuple[str, str]] = set()
        if not _leads(items, "", False, leads) or len(leads) > MAX_STARTS:
            return None  # pragma: no cover - ``starts`` read the same paths
        own = whole.union(*(needed(part, guarded) for part, guarded in parts))
        key = tuple(sorted(own, key=_need_rank)[:MAX_NEEDS])
        merged.setdefault(key, set()).update(leads)
    return tuple(Branch(frozenset(leads), key) for key, leads in merged.items())


class NeedIndex:
    """Which of many sets of needed words and phrases (``Branch.needs`` of a rule set) a text
    holds, as a bit mask, found in one pass: the text's words meet the words of every set at
    once, and a phrase is read only where its first word stands."""

    def __init__(self, sets: Iterable[frozenset[tuple[str, str]]]) -> None:
        self._bits: dict[frozenset[tuple[str, str]], int] = {}
        self._by_word: dict[str, int] = {}
        self._by_phrase: dict[str, int] = {}
        for leads in sets:
            if leads in self._bits:
                continue
            bit = self._bits[leads] = 1 << len(self._bits)
            for kind, s in leads:
                into = self._by_word if kind == "word" else self._by_phrase
                into[s] = into.get(s, 0) | bit
        self._words = frozenset(self._by_word)
        self._phrase_words = frozenset(
            m.group() for s in self._by_phrase if (m := WORD_RUN_RE.match(s)) is not None
        )

    def mask(self, needs: Iterable[frozenset[tuple[str, str]]]) -> int:
        """The bits of ``needs``, every one of them indexed."""
        mask = 0
        for leads in needs:
            mask |= self._bits[leads]
        return mask

    def held(self, text: str, words_at: Words) -> int:
        """The bits of the sets ``text`` holds a lead of (``words_at``: its words)."""
        held = 0
        words = words_at.as_set()
        for word in self._words & words:
            held |= self._by_word[word]
        by_phrase = self._by_phrase
        for word in self._phrase_words & words:
            for at in words_at[word]:
                read = text[at : at + len(word) + PHRASE_CHARS]
                for end in range(len(word) + 1, len(read) + 1):
                    held |= by_phrase.get(read[:end], 0)
        return held


class LiveStarts:
    """Where a pattern's matches can begin in a text, given which needs it holds: the
    beginnings of the branches whose needs the text all holds (``branches``), worked out once
    for each combination of held needs the pattern meets (a handful in practice)."""

    # Combinations remembered, at most: past that, each is worked out when met.
    MAX_KEPT = 256

    def __init__(self, found: tuple[Branch, ...], index: NeedIndex) -> None:
        self._branches = tuple((index.mask(b.needs), b.leads) for b in found)
        self._mask = 0
        for mask, _ in self._branches:
            self._mask |= mask
        self._kept: dict[int, Starts] = {}

    def starts(self, held: int) -> Starts:
        """The beginnings of the branches a text holding the needs ``held`` may match."""
        key = held & self._mask
        found = self._kept.get(key)
        if found is None:
            live = set().union(*(leads for mask, leads in self._branches if mask & key == mask))
            found = _starts_of(live)
            if len(self._kept) < self.MAX_KEPT:
                self._kept[key] = found
        return found


# Lead sets read for a part of a parsed pattern, by the part and whether it is guarded.
NeedMemo: TypeAlias = dict[tuple[int, bool], list[frozenset[tuple[str, str]]]]


def _alternatives(items: Items) -> list[tuple[Items, list[tuple[Any, bool]]]]:
    """``items`` split, level by level, at the first alternation (or optional part) each
    alternative begins with, while there are at most ``MAX_BRANCHES``: each alternative with
    the parts it chose (and whether no word character can come before each). Together their
    matches are the matches of ``items``."""
    found: list[tuple[Items, list[tuple[Any, bool]]]] = [(items, [])]
    while True:
        grown: list[tuple[Items, list[tuple[Any, bool]]]] = []
        split_any = False
        for k, (alt, parts) in enumerate(found):
            split = _split_first(alt)
            if split is None or len(grown) + len(split) + len(found) - k - 1 > MAX_BRANCHES:
                grown.append((alt, parts))
                continue
            split_any = True
            grown += [
                (sub, [*parts, *([(part, guarded)] if part is not None else [])])
                for sub, part, guarded in split
            ]
        found = grown
        if not split_any:
            return found


def _split_first(items: Items) -> list[tuple[Items, Any, bool]] | None:
    """``items`` split at its first alternation or optional part, if only literals and
    zero-width items come before it: (the alternative, the part of the parsed pattern it
    chose or None, whether no word character can come before that part) for each way; None
    if there is no such place."""
    c = _sre_constants
    for k, (op, av) in enumerate(items):
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT, c.LITERAL):
            continue
        head, rest = items[:k], items[k + 1 :]
        guarded = _guarded_through(head, False)
        if op is c.SUBPATTERN and not (av[1] or av[2]):
            return _split_first([*head, *av[-1], *rest])
        if op is c.BRANCH:
            return [([*head, *branch, *rest], branch, guarded) for branch in av[1]]
        if op in (c.MAX_REPEAT, c.MIN_REPEAT) and (av[0], av[1]) == (0, 1):
            return [([*head, *rest], None, guarded), ([*head, *av[2], *rest], av[2], guarded)]
        return None
    return None


def _need_sets(
    items: list[tuple[Any, Any]], guarded: bool, places: list[int], memo: NeedMemo | None = None
) -> list[frozenset[tuple[str, str]]]:
    """Lead sets of which every match of ``items`` holds one (see ``branches``), ``guarded`` if no
    word character can come before ``items``; ``places`` counts down what may still be read.
    Each branch's own sets go to ``memo`` if given (see ``branches``)."""
    found: list[frozenset[tuple[str, str]]] = []
    for k, (op, av) in enumerate(items):
        if places[0] <= 0:
            break
        places[0] -= 1
        # A literal read unguarded, or one that is no word character, begins only literal
        # leads: none a set may hold (``_usable``).
        if op is not _sre_constants.LITERAL or guarded and is_word_char(chr(av)):
            leads: set[tuple[str, str]] = set()
            if _leads(items, "", guarded, leads, k) and len(leads) <= MAX_STARTS:
                found.append(frozenset(leads))
        if op is _sre_constants.SUBPATTERN and not (av[1] or av[2]):
            found += _need_sets(list(av[-1]), guarded, places, memo)
        elif op is _sre_constants.BRANCH:
            union: set[tuple[str, str]] | None = set()
            for branch in av[1]:  # each branch must need a set, else the item needs none
                own = _need_sets(list(branch), guarded, places, memo)
                best = _best_need(own)
                union = None if union is None or best is None else union | best
                if memo is not None:
                    memo[id(branch), guarded] = own  # and read on: each branch is a part
                elif union is None:
                    break
            if union is not None:
                found.append(frozenset(union))
        elif op in (_sre_constants.MAX_REPEAT, _sre_constants.MIN_REPEAT) and av[0] >= 1:
            found += _need_sets(list(av[2]), guarded, places, memo)
        guarded = _guarded_after(op, av, guarded)
    return found


def _best_need(
    found: list[frozenset[tuple[str, str]]],
) -> frozenset[tuple[str, str]] | None:
    usable = [leads for leads in found if _usable(leads)]
    return min(usable, key=_need_rank, default=None)


def _usable(leads: frozenset[tuple[str, str]]) -> bool:
    """Whether a set of needed leads rules texts out, and is looked up in all of a text's
    words at once (``NeedIndex``): whole words and phrases, none beginning with a word most
    comments hold. (A stem or a literal would be looked for one by one, in every text.)"""
    for kind, s in leads:
        first = WORD_RUN_RE.match(s)
        if kind not in ("word", "phrase") or first is None or first.group() in COMMON_WORDS:
            return False
    return True


def _need_rank(leads: frozenset[tuple[str, str]]) -> tuple[int, int, list[tuple[str, str]]]:
    """Sets of words alone first (a phrase is compared where its first word is), then the
    fewest leads, ties in a fixed order (a set's order changes per process)."""
    return sum(kind == "phrase" for kind, _ in leads), len(leads), sorted(leads)


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


@lru_cache(maxsize=65536)
def _phrase_rest(acc: str) -> int:
    """How many characters ``acc`` holds after its first word (0 if it is one word); asked
    again and again of the same beginnings while a pattern is read."""
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
    faster than a subclass's, then wrapped). The text is split into words and what lies
    between them in one call, and positions counted from their lengths: a quarter faster
    than asking each match object for its word and start."""
    at: dict[str, list[int]] = {}
    parts = iter(_WORD_SPLIT_RE.split(text))
    pos = len(next(parts))
    for word, gap in zip(parts, parts, strict=True):
        found = at.get(word)
        if found is None:
            at[word] = [pos]
        else:
            found.append(pos)
        pos += len(word) + len(gap)
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
