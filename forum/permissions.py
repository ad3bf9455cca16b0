"""Who may do what: pure predicates shared by routes (403) and templates (hide the button).

They read a few attributes through Protocols, so they are tested without an app or a database.
"""

from __future__ import annotations

from collections.abc import Collection, Container, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple, Protocol


class Actor(Protocol):
    id: int
    is_authenticated: bool

    @property
    def is_moderator(self) -> bool: ...

    @property
    def is_admin(self) -> bool: ...

    @property
    def is_suspended(self) -> bool: ...

    @property
    def scope_tag_ids(self) -> Collection[int]: ...


class Authored(Protocol):
    author_id: int


class HasStatus(Authored, Protocol):
    status: str


class Tagged(Protocol):
    """A thread, or a comment (which is moderated under its thread's tags)."""

    @property
    def tag_ids(self) -> Iterable[int]: ...


class TaggedPost(HasStatus, Tagged, Protocol): ...


class TaggedThread(Authored, Tagged, Protocol): ...


class ModeratedThread(HasStatus, Tagged, Protocol):
    """A thread as replying to it depends on: its opening post's status and its lock."""

    @property
    def is_locked(self) -> bool: ...


# Statuses everyone sees: deleted posts show as "[deleted]" so their replies keep a place.
PUBLIC_STATUSES = ("published", "deleted")


class HasId(Protocol):
    id: int


@dataclass(frozen=True, slots=True)
class ActorSnapshot:
    """An actor's facts read once. A page that asks the predicates about hundreds of items
    reads the account's role, scopes and suspension (which reads the clock) once, not per
    item; a snapshot answers them all the same."""

    id: int
    is_authenticated: bool
    is_moderator: bool
    is_admin: bool
    is_suspended: bool
    scope_tag_ids: frozenset[int]


def snapshot(actor: Actor | None) -> ActorSnapshot | None:
    """The actor's facts for one page; None for a reader who is not signed in."""
    if not is_signed_in(actor):
        return None
    moderator = bool(actor.is_moderator)  # type: ignore[union-attr]
    return ActorSnapshot(
        id=actor.id,  # type: ignore[union-attr]
        is_authenticated=True,
        is_moderator=moderator,
        is_admin=bool(actor.is_admin),  # type: ignore[union-attr]
        is_suspended=bool(actor.is_suspended),  # type: ignore[union-attr]
        # Only a moderator's scopes mean anything (and reading them may cost a query).
        scope_tag_ids=frozenset(actor.scope_tag_ids) if moderator else frozenset(),  # type: ignore[union-attr]
    )


def is_signed_in(actor: Actor | None) -> bool:
    return actor is not None and bool(actor.is_authenticated)


def can_moderate(actor: Actor | None) -> bool:
    """A moderator or admin whose account is not suspended: a suspension stops moderating too."""
    return (
        is_signed_in(actor)
        and bool(actor.is_moderator)  # type: ignore[union-attr]
        and not actor.is_suspended  # type: ignore[union-attr]
    )


def moderates(actor: Actor | None, item: Tagged) -> bool:
    """Moderator powers over this thread or comment: everywhere, unless an admin limited the
    moderator to some tags and the item has none of them. Tags are read only when scoped."""
    if not can_moderate(actor):
        return False
    scopes = actor.scope_tag_ids  # type: ignore[union-attr]
    if actor.is_admin or not scopes:  # type: ignore[union-attr]
        return True
    return can_moderate_tags(actor, item.tag_ids, scopes)


def can_edit_rule(
    actor: Actor | None, rule_tags: Iterable[str], scope: frozenset[str] | None
) -> bool:
    """Admins change any moderation rule; other moderators only rules limited to tags, and
    to their own tags (``scope``, by slug) when an admin limited them: a rule for the whole
    forum holds in every tag, so it is the admins' to change."""
    if not can_moderate(actor):
        return False
    if actor.is_admin:  # type: ignore[union-attr]
        return True
    tags = {t.casefold() for t in rule_tags}
    return bool(tags) and (scope is None or tags <= scope)


def can_post(actor: Actor | None) -> bool:
    """Signed in and not suspended: suspended users can read but not post."""
    return is_signed_in(actor) and not actor.is_suspended  # type: ignore[union-attr]


def is_author(actor: Actor | None, item: Authored) -> bool:
    return is_signed_in(actor) and actor.id == item.author_id  # type: ignore[union-attr]


def can_view_comment(actor: Actor | None, comment: HasStatus) -> bool:
    """Published and deleted comments are public; held or removed ones only to their
    author and moderators."""
    return comment.status in PUBLIC_STATUSES or is_author(actor, comment) or can_moderate(actor)


def can_view_thread(actor: Actor | None, thread: TaggedPost) -> bool:
    """A thread whose opening post is published or deleted is public; a held or removed one
    is shown to its author and to moderators of its tags only."""
    return thread.status in PUBLIC_STATUSES or is_author(actor, thread) or moderates(actor, thread)


def can_reply(actor: Actor | None, thread: ModeratedThread) -> bool:
    """Anyone who may post, in a public thread that is not locked; moderators of its tags
    may still answer in a locked one."""
    if not can_post(actor) or thread.status not in PUBLIC_STATUSES:
        return False
    return not thread.is_locked or moderates(actor, thread)


def can_edit_thread(actor: Actor | None, thread: TaggedPost) -> bool:
    """Authors edit their own thread's title, opening post and tags; moderators any in their
    tags. A deleted opening post stays deleted."""
    if thread.status == "deleted":
        return False
    return moderates(actor, thread) or (can_post(actor) and is_author(actor, thread))


def can_delete_thread(actor: Actor | None, thread: HasStatus) -> bool:
    """Authors blank their own opening post (even while suspended, as with comments);
    moderators remove a thread instead, with a reason."""
    return thread.status != "deleted" and is_author(actor, thread)


def can_see_history(actor: Actor | None, post: HasStatus) -> bool:
    """Edit histories are public for public posts; a deleted post's earlier text is kept
    for moderators only, a held or removed one's for its author and moderators."""
    if post.status == "deleted":
        return can_moderate(actor)
    return post.status == "published" or is_author(actor, post) or can_moderate(actor)


def can_edit_comment(actor: Actor | None, comment: TaggedPost) -> bool:
    """Authors edit their own live comments; moderators any in their tags."""
    if moderates(actor, comment):
        return comment.status != "deleted"
    return can_post(actor) and is_author(actor, comment) and comment.status != "deleted"


def can_delete_comment(actor: Actor | None, comment: TaggedPost) -> bool:
    """Authors delete their own (even while suspended: tidying up is not posting);
    moderators any in their tags."""
    return comment.status != "deleted" and (is_author(actor, comment) or moderates(actor, comment))


def can_retag(actor: Actor | None, thread: TaggedThread) -> bool:
    """The thread's author while they may post (a retag reaches the new tags' followers),
    or a moderator of its tags."""
    return moderates(actor, thread) or (can_post(actor) and is_author(actor, thread))


def can_edit_tag(actor: Actor | None, tag: HasId) -> bool:
    """Rename, describe or merge a tag: moderators whose scope includes it."""
    if not can_moderate(actor):
        return False
    return can_moderate_tags(actor, [tag.id], actor.scope_tag_ids)  # type: ignore[union-attr]


def can_manage_users(actor: Actor | None) -> bool:
    return can_moderate(actor) and bool(actor.is_admin)  # type: ignore[union-attr]


def can_edit_house_rules(actor: Actor | None) -> bool:
    """Only admins rewrite the house rules: every member is held to them."""
    return can_moderate(actor) and bool(actor.is_admin)  # type: ignore[union-attr]


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


def can_promote(actor: Actor | None, thread_author_id: int, comment: TaggedPost) -> bool:
    """The thread's author or a moderator of its tags may give a published comment its own
    thread."""
    if comment.status != "published" or not can_post(actor):
        return False
    return actor.id == thread_author_id or moderates(actor, comment)  # type: ignore[union-attr]


class ShownPost(TaggedPost, Protocol):
    """A comment as a thread page lists it."""

    @property
    def id(self) -> int: ...

    @property
    def edited_at(self) -> datetime | None: ...


class CommentActions(NamedTuple):
    """Which of a comment's action links one reader gets. A named tuple: it is part of the
    key of each comment's rendered HTML (forum.fragments), hashed and compared hundreds of
    times a page, which a tuple does in C."""

    reply: bool = False  # and quote
    promote: bool = False
    flag: bool = False
    edit: bool = False
    history: bool = False  # of a deleted comment's earlier text, for moderators
    remove: bool = False
    restore: bool = False
    delete: bool = False

    @property
    def posts_forms(self) -> bool:
        """Restore and delete are forms carrying the reader's CSRF token: HTML holding them
        is never shared with another reader, nor with another session of the same one."""
        return self.restore or self.delete


NO_ACTIONS = CommentActions()


def comment_actions(
    actor: Actor | None,
    comment: ShownPost,
    *,
    thread_author_id: int,
    can_reply_here: bool,
    promoted: bool,
) -> CommentActions:
    """Every action link of one comment for one reader, from the predicates above, in one
    call: a thread page asks this for each of its hundreds of comments. ``can_reply_here``
    is ``can_reply`` for the comment's thread; ``promoted``: it already has its own thread."""
    if not is_signed_in(actor):
        return NO_ACTIONS
    status = comment.status
    moderator = moderates(actor, comment)
    return CommentActions(
        reply=status == "published" and can_reply_here,
        promote=not promoted and can_promote(actor, thread_author_id, comment),
        flag=can_flag(actor, comment),
        edit=can_edit_comment(actor, comment),
        history=comment.edited_at is not None and status == "deleted" and can_moderate(actor),
        remove=moderator and status in ("published", "pending_review"),
        restore=moderator and status == "removed",
        delete=can_delete_comment(actor, comment),
    )


def page_comment_actions(
    actor: Actor | None,
    comments: Iterable[ShownPost],
    *,
    thread_author_id: int,
    can_reply_here: bool,
    promoted: Container[int],
) -> list[CommentActions]:
    """``comment_actions`` for each comment of one thread page (``promoted``: ids of those
    that have their own thread). The answers hang only on a comment's status, whether the
    reader wrote it, whether it was edited and promoted, and its tags (the thread's), so a
    page of hundreds asks the predicates a handful of times."""
    actor_id = actor.id if is_signed_in(actor) else None  # type: ignore[union-attr]
    known: dict[tuple[object, ...], CommentActions] = {}
    result = []
    for c in comments:
        is_promoted = c.id in promoted
        key = (c.status, c.author_id == actor_id, c.edited_at is None, is_promoted, c.tag_ids)
        can = known.get(key)
        if can is None:
            can = known[key] = comment_actions(
                actor,
                c,
                thread_author_id=thread_author_id,
                can_reply_here=can_reply_here,
                promoted=is_promoted,
            )
        result.append(can)
    return result


def can_undo_promotion(actor: Actor | None, thread: Tagged) -> bool:
    """Only moderators of the promoted thread's tags undo a promotion (within the window
    the service checks)."""
    return moderates(actor, thread)


def can_hide_attribution(actor: Actor | None, asker_id: int) -> bool:
    """Only the person who asked decides whether the new thread names them."""
    return is_signed_in(actor) and actor.id == asker_id  # type: ignore[union-attr]


def can_trace_promotion(
    actor: Actor | None, asker_id: int, thread: Tagged, *, attribution_hidden: bool
) -> bool:
    """Whether the links between a promoted question and its new thread show: for everyone,
    unless the asker chose to be quoted as "a reader"; then only for them and the moderators
    of ``thread``, since a link to the signed comment would name them anyway."""
    if not attribution_hidden:
        return True
    return can_hide_attribution(actor, asker_id) or moderates(actor, thread)
