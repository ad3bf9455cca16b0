"""Pure account rules: which names can pass for one another."""

from __future__ import annotations

import pytest

from forum.auth.rules import check_username, username_skeleton
from forum.demo.content import USERS


@pytest.mark.parametrize(
    ("name", "skeleton"),
    [
        ("quillfeather", "quillfeather"),
        ("quiIlfeather", "quillfeather"),  # capital I reads as small l
        ("qui1lfeather", "quillfeather"),  # so does the digit one
        ("QUILLFEATHER", "qulllfeather"),  # all capitals: a different-looking name
        ("rnarco", "marco"),
        ("vvendy", "wendy"),
        ("r00t", "root"),
        ("dana_k", "dana_k"),
        ("dana-k", "dana_k"),  # separators pass for one another
        ("dana.k", "dana_k"),
        ("dana__k", "dana_k"),
        ("_dana.-k_", "dana_k"),  # runs are one, ends don't count
        ("danak", "danak"),  # no separator still differs
    ],
)
def test_username_skeleton(name: str, skeleton: str) -> None:
    assert username_skeleton(name) == skeleton


@pytest.mark.parametrize("name", ["adrnin", "rnod", "r00t", "ROOT", "Adrninistrator", "rnoderator"])
def test_names_that_look_reserved_are_reserved(name: str) -> None:
    assert check_username(name) == "That name is reserved; choose another."


def test_demo_accounts_can_all_be_told_apart() -> None:
    skeletons = [username_skeleton(user.username) for user in USERS]
    assert len(set(skeletons)) == len(skeletons)
