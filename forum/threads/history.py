"""Edit histories: every version of a comment or of a thread's title, opening post and tags,
who made it and when, and what each edit changed as a word diff (as Discourse shows edits).

Revisions hold the text an edit replaced, with the edit's editor and time; the current text
lives on the post. Only the newest HISTORY_SHOWN edits are read, so a post edited thousands of
times costs what one edited twenty times does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.models import Comment, CommentRevision, Thread, ThreadRevision, User
from forum.threads.rules import DiffPiece, word_diff

HISTORY_SHOWN = 20


@dataclass(frozen=True)
class Version:
    """One version: who wrote it (the author first, then each editor) and what changed."""

    number: int
    editor: User
    at: datetime
    body: list[DiffPiece]
    title: list[DiffPiece] | None = None
    tags_removed: tuple[str, ...] = ()
    tags_added: tuple[str, ...] = ()


@dataclass(frozen=True)
class History:
    versions: list[Version]  # newest first
    total: int  # versions in all, the original included

    @property
    def hidden(self) -> int:
        """Older versions not shown."""
        return self.total - len(self.versions)


@dataclass(frozen=True)
class _State:
    title: str
    body: str
    tags: tuple[str, ...]


def _history(
    revisions: list[CommentRevision] | list[ThreadRevision],
    total_edits: int,
    states: list[_State],
    *,
    author: User,
    created_at: datetime,
) -> History:
    """Versions from ``states`` (the text before each loaded edit, then the current one)."""
    versions = []
    first = total_edits - len(revisions)  # edits older than the ones loaded
    if first == 0:
        original = states[0]
        versions.append(
            Version(
                1,
                author,
                created_at,
                [DiffPiece("same", original.body)],
                [DiffPiece("same", original.title)] if original.title else None,
            )
        )
    for i, revision in enumerate(revisions):
        before, after = states[i], states[i + 1]
        versions.append(
            Version(
                number=first + i + 2,
                editor=revision.editor or author,
                at=revision.created_at,
                body=word_diff(before.body, after.body),
                title=word_diff(before.title, after.title) if before.title else None,
                tags_removed=tuple(t for t in before.tags if t not in after.tags),
                tags_added=tuple(t for t in after.tags if t not in before.tags),
            )
        )
    versions.reverse()
    return History(versions=versions, total=total_edits + 1)


def comment_history(comment: Comment) -> History:
    revisions = list(
        db.session.scalars(
            select(CommentRevision)
            .options(selectinload(CommentRevision.editor))
            .where(CommentRevision.comment_id == comment.id)
            .order_by(CommentRevision.id.desc())
            .limit(HISTORY_SHOWN)
        )
    )[::-1]
    total = db.session.scalar(
        select(func.count(CommentRevision.id)).where(CommentRevision.comment_id == comment.id)
    )
    states = [_State("", r.body_src, ()) for r in revisions] + [_State("", comment.body_src, ())]
    return _history(
        revisions, total or 0, states, author=comment.author, created_at=comment.created_at
    )


def thread_history(thread: Thread) -> History:
    revisions = list(
        db.session.scalars(
            select(ThreadRevision)
            .options(selectinload(ThreadRevision.editor))
            .where(ThreadRevision.thread_id == thread.id)
            .order_by(ThreadRevision.id.desc())
            .limit(HISTORY_SHOWN)
        )
    )[::-1]
    total = db.session.scalar(
        select(func.count(ThreadRevision.id)).where(ThreadRevision.thread_id == thread.id)
    )
    states = [_State(r.title, r.body_src, tuple(r.tags)) for r in revisions]
    states.append(_State(thread.title, thread.body_src, tuple(t.slug for t in thread.tags)))
    return _history(
        revisions, total or 0, states, author=thread.author, created_at=thread.created_at
    )
