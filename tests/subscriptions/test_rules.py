"""Who hears about a comment, and which @names count as mentions."""

from __future__ import annotations

import pytest

from forum.subscriptions.rules import MAX_MENTIONS, extract_mentions, reply_recipients


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Thanks @Willow and @jody_k.", ["willow", "jody_k"]),
        ("@willow @Willow @WILLOW", ["willow"]),
        ("mail me at someone@example.org", []),
        ("> @willow said this earlier\n\nI disagree.", []),
        ("Use `@willow` in code", []),
        ("```\n@willow\n```\nafter", []),
        ("@ab is too short", []),
    ],
)
def test_extract_mentions(text, names) -> None:
    assert extract_mentions(text) == names


def test_one_comment_cannot_page_everyone() -> None:
    text = " ".join(f"@user{i:03d}" for i in range(50))
    assert len(extract_mentions(text)) == MAX_MENTIONS


def test_each_person_hears_once_with_the_most_specific_reason() -> None:
    got = reply_recipients(actor_id=1, parent_author_id=2, thread_author_id=2, mentioned_ids=[3, 2])
    assert got == {2: "reply", 3: "mention"}


def test_nobody_is_told_about_their_own_comment() -> None:
    got = reply_recipients(actor_id=1, parent_author_id=1, thread_author_id=1, mentioned_ids=[1])
    assert got == {}
