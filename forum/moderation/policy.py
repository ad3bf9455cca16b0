"""Pure placement policy: what happens to a new comment given the rules' verdict."""

from __future__ import annotations

from dataclasses import dataclass

# Queue priorities, higher first. Harassment flags jump the queue.
PRIORITY = {
    "harassment": 100,
    "hold": 50,
    "appeal": 30,
    "flag": 20,
    "new_user": 10,
}
# Spam is hidden sooner: each spam flag weighs this much more.
SPAM_FLAG_FACTOR = 1.5
FLAG_NOTE_MAX = 500
REASON_MAX = 500


@dataclass(frozen=True)
class Placement:
    """Where a comment goes: ``nudge`` means ask the author first and write nothing."""

    status: str  # "published" or "pending_review"
    queue: str | None  # queue source, or None when no moderator needs to look
    nudge: bool = False


def place_comment(action: str, *, confirmed: bool, new_user: bool) -> Placement:
    """Decide publication for an assessed comment.

    Any rule match first shows the author a nudge; posting anyway publishes a ``nudge`` or
    ``flag`` match with a queue item, while a ``hold`` match waits for a moderator.
    A new account's comments wait for review whatever the rules say.
    """
    if action != "allow" and not confirmed:
        return Placement("pending_review", None, nudge=True)
    if action == "hold":
        return Placement("pending_review", "rules")
    if new_user:
        return Placement("pending_review", "rules" if action != "allow" else "new_user")
    if action in ("nudge", "flag"):
        return Placement("published", "rules")
    return Placement("published", None)


def flag_weight(upheld_before: int) -> float:
    """Readers whose earlier flags moderators upheld weigh more, up to double."""
    return 1.0 + 0.5 * min(upheld_before, 2)


def flags_hide(weights_and_reasons: list[tuple[float, str]], threshold: float) -> bool:
    """True once the weighted flags reach the threshold (spam counts extra)."""
    total = sum(w * (SPAM_FLAG_FACTOR if r == "spam" else 1.0) for w, r in weights_and_reasons)
    return total >= threshold
