"""Placement policy: nudge first, hold waits, new accounts wait, flags weigh by record."""

from __future__ import annotations

import pytest

from forum.moderation.policy import Placement, flag_weight, flags_hide, place_comment


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


def test_upheld_flaggers_weigh_more_up_to_double() -> None:
    assert [flag_weight(n) for n in (0, 1, 2, 10)] == [1.0, 1.5, 2.0, 2.0]


def test_three_flags_hide_and_spam_hides_sooner() -> None:
    assert not flags_hide([(1.0, "ad_hominem")] * 2, 3)
    assert flags_hide([(1.0, "ad_hominem")] * 3, 3)
    assert flags_hide([(1.0, "spam")] * 2, 3)
