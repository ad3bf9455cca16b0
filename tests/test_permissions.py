"""Permission predicates, with stand-ins: no app, no database."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from forum import permissions as perm


@dataclass(frozen=True)
class Person:
    id: int = 1
    is_authenticated: bool = True
    is_moderator: bool = False
    is_admin: bool = False
    is_suspended: bool = False


@dataclass(frozen=True)
class Post:
    author_id: int = 1
    status: str = "published"


ANONYMOUS = Person(id=0, is_authenticated=False)
AUTHOR = Person(id=1)
OTHER = Person(id=2)
SUSPENDED_AUTHOR = Person(id=1, is_suspended=True)
MODERATOR = Person(id=3, is_moderator=True)
ADMIN = Person(id=4, is_moderator=True, is_admin=True)
# A signed-out visitor whose stand-in still claims staff flags must get nothing from them.
SIGNED_OUT_MODERATOR = Person(id=3, is_authenticated=False, is_moderator=True, is_admin=True)


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        (None, False),
        (ANONYMOUS, False),
        (AUTHOR, True),
        (SUSPENDED_AUTHOR, False),
        (MODERATOR, True),
    ],
)
def test_can_post(actor, expected) -> None:
    assert perm.can_post(actor) is expected


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        (None, False),
        (ANONYMOUS, False),
        (OTHER, False),
        (SIGNED_OUT_MODERATOR, False),
        (MODERATOR, True),
        (ADMIN, True),
    ],
)
def test_can_moderate_and_edit_tags(actor, expected) -> None:
    assert perm.can_moderate(actor) is expected
    assert perm.can_edit_tag(actor) is expected


@pytest.mark.parametrize(
    ("actor", "status", "expected"),
    [
        (AUTHOR, "published", True),
        (AUTHOR, "pending_review", True),
        (AUTHOR, "deleted", False),
        (SUSPENDED_AUTHOR, "published", False),
        (OTHER, "published", False),
        (ANONYMOUS, "published", False),
        (None, "published", False),
        (Person(id=1, is_authenticated=False), "published", False),  # same id, signed out
        (MODERATOR, "published", True),
        (MODERATOR, "removed", True),
        (MODERATOR, "deleted", False),
        (SIGNED_OUT_MODERATOR, "published", False),
    ],
)
def test_can_edit_comment(actor, status, expected) -> None:
    assert perm.can_edit_comment(actor, Post(author_id=1, status=status)) is expected


@pytest.mark.parametrize(
    ("actor", "status", "expected"),
    [
        (AUTHOR, "published", True),
        (AUTHOR, "pending_review", True),
        (SUSPENDED_AUTHOR, "published", True),  # suspension stops posting, not tidying up
        (AUTHOR, "deleted", False),
        (OTHER, "published", False),
        (ANONYMOUS, "published", False),
        (Person(id=1, is_authenticated=False), "published", False),
        (MODERATOR, "published", True),
        (MODERATOR, "deleted", False),
    ],
)
def test_can_delete_comment(actor, status, expected) -> None:
    assert perm.can_delete_comment(actor, Post(author_id=1, status=status)) is expected


def test_is_author_needs_a_signed_in_actor_with_the_same_id() -> None:
    post = Post(author_id=1)
    assert perm.is_author(AUTHOR, post)
    assert not perm.is_author(OTHER, post)
    assert not perm.is_author(Person(id=1, is_authenticated=False), post)
    assert not perm.is_author(None, post)


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        (ADMIN, True),
        (MODERATOR, False),
        (AUTHOR, False),
        (ANONYMOUS, False),
        (SIGNED_OUT_MODERATOR, False),
    ],
)
def test_can_manage_users(actor, expected) -> None:
    assert perm.can_manage_users(actor) is expected


@pytest.mark.parametrize(
    ("actor", "status", "expected"),
    [
        (ANONYMOUS, "published", True),
        (ANONYMOUS, "deleted", True),
        (ANONYMOUS, "pending_review", False),
        (OTHER, "removed", False),
        (SUSPENDED_AUTHOR, "removed", True),
        (AUTHOR, "pending_review", True),
        (MODERATOR, "pending_review", True),
        (SIGNED_OUT_MODERATOR, "pending_review", False),
    ],
)
def test_can_view_comment(actor, status, expected) -> None:
    assert perm.can_view_comment(actor, Post(status=status)) is expected


@pytest.mark.parametrize(
    ("actor", "status", "expected"),
    [
        (OTHER, "published", True),
        (MODERATOR, "published", True),
        (AUTHOR, "published", False),  # not one's own
        (OTHER, "pending_review", False),
        (OTHER, "deleted", False),
        (Person(id=2, is_suspended=True), "published", False),  # suspended: reads only
        (ANONYMOUS, "published", False),
        (None, "published", False),
    ],
)
def test_can_flag(actor, status, expected) -> None:
    assert perm.can_flag(actor, Post(author_id=1, status=status)) is expected
