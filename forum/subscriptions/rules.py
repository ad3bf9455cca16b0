"""Pure rules for who hears about what."""

from __future__ import annotations

import re
from collections.abc import Iterable

# @name, as usernames are spelled (forum.auth.rules), not inside an email address or a word.
MENTION_RE = re.compile(r"(?<![\w@.])@([A-Za-z0-9_.-]{3,30})(?<![.-])")
# One comment can't page the whole forum.
MAX_MENTIONS = 10


def extract_mentions(markdown: str) -> list[str]:
    """Case-folded names mentioned with @, outside quotes and code, in order, at most 10."""
    lines = []
    in_fence = False
    for line in markdown.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence or line.lstrip().startswith(">") or line.startswith("    "):
            continue
        lines.append(re.sub(r"`[^`]*`", "", line))
    names = dict.fromkeys(m.casefold() for m in MENTION_RE.findall("\n".join(lines)))
    return list(names)[:MAX_MENTIONS]


def reply_recipients(
    *,
    actor_id: int,
    parent_author_id: int | None,
    thread_author_id: int,
    mentioned_ids: Iterable[int],
) -> dict[int, str]:
    """recipient id -> kind for a newly published comment; each person hears it once.

    The most specific reason wins: a reply to your comment beats a mention, which beats
    activity in your thread. Nobody is told about their own comment.
    """
    recipients: dict[int, str] = {}
    if parent_author_id is not None:
        recipients[parent_author_id] = "reply"
    for user_id in mentioned_ids:
        recipients.setdefault(user_id, "mention")
    recipients.setdefault(thread_author_id, "thread_reply")
    recipients.pop(actor_id, None)
    return recipients


# --- following -------------------------------------------------------------------------------

# A person follows a few dozen topics; hundreds means a script, and each follow widens fan-out.
MAX_FOLLOWED_TAGS = 100
# The thread page's follow button: what each choice leaves behind.
THREAD_ACTIONS = ("follow", "unfollow", "mute")


def follow_limit_problem(already_following: int, *, limit: int = MAX_FOLLOWED_TAGS) -> str | None:
    """Why one more tag can't be followed, or None when it can."""
    if already_following >= limit:
        return f"You can follow at most {limit} tags; unfollow one before adding another."
    return None


def thread_subscription_for(action: str) -> bool | None:
    """The ``muted`` flag a thread action leaves (None: no subscription at all).

    Raises ValueError for anything but "follow", "unfollow" or "mute".
    """
    if action not in THREAD_ACTIONS:
        raise ValueError(f"unknown thread action {action!r}")
    return {"follow": False, "mute": True, "unfollow": None}[action]
