"""One factory per model, through the real services, with unique defaults."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from datetime import timedelta

from sqlalchemy import insert, update

from forum.auth import sessions
from forum.auth.service import register_user
from forum.cache import bump_thread
from forum.extensions import db
from forum.models import Comment, CommentStatus, Role, Thread, User
from forum.models.base import utcnow
from forum.text import render_markdown
from forum.threads.rules import comment_position
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


def append_comments(thread: Thread, plan: Sequence[tuple[User, Comment | None]]) -> None:
    """One published comment per (author, parent) in ``plan``, appended in one statement,
    each row as reply() stores it: the next number, its place in the tree, the rendered body,
    and the thread's counters and activity time. For tests that need a long thread rather
    than many posts: reply() screens, notifies and commits each one (15-40 ms apiece)."""
    now = utcnow()
    rows = []
    for offset, (author, parent) in enumerate(plan, start=1):
        number = thread.comment_seq + offset
        path, depth = comment_position(
            parent.path if parent else None, parent.depth if parent else 0, number
        )
        body = f"A response about the evidence, number {next(_seq)}."
        rows.append(
            {
                "thread_id": thread.id,
                "author_id": author.id,
                "parent_id": parent.id if parent else None,
                "number": number,
                "path": path,
                "depth": depth,
                "body_src": body,
                "body_html": render_markdown(body),
                "status": CommentStatus.PUBLISHED,
                "created_at": now + timedelta(microseconds=offset),  # in posting order
            }
        )
    db.session.execute(insert(Comment), rows)
    db.session.execute(
        update(Thread)
        .where(Thread.id == thread.id)
        .values(
            comment_seq=Thread.comment_seq + len(rows),
            comment_count=Thread.comment_count + len(rows),
            last_activity_at=rows[-1]["created_at"],
        )
    )
    db.session.commit()
    bump_thread(thread.id)
    db.session.refresh(thread)


def reload(obj: object) -> object:
    db.session.refresh(obj)
    return obj
