"""Measure the moderation engine on labelled comments.

Pure so that the CLI (``flask forum moderation check FILE.jsonl``), the scorer's training
script and the tests all share one definition of precision, recall and the false-positive
rate. Metrics are computed on ``Assessment.flagged`` (action ``flag`` or ``hold``); nudges are
counted separately because they only prompt the author.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from forum.moderation.rules import Assessment, Context, assess

Record = Mapping[str, Any]
AssessFn = Callable[[str], Assessment]

# The share of dev groups kept aside and never used for tuning (rules or scorer).
UNTOUCHED_PERCENT = 30


def split_part(group: str) -> str:
    """Deterministic tune/untouched split by discussion, so one thread never straddles both."""
    bucket = int(hashlib.sha256(group.encode("utf-8")).hexdigest(), 16) % 100
    return "untouched" if bucket < UNTOUCHED_PERCENT else "tune"


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    """Records from a JSON-lines file; blank lines are skipped."""
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _safe_div(a: float, b: float) -> float | None:
    return round(a / b, 4) if b else None


def metrics(pairs: Iterable[tuple[bool, int]]) -> dict[str, Any]:
    """Confusion counts and rates for (predicted_flag, label) pairs."""
    tp = fp = tn = fn = 0
    for predicted, label in pairs:
        if predicted and label:
            tp += 1
        elif predicted:
            fp += 1
        elif label:
            fn += 1
        else:
            tn += 1
    precision = _safe_div(tp, tp + fp)
    recall = _safe_div(tp, tp + fn)
    f1 = (
        round(2 * precision * recall / (precision + recall), 4)
        if precision is not None and recall is not None and precision + recall
        else None
    )
    return {
        "n": tp + fp + tn + fn,
        "positives": tp + fn,
        "negatives": fp + tn,
        "tp": tp,
        "fp": fp,
        "tn": tn,
        "fn": fn,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "false_positive_rate": _safe_div(fp, fp + tn),
        "flag_rate": _safe_div(tp + fp, tp + fp + tn + fn),
    }


def record_context(record: Record) -> Context:
    """The thread around a record, as the site passes it: whom it answers, the thread's title
    and the other people in it (the author is not a participant of their own comment)."""
    author = record.get("author")
    names = tuple(str(n) for n in record.get("participants", ()) or () if n != author)
    return Context(
        parent_author=record.get("parent_author") or None,
        parent_text=str(record.get("parent_text") or ""),
        thread_title=str(record.get("thread_title") or ""),
        names=names,
    )


def assess_record(record: Record, assess_fn: AssessFn = assess) -> dict[str, Any]:
    """One JSON-able result line for a record, assessed in its context when it has one."""
    text = str(record.get("text", ""))
    if assess_fn is assess:
        result = assess(text, context=record_context(record))
    else:
        result = assess_fn(text)
    out: dict[str, Any] = {
        "id": record.get("id"),
        "flagged": result.flagged,
        "action": result.action,
        "score": result.score,
        "rules": list(result.rule_ids),
    }
    if result.matches:
        first = result.matches[0]
        out["explanation"] = first.explanation
        out["excerpt"] = text[first.start : first.end]
    for key in ("label", "subset", "kind"):
        if key in record:
            out[key] = record[key]
    if record.get("group") is not None:
        out["group"] = str(record["group"])
        out["part"] = split_part(out["group"])
    return out


def iter_results(records: Iterable[Record], assess_fn: AssessFn = assess) -> Iterator[dict]:
    """Stream per-record results (the CLI prints each as one JSON line)."""
    for record in records:
        yield assess_record(record, assess_fn)


def summarize(results: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Counts of actions, overall metrics and metrics per ``subset`` where labels exist."""
    results = list(results)
    actions: dict[str, int] = {}
    for r in results:
        actions[r["action"]] = actions.get(r["action"], 0) + 1
    labelled = [r for r in results if r.get("label") is not None]
    summary: dict[str, Any] = {
        "records": len(results),
        "flagged": sum(1 for r in results if r["flagged"]),
        "actions": dict(sorted(actions.items())),
        "labelled": len(labelled),
    }
    if labelled:
        summary["overall"] = metrics((bool(r["flagged"]), int(r["label"])) for r in labelled)
        summary["overall_any_action"] = metrics(
            (r["action"] != "allow", int(r["label"])) for r in labelled
        )
        parts = sorted({str(r["part"]) for r in labelled if r.get("part") is not None})
        if parts:
            summary["parts"] = {
                name: {
                    "flagged": metrics(
                        (bool(r["flagged"]), int(r["label"])) for r in labelled if r["part"] == name
                    ),
                    "any_action": metrics(
                        (r["action"] != "allow", int(r["label"]))
                        for r in labelled
                        if r["part"] == name
                    ),
                }
                for name in parts
            }
        subsets = sorted({str(r["subset"]) for r in labelled if r.get("subset") is not None})
        if subsets:
            summary["subsets"] = {
                name: metrics(
                    (bool(r["flagged"]), int(r["label"]))
                    for r in labelled
                    if str(r.get("subset")) == name
                )
                for name in subsets
            }
    return summary


def evaluate(
    records: Iterable[Record], assess_fn: AssessFn = assess
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Assess every record; return (per-record results, summary)."""
    results = list(iter_results(records, assess_fn))
    return results, summarize(results)


# Resamplings of a part's discussions behind each interval (``intervals``), and the share of
# them an interval leaves out at each end: a 90% interval.
DRAWS = 2000
TAIL = 0.05
INTERVAL_SEED = 20261208


def intervals(
    results: Iterable[Mapping[str, Any]], draws: int = DRAWS
) -> dict[str, dict[str, tuple[float, float]]]:
    """90% intervals of flag F1, the false-positive rate and recall of any action, per part,
    by resampling the part's discussions with replacement (a cluster bootstrap: comments of
    one thread are not independent, so the thread is what is drawn). A part of a few hundred
    comments moves by several points from one draw of threads to the next; these say how
    many, so that a figure is read beside what its sample could have given. Seeded, so the
    same results print the same intervals."""
    # Per part, per discussion: (tp, fp, fn, tn) of flags, then (tp, fn) of any action.
    counts: dict[str, dict[str, list[int]]] = {}
    for r in results:
        if r.get("label") is None or r.get("part") is None:
            continue
        row = counts.setdefault(str(r["part"]), {}).setdefault(
            str(r.get("group")), [0, 0, 0, 0, 0, 0]
        )
        label, flagged, acted = int(r["label"]), bool(r["flagged"]), r["action"] != "allow"
        row[(0 if flagged else 2) if label else (1 if flagged else 3)] += 1
        if label:
            row[4 if acted else 5] += 1
    rng = random.Random(INTERVAL_SEED)
    found: dict[str, dict[str, tuple[float, float]]] = {}
    for part, by_group in sorted(counts.items()):
        rows = list(by_group.values())
        f1s: list[float] = []
        fprs: list[float] = []
        recalls: list[float] = []
        for _ in range(draws):
            tp, fp, fn, tn, any_tp, any_fn = map(
                sum, zip(*rng.choices(rows, k=len(rows)), strict=True)
            )
            if tp + fp + fn:
                f1s.append(2 * tp / (2 * tp + fp + fn))
            if fp + tn:
                fprs.append(fp / (fp + tn))
            if any_tp + any_fn:
                recalls.append(any_tp / (any_tp + any_fn))
        found[part] = {
            name: _tails(values)
            for name, values in (("f1", f1s), ("fpr", fprs), ("recall_any", recalls))
            if values
        }
    return found


def _tails(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    cut = int(TAIL * len(ordered))
    return round(ordered[cut], 3), round(ordered[len(ordered) - 1 - cut], 3)


def interval_table(found: Mapping[str, Mapping[str, Mapping[str, tuple[float, float]]]]) -> str:
    """A plain-text table of ``intervals`` per file and part."""
    header = f"{'file':28} {'part':9} {'F1, 90%':>13} {'FPR, 90%':>13} {'R any, 90%':>13}"
    lines = [header, "-" * len(header)]
    for path, parts in found.items():
        for part, figures in parts.items():
            spans = (figures.get(name) for name in ("f1", "fpr", "recall_any"))
            cells = [f"{span[0]:.3f}-{span[1]:.3f}" if span else "-" for span in spans]
            lines.append(
                f"{Path(path).name[:28]:28} {part:9} " + " ".join(f"{c:>13}" for c in cells)
            )
    return "\n".join(lines)


def table(summaries: Mapping[str, Mapping[str, Any]]) -> str:
    """A plain-text table of the figures per file and part: "flag+" counts flags and holds
    (a moderator looks), "any" counts nudges too (the author is asked to rephrase)."""
    header = (
        f"{'file':28} {'part':9} {'n':>5} {'P':>6} {'R':>6} {'F1':>6} {'FPR':>6} "
        f"{'R any':>6} {'FPR any':>7}"
    )
    lines = [header, "-" * len(header)]
    for path, summary in summaries.items():
        name = Path(path).name
        rows: list[tuple[str, Mapping[str, Any], Mapping[str, Any]]] = []
        if "overall" in summary:
            rows.append(("all", summary["overall"], summary["overall_any_action"]))
        for part, figures in summary.get("parts", {}).items():
            rows.append((part, figures["flagged"], figures["any_action"]))
        for part, flagged, any_action in rows:
            lines.append(
                f"{name[:28]:28} {part:9} {flagged['n']:>5} {_cell(flagged['precision'])} "
                f"{_cell(flagged['recall'])} {_cell(flagged['f1'])} "
                f"{_cell(flagged['false_positive_rate'])} {_cell(any_action['recall'])} "
                f"{_cell(any_action['false_positive_rate']):>7}"
            )
        if not rows:
            lines.append(f"{name[:28]:28} {'-':9} {summary['records']:>5}  (no labels)")
    return "\n".join(lines)


def _cell(value: float | None) -> str:
    return f"{value:6.3f}" if value is not None else f"{'-':>6}"
