"""A small linear scorer for personal attacks the hand-written rules miss.

Logistic regression over sparse binary features: words, word pairs, what follows "you"/"your",
lexicon hits and which rules fired. Weights ship in ``scorer_weights.json`` (trained by
``scripts/train_moderation_scorer.py`` on the tuning part of the dev set only), so scoring runs
in-process with no downloads. The scorer may only ``nudge`` or ``flag``; ``hold`` is left to
high-precision rule matches.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from forum.moderation import defaults

WEIGHTS_PATH = Path(__file__).with_name("scorer_weights.json")

_TOKEN_RE = re.compile(r"[a-z][a-z']*|[0-9]+|[!?]")
_SECOND_PERSON = frozenset(
    {"you", "your", "you're", "youre", "yours", "yourself", "yourselves", "u", "ur", "you've",
     "you'd", "you'll", "ya", "op"}
)  # fmt: skip
_PROFANE = frozenset(
    {"fuck", "fucking", "fucked", "shit", "shitty", "bullshit", "crap", "damn", "goddamn",
     "ass", "asshole", "piss", "pissed", "dick", "wtf", "stfu", "lol", "lmao", "lmfao", "haha",
     "dumbass", "bitch", "bastard", "hell", "jesus", "christ"}
)  # fmt: skip


def _single_words(phrases: Iterable[str]) -> frozenset[str]:
    return frozenset(p for p in phrases if " " not in p)


# Role labels (pimp, trafficker) are this forum's subject matter, so on their own they say
# nothing; only insults count anywhere, and role labels count only right after "you".
_INSULTS = _single_words(defaults.INSULT_NOUNS)
_AIMED = _INSULTS | _single_words(defaults.ROLE_LABELS)
_CHARACTER = _single_words(defaults.CHARACTER_ADJECTIVES)


def tokens(text: str) -> list[str]:
    """Word tokens of prepared (normalised, quote-masked) text."""
    return _TOKEN_RE.findall(text)


def features(text: str, rule_ids: Iterable[str] = (), hedged: bool = False) -> set[str]:
    """Binary features for prepared text, the ids of rules that matched it, and whether a rule
    match was dropped as negated or reported ("I'm not saying you are a liar")."""
    toks = tokens(text)
    feats: set[str] = {"bias"}
    n_second = 0
    for i, tok in enumerate(toks):
        feats.add("w:" + tok)
        if i + 1 < len(toks):
            feats.add("b:" + tok + "_" + toks[i + 1])
        stem = tok[:-1] if tok.endswith("s") and tok[:-1] in _INSULTS else tok
        if stem in _INSULTS:
            feats.add("lex:insult")
        if tok in _CHARACTER:
            feats.add("lex:character")
        if tok in _PROFANE:
            feats.add("lex:profane")
        if tok in _SECOND_PERSON:
            n_second += 1
            # What follows "you"/"your" says whether the sentence is about the person.
            window = toks[i + 1 : i + 5]
            for k, nxt in enumerate(window[:3]):
                feats.add(f"y{k}:{nxt}")
            for nxt in window:
                nstem = nxt[:-1] if nxt.endswith("s") and nxt[:-1] in _AIMED else nxt
                if nstem in _AIMED or nxt in _CHARACTER:
                    feats.add("lex:aimed")
                if nxt in _PROFANE:
                    feats.add("lex:profane_aimed")
    density = n_second / max(1, len(toks))
    feats.add(f"you_density:{min(4, int(density * 40))}")
    feats.add(f"length:{min(5, int(math.log2(1 + len(toks))) // 2)}")
    for rule_id in rule_ids:
        feats.add("rule:" + rule_id)
    if hedged:
        feats.add("hedged")
    return feats


# Features that tie a comment to a person or to hostile wording. Without one of them the scorer
# may only nudge: on this forum's own topics, short replies that say "you" and "read the
# report" look like the training set's removals but are ordinary argument.
EVIDENCE_PREFIXES = ("lex:", "rule:")


def has_evidence(feats: Iterable[str]) -> bool:
    """True if the features include a rule match, or a lexicon hit that no rule judged to be
    negated or reported (the rules read the clause; the scorer only sees words)."""
    feats = set(feats)
    if any(f.startswith("rule:") for f in feats):
        return True
    if "hedged" in feats:
        return False
    return any(f.startswith(EVIDENCE_PREFIXES) for f in feats)


@dataclass(frozen=True, slots=True)
class ScorerModel:
    """Weights plus the thresholds chosen on out-of-fold predictions of the tuning part."""

    bias: float
    weights: Mapping[str, float]
    nudge_threshold: float
    flag_threshold: float

    def probability(self, feats: Iterable[str]) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) for f in feats)
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        e = math.exp(z)
        return e / (1.0 + e)


NULL_MODEL = ScorerModel(bias=-30.0, weights={}, nudge_threshold=1.1, flag_threshold=1.1)


@lru_cache(maxsize=1)
def load_model(path: str = str(WEIGHTS_PATH)) -> ScorerModel:
    """Shipped weights, or a model that never fires if the file is missing."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return NULL_MODEL
    return ScorerModel(
        bias=float(data["bias"]),
        weights={str(k): float(v) for k, v in data["weights"].items()},
        nudge_threshold=float(data["thresholds"]["nudge"]),
        flag_threshold=float(data["thresholds"]["flag"]),
    )


def score(
    text: str,
    rule_ids: Iterable[str] = (),
    hedged: bool = False,
    model: ScorerModel | None = None,
) -> tuple[float, bool]:
    """(probability that prepared text attacks a person, whether it has evidence to flag)."""
    model = model or load_model()
    feats = features(text, rule_ids, hedged)
    return model.probability(feats), has_evidence(feats)


def action_for(p: float, evidence: bool = True, model: ScorerModel | None = None) -> str:
    """Map a probability to the strongest action the scorer may take (never ``hold``)."""
    model = model or load_model()
    if p >= model.flag_threshold and evidence:
        return "flag"
    if p >= model.nudge_threshold:
        return "nudge"
    return "allow"
