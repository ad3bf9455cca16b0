"""Placement policy: nudge first, hold waits, new accounts wait, flags weigh by record."""

from __future__ import annotations

import pytest

from forum.moderation.policy import (
    ANSWERS,
    NAMED,
    TAKES_PART,
    OpenFlag,
    Placement,
    Uncounted,
    conflict_of_interest,
    coordination,
    default_category,
    flag_weight,
    flags_hide,
    place_comment,
    uncounted_reason,
)


@pytest.mark.parametrize(
    ("action", "confirmed", "new_user", "expected"),
    [
        ("allow", False, False, Placement("published", None)),
        ("allow", False, True, Placement("pending_review", "new_user")),
        ("nudge", False, False, Placement("pending_review", None, nudge=True)),
        ("flag", False, False, Placement("pending_review", None, nudge=True)),
        ("hold", False, False, Placement("pending_review", None, nudge=True)),
        ("nudge", True, False, Placement("published", "rules")),
        ("flag", True, False, Placement("published", "rules")),
        ("hold", True, False, Placement("pending_review", "rules")),
        ("flag", True, True, Placement("pending_review", "rules")),
    ],
)
def test_place_comment(action, confirmed, new_user, expected) -> None:
    assert place_comment(action, confirmed=confirmed, new_user=new_user) == expected


def test_upheld_flaggers_weigh_more_and_declined_ones_less() -> None:
    assert [flag_weight(n) for n in (0, 1, 2, 10)] == [1.0, 1.33, 1.5, 1.83]
    assert [flag_weight(0, n) for n in (1, 2, 3, 10)] == [0.67, 0.5, 0.4, 0.17]
    # A long good record outweighs a few mistakes.
    assert flag_weight(10, 2) > 1.5


def _flags(*weights_and_reasons: tuple[float, str]) -> list[OpenFlag]:
    return [OpenFlag(i, w, r) for i, (w, r) in enumerate(weights_and_reasons)]


def test_three_flags_hide_and_spam_hides_sooner() -> None:
    assert not flags_hide(_flags(*[(1.0, "ad_hominem")] * 2), 3)
    assert flags_hide(_flags(*[(1.0, "ad_hominem")] * 3), 3)
    assert flags_hide(_flags(*[(1.0, "spam")] * 2), 3)


def test_uncounted_flags_never_hide() -> None:
    fresh = [OpenFlag(i, 1.0, "ad_hominem", Uncounted.NEW_ACCOUNT) for i in range(10)]
    assert not flags_hide(fresh, 3)
    assert flags_hide([*fresh, *_flags(*[(1.0, "ad_hominem")] * 3)], 3)


def test_coordinated_flaggers_count_as_one() -> None:
    flags = _flags((1.5, "ad_hominem"), (1.5, "ad_hominem"), (1.5, "ad_hominem"))
    assert flags_hide(flags, 3)
    assert not flags_hide(flags, 3, coordinated={0, 1, 2})
    assert flags_hide([*flags, OpenFlag(9, 1.5, "ad_hominem")], 3, coordinated={0, 1, 2})


@pytest.mark.parametrize(
    ("age", "posts", "weight", "days", "expected"),
    [
        (10.0, 3, 1.0, 3, ""),
        (2.9, 3, 1.0, 3, Uncounted.NEW_ACCOUNT),
        (10.0, 0, 1.0, 3, Uncounted.NO_POSTS),
        (10.0, 3, 0.4, 3, Uncounted.DECLINED),
        (0.0, 0, 1.0, 0, ""),  # the check turned off
        (0.0, 0, 0.4, 0, Uncounted.DECLINED),  # a bad record still tells
    ],
)
def test_which_flags_count_toward_hiding(age, posts, weight, days, expected) -> None:
    reason = uncounted_reason(
        account_age_days=age, published_posts=posts, weight=weight, min_account_days=days
    )
    assert reason == expected


def test_coordination_counts_posts_flagged_together() -> None:
    flaggers = {1, 2, 3, 4}
    others = {
        "a": ({1, 2, 3}, False),
        "b": ({1, 2}, False),
        "c": ({1, 9}, False),  # only one of them: not together
        "d": ({2, 3}, True),  # together, and moderators agreed
    }
    found = coordination(flaggers, others)
    assert found is not None
    assert (found.flaggers, found.together, found.times, found.upheld) == (4, {1, 2, 3}, 4, 1)
    # Two unupheld joint flags elsewhere: their flags here count as one.
    assert found.suspicious == {1, 2, 3}
    assert coordination(flaggers, {"c": ({1, 9}, False)}) is None
    once = coordination(flaggers, {"a": ({1, 2}, False), "d": ({1, 2}, True)})
    assert once is not None and once.suspicious == frozenset()


@pytest.mark.parametrize(
    ("took_part", "answered", "text", "expected"),
    [
        (True, False, "A fair point.", TAKES_PART),
        (False, True, "A fair point.", ANSWERS),
        (False, False, "As dana_k said, the numbers are off.", NAMED),
        (False, False, "@Dana_K you are wrong", NAMED),
        (False, False, "The dana_kx report is off.", ""),
        (False, False, "A fair point.", ""),
    ],
)
def test_moderators_do_not_judge_their_own_fights(took_part, answered, text, expected) -> None:
    found = conflict_of_interest(
        took_part=took_part, answered=answered, text=text, moderator_name="dana_k"
    )
    assert found == expected


@pytest.mark.parametrize(
    ("reasons", "rule", "expected"),
    [
        ([], True, "personal_attack"),
        (["spam", "spam", "off_topic"], False, "spam"),
        (["harassment"], False, "harassment"),
        ([], False, "personal_attack"),
    ],
)
def test_the_likeliest_removal_category(reasons, rule, expected) -> None:
    assert default_category(reasons, rule_matched=rule) == expected
