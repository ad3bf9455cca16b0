"""The processes tests/test_ratelimit_storage.py starts to hit one counter file at once.

A module of its own: a spawned process imports the module its target comes from, and the
test module brings the app factory and the suite's fixtures, which cost each process about
a second more than forum.ratelimit_storage alone.
"""

from __future__ import annotations

from multiprocessing.synchronize import Barrier

from forum.ratelimit_storage import SCHEME, SQLiteStorage


def hits(path: str, n: int, start: Barrier) -> None:
    counters = SQLiteStorage(f"{SCHEME}://{path}")
    counters.get("shared")  # open the file first, so that the hits themselves overlap
    start.wait(30)
    for _ in range(n):
        counters.incr("shared", 600)


def first_hits(folder: str, rounds: int, start: Barrier) -> None:
    """One hit on a new file each round, at the moment the other processes make theirs: the
    way gunicorn's workers open the counters file on their first requests."""
    for round_ in range(rounds):
        counters = SQLiteStorage(f"{SCHEME}://{folder}/round-{round_}.sqlite")
        start.wait(30)
        counters.incr("shared", 600)
