"""The forum's own labelled corpora (forum/moderation/corpus): their shape, and a floor on the
figures of the forum set's untouched part, which no rule or weight was tuned on."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from forum.moderation.evaluate import evaluate, read_jsonl, split_part

CORPUS = Path(__file__).parents[2] / "forum" / "moderation" / "corpus" / "forum.jsonl"
DEBATE = CORPUS.with_name("debate.jsonl")
VOICES = CORPUS.with_name("voices.jsonl")
ATTACKS = {"insinuation", "motive", "character", "group", "rudeness"}
LEGITIMATE = {"data", "policy", "public", "subject", "quote", "anger", "agree", "other"}


def whole_and_consistent(path: Path) -> tuple[list[dict], Counter[str]]:
    """The file's records, each checked; and how many of its threads each part holds."""
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len({r["id"] for r in records}) == len(records)
    for r in records:
        assert r["label"] in (0, 1), r["id"]
        assert r["kind"] in (ATTACKS if r["label"] else LEGITIMATE), r["id"]
        assert r["author"] in r["participants"], r["id"]
        assert r["parent_author"] is None or r["parent_author"] in r["participants"], r["id"]
        assert r["text"].strip() and r["thread_title"].strip(), r["id"]
    labels = Counter(r["label"] for r in records)
    # About half attacks; the batches of everyday comments and of thanks brought it to 40%.
    assert 0.35 < labels[1] / len(records) < 0.6
    # Every thread mixes attacks and legitimate comments, and the split keeps threads whole.
    by_group: dict[str, set[int]] = {}
    for r in records:
        by_group.setdefault(r["group"], set()).add(r["label"])
    assert all(labels == {0, 1} for labels in by_group.values())
    return records, Counter(split_part(g) for g in by_group)


def test_every_record_is_whole_and_consistent() -> None:
    records, parts = whole_and_consistent(CORPUS)
    assert len(records) >= 400
    assert 0.2 < parts["untouched"] / parts.total() < 0.4


def test_the_debate_set_is_whole_and_only_for_training() -> None:
    """Written to train on (``scripts/train_moderation_scorer.py``): a thread in the untouched
    part would be dropped by the trainers unseen, so every one is in the tune part."""
    records, parts = whole_and_consistent(DEBATE)
    assert len(records) >= 400
    assert parts == Counter(tune=parts.total())
    assert all(r["group"].startswith("debate-") for r in records)


def test_untouched_figures_stay_above_the_floor() -> None:
    """The forum's own untouched threads, as the issue measures them (targets: 0.90 of attacks
    nudged or worse, no legitimate comment flagged). Measured with the shipped models (7
    December 2026, once the external set's flags were capped a point lower when the encoder's
    thresholds are chosen): 143 of 150 attacks nudged or more (0.953), 101 flagged; no
    legitimate reply of 251 flagged, and 9 nudged. Before, 143, 110 and one flagged (a short
    agreeing reply). The floors sit just under, so small edits don't flap but a real
    regression fails; ``git log -p`` on this file holds the figures of every earlier model.
    """
    untouched = [r for r in read_jsonl(CORPUS) if split_part(r["group"]) == "untouched"]
    _, summary = evaluate(untouched)
    assert summary["overall"]["fp"] == 0  # legitimate comments flagged or held
    assert summary["overall"]["tp"] >= 97
    assert summary["overall_any_action"]["recall"] >= 0.86
    assert summary["overall_any_action"]["false_positive_rate"] <= 0.04


def test_the_voices_set_is_whole_and_its_untouched_threads_stay_above_the_floor() -> None:
    """Four writers who saw no rule, model or corpus, each in their own voice; learnt from
    but not judged by. No model was trained on its eight untouched threads. Read by the models
    shipped before the set joined, 48 of their 80 attacks were nudged or worse (0.60) and 25
    flagged; by the models retrained with its tune part, 67 (0.84) and 44, with no legitimate
    comment flagged and 1 of 80 nudged. The floor sits two attacks under."""
    records, parts = whole_and_consistent(VOICES)
    assert len(records) == 640 and parts == Counter(tune=24, untouched=8)
    assert all(r["group"].startswith("voices-") for r in records)
    untouched = [r for r in records if split_part(r["group"]) == "untouched"]
    _, summary = evaluate(untouched)
    assert summary["overall"]["fp"] == 0  # legitimate comments flagged or held
    assert summary["overall_any_action"]["tp"] >= 65
