"""The scorer's training script: its folds, and the sources its thresholds are chosen on."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).parents[2] / "scripts" / "train_moderation_scorer.py"
_spec = importlib.util.spec_from_file_location("train_moderation_scorer", SCRIPT)
assert _spec and _spec.loader
training = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(training)


def example(group: str, source: str, label: int = 0) -> tuple:
    return (("rule:any",), label, "allow", group, source)  # a rule matched: strong evidence


JUDGED = [example(f"t3_{i}", "dev") for i in range(12)] + [
    example(f"forum-thread-{i}", "forum") for i in range(9)
]


def test_threads_only_trained_on_move_no_judged_thread_to_another_fold() -> None:
    alone = training.group_folds(JUDGED)
    debate = [example(f"debate-{i}", "debate") for i in range(10)]
    mixed = training.group_folds(debate[:5] + JUDGED + debate[5:])
    assert mixed[5:-5] == alone
    assert len(set(mixed[:5] + mixed[-5:])) == training.FOLDS  # they are spread over the folds
    assert len(set(alone)) == training.FOLDS


def test_thresholds_are_chosen_on_the_capped_sources_only() -> None:
    """A legitimate debate comment the scorer reads as an attack would lift every threshold if
    it counted; it is trained on, not judged by."""
    attack, fine = example("t3_a", "dev", 1), example("t3_b", "dev", 0)
    debate = example("debate-x", "debate", 0)
    examples, probs = training.judged([attack, debate, fine], [0.9, 0.95, 0.1])
    assert examples == [attack, fine] and probs == [0.9, 0.1]
    best = training.pick_threshold(examples, probs, training.MAX_FPR_FLAG)
    assert best["recall"] == 1.0 and best["fpr"] == 0.0
    assert best["threshold"][0] <= 0.9


def test_a_short_reply_is_nudged_only_above_every_legitimate_one() -> None:
    """The brief threshold clears the surest legitimate short reply that names nobody by a grid
    step (``BRIEF_MARGIN``), from any source (the debate set's too: out of fold, it is evidence
    like any other); a comment that is not such a reply, or that a rule already charged, does
    not count."""
    brief = ("ctx:reply", "length:1", "untargeted")
    plain = ("length:1", "untargeted")  # not a reply: the scorer never nudges it
    examples = [
        (brief, 1, "allow", "t3_a", "dev"),
        (brief, 0, "allow", "debate-x", "debate"),
        (plain, 0, "allow", "t3_b", "dev"),
        (brief, 0, "nudge", "t3_c", "dev"),
    ]
    assert training.pick_brief(examples, [0.9, 0.62, 0.99, 0.99]) == 0.7
    assert training.pick_brief(examples, [0.9, 0.5, 0.99, 0.99]) == 0.55
    assert training.pick_brief(examples, [0.9, 0.52, 0.99, 0.99]) == 0.6
    assert training.pick_brief(examples, [0.9, 0.92, 0.99, 0.99]) == 1.1
