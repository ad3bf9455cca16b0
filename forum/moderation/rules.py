"""The moderation rules engine: ``assess(text, participants)`` -> ``Assessment``.

Pure (no Flask, no database) so it runs inline on every post and in unit tests without an app.
Rules are data (``Rule``); the defaults live in ``defaults.py`` and go through the same
validation as a rule a moderator writes. Patterns a moderator wrote run on the ``regex``
engine with a time limit (``RULE_TIMEOUT_SECONDS``, ``TEXT_RULES_BUDGET_SECONDS``), so no
pattern can stall a worker; the shipped patterns, reviewed here, run on ``re``. A small
linear scorer (``scorer.py``) ranks what the rules miss; rule matches alone may ``hold`` a
comment, the scorer only ever nudges or flags.

``flagged`` means "a moderator should look": action ``flag`` or ``hold``. A ``nudge`` is a
prompt to the author only ("this may read as personal, edit?"), so it is not counted as a flag.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import math
import re
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import regex as guarded_re

from forum.moderation import defaults, encoder, patterns, scorer
from forum.moderation.normalize import Deobfuscator, Normalized

ACTIONS: tuple[str, ...] = ("allow", "nudge", "flag", "hold")
RULE_ACTIONS = frozenset(ACTIONS[1:])
FLAG_ACTIONS = frozenset({"flag", "hold"})
KINDS = frozenset({"pattern", "lexicon"})
TARGETS = frozenset({"any", "person"})
# Base score a rule match of each action contributes; the scorer may only add to it.
ACTION_SCORE: dict[str, float] = {"allow": 0.0, "nudge": 0.5, "flag": 0.8, "hold": 0.95}

# Longest text analysed. Forum comments are far shorter; the bound keeps a pathological
# moderator regex from running over megabytes.
MAX_TEXT_CHARS = 20_000
MAX_PATTERN_CHARS = 5_000
MAX_TERMS = 500
MAX_TERM_CHARS = 60
# Moderator-written patterns: at most this long on one text, and all of them together at most
# the budget; a pattern that runs out is skipped for that text and reported (``timed_out``).
RULE_TIMEOUT_SECONDS = 0.05
# Matches kept per rule per text: enough to show and judge, bounded for a pattern like "."
MAX_MATCHES_PER_RULE = 20
# Matches looked at per rule per text, kept or dropped as negated: a bound on the work too.
MAX_SCANNED_MATCHES = 200
TEXT_RULES_BUDGET_SECONDS = 0.2
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")
_MACRO_RE = re.compile(r"\{([a-z_]+)\}")


class RuleError(ValueError):
    """A rule is malformed: bad field, unknown macro, invalid or dangerous regex."""


@dataclass(frozen=True, slots=True)
class Rule:
    """One moderation rule, as data.

    ``kind="pattern"`` runs ``pattern`` (a regex over the normalised text, with macros such as
    ``{you}``, ``{people}``, ``{participant}``, ``{insult_nouns}``). ``kind="lexicon"`` matches
    ``terms`` as whole words; with ``target="person"`` a term only counts when it is tied to a
    person reference ("you are a ...", "Jody is a ...", "are some of you ...").
    ``message`` explains a match to a person; ``{term}`` is replaced by the matched word.
    ``tags`` limits the rule to threads with one of those topic tags (empty: every thread).
    ``respect_negation`` skips a match negated or reported in its clause ("not", "if",
    "they said").
    """

    id: str
    kind: str
    action: str
    message: str
    pattern: str = ""
    terms: tuple[str, ...] = ()
    target: str = "any"
    enabled: bool = True
    tags: tuple[str, ...] = ()
    respect_negation: bool = True


@dataclass(frozen=True, slots=True)
class Match:
    """Where a rule fired. Spans index the ORIGINAL text so the site can highlight them."""

    rule_id: str
    start: int
    end: int
    explanation: str
    action: str
    sentence_start: int = 0
    sentence_end: int = 0


@dataclass(frozen=True, slots=True)
class Assessment:
    """The decision for one comment."""

    flagged: bool
    score: float
    action: str
    matches: tuple[Match, ...] = field(default_factory=tuple)
    # Moderator-written rules that ran out of time on this text (their matches not counted).
    timed_out: tuple[str, ...] = ()

    @property
    def rule_ids(self) -> tuple[str, ...]:
        """Distinct rule ids that fired, in order of first match."""
        return tuple(dict.fromkeys(m.rule_id for m in self.matches))


# --------------------------------------------------------------------------- rule (de)serialising


def rule_from_dict(d: Mapping[str, object], *, probe: bool = True) -> Rule:
    """Build and validate a rule from a plain dict (JSON from the site or the defaults).

    ``probe=False`` skips the timed backtracking probe (used for the shipped defaults, which
    the tests probe instead, to keep import cheap); the static checks always run.
    """
    if not isinstance(d, Mapping):
        raise RuleError("a rule must be a mapping of fields")
    known = {f.name for f in dataclasses.fields(Rule)}
    unknown = sorted(set(d) - known)
    if unknown:
        raise RuleError(f"unknown rule field(s): {', '.join(unknown)}")
    for required in ("id", "kind", "action", "message"):
        if required not in d:
            raise RuleError(f"rule is missing the {required!r} field")
    rule = Rule(
        id=_str_field(d, "id"),
        kind=_str_field(d, "kind"),
        action=_str_field(d, "action"),
        message=_str_field(d, "message"),
        pattern=_str_field(d, "pattern", ""),
        terms=_str_tuple(d, "terms"),
        target=_str_field(d, "target", "any"),
        enabled=_bool_field(d, "enabled", True),
        tags=_str_tuple(d, "tags"),
        respect_negation=_bool_field(d, "respect_negation", True),
    )
    validate_rule(rule, probe=probe)
    return rule


def rule_to_dict(rule: Rule) -> dict[str, object]:
    """Plain JSON-able dict; ``rule_from_dict(rule_to_dict(r)) == r``."""
    return {
        "id": rule.id,
        "kind": rule.kind,
        "action": rule.action,
        "message": rule.message,
        "pattern": rule.pattern,
        "terms": list(rule.terms),
        "target": rule.target,
        "enabled": rule.enabled,
        "tags": list(rule.tags),
        "respect_negation": rule.respect_negation,
    }


def _str_field(d: Mapping[str, object], name: str, default: str | None = None) -> str:
    value = d.get(name, default)
    if not isinstance(value, str):
        raise RuleError(f"rule field {name!r} must be a string, got {type(value).__name__}")
    return value


def _bool_field(d: Mapping[str, object], name: str, default: bool) -> bool:
    value = d.get(name, default)
    if not isinstance(value, bool):
        raise RuleError(f"rule field {name!r} must be true or false")
    return value


def _str_tuple(d: Mapping[str, object], name: str) -> tuple[str, ...]:
    value = d.get(name, ())
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise RuleError(f"rule field {name!r} must be a list of strings")
    items = tuple(value)
    if not all(isinstance(v, str) for v in items):
        raise RuleError(f"rule field {name!r} must be a list of strings")
    return items


def validate_rule(rule: Rule, *, probe: bool = True) -> None:
    """Raise ``RuleError`` with a message a moderator can act on, or return None."""
    if not _ID_RE.match(rule.id):
        raise RuleError(
            f"rule id {rule.id!r} must be 1-64 lowercase letters, digits, '.', '_' or '-'"
        )
    if rule.kind not in KINDS:
        raise RuleError(f"rule {rule.id}: kind must be one of {sorted(KINDS)}, not {rule.kind!r}")
    if rule.action not in RULE_ACTIONS:
        raise RuleError(
            f"rule {rule.id}: action must be one of {sorted(RULE_ACTIONS)}, not {rule.action!r}"
        )
    if rule.target not in TARGETS:
        raise RuleError(f"rule {rule.id}: target must be one of {sorted(TARGETS)}")
    if not rule.message.strip() or "\n" in rule.message or len(rule.message) > 200:
        raise RuleError(f"rule {rule.id}: message must be one line of at most 200 characters")
    if "{" in rule.message.replace("{term}", "") or "}" in rule.message.replace("{term}", ""):
        raise RuleError(
            f"rule {rule.id}: message may use the {{term}} placeholder and no other braces"
        )
    if rule.kind == "pattern":
        if not rule.pattern.strip():
            raise RuleError(f"rule {rule.id}: a pattern rule needs a non-empty pattern")
        if rule.terms:
            raise RuleError(f"rule {rule.id}: a pattern rule takes no terms")
        if rule.target != "any":
            raise RuleError(f"rule {rule.id}: target applies to lexicon rules only")
    else:
        if not rule.terms:
            raise RuleError(f"rule {rule.id}: a lexicon rule needs at least one term")
        if rule.pattern:
            raise RuleError(f"rule {rule.id}: a lexicon rule takes terms, not a pattern")
        if len(rule.terms) > MAX_TERMS:
            raise RuleError(f"rule {rule.id}: at most {MAX_TERMS} terms")
        for term in rule.terms:
            if not term.strip() or len(term) > MAX_TERM_CHARS:
                raise RuleError(
                    f"rule {rule.id}: terms must be non-empty and at most {MAX_TERM_CHARS} chars"
                )
    if len(rule.pattern) > MAX_PATTERN_CHARS:
        raise RuleError(f"rule {rule.id}: pattern longer than {MAX_PATTERN_CHARS} characters")
    for tag in rule.tags:
        if not tag.strip():
            raise RuleError(f"rule {rule.id}: tags must be non-empty strings")
    # Compile as for a text naming someone, so macro and regex errors surface now.
    _compile_with(rule, NAMED)
    if rule.kind == "pattern":
        _check_backtracking(rule, probe=probe)


# --------------------------------------------------------------------------- compiling


def _expand_macros(pattern: str, extra: Mapping[str, str], rule_id: str) -> str:
    """Replace ``{name}`` macros (recursively) with their regex fragments."""

    def replace(m: re.Match[str]) -> str:
        name = m.group(1)
        if name in extra:
            return extra[name]
        if name in _MACROS:
            return _MACROS[name]
        raise RuleError(
            f"rule {rule_id}: unknown macro {{{name}}}; known: {', '.join(sorted(_MACROS))}"
        )

    for _ in range(5):
        expanded = _MACRO_RE.sub(replace, pattern)
        if expanded == pattern:
            return expanded
        pattern = expanded
    return pattern


def _terms_regex(terms: Iterable[str]) -> str:
    """Alternation of terms, longest first; spaces also match a hyphen or nothing."""
    cleaned = {" ".join(_DEOBFUSCATOR.normalize(t).text.split()) for t in terms}
    parts = [re.escape(t).replace(r"\ ", "[ -]?") for t in sorted(cleaned, key=len, reverse=True)]
    return "(?:" + "|".join(p for p in parts if p) + ")"


@lru_cache(maxsize=4096)
def _folded_name(name: str) -> str:
    """A display name as it reads in prepared text."""
    return " ".join(_DEOBFUSCATOR.normalize(name).text.split()).lstrip("@")


@lru_cache(maxsize=4096)
def _name_forms(name: str) -> tuple[str, ...]:
    """What a participant is called in a text: the whole display name, and the parts people
    use for it ("Colette" for "Colette M.", ``scorer.short_names``). Part of a name is a
    person to the rules too: "Beth only argues this because ..." about "Beth O'Connell" is the
    motive attack it reads as, and on the tune parts no legitimate comment read otherwise."""
    folded = _folded_name(name)
    return (folded, *scorer.short_names(folded)) if folded else ()


def _named_in(text: str, participants: Sequence[str]) -> tuple[str, ...]:
    """The participants called by name in ``text`` (as a substring: ``_mark_names`` then
    looks for whole words)."""
    return tuple(sorted({p for p in participants if any(f in text for f in _name_forms(p))}))


# A participant's name in a text reads to the rules as a run of NAME, as long as the name
# (``_mark_names``), and ``{participant}`` as such a run: each rule is compiled twice in all
# (for texts that name someone and for texts that don't), where baking the names into the
# pattern compiled every person rule again for each new set of names a text held, 54 ms a
# post. NAME is a letter, so ``\w`` and ``\b`` read a name as they read the name itself.
NAME = "\u01c2"
NAMED = rf"(?:(?<![\w@]){NAME}+(?!\w))"
NOBODY = "(?!)"


@lru_cache(maxsize=256)
def _names_regex(named: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(_participants_regex(named))


def _mark_names(text: str, named: tuple[str, ...]) -> tuple[str, list[tuple[int, int]]]:
    """``text`` with each whole participant name of ``named`` (and its "@") turned into NAME
    characters, and where they are; a NAME the writer typed reads as masked, so no text can
    fake a name. The offsets stay where they were."""
    text = text.replace(NAME, MASK)
    spans = _name_spans(_names_regex(named), text)
    return _blank(text, spans, NAME), spans


def _name_spans(names: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """Where the names of ``names`` stand as whole words, an "@" before one included. The
    start is checked here, not by a look-behind in the pattern: one there makes ``re`` try
    the pattern at every character, a tenth of an assessment of a 2,000-character post."""
    spans = []
    at = 0
    while found := names.search(text, at):
        start, end = found.span()
        if start and text[start - 1] == "@":
            start -= 1
        if start and (patterns.is_word_char(text[start - 1]) or text[start - 1] == "@"):
            at = found.start() + 1
            continue
        spans.append((start, end))
        at = end
    return spans


def _marked_words(
    words_at: dict[str, list[int]], text: str, spans: list[tuple[int, int]]
) -> patterns.Words:
    """``patterns.word_positions`` of the marked text, from the text's own: only the words
    of the names move (a name is one run of NAME, whole words on both sides of it), so
    reading the whole text again, a third of an assessment, is not needed."""
    marked = patterns.Words(words_at)
    for start, end in spans:
        for m in patterns.WORD_RUN_RE.finditer(text, start, end):
            left = [at for at in marked[m.group()] if at != m.start()]
            if left:
                marked[m.group()] = left
            else:
                del marked[m.group()]
        marked.setdefault(NAME * (end - start), []).append(start)
    return marked


def _participants_regex(participants: Sequence[str]) -> str:
    names: set[str] = set()
    for name in participants:
        names.update(form for form in _name_forms(name) if len(form) >= 2)
    if not names:
        return "(?!)"
    alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    # Where a name starts is checked by ``_name_spans``; that it ends a word, here.
    return rf"(?:{alternation})(?!\w)"


_SHIPPED_PATTERNS = frozenset(str(d["pattern"]) for d in defaults.DEFAULT_RULES if d["pattern"])
Pattern = patterns.Pattern


def is_guarded(rule: Rule) -> bool:
    """Whether a rule runs on the time-limited engine: any pattern we did not ship (lexicon
    rules are built from escaped terms and our own templates, so they can't backtrack)."""
    return rule.kind == "pattern" and rule.pattern not in _SHIPPED_PATTERNS


@lru_cache(maxsize=1024)
def _compile_with(rule: Rule, participant: str) -> Pattern:
    """Compile a rule with ``{participant}`` standing for the regex ``participant`` (NAMED
    or NOBODY)."""
    extra = {"participant": participant}
    if rule.kind == "lexicon":
        terms = _terms_regex(rule.terms)
        if rule.target == "person":
            source = defaults.PERSON_TEMPLATE.replace("{terms}", terms)
        else:
            source = rf"\b(?P<term>{terms})(?:s|es)?\b"
    else:
        source = rule.pattern
    expanded = _expand_macros(source, extra, rule.id)
    try:
        if is_guarded(rule):
            compiled: Pattern = guarded_re.compile(expanded, guarded_re.VERSION0)
            return compiled
        return re.compile(expanded)
    except (re.error, guarded_re.error) as exc:
        raise RuleError(f"rule {rule.id}: invalid regular expression: {exc}") from exc


@dataclass(frozen=True, slots=True)
class _Plan:
    """A rule compiled for texts that name a participant or for those that don't, with what
    ``find_matches`` reads from the compiled pattern before running it."""

    regex: Pattern
    # The pattern's alternatives with how each begins and what each needs further on
    # (``patterns.branches``): a text lacking those is not tried where only they begin.
    branches: tuple[patterns.Branch, ...] | None
    required: re.Pattern[str] | None
    anchors: frozenset[str] | None
    guarded: bool


@lru_cache(maxsize=1024)
def _plan(rule: Rule, named: bool) -> _Plan:
    """Everything ``find_matches`` needs to know about a rule before scanning, worked out
    once per rule, for texts that name a participant (``named``) or not, and held by each rule
    set's ``_Scan``. Keyed by the rule (``patterns.starts`` and ``anchors`` are keyed by the
    compiled pattern, whose hash reads its whole compiled program: for the shipped rules, a
    tenth of a millisecond per text)."""
    regex = _compile_with(rule, NAMED if named else NOBODY)
    return _Plan(
        regex=regex,
        branches=patterns.branches(regex),
        required=_required(rule),
        anchors=patterns.anchors(regex),
        guarded=is_guarded(rule),
    )


@lru_cache(maxsize=1024)
def _required(rule: Rule) -> re.Pattern[str] | None:
    """For lexicon rules, a cheap regex for "one of the terms occurs" to run first."""
    if rule.kind != "lexicon":
        return None
    return re.compile(r"\b" + _terms_regex(rule.terms))


# Try the shipped and lexicon patterns only where a match can begin (see ``patterns.starts``); off,
# they scan every position, the plain way the tests compare this one with.
SCAN_FROM_STARTS = True


@dataclass(frozen=True, slots=True)
class _Ready:
    """A switched-on rule as ``find_matches`` scans it: whether it reads names, its plans and
    where its matches can begin (``patterns.LiveStarts``, None where it may begin anywhere),
    each for texts that name nobody and for texts that do (the same, if it reads no names)."""

    reads_names: bool
    plans: tuple[_Plan, _Plan]
    live: tuple[patterns.LiveStarts | None, patterns.LiveStarts | None]


class _Scan:
    """A rule set ready to scan: one index of what its rules' branches need, so that a text's
    words are looked up once for all of them (``patterns.NeedIndex``), and each rule as
    ``_Ready`` (None if switched off: never scanned, so never compiled)."""

    def __init__(self, rules: tuple[Rule, ...]) -> None:
        planned: list[tuple[bool, _Plan, _Plan] | None] = []
        for rule in rules:
            if not rule.enabled:
                planned.append(None)
                continue
            reads_names, plain = _uses_participants(rule), _plan(rule, False)
            planned.append((reads_names, plain, _plan(rule, True) if reads_names else plain))
        self.index = patterns.NeedIndex(
            need
            for entry in planned
            if entry is not None
            for plan in entry[1:]
            for branch in plan.branches or ()
            for need in branch.needs
        )
        self.rules = [None if entry is None else self._ready(*entry) for entry in planned]

    def _ready(self, reads_names: bool, plain: _Plan, named: _Plan) -> _Ready:
        live = [
            None if plan.branches is None else patterns.LiveStarts(plan.branches, self.index)
            for plan in ((plain, named) if reads_names else (plain,))
        ]
        return _Ready(reads_names, (plain, named), (live[0], live[-1]))


# Rule sets read for scanning (``_Scan``), by identity: the shipped set, the effective set of
# the moderators' edits (one tuple until they edit again), a rule being previewed.
_SCANS: dict[int, tuple[tuple[Rule, ...], _Scan]] = {}
MAX_SCANS = 8


def warm(models: bool = False) -> None:
    """Compile and read every shipped rule now, for texts that name someone and texts that
    don't, and with ``models`` load the scorer and the encoder, rather than while the first
    comment waits: some seconds, once per process. gunicorn's master reads the rules before
    it forks (gunicorn.conf.py), and each process the rest at its first request
    (``forum.create_app``)."""
    _scan_of(_DEFAULT_RULES)
    if models:
        scorer.load_model()
        encoder.default()


def _scan_of(rules: tuple[Rule, ...]) -> _Scan:
    kept = _SCANS.get(id(rules))
    if kept is not None and kept[0] is rules:
        return kept[1]
    scan = _Scan(rules)
    if len(_SCANS) >= MAX_SCANS:
        _SCANS.clear()
    _SCANS[id(rules)] = (rules, scan)
    return scan


def _uses_participants(rule: Rule) -> bool:
    return rule.kind == "lexicon" and rule.target == "person" or "{participant}" in rule.pattern


def _check_backtracking(rule: Rule, probe: bool = True) -> None:
    """Reject regexes likely to backtrack catastrophically, with a message saying how to fix.

    The time limit in ``find_matches`` already keeps a slow pattern from stalling the site;
    this catches it when it is written. Two checks: no quantifier nested under an unbounded
    quantifier (static), and probes on repetitive inputs, including runs of the pattern's own
    literals, each under the per-rule time limit.
    """
    compiled = _compile_with(rule, NAMED)
    try:
        tree = patterns.parse(compiled.pattern)
    except Exception:  # syntax only the regex engine knows: the probes still run
        tree = None
    if tree is not None and patterns.nested_unbounded(tree, inside_unbounded=False):
        raise RuleError(
            f"rule {rule.id}: nested repetition like (a+)+ or (\\w+ )* can hang the site; "
            "bound the outer repeat, e.g. {0,3}"
        )
    if not probe:
        return
    units = ["a", "you ", " ", "aa!", "x1", "you are a ", *patterns.literal_units(tree)]
    for unit in dict.fromkeys(units):
        # Longest first: a pattern that blows up does so there, and is rejected after one
        # time limit instead of after the shorter probes it was already slowing down.
        for size in (2000, 200, 48, 24, 16, 8):
            text = unit * size + "\u2603"
            try:
                _search_guarded(compiled, text, RULE_TIMEOUT_SECONDS)
            except TimeoutError:
                raise RuleError(
                    f"rule {rule.id}: pattern is too slow on repetitive input "
                    f"({size} x {unit!r}); simplify nested or overlapping repeats"
                ) from None


def _finditer_guarded(compiled: Any, text: str, timeout: float) -> list[re.Match[str]]:
    """Up to ``MAX_SCANNED_MATCHES`` matches of a ``regex`` pattern, or ``TimeoutError``."""
    found: Iterator[re.Match[str]] = compiled.finditer(text, timeout=timeout)
    return list(itertools.islice(found, MAX_SCANNED_MATCHES))


def _search_guarded(compiled: Pattern, text: str, timeout: float) -> None:
    """Search under a time limit; ``re`` has none, so time it and raise alike (in this
    thread's CPU time, so a busy machine doesn't make a fast pattern look slow)."""
    if isinstance(compiled, re.Pattern):
        started = time.thread_time()
        compiled.search(text)
        if time.thread_time() - started > timeout:
            raise TimeoutError("pattern too slow")
        return
    compiled.search(text, timeout=timeout)


# --------------------------------------------------------------------------- text preparation

_DEFAULT_WATCH = frozenset(defaults.watch_words())
_DEOBFUSCATOR = Deobfuscator(_DEFAULT_WATCH)
_MACROS: dict[str, str] = dict(defaults.MACROS)
_MACROS["subject"] = "(?:{people}|{you}|{participant}|{mention})"
_MACROS["be"] = defaults.MACROS["be"]
_MACROS["insult_nouns"] = _terms_regex(defaults.INSULT_NOUNS)
_MACROS["role_labels"] = _terms_regex(defaults.ROLE_LABELS)
_MACROS["character"] = _terms_regex(defaults.CHARACTER_ADJECTIVES)

# Labels said not to fit, or said by the writer of themself: "Jo, you are not a liar", "you're
# no apologist", "I was wrong, and frankly a bit of an idiot". No rule charges anyone with them,
# but the scorer weighs words, and read the label as the charge it denies. So, like the words
# of a rule match judged denied, they are blanked for both models ("you're not just a liar"
# denies nothing, and stays).
_LABELS = f"(?:{_MACROS['role_labels']}|{_MACROS['insult_nouns']}|{_MACROS['character']})"
# A word each label holds (its longest, or the whole label run together: "sockpuppet"), so a
# text with none of them skips both searches.
_LABEL_WORDS = frozenset(
    form
    for t in (*defaults.ROLE_LABELS, *defaults.INSULT_NOUNS, *defaults.CHARACTER_ADJECTIVES)
    for form in (max(t.split(), key=len), t.replace(" ", ""))
)
_DENIAL_WORDS = ("not", "no", "never", "hardly", "far")
_DENIED_LABEL_RE = re.compile(
    r"\b(?:not|no|never|hardly|far from)(?! (?:just|only|merely|simply|even)\b) (?:being )?(?:a "
    r"|an |the |some )?(?:[\w-]+ )?(?P<label>" + _LABELS + r")\b"
)
_SELF_LABEL_RE = re.compile(
    r"\bi(?:'m| am| was|'ve been| have been| had been| feel like| felt like| must be| must have "
    r"been)\b(?:(?!\b(?:who|that|which|you|your|he|she|they|is|are|called|call)\b)"
    r"[^.!?;\n]){0,60}?\ban? (?:[\w-]+ )?(?P<label>" + _MACROS["insult_nouns"] + r")\b"
)


# "Let's not turn the one cop willing to talk into a troll", "stop calling her a liar": the
# label is refused for someone, as "not a liar" refuses it.
_REFUSED_LABEL_RE = re.compile(
    r"\b(?:(?:let's|lets|let us) not|(?:don't|do not|stop|quit))(?: be)? (?:turn|call|brand|"
    r"label|paint|write off|dismiss)(?:ing)? (?:[\w'-]+ ){0,8}?(?:into |as )?(?:a |an |the |"
    r"some )?(?:[\w-]+ )?(?P<label>" + _LABELS + r")\b"
)
_REFUSAL_WORDS = ("let", "lets", "don", "do", "stop", "quit")


def _denied_labels(text: str, words_at: patterns.Words | None) -> list[tuple[int, int]]:
    """Where ``text`` holds a label it denies, refuses for someone or gives its own writer (see
    ``_LABELS``): each search tried only where its first word is, when the caller has read
    where words begin."""
    searches = (
        (_DENIED_LABEL_RE, _DENIAL_WORDS),
        (_REFUSED_LABEL_RE, _REFUSAL_WORDS),
        (_SELF_LABEL_RE, ("i",)),
    )
    if words_at is None:
        return [m.span("label") for regex, _ in searches for m in regex.finditer(text)]
    if _LABEL_WORDS.isdisjoint(words_at.as_set()):
        return []
    spans = []
    for regex, firsts in searches:
        at = sorted(p for word in firsts for p in words_at.get(word, ()))
        spans += [m.span("label") for m in patterns.match_from(regex, text, at, len(at))]
    return spans


MASK = "\x1a"  # stands in for quoted text: matches no word, so patterns can't run across it
_QUOTE_LINE_RE = re.compile(r"(?m)^[ \t]*>.*$")
_DOUBLE_QUOTE_RE = re.compile(r'"[^"\n]{1,600}"')
# These begin with the character they consume first and check what precedes it after it, so
# ``re`` skips to the candidates instead of trying every position; the matches are those of
# ``(?<![\w'])'(?=\w)...``, ``\s{2,}|\s(?<! )|MASK{2,}`` and ``(?<=[.!?])\s+|\n+``.
_SINGLE_QUOTE_RE = re.compile(r"'(?<![\w']')(?=\w)[^'\n]{0,200}?[\w.!?,]'(?!\w)")
_SPACE_RE = re.compile(r"\s+")
_SQUEEZE_RE = re.compile(
    r"[\s" + MASK + r"](?:(?<=\s)\s+|(?<=[^\S ])|(?<=" + MASK + ")" + MASK + "+)"
)
_MASK_NON_NEWLINE_RE = re.compile(r"[^\n]")
# A sentence ends at ".", "!" or "?" before a space, or at a line break; a "." that closes an
# abbreviation ("decrimin.", "e.g.", "approx.") or an initial doesn't end one.
_SENTENCE_END_RE = re.compile(r"\s(?:(?<=[.!?]\s)\s*|(?<=\n)\n*)")
_WORD_BEFORE_DOT_RE = re.compile(r"([a-z][a-z.]*)\.$")
ABBREVIATIONS = frozenset(
    {"e.g", "i.e", "etc", "vs", "dr", "mr", "mrs", "ms", "st", "no", "nr", "cf", "al", "ca",
     "approx", "govt", "gov", "dept", "inc", "ltd", "jr", "sr", "fig", "vol", "pp", "ed", "est",
     "incl", "esp", "avg", "decrim", "decrimin", "crim", "intl", "org", "univ", "prof", "sen",
     "rep", "u.s", "u.k", "e.u", "a.m", "p.m"}
)  # fmt: skip
# Markers that, just before an accusation in its own clause, make it something else:
# denial or report ("I'm not saying", "they called me"), or supposition ("if you are").
_NEGATION_RE = re.compile(r"\b(?:not|never|nobody|no one|nor|without|no)\b|n't\b")
# "hard to believe X isn't Y with a fresh email" is incredulity, the speaker's own charge.
_REPORT_RE = re.compile(
    # "call" a report, not a phone call: "the call log", "every call" report nothing.
    r"\b(?:said|says|say|saying|called|(?<!\bthe )(?<!\ba )(?<!\bthat )(?<!\bthis )"
    r"(?<!\bevery )(?<!\beach )(?<!\bone )(?<!\bphone )(?<!\bhotline )(?:calls|call)|calling|"
    r"claim|claims|claimed|claiming|"
    r"accuse|accused|accuses|accusing|implying|imply|implied|suggesting|suggest|suggested|"
    r"think|thinking|(?<!hard to )(?<!difficult to )believe|believing|mean|means|meant|label|"
    r"labelled|labeled|labelling|labeling|told|wrote|writes|write|insinuate|insinuating|"
    r"mentioned|explained|disclosed)\b"
)
# "if you think war is simple you're a fool": a condition whose report ("think") has a clause
# of its own ("war is simple") is over before the accusation, which is the speaker's, comma
# or not. A report not under a condition still covers what follows it ("he said it was
# obvious you were a shill").
_CONDITION_RE = re.compile(r"(?:if|when|whenever|once|unless|as long as)\b")
_FINITE_RE = re.compile(
    r"\b(?:is|are|was|were|am|has|have|had|does|did|can|could|will|would|should|may|might|"
    r"must)\b"
)
# A report in the first person is the speaker's own claim ("I say you are a liar").
_OWN_REPORT_RE = re.compile(r"\b(?:i|we|i'm|we're|i am|we are|i've|we've) (?:\w+ ){0,3}$")
_SUPPOSE_RE = re.compile(
    r"\b(?:if|whether|unless|as if|assuming|assume|pretend|pretending|suppose|supposing|"
    r"imagine|what if) (?:\w+ )?$|\b(?:not|never) $"
)
_CLAUSE_BREAK_RE = re.compile(
    r"[,;:.!?()\n" + MASK + r"]|\b(?:but|and|so|because|though|then|since|while|whereas)\b"
)
# How far back (in characters) an accusation's clause is read for those markers.
HEDGE_WINDOW = 60


@lru_cache(maxsize=64)
def _deobfuscator_for(extra_words: frozenset[str]) -> Deobfuscator:
    return Deobfuscator((*defaults.watch_words(), *extra_words))


def _deobfuscator(rules: Iterable[Rule]) -> Deobfuscator:
    """The default de-obfuscator, widened with the words of any custom lexicon terms."""
    extra = frozenset(
        word
        for rule in rules
        if rule.kind == "lexicon" and rule.enabled
        for term in rule.terms
        for word in term.casefold().split()
        if len(word) >= 3 and word.isalpha() and word not in _DEFAULT_WATCH
    )
    return _DEOBFUSCATOR if not extra else _deobfuscator_for(extra)


# Markdown's emphasis and code marks ("a **paid shill**", "_liar_", "~~x~~", "`liar`"): readers
# see the words alone, so the rules read them so too (``_without_emphasis``).
_EMPHASIS_MARKS = "*_~`"
_EMPHASIS_RUN_RE = re.compile("[" + re.escape(_EMPHASIS_MARKS) + "]+")


def _edited(norm: Normalized, edits: Iterable[tuple[int, int, str]]) -> Normalized:
    """``norm`` with each (start, end) span, in order and apart, replaced by its text (one
    character or none), copying the offset map slice by slice: a replacement points where
    its span began."""
    text, offsets = norm.text, norm.offsets
    out: list[str] = []
    index: list[int] = []
    pos = 0
    for start, end, replacement in edits:
        out.append(text[pos:start])
        index.extend(offsets[pos:start])
        if replacement:
            out.append(replacement)
            index.append(offsets[start])
        pos = end
    out.append(text[pos:])
    index.extend(offsets[pos:])
    return Normalized("".join(out), tuple(index), norm.original_length)


def _without_emphasis(norm: Normalized) -> Normalized:
    """``norm`` without the emphasis marks that open or close a word: a run of them with a
    word character on one side only ("**pimp**,"); "fieldnotes_22", "5*3" and a bullet's
    "* " keep theirs. Offsets still point at the original text."""
    text = norm.text
    if not any(mark in text for mark in _EMPHASIS_MARKS):  # most comments: a scan per mark
        return norm
    cut = [
        (m.start(), m.end(), "")
        for m in _EMPHASIS_RUN_RE.finditer(text)
        if (m.start() > 0 and text[m.start() - 1].isalnum())
        != (m.end() < len(text) and text[m.end()].isalnum())
    ]
    return _edited(norm, cut) if cut else norm


def _prepare(text: str, deobfuscator: Deobfuscator | None = None) -> Normalized:
    """Normalise, drop emphasis marks, blank out quoted text, squeeze whitespace; offsets
    still point at ``text``."""
    norm = _without_emphasis((deobfuscator or _DEOBFUSCATOR).normalize(text))
    masked = norm.text
    for regex, mark in ((_QUOTE_LINE_RE, ">"), (_DOUBLE_QUOTE_RE, '"'), (_SINGLE_QUOTE_RE, "'")):
        if mark in masked:
            masked = regex.sub(lambda m: _MASK_NON_NEWLINE_RE.sub(MASK, m.group()), masked)
    quoted = Normalized(masked, norm.offsets, norm.original_length)
    # Squeeze runs of whitespace (to "\n" if they hold a line break, else " ") and runs of
    # masked characters to one. Every whitespace character but the space is unprintable, and
    # so is MASK: a text of single spaces and printable characters has nothing to squeeze.
    if "  " not in masked and masked.replace(" ", "").isprintable():
        return quoted  # most comments: single spaces and nothing quoted
    runs = _SQUEEZE_RE.finditer(masked)
    return _edited(quoted, ((m.start(), m.end(), _squeezed(m.group())) for m in runs))


def _squeezed(run: str) -> str:
    """What a run of whitespace or masks becomes: one mask, a line break, or a space."""
    return MASK if run[0] == MASK else "\n" if "\n" in run else " "


def _sentences(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for m in _SENTENCE_END_RE.finditer(text):
        if text[m.start() - 1 : m.start()] == ".":
            word = _WORD_BEFORE_DOT_RE.search(text, max(start, m.start() - 12), m.start())
            if word and (len(word.group(1)) == 1 or word.group(1) in ABBREVIATIONS):
                continue
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


# "I'm not saying you're a shill, but you do turn up every time the budget comes up": a charge
# denied only to be made (paralipsis). The writer's own denial of saying it, then, in the same
# clause's "but" or in what follows, the person again or a wink ("just saying", "make of that
# what you will"); "I'm not saying you're a liar, but the figure is wrong" denies it.
_OWN_DENIAL_RE = re.compile(
    r"\b(?:i'm|i am|im|i was|i wasn't|i won't|i will|i wouldn't|i would|i'd|i never|not)\b "
    r"(?:\w+ ){0,2}?(?:saying|suggesting|implying|accusing|calling|claiming|say|suggest|imply|"
    r"accuse|call|claim)\b"
)
_SAID_ANYWAY_RE = re.compile(
    r"[^.!?;\n]{0,40}?,? but (?:you|u|he|she|they|it's (?:funny|interesting|odd|curious|"
    r"strange|telling|convenient|worth noting)|i (?:notice|note|can't help|do wonder|wonder|"
    r"have noticed|find it))\b"
    r"|(?:[^\n]{0,200}?)\b(?:just saying|just asking|just an observation|not ruling (?:it|that|"
    r"this) out|make of (?:that|this|it) what you will|draw your own conclusions|if the shoe "
    r"fits|i'll let (?:you|others|readers|everyone) (?:decide|judge))\b"
)


def _said_anyway(text: str, start: int, end: int, sentence_start: int) -> bool:
    """Whether a charge the writer denies saying (before ``start``) is made anyway after
    ``end`` (see ``_SAID_ANYWAY_RE``)."""
    before = text[max(sentence_start, start - HEDGE_WINDOW) : start]
    if _OWN_DENIAL_RE.search(before) is None:
        return False
    return _SAID_ANYWAY_RE.match(text, end, min(len(text), end + 240)) is not None


def _is_hedged(text: str, start: int, sentence_start: int) -> bool:
    """True if the accusation's own clause denies, reports or supposes it.

    Only the clause the match starts in counts, so "I'm not sure why, but you are a liar" is
    an accusation; a report needs a reporting verb ("nobody is calling you a liar", "they
    said I was a pimp"), and a supposition must introduce the accusation ("if you are a
    pimp"), not an earlier clause ("if you think war is simple, you're a fool").
    """
    window = text[max(sentence_start, start - HEDGE_WINDOW) : start]
    breaks = list(_CLAUSE_BREAK_RE.finditer(window))
    if breaks:
        window = window[breaks[-1].end() :]
    window = window.lstrip()
    if _SUPPOSE_RE.search(window):
        return True
    report = _REPORT_RE.search(window)
    if report is None:
        return False
    if _CONDITION_RE.match(window) and _FINITE_RE.search(window, report.end()):
        return False
    if _NEGATION_RE.search(window):
        return True
    return _OWN_REPORT_RE.search(window[: report.start()]) is None


# --------------------------------------------------------------------------- public API


def default_rules() -> tuple[Rule, ...]:
    """The rules shipped with the forum, validated."""
    return _DEFAULT_RULES


def find_matches(
    prepared: Normalized,
    rules: tuple[Rule, ...],
    participants: Sequence[str] = (),
    tags: Iterable[str] = (),
    hedged: list[tuple[str, int, int]] | None = None,
    timed_out: list[str] | None = None,
    words_at: patterns.Words | None = None,
) -> list[Match]:
    """Run rules over prepared text; matches are in original-text coordinates.

    Matches dropped as negated or reported are appended to ``hedged`` if given, as
    (rule id, start, end) in prepared-text coordinates. Moderator-written patterns share a
    time budget; the ids of those that ran out are appended to ``timed_out`` and their
    matches, if any, are not counted for this text. ``words_at`` is where each word of the
    text begins, if the caller has read it (else it is read when a rule first needs it).
    """
    text = prepared.text
    deadline = time.perf_counter() + TEXT_RULES_BUDGET_SECONDS
    tag_set = {t.casefold() for t in tags}
    named = _named_in(text, [p for p in participants if p and p.strip()])
    # Rules that read names scan a copy with the names marked (``_mark_names``).
    marked, name_spans = _mark_names(text, named) if named else (text, [])
    marked_words_at: patterns.Words | None = None
    scan = _scan_of(rules)
    held: list[int | None] = [None, None]  # the needs the text holds, plain and marked
    sentences: list[tuple[int, int]] | None = None  # split only once a rule has matched
    found: list[Match] = []
    for rule, ready in zip(rules, scan.rules, strict=True):
        if ready is None:
            continue  # switched off
        if rule.tags and not tag_set.intersection(t.casefold() for t in rule.tags):
            continue
        by_name = bool(named) and ready.reads_names
        plan = ready.plans[by_name]
        regex, scanned = plan.regex, marked if by_name else text
        positions: list[int] | None = None
        begins = ready.live[by_name]
        if SCAN_FROM_STARTS and begins is not None:
            if words_at is None:
                words_at = patterns.word_positions(text)
            if by_name and marked_words_at is None:
                marked_words_at = (
                    _marked_words(words_at, text, name_spans)
                    if NAME not in text  # typed by the writer: now masked, read afresh
                    else patterns.word_positions(marked)
                )
            at = marked_words_at if by_name and marked_words_at is not None else words_at
            holds = held[by_name]
            if holds is None:
                holds = held[by_name] = scan.index.held(scanned, at)
            # Only the branches whose needed words the text holds; a text of little but the
            # words they begin with is scanned in one call instead.
            positions = patterns.start_positions(
                begins.starts(holds), scanned, at, len(text) // patterns.CHARS_PER_START
            )
        if positions is not None:
            found_here = patterns.match_from(regex, scanned, positions, MAX_SCANNED_MATCHES)
        elif plan.required is not None and plan.required.search(scanned) is None:
            continue  # the label isn't in the text at all: skip the big template
        elif plan.anchors is not None and not any(a in scanned for a in plan.anchors):
            continue  # none of the words every match needs: skip scanning every position
        elif plan.guarded:
            left = deadline - time.perf_counter()
            try:
                if left <= 0:
                    raise TimeoutError("budget spent")
                found_here = _finditer_guarded(regex, scanned, min(left, RULE_TIMEOUT_SECONDS))
            except TimeoutError:
                if timed_out is not None:
                    timed_out.append(rule.id)
                continue
        else:
            found_here = list(itertools.islice(regex.finditer(scanned), MAX_SCANNED_MATCHES))
        kept = 0
        for m in found_here:
            if kept == MAX_MATCHES_PER_RULE:
                break
            if m.end() <= m.start():
                continue
            if sentences is None:
                sentences = _sentences(text)
            sent = _sentence_of(sentences, m.start())
            if (
                rule.respect_negation
                and _is_hedged(text, m.start(), sent[0])
                and not _said_anyway(text, m.start(), m.end(), sent[0])
            ):
                if hedged is not None:
                    hedged.append((rule.id, m.start(), m.end()))
                continue
            term = _term_of(m, text)
            start, end = prepared.span(m.start(), m.end())
            s_start, s_end = prepared.span(*sent)
            kept += 1
            found.append(
                Match(
                    rule_id=rule.id,
                    start=start,
                    end=end,
                    explanation=_explain(rule.message, term),
                    action=rule.action,
                    sentence_start=s_start,
                    sentence_end=s_end,
                )
            )
    return found


def _sentence_of(sentences: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    i = bisect.bisect_right(sentences, (pos, math.inf)) - 1
    if i >= 0 and sentences[i][0] <= pos < sentences[i][1]:
        return sentences[i]
    return pos, pos


def _term_of(m: re.Match[str], text: str) -> str:
    """What a match names as its term, read from ``text`` (a name there, not NAME marks)."""
    groups = m.groupdict()
    for name in sorted(groups):
        if name.startswith("term") and groups[name]:
            return text[m.start(name) : m.end(name)].replace(MASK, "").strip()
    return text[m.start() : m.end()].replace(MASK, "").strip()


def _explain(message: str, term: str) -> str:
    """The rule's message with its ``{term}``: a plain replacement, never ``str.format``,
    so no format spec in a message can blow a match up into megabytes."""
    return message.replace("{term}", term)


@dataclass(frozen=True, slots=True)
class Context:
    """Where a comment is posted: whom it answers and who else is in the thread.

    With it, "you" in a reply resolves to the parent's author, every name in the thread counts
    as a participant, and words the reply copies from its parent are not blamed on the reply.
    """

    parent_author: str | None = None
    parent_text: str = ""
    thread_title: str = ""
    names: tuple[str, ...] = ()

    def people(self, participants: Sequence[str] = ()) -> tuple[str, ...]:
        """Every display name a rule may treat as a person in the thread."""
        found = (*participants, *self.names, *([self.parent_author] if self.parent_author else []))
        return tuple(dict.fromkeys(n for n in found if n and n.strip()))


NO_CONTEXT = Context()
# The pseudo-rule a decision of the statistical scorer is recorded under, so it is explained,
# highlighted and judged per rule like any other.
MODEL_RULE_ID = "model.scorer"
MODEL_MESSAGE = "reads as aimed at a person rather than at the argument"
MODEL_MESSAGES = {MODEL_RULE_ID: MODEL_MESSAGE, encoder.ENCODER_RULE_ID: encoder.ENCODER_MESSAGE}
# Quoted text stands in the encoder's input as a quotation mark pair, as a reader would see it.
QUOTED = '"..."'
# A run of this many words copied from the parent comment counts as quoting it.
COPY_RUN = 5
_WORD_RE = re.compile(r"[a-z0-9']+")


def assess(
    text: str,
    participants: Sequence[str] = (),
    rules: Sequence[Rule] | None = None,
    tags: Iterable[str] = (),
    *,
    context: Context | None = None,
    use_scorer: bool | None = None,
    use_encoder: bool = True,
) -> Assessment:
    """Decide what to do with one comment.

    ``participants`` are display names in the thread, so "Jody is a shill" counts as aimed at a
    person; ``context`` adds the reply's parent and the thread (see ``Context``). ``rules=None``
    uses the default rules and, unless ``use_scorer=False``, the shipped scorer; custom rules
    run without the scorer unless ``use_scorer=True``. A decision the scorer takes on its own
    comes as a ``MODEL_RULE_ID`` match over the sentence that weighed most. When the rules
    have flagged nothing, the scorer is not sure the comment is harmless and it points at
    someone, if only at the person it answers, the encoder (``encoder.py``, unless
    ``use_encoder=False``) reads it whole: the scorer then flags at thresholds chosen with the
    encoder (``encoder.rescored``), and the encoder may flag or nudge it (an
    ``ENCODER_RULE_ID`` match over that same sentence) or turn a flag of the scorer alone into
    a nudge.
    """
    if use_scorer is None:
        use_scorer = rules is None
    seen = analyse(text, participants, rules, tags, context=context)
    matches = list(seen.matches)
    action = max((m.action for m in matches), key=ACTIONS.index, default="allow")
    score = ACTION_SCORE[action]
    if use_scorer:
        probability, evidence = scorer.score(
            seen.scored_text,
            seen.rule_ids,
            hedged=seen.hedged,
            extra=seen.context_features,
            words_at=seen.words_at,
        )
        scored = scorer.action_for(probability, evidence)
        read = "allow"
        model = encoder.default() if use_encoder else None
        if (
            model is not None
            and action not in FLAG_ACTIONS
            and encoder.unsure(probability, evidence, model.thresholds)
        ):
            reading = model.probability(encoder_text(seen))
            scored = encoder.rescored(probability, evidence, model.thresholds, scored)
            scored, read = encoder.decide(reading, evidence, model.thresholds, scored)
            probability = max(probability, reading) if read != "allow" else probability
        for rule_id, decided in ((MODEL_RULE_ID, scored), (encoder.ENCODER_RULE_ID, read)):
            if ACTIONS.index(decided) > ACTIONS.index(action):
                action = decided
                matches.append(_model_match(seen.prepared, seen.scored_text, decided, rule_id))
        score = max(score, probability) if matches else probability
    return Assessment(
        flagged=action in FLAG_ACTIONS,
        score=round(min(1.0, max(0.0, score)), 4),
        action=action,
        matches=tuple(matches),
        timed_out=seen.timed_out,
    )


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the rules saw in a comment, and what the scorer reads (its training script reads
    exactly this too, so training and screening never drift apart)."""

    prepared: Normalized
    matches: tuple[Match, ...]
    hedged: bool
    scored_text: str
    context_features: frozenset[str]
    timed_out: tuple[str, ...] = ()
    # Where each word of ``scored_text`` begins, if the rules read it (see ``scorer.features``).
    words_at: Mapping[str, list[int]] | None = field(default=None, compare=False, repr=False)

    @property
    def rule_ids(self) -> frozenset[str]:
        return frozenset(m.rule_id for m in self.matches)


def analyse(
    text: str,
    participants: Sequence[str] = (),
    rules: Sequence[Rule] | None = None,
    tags: Iterable[str] = (),
    *,
    context: Context | None = None,
) -> Analysis:
    """Prepare the text, mask what it copies from its parent, and run the rules."""
    context = context or NO_CONTEXT
    active = _DEFAULT_RULES if rules is None else tuple(rules)
    deobfuscator = _DEFAULT_RULES_DEOBFUSCATOR if rules is None else _deobfuscator(active)
    prepared = _prepare(text[:MAX_TEXT_CHARS], deobfuscator)
    if context.parent_text:
        parent = _prepare(context.parent_text[:MAX_TEXT_CHARS], deobfuscator)
        prepared = _mask_copied(prepared, parent.text)
    people = context.people(participants)
    hedged: list[tuple[str, int, int]] = []
    timed_out: list[str] = []
    words_at = patterns.word_positions(prepared.text) if SCAN_FROM_STARTS else None
    matches = find_matches(prepared, active, people, tags, hedged, timed_out, words_at)
    matches.sort(key=lambda m: (m.start, m.end, m.rule_id))
    # Words a rule judged denied or reported are not evidence, nor are labels denied or owned
    # (``_denied_labels``); the rest of the text is.
    denied = _denied_labels(prepared.text, words_at)
    scored_text = _blank(prepared.text, [(s, e) for _, s, e in hedged] + denied)
    return Analysis(
        prepared=prepared,
        matches=tuple(matches),
        hedged=bool(hedged),
        scored_text=scored_text,
        context_features=frozenset(
            scorer.context_features(scored_text, people, context.parent_author)
        ),
        timed_out=tuple(timed_out),
        words_at=words_at if scored_text is prepared.text else None,
    )


def encoder_text(seen: Analysis) -> str:
    """What the encoder reads: the text as the rules read it (look-alikes undone, hedged words
    blanked), quoted passages shown as a bare pair of quotation marks."""
    return seen.scored_text.replace(MASK, QUOTED)


def _blank(text: str, spans: Sequence[tuple[int, int]], fill: str = MASK) -> str:
    """``text`` with each span replaced by ``fill`` characters (offsets stay where they were):
    spans in order, overlaps merged, and the text between them sliced, not split into
    characters."""
    if not spans:
        return text
    pieces: list[str] = []
    done = 0  # how much of ``text`` is in ``pieces``
    for start, end in sorted(spans):
        start, end = max(start, done), min(end, len(text))
        if end <= start:
            continue
        pieces += (text[done:start], fill * (end - start))
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


def _mask_copied(prepared: Normalized, parent: str) -> Normalized:
    """Mask runs of ``COPY_RUN`` or more words the reply copies from its parent."""
    parent_words = _WORD_RE.findall(parent)
    if len(parent_words) < COPY_RUN:
        return prepared
    runs = {tuple(parent_words[i : i + COPY_RUN]) for i in range(len(parent_words) - COPY_RUN + 1)}
    words = list(_WORD_RE.finditer(prepared.text))
    copied = [False] * len(words)
    for i in range(len(words) - COPY_RUN + 1):
        if tuple(w.group() for w in words[i : i + COPY_RUN]) in runs:
            copied[i : i + COPY_RUN] = [True] * COPY_RUN
    spans = [(w.start(), w.end()) for w, c in zip(words, copied, strict=True) if c]
    if not spans:
        return prepared
    return Normalized(_blank(prepared.text, spans), prepared.offsets, prepared.original_length)


def _model_match(
    prepared: Normalized, scored_text: str, action: str, rule_id: str = MODEL_RULE_ID
) -> Match:
    """A model's decision as a match: the sentence the scorer weighs most, and its telling
    words (the encoder reads the whole comment, so this shows where it leans most)."""
    spans = _sentences(scored_text) or [(0, len(scored_text))]
    # Each sentence is weighed once, and a comment of one sentence not at all: weighing reads
    # every word again, and a long one-sentence comment paid for it twice over its scoring.
    best = (
        max(spans, key=lambda span: scorer.weigh(scored_text[span[0] : span[1]]))
        if len(spans) > 1
        else spans[0]
    )
    words = scorer.telling_words(scored_text[best[0] : best[1]])
    start, end = prepared.span(*best)
    because = f" (words: {', '.join(repr(w) for w in words)})" if words else ""
    return Match(
        rule_id=rule_id,
        start=start,
        end=end,
        explanation=MODEL_MESSAGES[rule_id] + because,
        action=action,
        sentence_start=start,
        sentence_end=end,
    )


def dry_run(
    rule: Rule,
    texts: Sequence[str],
    participants: Sequence[str] = (),
    tags: Iterable[str] = (),
    timed_out: list[int] | None = None,
    *,
    validate: bool = True,
    give_up_after: int | None = None,
) -> list[tuple[int, tuple[Match, ...]]]:
    """Preview a rule: (index, matches) for each text it would catch, rules only, no scorer.

    Validates the rule first (unless the caller just did), so a moderator sees a ``RuleError``
    before any text is scanned. Tags default to the rule's own tags so a tag-limited rule
    still previews. Indexes of texts on which the rule ran out of time go to ``timed_out``;
    after ``give_up_after`` of them the scan stops.
    """
    if validate:
        validate_rule(rule)
    preview = dataclasses.replace(rule, enabled=True)
    tag_list = tuple(tags) or preview.tags
    caught = []
    previewed = (preview,)
    deobfuscator = _deobfuscator(previewed)
    for i, text in enumerate(texts):
        prepared = _prepare(text[:MAX_TEXT_CHARS], deobfuscator)
        slow: list[str] = []
        matches = find_matches(prepared, previewed, participants, tag_list, timed_out=slow)
        if slow and timed_out is not None:
            timed_out.append(i)
            if give_up_after is not None and len(timed_out) >= give_up_after:
                break
        if matches:
            caught.append((i, tuple(matches)))
    return caught


_DEFAULT_RULES: tuple[Rule, ...] = tuple(
    rule_from_dict(d, probe=False) for d in defaults.DEFAULT_RULES
)
_DEFAULT_RULES_DEOBFUSCATOR = _deobfuscator(_DEFAULT_RULES)
