"""Throughput of ``assess`` on a 2,000-character comment, next to a plain ``re.search``.

Run: ``python bench/bench_assess.py``. Both run over the same text in the same process, so the
ratio is meaningful even on a slow or busy machine.
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from forum.moderation import assess  # noqa: E402

PARAGRAPH = (
    "Jody, I read the report you linked and I still think the hotline figures are inflated, "
    "because they count calls rather than confirmed cases. Traffickers and pimps do recruit "
    "through debt bondage, nobody here disputes that, but raids that end in deportation don't "
    "help the women caught in them. The T visa cap has never been reached, which says more "
    "about how hard the process is than about how rare trafficking is. "
)
COMMENT = (PARAGRAPH * (2000 // len(PARAGRAPH) + 1))[:2000]
HOSTILE = COMMENT[:1900] + " Honestly, you are a paid shill and a l i a r."
PARTICIPANTS = ("Jody", "Willow", "Marisol Reyes")
BASELINE = re.compile(r"\b(?:pimp|trafficker|shill|liar)s?\b", re.IGNORECASE)


def rate(fn: Callable[[], object], seconds: float = 1.0) -> float:
    """Calls per second, measured over about ``seconds``."""
    fn()  # warm caches (compiled patterns) before timing
    calls, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < seconds:
        for _ in range(10):
            fn()
        calls += 10
    return calls / elapsed


def main() -> None:
    rows = [
        ("re.search baseline (4 words)", rate(lambda: BASELINE.search(COMMENT))),
        ("assess, rules only", rate(lambda: assess(COMMENT, PARTICIPANTS, use_scorer=False))),
        ("assess, default (rules + scorer)", rate(lambda: assess(COMMENT, PARTICIPANTS))),
        ("assess, default, hostile comment", rate(lambda: assess(HOSTILE, PARTICIPANTS))),
    ]
    base = rows[0][1]
    print(f"comment length: {len(COMMENT)} characters")
    print(f"{'what':36} {'comments/s':>12} {'ms/comment':>11} {'vs re.search':>13}")
    for name, per_second in rows:
        print(f"{name:36} {per_second:12,.0f} {1000 / per_second:11.3f} {base / per_second:12.0f}x")


if __name__ == "__main__":
    main()
