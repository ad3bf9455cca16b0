"""Permission predicates, with stand-ins: no app, no database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pytest

from forum import permissions as perm


@dataclass(frozen=True)
class Person:
    id: int = 1
    is_authenticated: bool = True
    is_moderator: bool = False
    is_admin: bool = False
    is_suspended: bool = False
    scope_tag_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Post:
    author_id: int = 1
    status: str = "published"
    tag_ids: tuple[int, ...] = (10,)


@dataclass(frozen=True)
class Item:
    """A tag (``id``) or a thread (``author_id``, ``tag_ids``)."""

    id: int = 10
    author_id: int = 1
    tag_ids: tuple[int, ...] = (10,)


ANONYMOUS = Person(id=0, is_authenticated=False)
AUTHOR = Person(id=1)
OTHER = Person(id=2)
SUSPENDED_AUTHOR = Person(id=1, is_suspended=True)
MODERATOR = Person(id=3, is_moderator=True)
ADMIN = Person(id=4, is_moderator=True, is_admin=True)
# A signed-out visitor whose stand-in still claims staff flags must get nothing from them.
SIGNED_OUT_MODERATOR = Person(id=3, is_authenticated=False, is_moderator=True, is_admin=True)
SUSPENDED_MODERATOR = Person(id=3, is_moderator=True, is_suspended=True)
# Limited by an admin to tag 20; the stand-in posts and threads are tagged 10.
SCOPED_MODERATOR = Person(id=5, is_moderator=True, scope_tag_ids=frozenset({20}))
SCOPED_ADMIN = Person(id=4, is_moderator=True, is_admin=True, scope_tag_ids=frozenset({20}))


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
        (SUSPENDED_MODERATOR, False),  # a suspension stops moderating too
        (MODERATOR, True),
        (ADMIN, True),
    ],
)
def test_can_moderate_and_edit_tags(actor, expected) -> None:
    assert perm.can_moderate(actor) is expected
    assert perm.can_edit_tag(actor, Item()) is expected


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


def test_a_suspended_admin_cannot_manage_users() -> None:
    assert not perm.can_manage_users(
        Person(id=4, is_moderator=True, is_admin=True, is_suspended=True)
    )


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        (AUTHOR, True),
        (SUSPENDED_AUTHOR, False),  # a retag reaches the new tags' followers: it is posting
        (OTHER, False),
        (MODERATOR, True),
        (SCOPED_MODERATOR, False),
        (Person(id=5, is_moderator=True, scope_tag_ids=frozenset({10, 20})), True),
        (SCOPED_ADMIN, True),  # admins are never limited
        (SUSPENDED_MODERATOR, False),
        (ANONYMOUS, False),
    ],
)
def test_can_retag(actor, expected) -> None:
    assert perm.can_retag(actor, Item(author_id=1, tag_ids=(10,))) is expected


def test_a_scoped_moderator_acts_only_in_their_tags() -> None:
    """Outside their tags a scoped moderator is a member: the thread's author still may."""
    outside, inside = Post(author_id=1, tag_ids=(10,)), Post(author_id=1, tag_ids=(10, 20))
    for check in (perm.can_edit_comment, perm.can_delete_comment):
        assert not check(SCOPED_MODERATOR, outside), check
        assert check(SCOPED_MODERATOR, inside), check
        assert check(SCOPED_ADMIN, outside), check
    assert not perm.can_promote(SCOPED_MODERATOR, 1, outside)
    assert perm.can_promote(SCOPED_MODERATOR, 1, inside)
    assert perm.can_promote(Person(id=5, scope_tag_ids=frozenset({20})), 5, outside)  # own thread
    assert not perm.can_undo_promotion(SCOPED_MODERATOR, Item(tag_ids=(10,)))
    assert perm.can_undo_promotion(SCOPED_MODERATOR, Item(tag_ids=(20,)))
    assert not perm.can_edit_tag(SCOPED_MODERATOR, Item(id=10))
    assert perm.can_edit_tag(SCOPED_MODERATOR, Item(id=20))
    assert perm.can_edit_tag(SCOPED_ADMIN, Item(id=10))
    # Seeing held comments is not acting on them: every moderator still sees them.
    assert perm.can_view_comment(SCOPED_MODERATOR, Post(status="pending_review"))


def test_scopes_are_only_read_from_scoped_moderators() -> None:
    """The thread page asks for every comment: unscoped moderators cost no tag lookup."""

    class Untouchable:
        author_id, status = 1, "published"

        @property
        def tag_ids(self) -> tuple[int, ...]:
            raise AssertionError("tags read for an unscoped moderator")

    assert perm.can_edit_comment(MODERATOR, Untouchable())
    assert perm.can_delete_comment(ADMIN, Untouchable())
    assert not perm.can_edit_comment(OTHER, Untouchable())


def test_a_suspended_moderator_keeps_no_moderator_power() -> None:
    post = Post(author_id=1)
    assert not perm.can_edit_comment(SUSPENDED_MODERATOR, post)
    assert not perm.can_delete_comment(SUSPENDED_MODERATOR, post)
    assert not perm.can_undo_promotion(SUSPENDED_MODERATOR, Item())
    assert not perm.can_view_comment(SUSPENDED_MODERATOR, Post(status="removed"))


@dataclass(frozen=True)
class ShownPost:
    author_id: int = 1
    status: str = "published"
    tag_ids: tuple[int, ...] = (10,)
    edited_at: datetime | None = None


@dataclass(frozen=True)
class OpenThread:
    author_id: int = 2
    status: str = "published"
    tag_ids: tuple[int, ...] = (10,)
    is_locked: bool = False


EVERYONE = (None, ANONYMOUS, AUTHOR, OTHER, SUSPENDED_AUTHOR, MODERATOR, ADMIN,
            SIGNED_OUT_MODERATOR, SUSPENDED_MODERATOR, SCOPED_MODERATOR, SCOPED_ADMIN)  # fmt: skip
STATUSES = ("published", "pending_review", "removed", "deleted")


@pytest.mark.parametrize("actor", EVERYONE)
@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("edited", [False, True])
@pytest.mark.parametrize("promoted", [False, True])
def test_comment_actions_answer_as_each_predicate_does(actor, status, edited, promoted) -> None:
    """The thread page asks once per comment; the answer is the predicates' own, for the actor
    and for a snapshot of it."""
    post = ShownPost(status=status, edited_at=datetime(2026, 1, 1) if edited else None)
    thread = OpenThread()
    can_reply_here = perm.can_reply(actor, thread)
    expected = perm.CommentActions(
        reply=status == "published" and can_reply_here,
        promote=not promoted and perm.can_promote(actor, 2, post),
        flag=perm.can_flag(actor, post),
        edit=perm.can_edit_comment(actor, post),
        history=edited and status == "deleted" and perm.can_moderate(actor),
        remove=status in ("published", "pending_review") and perm.moderates(actor, post),
        restore=status == "removed" and perm.moderates(actor, post),
        delete=perm.can_delete_comment(actor, post),
    )
    for asker in (actor, perm.snapshot(actor)):
        got = perm.comment_actions(
            asker, post, thread_author_id=2, can_reply_here=can_reply_here, promoted=promoted
        )
        assert got == expected


def test_a_snapshot_keeps_what_the_predicates_read_and_nothing_for_readers() -> None:
    assert perm.snapshot(None) is None
    assert perm.snapshot(ANONYMOUS) is None
    assert perm.snapshot(SIGNED_OUT_MODERATOR) is None
    shot = perm.snapshot(SCOPED_MODERATOR)
    assert shot == perm.ActorSnapshot(5, True, True, False, False, frozenset({20}))
    assert perm.moderates(shot, Post(tag_ids=(20,))) and not perm.moderates(shot, Post())
