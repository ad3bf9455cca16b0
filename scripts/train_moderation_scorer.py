"""Train the moderation scorer's weights (standard library only, fixed seed).

Usage:
    python scripts/train_moderation_scorer.py [JSONL ...] [--out WEIGHTS_JSON]

Only the *tune* parts of the sets are used (``evaluate.split_part``); the untouched parts are
filtered out before any text is looked at, so their figures stay an honest estimate. Thresholds
are chosen on out-of-fold predictions (group k-fold inside the tune parts) of the sources in
``MAX_FPR_FLAG`` (the debate, voices and addressed sets are only learnt from), combined with the
rules exactly as ``assess`` combines them: the two flag thresholds (strong and weak evidence,
see ``scorer.evidence_level``) maximise F1 with the false-positive rate capped, the nudge
threshold is looser. Two runs write byte-identical weights.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from forum.moderation import rules as engine  # noqa: E402
from forum.moderation import scorer  # noqa: E402
from forum.moderation.evaluate import read_jsonl, record_context, split_part  # noqa: E402

SEED = 20240611
FOLDS = 5
EPOCHS = 15
L2_CHOICES = (0.03, 0.1, 0.3)
# Features seen in fewer tune comments are dropped: 3 rather than 2 gave a higher out-of-fold F1
# (0.762 against 0.758) with about half as many weights, once the corpus had 702 comments.
MIN_DOC_FREQ = 3
# Caps on the false-positive rate per source, on out-of-fold predictions. External comments: two
# standard errors (~1.5 points each on ~340 negatives) under the 0.08 target, because unseen
# discussions ran about three points above out-of-fold in earlier trainings. The forum's own:
# its target is that no legitimate comment is flagged, so at most one in 133 out of fold. At one
# in 200, with about 400 legitimate forum comments, a single comment decided the thresholds for
# every source: one warm "you people did a wonderful job" raised the flag threshold from about
# 0.4 to 0.79 and cost 13 external attacks out of fold (flag F1 0.749 against 0.775).
MAX_FPR_FLAG = {"dev": 0.05, "forum": 0.0075}
MAX_FPR_NUDGE = {"dev": 0.15, "forum": 0.10}
# The debate, voices and addressed sets are written to train on, not to judge by: the first
# teaches rudeness on every subject, the second the forum's subjects in four writers' voices that
# nobody who built the detector wrote, the third a "you" that is generic, praise or advice beside
# attacks in the same shapes; thresholds are chosen only on the sources capped above, which are
# what the site answers to.
DEFAULT_DATA = (
    ROOT.parent / "shared" / "data" / "adhominem" / "dev.jsonl",
    ROOT / "forum" / "moderation" / "corpus" / "forum.jsonl",
    ROOT / "forum" / "moderation" / "corpus" / "debate.jsonl",
    ROOT / "forum" / "moderation" / "corpus" / "voices.jsonl",
    ROOT / "forum" / "moderation" / "corpus" / "addressed.jsonl",
)
DEFAULT_OUT = ROOT / "forum" / "moderation" / "scorer_weights.json"
# A short reply that names nobody (``scorer.BRIEF``) is nudged only where no legitimate one
# was: at the lowest of these above every legitimate short reply the rules let through, out of
# fold in the tune parts above, and in the short set's tune part (written for this: everyday
# lines beside sneers of the same length; read by the final weights, never learnt from). A
# sneer that short is common ("Muted."), and so is a line nobody should be asked to reword
# ("Noted.").
BRIEF_GRID = tuple(round(0.5 + i / 20, 2) for i in range(10))
BRIEF_CHECKED = ROOT / "forum" / "moderation" / "corpus" / "short.jsonl"
# What DEFAULT_DATA is, in the words both models' files give it ("about"): one sentence to
# change beside it, for the scorer's weights and the encoder's settings alike.
TRAINED_ON = (
    "the tune parts of the external dev set, of the forum's own corpus, of the voices set and of "
    "the addressed set, and on the debate set (no threshold chosen on the last three)"
)

# features, label, the rules' own action, group, source
# Features sorted: sums of weights run in one order in every process (a set's order of strings
# changes with each process's hash seed, and so would the last bits of the weights).
Example = tuple[tuple[str, ...], int, str, str, str]
Thresholds = tuple[float, float]  # (with strong evidence, with weak evidence)


def build_examples(records: Sequence[dict], source: str = "dev") -> list[Example]:
    """Features as ``assess`` computes them (through ``engine.analyse``, in each record's
    context), plus the action the rules alone take."""
    examples = []
    for r in records:
        seen = engine.analyse(r["text"], context=record_context(r))
        rule_action = max(
            (m.action for m in seen.matches), key=engine.ACTIONS.index, default="allow"
        )
        feats = tuple(
            sorted(
                set(
                    scorer.features(
                        seen.scored_text, seen.rule_ids, seen.hedged, seen.context_features
                    )
                )
            )
        )
        examples.append((feats, int(r["label"]), rule_action, str(r["group"]), source))
    return examples


def train(examples: Sequence[Example], l2: float, seed: int = SEED) -> tuple[float, dict]:
    """Logistic regression by SGD with AdaGrad steps; returns (bias, weights)."""
    df = Counter(f for feats, *_ in examples for f in feats)
    vocab = {f for f, n in df.items() if n >= MIN_DOC_FREQ and f != "bias"}
    weights: dict[str, float] = dict.fromkeys(vocab, 0.0)
    grad_sq: dict[str, float] = dict.fromkeys(vocab, 1e-8)
    bias, bias_sq = 0.0, 1e-8
    rng = random.Random(seed)
    order = list(range(len(examples)))
    rate = 0.3
    for _epoch in range(EPOCHS):
        rng.shuffle(order)
        for i in order:
            feats, label, *_ = examples[i]
            active = [f for f in feats if f in weights]
            z = bias + sum(weights[f] for f in active)
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            g = p - label
            bias_sq += g * g
            bias -= rate * g / math.sqrt(bias_sq)
            for f in active:
                gf = g + l2 * weights[f]
                grad_sq[f] += gf * gf
                weights[f] -= rate * gf / math.sqrt(grad_sq[f])
    return bias, weights


def predict(bias: float, weights: dict, feats: tuple[str, ...]) -> float:
    z = bias + sum(weights.get(f, 0.0) for f in feats)
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def group_folds(examples: Sequence[Example], k: int = FOLDS) -> list[int]:
    """Deterministic fold per group, so a discussion never straddles train and test. The groups
    of sources only trained on are dealt out apart, so they move no judged group's fold."""
    fold_of: dict[str, int] = {}
    for judged_source in (True, False):
        groups = sorted({e[3] for e in examples if is_judged(e[4]) == judged_source})
        rng = random.Random(SEED)
        rng.shuffle(groups)
        fold_of.update({g: i % k for i, g in enumerate(groups)})
    return [fold_of[e[3]] for e in examples]


def out_of_fold(examples: Sequence[Example], l2: float) -> list[float]:
    folds = group_folds(examples)
    probs = [0.0] * len(examples)
    for k in range(FOLDS):
        train_set = [e for e, f in zip(examples, folds, strict=True) if f != k]
        bias, weights = train(train_set, l2)
        for i, (e, f) in enumerate(zip(examples, folds, strict=True)):
            if f == k:
                probs[i] = predict(bias, weights, e[0])
    return probs


@cache
def _level(feats: tuple[str, ...]) -> int:
    return scorer.evidence_level(feats)


def confusion(
    examples: Sequence[Example], probs: Sequence[float], t: Thresholds, gate: bool = True
) -> dict:
    tp = fp = tn = fn = 0
    by_source: dict[str, list[int]] = {}
    caught_by: dict[str, list[int]] = {}
    for (feats, label, rule_action, _, source), p in zip(examples, probs, strict=True):
        # Same decision as assess(): the scorer flags only with evidence (see scorer.py).
        if gate:
            scored = scorer.flags_at(p, _level(feats), t[0], t[1])
        else:  # a nudge needs no evidence, but words that point at someone ("you", a name)
            scored = scorer.nudges_at(p, _level(feats), t[0])
        # A flag counts the rules' flags and holds; a nudge (ungated) counts their nudges too.
        ruled = rule_action in engine.FLAG_ACTIONS if gate else rule_action != "allow"
        flagged = ruled or scored
        if not label:
            by_source.setdefault(source, [0, 0])[flagged] += 1
        else:
            caught_by.setdefault(source, [0, 0])[flagged] += 1
        if flagged and label:
            tp += 1
        elif flagged:
            fp += 1
        elif label:
            fn += 1
        else:
            tn += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    fpr = fp / (fp + tn) if fp + tn else 0.0
    fpr_by = {src: fps / (fps + tns) for src, (tns, fps) in sorted(by_source.items())}
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "fpr": fpr,
        "fpr_by_source": fpr_by,
        "recall_by_source": {src: c / (m + c) for src, (m, c) in sorted(caught_by.items())},
        "threshold": t,
    }


def pick_threshold(
    examples: Sequence[Example],
    probs: Sequence[float],
    max_fpr: Mapping[str, float],
    gate: bool = True,
) -> dict:
    """Best F1 among threshold pairs whose (rules or scorer) FPR stays under each source's cap,
    so the forum's own comments and the external set each keep their bound.

    The weak-evidence threshold is never below the strong one. Ungated (for nudges) only the
    first threshold matters.
    """
    best = confusion(examples, probs, (1.01, 1.01), gate)
    for strong in range(99, 19, -1):
        for weak in range(101, strong - 1, -2) if gate else (101,):
            t = (strong / 100, weak / 100)
            c = confusion(examples, probs, t, gate)
            within = all(fpr <= max_fpr[src] for src, fpr in c["fpr_by_source"].items())
            if within and c["f1"] > best["f1"]:
                best = c
    return best


def is_judged(source: str) -> bool:
    """Whether thresholds are chosen on a source's comments (the capped ones; the debate,
    voices and addressed sets are only learnt from)."""
    return source in MAX_FPR_FLAG


def judged(
    examples: Sequence[Example], probs: Sequence[float]
) -> tuple[list[Example], list[float]]:
    """The examples (and their probabilities) of the sources thresholds are chosen on."""
    keep = [i for i, e in enumerate(examples) if is_judged(e[4])]
    return [examples[i] for i in keep], [probs[i] for i in keep]


def brief_replies(examples: Sequence[Example], probs: Sequence[float]) -> list[tuple[int, float]]:
    """(label, probability) of each short reply that names nobody and that the rules let
    through: the ones the ``brief`` threshold decides."""
    return [
        (label, p)
        for (feats, label, rule_action, _, _), p in zip(examples, probs, strict=True)
        if rule_action == "allow" and _level(feats) == scorer.BRIEF
    ]


# How far above every legitimate short reply of the tune parts the ``brief`` threshold stays:
# one step of ``BRIEF_GRID``. Without it, one retrain that moved a single debate comment put the
# threshold at 0.80, 0.005 above the highest legitimate reply, and "Noted." (0.815) and a
# legitimate line of the short set's untouched part were nudged.
BRIEF_MARGIN = 0.05


def pick_brief(examples: Sequence[Example], probs: Sequence[float]) -> float:
    """The lowest of ``BRIEF_GRID`` at least ``BRIEF_MARGIN`` above the probability of every
    legitimate one of ``brief_replies`` (1.1, never, if none is)."""
    legitimate = (p for label, p in brief_replies(examples, probs) if not label)
    highest = max(legitimate, default=0.0)
    return next((t for t in BRIEF_GRID if t >= highest + BRIEF_MARGIN), 1.1)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="*", default=[str(p) for p in DEFAULT_DATA])
    parser.add_argument("--out", default=str(DEFAULT_OUT))
    args = parser.parse_args(argv)

    # Filter to the tune part first: the untouched part's text is never used here.
    examples = [
        example
        for path in args.data
        for example in build_examples(
            [r for r in read_jsonl(path) if split_part(str(r["group"])) == "tune"],
            source=Path(path).stem,
        )
    ]
    print(f"tune records: {len(examples)} (positives {sum(e[1] for e in examples)})")

    results = {}
    for l2 in L2_CHOICES:
        probs = out_of_fold(examples, l2)
        results[l2] = (pick_threshold(*judged(examples, probs), MAX_FPR_FLAG), probs)
        c = results[l2][0]
        print(
            f"l2={l2:g}: out-of-fold P={c['precision']:.3f} R={c['recall']:.3f} "
            f"F1={c['f1']:.3f} FPR by source {_rounded(c['fpr_by_source'])} at t={c['threshold']}"
        )
    l2 = max(L2_CHOICES, key=lambda v: (results[v][0]["f1"], -v))
    flag, probs = results[l2]
    # A nudge without evidence: the scorer alone, ungated, with a looser cap.
    nudge = pick_threshold(*judged(examples, probs), MAX_FPR_NUDGE, gate=False)
    nudge_t = max(nudge["threshold"][0], flag["threshold"][0])

    bias, weights = train(examples, l2)
    short = build_examples(
        [r for r in read_jsonl(BRIEF_CHECKED) if split_part(str(r["group"])) == "tune"],
        source=BRIEF_CHECKED.stem,
    )
    brief_on = [*examples, *short]
    brief_probs = [*probs, *(predict(bias, weights, e[0]) for e in short)]
    brief = pick_brief(brief_on, brief_probs)
    kept = {f: round(w, 4) for f, w in sorted(weights.items()) if abs(w) >= 0.005}
    payload = {
        "about": "Logistic regression weights for forum.moderation.scorer; "
        f"trained by scripts/train_moderation_scorer.py on {TRAINED_ON}.",
        "seed": SEED,
        "l2": l2,
        "trained_on": len(examples),
        "out_of_fold": {k: v if k == "threshold" else _rounded(v) for k, v in flag.items()},
        "bias": round(bias, 4),
        "thresholds": {
            "nudge": round(nudge_t, 2),
            "flag": round(flag["threshold"][0], 2),
            "flag_weak": round(flag["threshold"][1], 2),
            "brief": brief,
        },
        "weights": kept,
    }
    Path(args.out).write_text(json.dumps(payload, indent=0, sort_keys=True) + "\n", "utf-8")
    print(f"chose l2={l2:g}, flag>={flag['threshold']}, nudge>={nudge_t:.2f}")
    print(
        f"out of fold, nudge or more: recall by source {_rounded(nudge['recall_by_source'])}, "
        f"FPR by source {_rounded(nudge['fpr_by_source'])}"
    )
    briefs = brief_replies(brief_on, brief_probs)
    print(
        f"short replies that name nobody, nudged at >={brief}: "
        f"{sum(label and p >= brief for label, p in briefs)} of "
        f"{sum(label for label, _ in briefs)} attacks, none of "
        f"{sum(not label for label, _ in briefs)} legitimate ones"
    )
    print(f"wrote {len(kept)} weights to {args.out}")
    return 0


def _rounded(value: float | Mapping[str, float]) -> float | dict[str, float]:
    if isinstance(value, Mapping):
        return {k: round(v, 4) for k, v in value.items()}
    return round(value, 4)


if __name__ == "__main__":
    raise SystemExit(main())
