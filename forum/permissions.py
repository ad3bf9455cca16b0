"""Who may do what: pure predicates shared by routes (403) and templates (hide the button).

They read a few attributes through Protocols, so they are tested without an app or a database.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol


class Actor(Protocol):
    id: int
    is_authenticated: bool

    @property
    def is_moderator(self) -> bool: ...

    @property
    def is_admin(self) -> bool: ...

    @property
    def is_suspended(self) -> bool: ...


class Authored(Protocol):
    author_id: int


class HasStatus(Authored, Protocol):
    status: str


def is_signed_in(actor: Actor | None) -> bool:
    return actor is not None and bool(actor.is_authenticated)


def can_moderate(actor: Actor | None) -> bool:
    return is_signed_in(actor) and bool(actor.is_moderator)  # type: ignore[union-attr]


def can_post(actor: Actor | None) -> bool:
    """Signed in and not suspended: suspended users can read but not post."""
    return is_signed_in(actor) and not actor.is_suspended  # type: ignore[union-attr]


def is_author(actor: Actor | None, item: Authored) -> bool:
    return is_signed_in(actor) and actor.id == item.author_id  # type: ignore[union-attr]


def can_view_comment(actor: Actor | None, comment: HasStatus) -> bool:
    """Published and deleted comments are public; held or removed ones only to their
    author and moderators."""
    return (
        comment.status in ("published", "deleted")
        or is_author(actor, comment)
        or can_moderate(actor)
    )


def can_edit_comment(actor: Actor | None, comment: HasStatus) -> bool:
    """Authors edit their own live comments; moderators edit any."""
    if can_moderate(actor):
        return comment.status != "deleted"
    return can_post(actor) and is_author(actor, comment) and comment.status != "deleted"


def can_delete_comment(actor: Actor | None, comment: HasStatus) -> bool:
    return comment.status != "deleted" and (is_author(actor, comment) or can_moderate(actor))


def can_edit_tag(actor: Actor | None) -> bool:
    return can_moderate(actor)


def can_manage_users(actor: Actor | None) -> bool:
    return is_signed_in(actor) and bool(actor.is_admin)  # type: ignore[union-attr]


def can_moderate_tags(
    actor: Actor | None, thread_tag_ids: Iterable[int], scope_tag_ids: Iterable[int]
) -> bool:
    """Moderators with no scope moderate everything; scoped ones only threads in their tags."""
    if not can_moderate(actor):
        return False
    scopes = set(scope_tag_ids)
    return actor.is_admin or not scopes or bool(scopes & set(thread_tag_ids))  # type: ignore[union-attr]


def can_flag(actor: Actor | None, comment: HasStatus) -> bool:
    """Anyone who may post, but the author, may flag a live comment; a suspended reader's
    flags would weigh on others' comments while they can't answer for their own."""
    return can_post(actor) and comment.status == "published" and not is_author(actor, comment)


def can_promote(actor: Actor | None, thread_author_id: int, comment: HasStatus) -> bool:
    """The thread's author or a moderator may give a published comment its own thread."""
    if comment.status != "published" or not can_post(actor):
        return False
    return can_moderate(actor) or actor.id == thread_author_id  # type: ignore[union-attr]


def can_undo_promotion(actor: Actor | None) -> bool:
    """Only moderators undo a promotion (within the window the service checks)."""
    return can_moderate(actor)


def can_hide_attribution(actor: Actor | None, asker_id: int) -> bool:
    """Only the person who asked decides whether the new thread names them."""
    return is_signed_in(actor) and actor.id == asker_id  # type: ignore[union-attr]
