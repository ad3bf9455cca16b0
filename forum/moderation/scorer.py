"""A small linear scorer for personal attacks the hand-written rules miss.

Logistic regression over sparse binary features: words, word pairs, what comes just before and
after "you"/"your", lexicon hits and whether they sit within a few words of "you", dismissive
and sarcastic phrases, how often the comment says "you", and which rules fired. Weights ship in
``scorer_weights.json`` (trained by ``scripts/train_moderation_scorer.py`` on the tuning part of
the dev set only), so scoring runs in-process with no downloads. The scorer may only ``nudge``
or ``flag``; ``hold`` is left to high-precision rule matches, and a flag needs evidence that
ties hostile wording to a person (``evidence_level``).
"""

from __future__ import annotations

import json
import logging
import math
import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import repeat
from pathlib import Path

from forum.moderation import defaults, patterns

WEIGHTS_PATH = Path(__file__).with_name("scorer_weights.json")
log = logging.getLogger(__name__)

# ``[a-z][a-z']*|[0-9]+|[!?]``, written to begin with the one character every token begins
# with, so ``re`` skips to the candidates instead of trying each alternative everywhere.
_TOKEN_RE = re.compile(r"[a-z0-9!?](?:(?<=[a-z])[a-z']*|(?<=[0-9])[0-9]*|(?<=[!?]))")
_SECOND_PERSON = frozenset(
    {"you", "your", "you're", "youre", "yours", "yourself", "yourselves", "u", "ur", "you've",
     "you'd", "you'll", "ya", "op"}
)  # fmt: skip
_PROFANE = frozenset(
    {"fuck", "fucking", "fucked", "shit", "shitty", "bullshit", "crap", "goddamn", "ass",
     "asshole", "piss", "pissed", "dick", "wtf", "stfu", "dumbass", "bitch", "bastard"}
)  # fmt: skip
# Laughter and mild oaths: telling in a heated reply, harmless in "lol, the budget is out".
_MILD = frozenset({"lol", "lmao", "lmfao", "haha", "damn", "hell", "jesus", "christ"})


def _single_words(phrases: Iterable[str]) -> frozenset[str]:
    return frozenset(p for p in phrases if " " not in p)


# Role labels (pimp, trafficker) are this forum's subject matter, so on their own they say
# nothing; only insults count anywhere, and role labels count only right after "you".
_INSULTS = _single_words(defaults.INSULT_NOUNS) | frozenset(
    {"idiots", "morons", "clowns", "trolls", "fools", "whackadoo", "manbabies", "neckbeard",
     "sheeple", "libtard", "libtards", "cuck", "incel", "snowflakes", "fuckwit", "dumbfuck"}
)  # fmt: skip
_AIMED = _INSULTS | _single_words(defaults.ROLE_LABELS)
# Insults with no innocent reading on this forum. Others ("tool", "fraud", "racist", "joke")
# also describe policies, studies and methods, so they only count near "you".
_STRONG = frozenset(
    {"idiot", "moron", "imbecile", "cretin", "dumbass", "asshole", "arsehole", "douche",
     "douchebag", "retard", "scumbag", "dimwit", "halfwit", "nitwit", "simpleton", "ignoramus",
     "buffoon", "twat", "prick", "tosser", "wanker", "bellend", "cunt", "fuckface", "fuckhead",
     "dipshit", "shithead", "dickhead", "manbaby", "fuckwit", "dumbfuck", "idiots", "morons"}
)  # fmt: skip
# Character words strong enough to count as evidence (see ``evidence_level``).
_CHARACTER = _single_words(defaults.CHARACTER_ADJECTIVES) | frozenset(
    {"foolish", "gullible", "toxic", "butthurt", "triggered", "hysterical", "pompous",
     "pretentious", "whiny", "stupif", "dumber", "stupider", "stupidest", "dumbest"}
)  # fmt: skip
# Words that lean hostile but are common in fair criticism of ideas and tone ("a naive policy",
# "a condescending tone"): features for the model, never evidence on their own.
_SOFT = frozenset(
    {"sad", "lazy", "naive", "embarrassing", "embarrassed", "laughable", "smug", "condescending",
     "irrational", "silly", "petty", "ridiculous", "absurd", "nonsense", "gibberish", "drivel",
     "propaganda", "kid", "kiddo", "son", "bro", "dude", "buddy", "pal", "sweetie", "honey",
     "champ", "genius", "einstein", "sherlock"}
)  # fmt: skip
# Dismissive and sarcastic turns of phrase ("good day", "nice try", "do better", "/s"). Each
# hit is a feature; how many there are is one too. Every phrase begins with a letter or "/":
# checking that first turns most word boundaries (those before a space) away at once.
_DISMISSAL_RE = re.compile(
    r"\b(?=[a-z/])(?:good day|take care|run along|do better|try again|nice try|nice job|good job|"
    r"keep up|congratulations|bye|goodbye|whatever|lol|lmao|haha|sigh|wow|jeez|oh please|cute|"
    r"huzzah|waste (?:of )?(?:my |your )?time|not worth|stop talking|grow up|get a clue|"
    r"take a (?:\w+ )?class|go back to|pop back|crawl|i'm laughing|too funny|embarrass\w*|"
    r"nonsense|gibberish|/s\b|r/\w+|not smart enough|cut out for|no idea|any idea|"
    r"don't understand|do you even|can't read|learn to|stupidest|dumbest|your inability|"
    r"your lack of|mental faculties|you clearly|you obviously|you seriously|are you serious|"
    r"are you really|you really think|(?:shut|shut the \w+) up|fuck\w*|bullshit)"
)
# Where a dismissive phrase can begin, read once (``patterns.starts`` is keyed by the compiled
# pattern, whose hash reads all of it).
_DISMISSAL_STARTS = patterns.starts(_DISMISSAL_RE)


def _dismissals(text: str, words_at: Mapping[str, list[int]] | None) -> Sequence[re.Match[str]]:
    """Every match of ``_DISMISSAL_RE``, tried only where one can begin when the positions of
    the text's words are known (what ``finditer`` finds: see ``patterns.match_from``)."""
    if words_at is not None and _DISMISSAL_STARTS is not None:
        most = len(text) // patterns.CHARS_PER_START
        positions = patterns.start_positions(_DISMISSAL_STARTS, text, words_at, most)
        if positions is not None:
            return patterns.match_from(_DISMISSAL_RE, text, positions, len(text) + 1)
    return list(_DISMISSAL_RE.finditer(text))


# ``(?<=[.!?])\s+|\n+``, beginning with the space it consumes (see ``_TOKEN_RE``).
_SENTENCE_RE = re.compile(r"\s(?:(?<=[.!?]\s)\s*|(?<=\n)\n*)")
# How far (in tokens) a hostile word may sit from "you"/"your" to count as aimed at the reader.
NEAR = 4


def tokens(text: str) -> list[str]:
    """Word tokens of prepared (normalised, quote-masked) text."""
    return _TOKEN_RE.findall(text)


def features(
    text: str,
    rule_ids: Iterable[str] = (),
    hedged: bool = False,
    extra: Iterable[str] = (),
    words_at: Mapping[str, list[int]] | None = None,
) -> set[str]:
    """Binary features for prepared text, the ids of rules that matched it, whether a rule
    match was dropped as negated or reported ("I'm not saying you are a liar"), and ``extra``
    features of the reply's context (``context_features``). ``words_at``, where each word of
    ``text`` begins (``patterns.word_positions``) if the rules already read it, lets the
    dismissive phrases be looked for only where one can begin."""
    toks = tokens(text)
    context = frozenset(extra)
    feats: set[str] = {"bias", *context}
    # Most features depend on a word alone, not on where it sits: they are read once per
    # distinct word (a comment repeats most of its words), and only the words near "you" or
    # a hostile word are looked at in place.
    distinct = set(toks)
    feats.update(["w:" + tok for tok in distinct])
    feats.update([f"b:{a}_{b}" for a, b in set(zip(toks, toks[1:], strict=False))])
    feats.update(["p:" + tok[:5] for tok in distinct if len(tok) >= 6])
    kinds: dict[str, str] = {}
    for tok in distinct:
        lexical, kind = _word_features(tok)
        if kind:  # every word with lexicon features has a kind
            feats.update(lexical)
            kinds[tok] = kind
    you_at = [i for i, tok in enumerate(toks) if tok in _SECOND_PERSON]
    for i in you_at:
        if i:
            feats.add("yp:" + toks[i - 1])
        # What follows "you"/"your" says whether the sentence is about the person.
        window = toks[i + 1 : i + 5]
        for k, nxt in enumerate(window[:3]):
            feats.add(f"y{k}:{nxt}")
        before = toks[i]
        for nxt in window:
            if _turns_away(nxt, before):
                break
            before = nxt
            nstem = nxt[:-1] if nxt.endswith("s") and nxt[:-1] in _AIMED else nxt
            if nstem in _AIMED or nxt in _CHARACTER:
                feats.add("lex:aimed")
            if nxt in _PROFANE:
                feats.add("lex:profane_aimed")
    # A hostile word a few tokens from "you" (either side): "you're honestly so gullible",
    # "pathetic, all of you".
    # you_at is in order, so the nearest "you" at or after i - NEAR is found by bisection:
    # a long text of many such words stays linear.
    if kinds and you_at:
        for i, tok in enumerate(toks):
            if tok not in kinds:
                continue
            k = bisect_left(you_at, i - NEAR)
            if k < len(you_at) and you_at[k] <= i + NEAR:
                feats.add("near:" + kinds[tok])
    # Where words sit: a removed reply often opens or signs off with the jab. And the first
    # five letters of longer words (above), so "lying", "liars" and "lied" share what they learn.
    sentences = [part for part in _SENTENCE_RE.split(text) if part.strip()]
    if sentences:
        feats.update("f:" + tok for tok in tokens(sentences[0]))
        feats.update("l:" + tok for tok in tokens(sentences[-1]))
    dismissals = {m.group() for m in _dismissals(text, words_at)}
    feats.update("d:" + d.replace(" ", "_") for d in dismissals)
    feats.add(f"dismissals:{min(3, len(dismissals))}")
    feats.add(f"you_count:{min(6, len(you_at))}")
    generic, addressed = _you_kinds(toks, you_at)
    feats.add(f"you_generic:{min(3, generic)}")
    feats.add(f"you_addressed:{min(3, addressed)}")
    if "ctx:reply" in context:
        # In a reply, "you" is more often the parent's author than anyone at all.
        feats.add(f"reply_addressed:{min(2, addressed)}")
    density = len(you_at) / max(1, len(toks))
    feats.add(f"you_density:{min(4, int(density * 40))}")
    feats.add(f"length:{_length_bucket(len(toks))}")
    if "?" in distinct:
        feats.add("question")
    if (
        not you_at
        and _GROUP_WORDS.isdisjoint(distinct)
        and not _IN_THIS_THREAD_RE.search(text)
        and not any(f.startswith("ctx:named") for f in context)  # only the context names people
    ):
        feats.add("untargeted")
    for rule_id in rule_ids:
        feats.add("rule:" + rule_id)
    if rule_ids:
        feats.add("rule:any")
    if hedged:
        feats.add("hedged")
    return feats


@lru_cache(maxsize=65536)
def _word_features(tok: str) -> tuple[tuple[str, ...], str]:
    """The lexicon features one word adds wherever it sits, and the kind of hostile word it is
    ("insult", "character", "profane", "soft", or "" for none)."""
    stem = tok[:-1] if tok.endswith("s") and tok[:-1] in _INSULTS else tok
    found: list[str] = []
    kind = ""
    if stem in _INSULTS:
        found.append("lex:insult")
        kind = "insult"
        if stem in _STRONG:
            found.append("lex:strong")
    if tok in _CHARACTER:
        found.append("lex:character")
        kind = kind or "character"
    if tok in _PROFANE:
        found.append("lex:profane")
        kind = kind or "profane"
    if tok in _SOFT or tok in _MILD:
        found.append("soft:" + tok)
        kind = kind or "soft"
    return tuple(found), kind


# "You" that means "anyone" ("if you look at the data, you'll see") rather than the reader:
# after a conditional or temporal opener, or before a modal of general truth.
_GENERIC_BEFORE = frozenset({"if", "when", "once", "unless", "whenever", "as", "until", "before"})
_GENERIC_AFTER = frozenset(
    {"can", "can't", "could", "will", "you'll", "would", "might", "may", "need", "have", "get",
     "see", "find", "look", "want", "go", "start", "end", "put", "take", "give", "ask", "read",
     "make", "try", "pay", "work", "live", "don't", "won't", "wouldn't", "couldn't"}
)  # fmt: skip
# "You" held to account: a claim about the reader's state, knowledge, motives or words.
_ADDRESSED_AFTER = frozenset(
    {"are", "were", "clearly", "obviously", "really", "just", "only", "always", "never",
     "seem", "sound", "keep", "know", "think", "care", "claim", "pretend", "admit", "did",
     "didn't", "said", "wrote", "posted", "yourself", "people", "guys", "lot", "again"}
)  # fmt: skip
_YOU_SUBJECT = frozenset({"you", "u", "ya"})
# After "you", a verdict or a verb ends what is said of the person, as in the rules' gap: in
# "you're right, the pimps lie" and "are you saying pimps ...", the pimps are not the reader.
_VERDICTS = frozenset(defaults.VERDICTS)
_PERSON_ING = frozenset(defaults.PERSON_ING)
_DETERMINERS = frozenset(defaults.DETERMINERS)
# Words after which a determiner stands in an article's place ("you are the ...", "such a",
# "you and your ..."), not at the start of a verb's object ("you know the ...").
_ARTICLE_PLACE = frozenset(
    {"you're", "youre", "are", "were", "be", "been", "being", "is", "was", "r", "re", "such",
     "one", "of", "like", "as", "just", "really", "truly", "clearly", "obviously", "also",
     "still", "always", "not", "and", "with"}
)  # fmt: skip


def _turns_away(tok: str, before: str) -> bool:
    """Whether a word after "you" (``before`` is the word before it) moves what follows off
    the person: a verdict, a verb in -ing, or a determiner anywhere but in an article's place
    ("you know the lies traffickers tell", not "you're the biggest liar")."""
    return (
        tok in _VERDICTS
        or (tok.endswith("ing") and tok not in _PERSON_ING)
        or (tok in _DETERMINERS and before not in _ARTICLE_PLACE)
    )


# Words that point at the people in a thread without "you" or a name ("the regulars here").
# Not "posters": on this forum they are mostly the awareness campaign's paper ones ("Posters
# instead, and a zine."), and the forum's posters come with "here" ("half the posters here").
_GROUP_WORDS = frozenset(
    {"here", "everyone", "everybody", "regulars", "mods", "moderators", "commenters", "lot",
     "crowd", "camp", "side", "people", "op"}
)  # fmt: skip


# The thread itself as the place of the people meant: "the liberals on this forum".
_IN_THIS_THREAD_RE = re.compile(r"\b(?:on|in) this (?:forum|board|site|thread|discussion)\b")


def _you_kinds(toks: Sequence[str], you_at: Sequence[int]) -> tuple[int, int]:
    """How many second-person words read as generic, and how many as aimed at the reader."""
    generic = addressed = 0
    for i in you_at:
        tok = toks[i]
        before = toks[i - 1] if i else ""
        after = toks[i + 1] if i + 1 < len(toks) else ""
        if tok in ("you're", "youre", "yourself", "yourselves") or (
            tok in _YOU_SUBJECT and after in _ADDRESSED_AFTER
        ):
            addressed += 1
        elif tok == "you'll" or before in _GENERIC_BEFORE or after in _GENERIC_AFTER:
            generic += 1
        elif tok in ("your", "ur") and after not in _GENERIC_AFTER:
            addressed += 1
    return generic, addressed


def context_features(text: str, people: Sequence[str], parent_author: str | None) -> set[str]:
    """What the reply's context says about whom the text is aimed at: a reply answers a
    person, and a participant named in it is a person present. Around each name, the word
    before and after it ("says Jody", "Jody only turns up") or a comma after it ("Jody, ...":
    spoken to) tell talk about a person from talk to them; the name itself is never a feature.
    """
    feats: set[str] = set()
    if parent_author:
        feats.add("ctx:reply")
    named = 0
    for folded in dict.fromkeys(
        f for name in people for f in (name.casefold(), *short_names(name))
    ):
        if len(folded) < 2 or folded not in text:
            continue
        found = False
        for m in _name_regex(folded).finditer(text):
            if m.start() and patterns.is_word_char(text[m.start() - 1]):
                continue  # inside a longer word: "ife" in "life"
            found = True
            after = text[m.end() : m.end() + NAME_WINDOW]
            if after.startswith(","):
                feats.add("ctx:name_vocative")
            elif words := tokens(after):
                feats.add("nx:" + words[0])
            if words := tokens(text[max(0, m.start() - NAME_WINDOW) : m.start()]):
                feats.add("np:" + words[-1])
        if found:
            named += 1
            if re.search(r"(?:^|[.!?\n] ?|@)" + re.escape(folded) + r"\b", text):
                feats.add("ctx:name_addressed")
    if named:
        feats.add(f"ctx:named:{min(2, named)}")
    return feats


# Characters read on either side of a participant's name for the words next to it.
NAME_WINDOW = 24
# Where a display name breaks into the parts people call each other by: "Arjun_S" is "Arjun",
# "M. Okafor" is "Okafor", "kestrel9" is "kestrel".
_NAME_PARTS_RE = re.compile(r"[\W_\d]+")
# Parts of display names that are ordinary words or roles, not what anyone is called:
# "mod_tove" must not make every "mod" a person, nor "blue_heron" every "blue".
_NOT_A_NAME = frozenset(
    {"the", "and", "for", "not", "but", "you", "she", "her", "him", "his", "our", "its", "who",
     "all", "any", "one", "two", "new", "old", "big", "end", "side", "top", "real", "true",
     "just", "will", "may", "can", "own", "out", "off", "day", "night", "way", "man", "men",
     "mod", "mods", "admin", "dev", "sgt", "reader", "editor", "writer", "manager", "mentor",
     "coordinator", "counsel", "questioner", "worker", "survivor", "john", "johns", "pimp",
     "mum", "mom", "dad", "auntie", "uncle", "north", "south", "east", "west", "red", "blue",
     "grey", "gray", "green", "black", "white", "quiet", "lights", "shift", "stat", "stats",
     "throwaway", "anon", "guest", "user", "member"}
)  # fmt: skip


@lru_cache(maxsize=4096)
def short_names(name: str) -> tuple[str, ...]:
    """The parts of a display name that people use for its owner ("Arjun" for "Arjun_S",
    "Okafor" for "M. Okafor"): at least three letters, not an ordinary word or a role (not
    "more" of "lurker_no_more", nor "here" of "amara_lives_here"). They tell the scorer and
    the rules a text points at someone."""
    whole = name.casefold()
    parts = dict.fromkeys(_NAME_PARTS_RE.split(whole))
    return tuple(
        p
        for p in parts
        if p != whole and len(p) >= 3 and p not in _NOT_A_NAME and p not in patterns.COMMON_WORDS
    )


@lru_cache(maxsize=4096)
def _name_regex(folded: str) -> re.Pattern[str]:
    """A participant's name not followed by a word character. It begins with the name itself,
    so ``re`` skips to where the name occurs; the character before is checked by the caller."""
    return re.compile(re.escape(folded) + r"(?!\w)")


# Features that tie hostile wording to the reader. Without one of them the scorer may only
# nudge: on this forum's own topics, replies that say "you" and "read the report", or that call
# a study a fraud, look like the training set's removals but are ordinary argument.
EVIDENCE = frozenset(
    {"lex:aimed", "lex:profane_aimed", "lex:strong", "near:insult", "near:character",
     "near:profane"}
)  # fmt: skip


# Hostile words anywhere in the comment: weaker evidence, so a flag needs a higher probability.
WEAK_EVIDENCE = frozenset({"lex:insult", "lex:character", "lex:profane"})
# UNTARGETED: the text points at nobody (no "you", no name, no "people here") and answers
# nobody, so the scorer may not even nudge: a personal attack needs a person. ANSWERED: it
# names nobody, but it is a reply of 15 words or more, so it may be aimed at the person it
# answers ("Funny how the hotline's own staff always find the hotline's figures perfectly
# convincing, every single year."). Only the encoder, which reads the words together, judges
# those: the scorer's words alone can't tell a sneer from a remark. BRIEF: a shorter reply
# that names nobody ("Oh look, the armchair expert has arrived."). The encoder does not read
# it, since it reads shortness itself as a sneer ("What a mess.", "Noted.":
# tests/moderation/test_short_replies.py); the scorer may nudge it, never flag it, and only
# when it is as sure as no legitimate short reply of the tune parts made it (``brief`` in the
# weights' thresholds, chosen by scripts/train_moderation_scorer.py).
STRONG, WEAK, NONE, ANSWERED, BRIEF, UNTARGETED = 2, 1, 0, -1, -2, -3
# The length feature's bucket where ANSWERED begins: 15 words and more.
_ANSWERED_BUCKET = 2


def _length_bucket(words: int) -> int:
    """The ``length`` feature of a text of ``words`` tokens: halved log2, so 0 to 2 words is
    0, 3 to 14 is 1, 15 to 62 is 2, ... up to 5."""
    return min(5, int(math.log2(1 + words)) // 2)


# The ``length`` features of replies too short for ANSWERED.
_SHORT_LENGTHS = frozenset(f"length:{b}" for b in range(_ANSWERED_BUCKET))


def evidence_level(feats: Iterable[str]) -> int:
    """``STRONG`` if a rule matched or a hostile word is tied to the reader ("you", or an
    unambiguous insult); ``ANSWERED`` or ``BRIEF`` (a reply, long or short) or ``UNTARGETED``
    if nothing else points at a person; ``WEAK`` for a hostile word elsewhere; ``NONE``
    otherwise. A rule match dropped as negated or reported is only a feature ("hedged"), never
    a veto: the clause it read may not be the one that attacks."""
    feats = feats if isinstance(feats, (set, frozenset)) else set(feats)
    # ``features`` adds "rule:any" beside the id of every rule that matched.
    if "rule:any" in feats or not EVIDENCE.isdisjoint(feats):
        return STRONG
    if "untargeted" in feats:
        long_enough = _SHORT_LENGTHS.isdisjoint(feats)
        if "ctx:reply" not in feats:
            return UNTARGETED
        return ANSWERED if long_enough else BRIEF
    return WEAK if not WEAK_EVIDENCE.isdisjoint(feats) else NONE


@dataclass(frozen=True, slots=True)
class ScorerModel:
    """Weights plus the thresholds chosen on out-of-fold predictions of the tuning part.

    ``flag_threshold`` applies with strong evidence, ``weak_flag_threshold`` with weak evidence;
    without evidence the scorer may only nudge: at ``nudge_threshold`` when the text points at
    someone, at ``brief_nudge_threshold`` when it is a short reply that names nobody (``BRIEF``).
    """

    bias: float
    weights: Mapping[str, float]
    nudge_threshold: float
    flag_threshold: float
    weak_flag_threshold: float = 1.1
    brief_nudge_threshold: float = 1.1

    def probability(self, feats: Iterable[str]) -> float:
        # ``map`` over the bound ``get``: the same sum, in the same order, as a generator
        # expression, at half the cost on the two hundred features of a long comment.
        z = self.bias + sum(map(self.weights.get, feats, repeat(0.0)))
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return e / (1.0 + e)


NULL_MODEL = ScorerModel(bias=-30.0, weights={}, nudge_threshold=1.1, flag_threshold=1.1)


@lru_cache(maxsize=1)
def load_model(path: str = str(WEIGHTS_PATH)) -> ScorerModel:
    """Shipped weights, or a model that never fires if the file is missing (the rules still
    run; the log says so once, since moderators would otherwise not know what they lost)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        log.warning("no scorer weights at %s: moderation runs on the rules alone", path)
        return NULL_MODEL
    thresholds = data["thresholds"]
    return ScorerModel(
        bias=float(data["bias"]),
        weights={str(k): float(v) for k, v in data["weights"].items()},
        nudge_threshold=float(thresholds["nudge"]),
        flag_threshold=float(thresholds["flag"]),
        weak_flag_threshold=float(thresholds.get("flag_weak", 1.1)),
        brief_nudge_threshold=float(thresholds.get("brief", 1.1)),
    )


def score(
    text: str,
    rule_ids: Iterable[str] = (),
    hedged: bool = False,
    model: ScorerModel | None = None,
    extra: Iterable[str] = (),
    words_at: Mapping[str, list[int]] | None = None,
) -> tuple[float, int]:
    """(probability that prepared text attacks a person, its evidence level)."""
    model = model or load_model()
    feats = features(text, rule_ids, hedged, extra, words_at)
    return model.probability(feats), evidence_level(feats)


def weigh(text: str, model: ScorerModel | None = None) -> float:
    """How hostile the model finds a stretch of prepared text on its own: how a decision of
    the scorer chooses the sentence a moderator is shown."""
    model = model or load_model()
    return model.probability(features(text))


def telling_words(text: str, model: ScorerModel | None = None) -> tuple[str, ...]:
    """The (at most three) words of a stretch of text that weigh most towards an attack."""
    model = model or load_model()
    words: dict[str, float] = {}
    for tok in tokens(text):
        if len(tok) <= 3 or not tok.isalpha():
            continue
        w = model.weights.get("w:" + tok, 0.0)
        if len(tok) >= 6:
            w += model.weights.get("p:" + tok[:5], 0.0)
        if w > 0:
            words[tok] = w
    return tuple(sorted(words, key=lambda t: (-words[t], t))[:3])


def action_for(p: float, evidence: int = STRONG, model: ScorerModel | None = None) -> str:
    """Map a probability and evidence level to the strongest action the scorer may take
    (never ``hold``)."""
    model = model or load_model()
    if flags_at(p, evidence, model.flag_threshold, model.weak_flag_threshold):
        return "flag"
    if nudges_at(p, evidence, model.nudge_threshold, model.brief_nudge_threshold):
        return "nudge"
    return "allow"


def nudges_at(p: float, evidence: int, threshold: float, brief: float = 1.1) -> bool:
    """Whether the scorer nudges (if it does not flag): at ``threshold`` when the text points
    at someone, whatever its evidence; at ``brief`` when it is a short reply that names nobody
    (``BRIEF``); never when it names nobody otherwise (``ANSWERED``, ``UNTARGETED``)."""
    if evidence > ANSWERED:
        return p >= threshold
    return evidence == BRIEF and p >= brief


def flags_at(p: float, evidence: int, strong: float, weak: float) -> bool:
    """Whether the scorer flags: at ``strong`` with ``STRONG`` evidence, at ``weak`` with
    ``WEAK``, never with less. ``action_for`` passes the scorer's own thresholds, the encoder's
    cascade (``encoder.rescored``) those chosen with it."""
    return (evidence >= STRONG and p >= strong) or (evidence == WEAK and p >= weak)
