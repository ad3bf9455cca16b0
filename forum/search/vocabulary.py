"""The search vocabulary: the words posts have used, kept as they are written and read back,
a bounded slice at a time, for "Did you mean".

Kept by flush hooks rather than by the threads service, as the search index is kept by
triggers and generated columns: every way a thread or comment is written adds its words,
and the threads feature needs to know nothing about search. A word goes when an edit or a
deletion leaves no post that search finds it in, so the table keeps no copy of words that
are gone. The migration that made the table filled it from the posts already there.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import Connection, Select, delete, inspect, select, text, tuple_, union_all
from sqlalchemy import event as sa_event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from forum.extensions import db
from forum.models import Comment, SearchWord, Thread
from forum.search.rules import (
    NEIGHBOURS,
    VOCABULARY_MAX,
    VOCABULARY_MIN,
    edit_budget,
    vocabulary_words,
)

# What each model's search documents are written from.
_SEARCHED: dict[type, tuple[str, ...]] = {Thread: ("title", "body_src"), Comment: ("body_src",)}
# Where the words taken out in a flush wait for the flush to finish (session.info).
_FORGET = "search_vocabulary_forget"
# Keys per DELETE, well under SQLite's limit on bound values.
_DELETE_BATCH = 500


def known(words: Collection[str]) -> set[str]:
    """Which of ``words`` (folded) the vocabulary has: one lookup by primary key each."""
    if not words:
        return set()
    keys = [(len(word), word) for word in words]
    where = tuple_(SearchWord.length, SearchWord.word).in_(keys)
    return set(db.session.scalars(select(SearchWord.word).where(where)))


def neighbours(word: str) -> list[str]:
    """Words that might be what ``word`` (folded) meant to be: for each length a correction
    may have, the NEIGHBOURS words either side of it alphabetically.

    Each part reads a range of the primary key, (length, word), and stops after NEIGHBOURS
    rows, so one call reads at most ``2 * NEIGHBOURS * (2 * edit_budget + 1)`` rows however
    large the vocabulary grows. A typo in the first letters lands far from the word meant
    and is not found: the price of that bound.
    """
    budget = edit_budget(word)
    shortest = max(len(word) - budget, VOCABULARY_MIN)
    longest = min(len(word) + budget, VOCABULARY_MAX)
    parts: list[Select[Any]] = []
    for length in range(shortest, longest + 1):
        same_length = select(SearchWord.word).where(SearchWord.length == length)
        after = same_length.where(SearchWord.word >= word).order_by(SearchWord.word)
        before = same_length.where(SearchWord.word < word).order_by(SearchWord.word.desc())
        for side in (after, before):
            parts.append(select(side.limit(NEIGHBOURS).subquery().c.word))
    return list(db.session.scalars(union_all(*parts)))


def forget(texts: Iterable[str]) -> None:
    """Drop the words of ``texts`` that search no longer finds in any post. For removing a
    person's writing, which blanks their threads with bulk updates that the flush hooks
    below never see; those hooks do the same for posts edited, blanked or deleted one by one.
    """
    db.session.flush()
    found: set[str] = set()
    for text_ in texts:
        found |= vocabulary_words(text_)
    _drop_unfound(db.session.connection(), found)


def _drop_unfound(connection: Connection, words: set[str]) -> None:
    """Delete those of ``words`` that the search index no longer finds, stems and all (a word
    that differs only in its ending from one still posted stays), in one query to find them."""
    if not words:
        return
    ordered = sorted(words)  # the same lock order in every transaction (see _remember_words)
    if connection.dialect.name == "postgresql":
        # The configuration of forum.search.service.PG_CONFIG; published comments only, as
        # the SQLite index holds.
        query = "plainto_tsquery('forum_search'::regconfig, w)"
        sql = (
            "SELECT w FROM unnest(CAST(:words AS text[])) AS w WHERE NOT EXISTS "
            f"(SELECT 1 FROM threads WHERE search_vector @@ {query}) AND NOT EXISTS "
            "(SELECT 1 FROM comments WHERE status = 'published' "
            f"AND search_vector @@ {query})"
        )
        params: dict[str, Any] = {"words": ordered}
    else:
        # Vocabulary words are letters only, so quoting each one is all MATCH needs.
        sql = (
            "SELECT value FROM json_each(:words) WHERE NOT EXISTS "
            "(SELECT 1 FROM search_index WHERE search_index MATCH '\"' || value || '\"')"
        )
        params = {"words": json.dumps(ordered)}
    gone = list(connection.scalars(text(sql), params))
    for start in range(0, len(gone), _DELETE_BATCH):
        keys = [(len(word), word) for word in gone[start : start + _DELETE_BATCH]]
        connection.execute(
            delete(SearchWord).where(tuple_(SearchWord.length, SearchWord.word).in_(keys))
        )


def _words_of(obj: object, fields: tuple[str, ...]) -> set[str]:
    found: set[str] = set()
    for field in fields:
        found |= vocabulary_words(getattr(obj, field) or "")
    return found


@sa_event.listens_for(Session, "before_flush")
def _remember_words(session: Session, _flush_context: Any, _instances: Any) -> None:
    """Add the words of threads and comments written in this flush (new ones, edited titles
    and bodies, comments published again) to the vocabulary, in the same transaction; note
    the words that edits and deletions took out, for _forget_words after the flush."""
    added: set[str] = set()
    removed: set[str] = set()
    for obj in (*session.new, *session.dirty):
        fields = _SEARCHED.get(type(obj))
        if fields is None:
            continue
        if obj in session.new:
            added |= _words_of(obj, fields)
            continue
        attrs = inspect(obj).attrs
        for field in fields:
            history = attrs[field].history
            if history.has_changes():
                now = vocabulary_words(getattr(obj, field) or "")
                added |= now
                for old in history.deleted:
                    removed |= vocabulary_words(old or "") - now
        # A comment published again (approved, restored) may have lost its words meanwhile.
        if isinstance(obj, Comment) and attrs["status"].history.has_changes():
            added |= _words_of(obj, fields)
    for obj in session.deleted:
        fields = _SEARCHED.get(type(obj))
        if fields is not None:
            removed |= _words_of(obj, fields)
    if removed - added:
        session.info.setdefault(_FORGET, set()).update(removed - added)
    if not added:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # In order, so two transactions adding the same new words never wait on each other in a
    # circle; a word already there is left alone, without a lock on it.
    rows = [{"length": len(word), "word": word} for word in sorted(added)]
    session.execute(insert(SearchWord).on_conflict_do_nothing(), rows)


@sa_event.listens_for(Session, "after_flush")
def _forget_words(session: Session, _flush_context: Any) -> None:
    """Once the flush has updated the index, drop the words edits and deletions took out
    that no post has any more."""
    words = session.info.pop(_FORGET, None)
    if words:
        _drop_unfound(session.connection(), words)


@sa_event.listens_for(Session, "after_rollback")
def _forget_nothing(session: Session) -> None:
    session.info.pop(_FORGET, None)
