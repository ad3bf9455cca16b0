"""Pure moderation policy: where a new post goes given the rules' verdict, how much a
reader's flag weighs, and when a moderator must leave a decision to someone else."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
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


def place_comment(
    action: str, *, confirmed: bool, new_user: bool, interactive: bool = True
) -> Placement:
    """Decide publication for an assessed comment.

    Any rule match first shows the author a nudge; posting anyway publishes a ``nudge`` or
    ``flag`` match with a queue item, while a ``hold`` match waits for a moderator.
    A new account's comments wait for review whatever the rules say.

    ``interactive`` False: the author can't be shown a nudge (a reply by mail), so they never
    had the chance to rephrase that posting anyway implies; any match waits for a moderator.
    """
    if action != "allow" and not interactive:
        return Placement("pending_review", "rules")
    if action != "allow" and not confirmed:
        return Placement("pending_review", None, nudge=True)
    if action == "hold":
        return Placement("pending_review", "rules")
    if new_user:
        return Placement("pending_review", "rules" if action != "allow" else "new_user")
    if action in ("nudge", "flag"):
        return Placement("published", "rules")
    return Placement("published", None)


# A flagger's weight is twice their record's smoothed share of upheld flags: 1.0 with no
# record, towards 2.0 as moderators uphold them, towards 0 as they decline them. Below the
# floor a flag still reaches the queue but no longer counts toward hiding.
WEIGHT_FLOOR = 0.5
# The same flaggers hitting the same author together this often in a week (besides the post
# at hand, and not counting flags moderators upheld) count toward hiding as one flag.
COORDINATION_WINDOW_DAYS = 7
COORDINATED_TIMES = 2


class Uncounted:
    """Why a flag reaches the queue but does not count toward hiding (stored on the flag)."""

    NEW_ACCOUNT = "new_account"
    NO_POSTS = "no_posts"
    DECLINED = "declined"


UNCOUNTED_LABELS = {
    Uncounted.NEW_ACCOUNT: "a new account",
    Uncounted.NO_POSTS: "no published post yet",
    Uncounted.DECLINED: "many flags declined",
}


def flag_weight(upheld: int, declined: int = 0) -> float:
    """Readers whose flags moderators upheld weigh more (up to double); those whose flags
    they declined weigh less, so a record of bad flags wears a flagger's voice down."""
    return round(2.0 * (upheld + 1) / (upheld + declined + 2), 2)


def uncounted_reason(
    *, account_age_days: float, published_posts: int, weight: float, min_account_days: int
) -> str:
    """Why this flag must not count toward hiding, or "" when it counts.

    Fresh accounts and accounts that never had a post published can report, but a handful
    of them must not be able to hide a survivor's comment; ``min_account_days`` 0 turns that
    check off."""
    if min_account_days > 0:
        if account_age_days < min_account_days:
            return Uncounted.NEW_ACCOUNT
        if published_posts == 0:
            return Uncounted.NO_POSTS
    if weight < WEIGHT_FLOOR:
        return Uncounted.DECLINED
    return ""


@dataclass(frozen=True)
class OpenFlag:
    """A flag still waiting for a decision, as the hiding rule sees it."""

    user_id: int
    weight: float
    reason: str
    uncounted: str = ""


def flags_hide(
    flags: Iterable[OpenFlag], threshold: float, coordinated: Collection[int] = ()
) -> bool:
    """True once the counted, weighted flags reach the threshold (spam counts extra).

    Flags from ``coordinated`` accounts (who keep flagging this author together) count once,
    at the heaviest of their weights."""
    total = 0.0
    group = 0.0
    for flag in flags:
        if flag.uncounted:
            continue
        weight = flag.weight * (SPAM_FLAG_FACTOR if flag.reason == "spam" else 1.0)
        if flag.user_id in coordinated:
            group = max(group, weight)
        else:
            total += weight
    return total + group >= threshold


@dataclass(frozen=True)
class Coordination:
    """Flaggers of this post who flagged the same author together on other posts lately."""

    flaggers: int  # how many flagged this post
    together: frozenset[int]  # those of them who also flagged other posts of the author together
    times: int  # posts of the author (this one included) flagged by two or more of them
    upheld: int  # of those other posts, how many moderators agreed with

    @property
    def suspicious(self) -> frozenset[int]:
        """Accounts whose joint flags count once: they hit this author together again and
        again, and moderators did not agree with them."""
        if self.times - 1 - self.upheld >= COORDINATED_TIMES:
            return self.together
        return frozenset()


def coordination(
    flaggers: Collection[int], other_posts: Mapping[object, tuple[set[int], bool]]
) -> Coordination | None:
    """Who of ``flaggers`` flagged the same author together elsewhere.

    ``other_posts``: for each other post of the author flagged lately by any of them, which
    of them flagged it and whether moderators upheld those flags. None when nobody did."""
    together: set[int] = set()
    times = upheld = 0
    for who, was_upheld in other_posts.values():
        joint = who & set(flaggers)
        if len(joint) >= 2:
            together |= joint
            times += 1
            upheld += was_upheld
    if not times:
        return None
    return Coordination(len(flaggers), frozenset(together), times + 1, upheld)


# --- who may decide -------------------------------------------------------------------------

TAKES_PART = "you take part in this thread"
NAMED = "the post names you"
ANSWERS = "the post answers you"


def names(text: str, username: str) -> bool:
    """Whether ``text`` names ``username`` (with or without @), as a word of its own."""
    pattern = rf"(?<![\w@]){re.escape(username)}(?![\w])|@{re.escape(username)}(?![\w])"
    return re.search(pattern, text, re.IGNORECASE) is not None


def conflict_of_interest(*, took_part: bool, answered: bool, text: str, moderator_name: str) -> str:
    """Why this moderator must leave a queue item to someone else, or "" when they may decide.

    A moderator who posted in the thread, or whom the post names or answers, is a party to
    the argument: judging it would make them judge their own fight."""
    if took_part:
        return TAKES_PART
    if answered:
        return ANSWERS
    if names(text, moderator_name):
        return NAMED
    return ""


# Reader-facing wording for each flag reason, in the order the form offers them.
FLAG_REASONS = {
    "ad_hominem": "Attacks a person, not an argument",
    "harassment": "Harassment",
    "spam": "Spam",
    "off_topic": "Off topic",
    "other": "Something else (say what below)",
}


# --- what readers see of a removal ---------------------------------------------------------

# The category of a removal, as every reader sees it ("#12 removed by a moderator: personal
# attack"); the author alone sees the moderator's reason.
REMOVAL_CATEGORIES = {
    "personal_attack": "personal attack",
    "harassment": "harassment",
    "privacy": "personal information about someone",
    "spam": "spam",
    "off_topic": "off topic",
    "other": "against the house rules",
}
# The category a removal defaults to, from the reason readers flagged it for.
FLAG_REASON_CATEGORY = {
    "ad_hominem": "personal_attack",
    "harassment": "harassment",
    "spam": "spam",
    "off_topic": "off_topic",
    "other": "other",
}


def default_category(flag_reasons: Iterable[str], *, rule_matched: bool) -> str:
    """The likeliest category for a removal: the rules catch personal attacks; otherwise the
    reason most readers gave."""
    reasons = list(flag_reasons)
    if rule_matched or not reasons:
        return "personal_attack"
    top = max(dict.fromkeys(reasons), key=reasons.count)
    return FLAG_REASON_CATEGORY.get(top, "other")


def opening_post_text(title: str, body: str) -> str:
    """A thread's title and opening post as one text: screened, flagged and highlighted
    together, so a match's offsets say which of the two it is in."""
    return f"{title}\n\n{body}"
