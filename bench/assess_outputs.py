"""Every decision ``assess`` takes over the corpora, to check that a speed-up changes none.

Run: ``python bench/assess_outputs.py --save before.json`` before a change to the engine and
``python bench/assess_outputs.py --compare before.json`` after it. Each text is assessed as the
site would by the rules and the scorer (the encoder reads what they read, ``scored_text``, so
equal readings give it equal input), with the bench's participants, in its thread's context
where the corpus has one, and with two moderator-written rules added (the time-limited engine
and a widened de-obfuscator); a line records the action, score, every match (rule, spans,
explanation) and the rules that timed out, plus what the scorer read (``analyse``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from forum.moderation.evaluate import read_jsonl, record_context  # noqa: E402
from forum.moderation.rules import (  # noqa: E402
    Assessment,
    Context,
    analyse,
    assess,
    default_rules,
    rule_from_dict,
)

ADHOMINEM = Path("/work/shared/data/adhominem/dev.jsonl")
FORUM = ROOT / "forum" / "moderation" / "corpus" / "forum.jsonl"
PARTICIPANTS = ("Jody", "Willow", "Marisol Reyes", "ash_k")
CUSTOM_RULES = (
    rule_from_dict(
        {
            "id": "custom.pattern",
            "kind": "pattern",
            "action": "flag",
            "message": "custom pattern",
            "pattern": r"\b(?:you|u|{participant}) (?:\w+ ){0,3}(?:liar|shill|hack|grifter)s?\b",
        }
    ),
    rule_from_dict(
        {
            "id": "custom.lexicon",
            "kind": "lexicon",
            "action": "nudge",
            "message": "calls someone a {term}",
            "terms": ["grifter", "hack", "zealot", "armchair expert"],
            "target": "person",
        }
    ),
)


def texts(step: int = 1) -> Iterator[tuple[str, str, Context | None]]:
    """(name, text, context) for every text checked: every ``step``-th text of the corpora (the
    external one is not in the repository, so it is skipped where absent) and the demo threads."""
    if ADHOMINEM.exists():
        for record in read_jsonl(ADHOMINEM)[::step]:
            yield f"adhominem:{record['id']}", str(record["text"]), None
    for record in read_jsonl(FORUM)[::step]:
        yield f"forum:{record['id']}", str(record["text"]), record_context(record)
    from forum.demo.content import THREADS

    for thread in THREADS:
        names = tuple(dict.fromkeys([thread.author, *(c.author for c in thread.comments)]))
        yield f"demo:{thread.key}", thread.body, Context(names=names)
        for comment in thread.comments:
            yield f"demo:{thread.key}:{comment.key}", comment.body, Context(names=names)


def _assessment(result: Assessment) -> dict[str, Any]:
    return {
        "action": result.action,
        "score": result.score,
        "flagged": result.flagged,
        "matches": sorted(
            (m.rule_id, m.start, m.end, m.sentence_start, m.sentence_end, m.action, m.explanation)
            for m in result.matches
        ),
        "timed_out": sorted(result.timed_out),
    }


def outputs(step: int = 1) -> Iterator[dict[str, Any]]:
    """One JSON-able line per text: what every way of assessing it decided."""
    custom = (*default_rules(), *CUSTOM_RULES)
    for name, text, context in texts(step):
        seen = analyse(text, PARTICIPANTS, context=context)
        yield {
            "name": name,
            "plain": _assessment(assess(text, use_encoder=False)),
            "participants": _assessment(assess(text, PARTICIPANTS, use_encoder=False)),
            "context": _assessment(assess(text, PARTICIPANTS, context=context, use_encoder=False)),
            "custom": _assessment(
                assess(text, PARTICIPANTS, custom, use_scorer=True, use_encoder=False)
            ),
            "analysis": {
                "prepared": [seen.prepared.text, list(seen.prepared.offsets)],
                "scored_text": seen.scored_text,
                "hedged": seen.hedged,
                "context_features": sorted(seen.context_features),
            },
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--save", type=Path, help="write the outputs to this file")
    parser.add_argument("--compare", type=Path, help="compare with outputs saved earlier")
    args = parser.parse_args()
    lines = [json.dumps(line, ensure_ascii=False, sort_keys=True) for line in outputs()]
    digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    print(f"{len(lines)} texts, digest {digest[:16]}")
    if args.save:
        args.save.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if args.compare:
        before = args.compare.read_text(encoding="utf-8").splitlines()
        differ = [json.loads(a)["name"] for a, b in zip(before, lines, strict=False) if a != b]
        if len(before) != len(lines) or differ:
            print(f"DIFFERENT: {len(before)} vs {len(lines)} lines; {len(differ)} differ")
            for name in differ[:20]:
                print("  ", name)
            sys.exit(1)
        print(f"identical to {args.compare}")


if __name__ == "__main__":
    main()
