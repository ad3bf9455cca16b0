"""Throughput of ``assess`` on a 2,000-character comment, next to a plain ``re.search``, and
the encoder's cost over the mixed corpus (both labelled sets, every comment in its context).

Run: ``python bench/bench_assess.py``. Both run over the same text in the same process, so the
ratio is meaningful even on a slow or busy machine. The issue's targets: rules and scorer at
1,000 comments of 2,000 characters a second or more; with the encoder, at most 25 ms a comment
on average over the mixed corpus, and the share of comments that reach the encoder reported.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from forum.moderation import assess, encoder, patterns  # noqa: E402
from forum.moderation.evaluate import read_jsonl, record_context  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CORPORA = (
    ROOT.parent / "shared" / "data" / "adhominem" / "dev.jsonl",
    ROOT / "forum" / "moderation" / "corpus" / "forum.jsonl",
)

PARAGRAPH = (
    "Jody, I read the report you linked and I still think the hotline figures are inflated, "
    "because they count calls rather than confirmed cases. Traffickers and pimps do recruit "
    "through debt bondage, nobody here disputes that, but raids that end in deportation don't "
    "help the women caught in them. The T visa cap has never been reached, which says more "
    "about how hard the process is than about how rare trafficking is. "
)
COMMENT = (PARAGRAPH * (2000 // len(PARAGRAPH) + 1))[:2000]
HOSTILE = COMMENT[:1900] + " Honestly, you are a paid shill and a l i a r."
# As typed on a phone or pasted from a word processor: curly apostrophes, so not ASCII.
CURLY = COMMENT.replace("'", "\u2019")
PARTICIPANTS = ("Jody", "Willow", "Marisol Reyes")
BASELINE = re.compile(r"\b(?:pimp|trafficker|shill|liar)s?\b", re.IGNORECASE)


WINDOWS = 5


def rate(fn: Callable[[], object], seconds: float = 1.0) -> float:
    """Calls per second over about ``seconds``: the best of five windows, as ``timeit``
    advises, since a busy host only ever slows a window down (a shared machine swung the
    one-window figure by half from run to run)."""
    fn()  # warm caches (compiled patterns) before timing
    best = 0.0
    for _ in range(WINDOWS):
        calls, started = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - started) < seconds / WINDOWS:
            for _ in range(10):
                fn()
            calls += 10
        best = max(best, calls / elapsed)
    return best


def mixed_corpus() -> None:
    """Every labelled comment through ``assess`` with the encoder, as written and repeated to
    2,000 characters: ms per comment, and how many comments the encoder read."""
    model = encoder.default()
    if model is None:
        print("no encoder model: the mixed-corpus figures need forum/moderation/model/")
        return
    records = [r for path in CORPORA if path.exists() for r in read_jsonl(path)]
    probability = model.probability
    reads = 0

    def counted(text: str) -> float:
        nonlocal reads
        reads += 1
        return probability(text)

    model.probability = counted  # type: ignore[method-assign]
    one = rate(lambda: probability(COMMENT), seconds=2.0)
    print(f"\nmixed corpus: {len(records)} comments of both labelled sets, in their context")
    weights = "signed (exact on this processor)" if model.signed else "unsigned, as stored"
    print(f"  the encoder alone on a 2,000-character comment: {1000 / one:.2f} ms")
    print(f"  its 8-bit weights: {weights}")
    for name, stretch in (("as written", False), ("repeated to 2,000 characters", True)):
        reads = 0
        started = time.perf_counter()
        for r in records:
            text = str(r["text"])
            if stretch:
                text = ((text + "\n\n") * (2000 // (len(text) + 2) + 1))[:2000]
            assess(text, context=record_context(r))
        elapsed = time.perf_counter() - started
        print(
            f"  {name}: {1000 * elapsed / max(1, len(records)):.2f} ms a comment with the "
            f"encoder; {reads / max(1, len(records)):.1%} reach it ({reads})"
        )
    model.probability = probability  # type: ignore[method-assign]


def main() -> None:
    rows = [
        ("re.search baseline (4 words)", rate(lambda: BASELINE.search(COMMENT))),
        ("assess, rules only", rate(lambda: assess(COMMENT, PARTICIPANTS, use_scorer=False))),
        (
            "assess, rules + scorer",
            rate(lambda: assess(COMMENT, PARTICIPANTS, use_encoder=False)),
        ),
        (
            "rules + scorer, hostile comment",
            rate(lambda: assess(HOSTILE, PARTICIPANTS, use_encoder=False)),
        ),
        (
            "rules + scorer, curly apostrophes",
            rate(lambda: assess(CURLY, PARTICIPANTS, use_encoder=False)),
        ),
        ("assess, default (all three stages)", rate(lambda: assess(COMMENT, PARTICIPANTS))),
    ]
    base = rows[0][1]
    print(f"comment length: {len(COMMENT)} characters")
    print(f"{'what':36} {'comments/s':>12} {'ms/comment':>11} {'vs re.search':>13}")
    for name, per_second in rows:
        print(f"{name:36} {per_second:12,.0f} {1000 / per_second:11.3f} {base / per_second:12.0f}x")
    print(f"positions the rules' patterns are tried at, the same on any host: {tried()}")
    mixed_corpus()


def tried() -> int:
    """How many positions of the comment the rules' patterns are tried at (``match_from``):
    the work the shortcuts of ``patterns`` leave, counted rather than timed."""
    positions = 0
    match_from = patterns.match_from

    def counted(regex: re.Pattern[str], text: str, at: list[int], limit: int) -> list:
        nonlocal positions
        positions += len(at)
        return match_from(regex, text, at, limit)

    patterns.match_from = counted  # type: ignore[assignment]
    try:
        assess(COMMENT, PARTICIPANTS, use_scorer=False)
    finally:
        patterns.match_from = match_from
    return positions


if __name__ == "__main__":
    main()
