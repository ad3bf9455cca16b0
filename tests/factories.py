"""One factory per model, through the real services, with unique defaults."""

from __future__ import annotations

import itertools
from collections.abc import Iterable

from forum.auth import sessions
from forum.auth.service import register_user
from forum.extensions import db
from forum.models import Comment, Role, Thread, User
from forum.threads.service import create_thread, reply

PASSWORD = "correct horse battery"
_seq = itertools.count(1)


TEST_BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"


def sign_in_id(user: User, *, remember: bool = False) -> str:
    """What a signed-in browser's session holds for ``user``: a new server-side sign-in."""
    return sessions.start(
        user, remember=remember, user_agent="Mozilla/5.0 (X11; Linux) Firefox/140.0"
    )


def make_user(username: str | None = None, *, role: str = Role.MEMBER, email: str = "") -> User:
    return register_user(username or f"user{next(_seq)}", PASSWORD, email=email, role=role)


def make_moderator(username: str | None = None) -> User:
    return make_user(username or f"mod{next(_seq)}", role=Role.MODERATOR)


def make_admin(username: str | None = None) -> User:
    return make_user(username or f"boss{next(_seq)}", role=Role.ADMIN)


def make_thread(
    author: User | None = None,
    *,
    title: str | None = None,
    body: str = "An opening post about **funding** of survivor services.",
    tags: Iterable[str] = ("funding",),
) -> Thread:
    return create_thread(
        author=author or make_user(),
        title=title or f"Thread number {next(_seq)}",
        body=body,
        tags=list(tags),
    )


def make_comment(
    thread: Thread | None = None,
    *,
    author: User | None = None,
    parent: Comment | None = None,
    body: str | None = None,
) -> Comment:
    thread = thread or make_thread()
    return reply(
        thread=thread,
        author=author or make_user(),
        parent=parent,
        body=body or f"A response about the evidence, number {next(_seq)}.",
    )


def reload(obj: object) -> object:
    db.session.refresh(obj)
    return obj
