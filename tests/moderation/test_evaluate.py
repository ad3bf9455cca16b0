"""Tests for the evaluation helpers and a floor on the real dev set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from forum.moderation.evaluate import (
    evaluate,
    intervals,
    metrics,
    read_jsonl,
    split_part,
    summarize,
)
from forum.moderation.rules import Assessment

DEV = Path(__file__).parents[2].parent / "shared/data/adhominem/dev.jsonl"


def fake_assess(text: str) -> Assessment:
    """Flags any text containing "attack"; nudges "meh"."""
    if "attack" in text:
        return Assessment(flagged=True, score=0.9, action="flag", matches=())
    if "meh" in text:
        return Assessment(flagged=False, score=0.6, action="nudge", matches=())
    return Assessment(flagged=False, score=0.1, action="allow", matches=())


RECORDS = [
    {"id": "a", "text": "attack", "label": 1, "subset": "s1"},
    {"id": "b", "text": "attack", "label": 0, "subset": "s1"},
    {"id": "c", "text": "calm", "label": 1, "subset": "s2"},
    {"id": "d", "text": "calm", "label": 0, "subset": "s2"},
    {"id": "e", "text": "meh", "label": 0, "subset": "s2"},
    {"id": "f", "text": "unlabelled attack"},
]


def test_per_record_results_are_json_lines() -> None:
    results, _ = evaluate(RECORDS, fake_assess)
    assert [r["id"] for r in results] == ["a", "b", "c", "d", "e", "f"]
    assert results[0] == {
        "id": "a",
        "flagged": True,
        "action": "flag",
        "score": 0.9,
        "rules": [],
        "label": 1,
        "subset": "s1",
    }
    assert "label" not in results[-1]
    for r in results:
        json.dumps(r)


def test_summary_counts_and_metrics() -> None:
    _, summary = evaluate(RECORDS, fake_assess)
    assert summary["records"] == 6
    assert summary["labelled"] == 5
    assert summary["flagged"] == 3
    assert summary["actions"] == {"allow": 2, "flag": 3, "nudge": 1}
    overall = summary["overall"]
    assert (overall["tp"], overall["fp"], overall["fn"], overall["tn"]) == (1, 1, 1, 2)
    assert overall["precision"] == 0.5
    assert overall["recall"] == 0.5
    assert overall["f1"] == 0.5
    assert overall["false_positive_rate"] == pytest.approx(1 / 3, abs=1e-4)
    # A nudge counts only in the "any action" view.
    assert summary["overall_any_action"]["fp"] == 2
    assert summary["subsets"]["s1"]["precision"] == 0.5
    assert summary["subsets"]["s2"]["precision"] is None
    json.dumps(summary)


def test_metrics_without_labels_or_predictions() -> None:
    assert metrics([])["f1"] is None
    assert summarize([{"id": 1, "flagged": False, "action": "allow"}])["labelled"] == 0


def test_split_is_deterministic_by_group() -> None:
    assert split_part("t3_abc") == split_part("t3_abc")
    parts = [split_part(f"group-{i}") for i in range(2000)]
    assert 0.25 < parts.count("untouched") / len(parts) < 0.35


def test_dev_figures_stay_above_the_floor() -> None:
    """The untouched part of the external set, as the issue measures it (targets: F1 0.78,
    false-positive rate 0.08). Measured with the shipped models (7 December 2026, once the
    encoder's thresholds were chosen in the middle of their plateau and with the external
    set's flags capped a point lower): P 0.861, R 0.644, F1 0.737, FPR 0.095 (14 of 147
    legitimate comments); after labels refused for someone were blanked for the scorer, one
    attack fewer: P 0.860, R 0.637, F1 0.732. Before: P 0.873, R 0.659, F1 0.751, FPR 0.088
    (13), two attacks
    and one false flag apart; with the choice of thresholds held out on the tune part, the
    change kept flag F1 (0.777 against 0.776) and cut the false-positive rate from 0.070 to
    0.050. The floors sit just under, so small rule edits don't flap but a real regression
    fails; each model change that moved them says why in its commit (``git log -p`` on this
    file holds the earlier figures).
    """
    assert DEV.exists(), f"dev set missing at {DEV}"
    records = read_jsonl(DEV)
    untouched = [r for r in records if split_part(r["group"]) == "untouched"]
    assert 250 <= len(untouched) <= 320
    _, summary = evaluate(untouched)
    overall = summary["overall"]
    assert overall["f1"] >= 0.73
    assert overall["precision"] >= 0.85
    assert overall["false_positive_rate"] <= 0.10
    # Civil, substantive disagreement is almost never flagged.
    assert summary["subsets"]["cmv_delta_thread"]["false_positive_rate"] <= 0.05


def test_check_command_reports_each_file_by_part(app, tmp_path) -> None:
    """`flask forum moderation check FILES` prints a summary per file and a table with the
    tune and untouched parts apart, reading each record in its thread's context."""
    groups = {part: next(g for g in (f"g{i}" for i in range(100)) if split_part(g) == part)
              for part in ("tune", "untouched")}  # fmt: skip
    records = [
        {"id": "1", "group": groups["tune"], "text": "You are a pimp.", "label": 1},
        {"id": "2", "group": groups["tune"], "text": "The audit is sound.", "label": 0},
        {
            "id": "3",
            "group": groups["untouched"],
            "text": "brindle sounds a lot like Fenwick.",
            "label": 1,
            "author": "ash",
            "participants": ["ash", "brindle"],
            "parent_author": "brindle",
        },
        {"id": "4", "group": groups["untouched"], "text": "Fund the shelters.", "label": 0},
    ]
    path = tmp_path / "tiny.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["forum", "moderation", "check", "-q", str(path)])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output.splitlines()[0])["summary"]
    assert summary["parts"]["untouched"]["flagged"]["tp"] == 1
    assert summary["parts"]["tune"]["flagged"]["fp"] == 0
    rows = [line.split() for line in result.output.splitlines() if line.startswith("tiny")]
    assert [row[1] for row in rows] == ["all", "tune", "untouched"]
    assert rows[0][3:7] == ["1.000", "1.000", "1.000", "0.000"]


def test_check_command_names_a_bad_file(app, tmp_path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("{not json\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["forum", "moderation", "check", str(path)])
    assert result.exit_code != 0
    assert "bad.jsonl" in result.output


def _thread(group: str, part: str, *outcomes: tuple[int, str]) -> list[dict]:
    """Results of one discussion: (label, action) each."""
    return [
        {"group": group, "part": part, "label": label, "action": action,
         "flagged": action in ("flag", "hold")}
        for label, action in outcomes
    ]  # fmt: skip


def test_intervals_draw_whole_threads() -> None:
    """Threads alike in every way give every resampling the same figures, so the interval is
    a point (drawing single comments would spread it); threads that differ give a range that
    holds the part's own figure."""
    alike = [
        r
        for k in range(12)
        for r in _thread(f"a{k}", "tune", (1, "flag"), (1, "allow"), (0, "flag"), (0, "allow"))
    ]
    point = intervals(alike)["tune"]
    assert point == {"f1": (0.5, 0.5), "fpr": (0.5, 0.5), "recall_any": (0.5, 0.5)}
    mixed = [
        r
        for k in range(12)
        for r in _thread(
            f"m{k}",
            "untouched",
            (1, "flag" if k % 3 else "nudge"),
            (0, "flag" if k < 2 else "allow"),
        )
    ]
    spread = intervals(mixed)["untouched"]
    lo, hi = spread["fpr"]
    assert lo < 2 / 12 < hi
    lo, hi = spread["f1"]
    f1 = summarize(mixed)["overall"]["f1"]
    assert lo < f1 < hi
    assert spread["recall_any"] == (1.0, 1.0)  # every attack nudged or flagged, in every draw
    assert intervals(mixed) == intervals(mixed)  # seeded


def test_check_command_prints_intervals_when_asked(app, tmp_path) -> None:
    groups = [g for g in (f"g{i}" for i in range(200)) if split_part(g) == "untouched"][:6]
    records = [
        {"id": f"{g}-{k}", "group": g, "text": text, "label": label}
        for g in groups
        for k, (text, label) in enumerate(
            [("You are a pimp.", 1), ("The audit is sound.", 0), ("Fund the shelters.", 1)]
        )
    ]
    path = tmp_path / "spread.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    runner = app.test_cli_runner()
    plain = runner.invoke(args=["forum", "moderation", "check", "-q", str(path)])
    assert "90%" not in plain.output
    result = runner.invoke(args=["forum", "moderation", "check", "-q", "--intervals", str(path)])
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.output.splitlines() if line.startswith("spread")]
    # The figures table (all, untouched), then the intervals table (untouched): every thread
    # is alike, so each interval is the figure itself.
    assert [row[1] for row in rows] == ["all", "untouched", "untouched"]
    assert rows[-1][2:] == ["0.667-0.667", "0.000-0.000", "0.500-0.500"]
