"""Full-text search over threads and published comments: SQLite FTS5 or PostgreSQL.

One use case, :func:`search`, in three steps whatever the database: rank one page of
matches (index-driven: FTS5 MATCH, or GIN on stored tsvector columns), count at most
COUNT_CAP + 1 of them, then load those rows and highlight their snippets. Ranking scores
only the newest RANK_CANDIDATES matches of each kind, so a common word costs the same as
a rare one; that is every result a reader can page to, so only the order within very
common queries leans towards recent posts. A first page with nothing on it may carry a
"Did you mean": the query with its unknown words corrected from the vocabulary
(forum.search.vocabulary), offered only if it finds something.

Held, removed and deleted comments are never indexed (SQLite: triggers keep only published
comments in ``search_index``; PostgreSQL: the comments index is partial on "published"), and
every query checks ``status = 'published'`` again, so a comment leaves results the moment its
status changes and comes back when approved. Threads have no status and are always listed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import selectinload

from forum.auth.service import find_user
from forum.extensions import db
from forum.models import Comment, Tag, Thread, User
from forum.search import vocabulary
from forum.search.rules import (
    COUNT_CAP,
    MAX_CORRECTED,
    MAX_PAGE,
    PAGE_SIZE,
    RANK_CANDIDATES,
    SNIPPET_SCAN_CHARS,
    SearchQuery,
    SnippetPiece,
    clamp_page,
    closest,
    correctable,
    highlight,
    mark_title,
    parse_query,
    suggestions,
)
from forum.tags.service import canonical, get_tag
from forum.transactions import custom_plans

# The text search configuration the search migrations built the stored vectors with:
# unaccent, then the Porter stemmer with no stop words (migration 76f653ef86c9), the algorithm
# SQLite's porter tokenizer runs, so both databases find the same things. Porter is English's,
# but on words of other languages it mostly cuts endings the same way in the query and in the
# posts, so they are still found. The vectors themselves are generated columns
# (``search_vector``: title weighted A and body D on threads, the body on comments).
PG_CONFIG = "'forum_search'::regconfig"
# ts_rank_cd normalisation 1: divide by 1 + log(length), so a passing mention in a long post
# ranks below a short post about the subject.
PG_RANK_NORMALIZATION = 1
# bm25 column weights (title, body): a word in a thread's title counts ten times one in a body.
SQLITE_WEIGHTS = "10.0, 1.0"


@dataclass(frozen=True)
class SearchHit:
    kind: str  # "thread" or "comment"
    thread: Thread
    comment: Comment | None
    snippet: list[SnippetPiece]
    # The thread's title with the query's words marked (they often are the match).
    title: list[SnippetPiece]

    @property
    def author(self) -> User:
        return self.comment.author if self.comment else self.thread.author

    @property
    def created_at(self) -> Any:
        return self.comment.created_at if self.comment else self.thread.created_at


@dataclass(frozen=True)
class SearchResults:
    query: SearchQuery
    hits: list[SearchHit]
    total: int  # at most COUNT_CAP; see total_is_capped
    total_is_capped: bool
    page: int
    next_page: int | None
    # Why there are no results when it isn't simply "nothing matched" (too short, no tag...).
    message: str | None = None
    tag: Tag | None = None
    author: User | None = None
    # A corrected query that finds something, when this one found nothing.
    did_you_mean: str | None = None


@dataclass(frozen=True)
class _Filters:
    tag_id: int | None = None
    author_id: int | None = None


def search(
    raw_query: str | None, *, tag: str = "", author: str = "", page: int = 1
) -> SearchResults:
    """One page of threads and published comments matching ``raw_query``, best first.

    ``tag`` (a slug; a merged tag's old slug works) and ``author`` (a username) narrow it.
    Nothing a person types can make this fail: an unusable query, an unknown tag or an
    unknown author give no results and a message saying what to change. Its selects are
    planned for their words (forum.transactions.custom_plans): one word matches no row,
    another most of them.
    """
    with custom_plans():
        return _search(raw_query, tag=tag, author=author, page=page)


def _search(raw_query: str | None, *, tag: str, author: str, page: int) -> SearchResults:
    query = parse_query(raw_query)
    page = clamp_page(page)
    empty = SearchResults(query, [], 0, False, page, None, query.message)
    if query.is_empty:
        return empty
    filters = _Filters()
    found_tag: Tag | None = None
    found_author: User | None = None
    if tag.strip():
        found_tag = get_tag(tag)
        if found_tag is None:
            message = (
                f"There is no tag “{tag.strip()[:40]}”. Check the Tags page, or search all tags."
            )
            return replace(empty, message=message)
        found_tag = canonical(found_tag)
        filters = _Filters(tag_id=found_tag.id)
    if author.strip():
        found_author = find_user(author)
        if found_author is None:
            message = (
                f"No one is called “{author.strip()[:30]}”. Check the name, or search everyone."
            )
            return replace(empty, message=message, tag=found_tag)
        filters = _Filters(tag_id=filters.tag_id, author_id=found_author.id)

    backend = _Postgres() if db.engine.dialect.name == "postgresql" else _Sqlite()
    offset = (page - 1) * PAGE_SIZE
    # One extra row says whether there is a next page without counting.
    ranked = backend.rank(query, filters, limit=PAGE_SIZE + 1, offset=offset)
    has_next = len(ranked) > PAGE_SIZE and page < MAX_PAGE
    ranked = ranked[:PAGE_SIZE]
    if page == 1 and len(ranked) < PAGE_SIZE:
        total = len(ranked)  # all of it is on this page: no count query needed
    else:
        total = backend.count(query, filters)
    hits = _load(ranked, query)
    did_you_mean = _did_you_mean(query, filters, backend) if not ranked and page == 1 else None
    return SearchResults(
        query=query,
        hits=hits,
        total=min(total, COUNT_CAP),
        total_is_capped=total > COUNT_CAP,
        page=page,
        next_page=page + 1 if has_next else None,
        tag=found_tag,
        author=found_author,
        did_you_mean=did_you_mean,
    )


def _did_you_mean(
    query: SearchQuery, filters: _Filters, backend: _Sqlite | _Postgres
) -> str | None:
    """The query with its unknown words corrected from the vocabulary, if that finds something
    with the same tag and author; else None.

    Bounded whatever was typed: one lookup of the query's words, a slice of the vocabulary
    for each of at most MAX_CORRECTED unknown words (vocabulary.neighbours), and at most
    SUGGESTION_CHECKS corrected queries, each counted only as far as its first match.
    """
    words = correctable(query)
    known = vocabulary.known(words.values())
    unknown = {i: word for i, word in words.items() if word not in known}
    if not unknown or len(unknown) > MAX_CORRECTED:
        return None
    corrections = {i: closest(word, vocabulary.neighbours(word)) for i, word in unknown.items()}
    for suggestion in suggestions(query, corrections):
        if backend.count(suggestion, filters, cap=1):
            return suggestion.text
    return None


# (kind, id): ("thread", threads.id) or ("comment", comments.id), best first.
Ranked = list[tuple[str, int]]


def _openings(ranked: Ranked) -> dict[tuple[str, int], str]:
    """The first SNIPPET_SCAN_CHARS of each hit's body: all that the highlighter reads, so a
    long body costs no more than a short one (and the rest never leaves the database)."""
    found: dict[tuple[str, int], str] = {}
    for kind, model in (("thread", Thread), ("comment", Comment)):
        ids = _ids(ranked, kind)
        if ids:
            rows = db.session.execute(
                select(model.id, func.substr(model.body_src, 1, SNIPPET_SCAN_CHARS)).where(
                    model.id.in_(ids)
                )
            )
            found.update({(kind, id_): opening or "" for id_, opening in rows})
    return found


def _load(ranked: Ranked, query: SearchQuery) -> list[SearchHit]:
    """The page's rows in three queries (tags loaded alongside), in ranked order, with their
    snippets highlighted in Python over each body's opening (see SNIPPET_SCAN_CHARS)."""
    snippets = _openings(ranked)
    thread_ids = [id_ for kind, id_ in ranked if kind == "thread"]
    comment_ids = [id_ for kind, id_ in ranked if kind == "comment"]
    threads = (
        {
            t.id: t
            for t in db.session.scalars(
                select(Thread).options(selectinload(Thread.tags)).where(Thread.id.in_(thread_ids))
            )
        }
        if thread_ids
        else {}
    )
    comments = (
        {
            c.id: c
            for c in db.session.scalars(
                select(Comment)
                .options(selectinload(Comment.thread).selectinload(Thread.tags))
                .where(Comment.id.in_(comment_ids))
            )
        }
        if comment_ids
        else {}
    )
    hits: list[SearchHit] = []
    for kind, id_ in ranked:
        pieces = highlight(snippets.get((kind, id_), ""), query)
        if kind == "thread" and id_ in threads:
            thread = threads[id_]
            hits.append(SearchHit("thread", thread, None, pieces, mark_title(thread.title, query)))
        elif kind == "comment" and id_ in comments:
            comment = comments[id_]
            title = mark_title(comment.thread.title, query)
            hits.append(SearchHit("comment", comment.thread, comment, pieces, title))
    return hits


# Threads anyone may find (forum.models.Thread.is_listed, in SQL): a held or removed thread
# and its comments are found by nobody until a moderator approves it.
LISTED_THREAD = "({t}.status = 'published' OR ({t}.status = 'deleted' AND {t}.comment_count > 0))"


def _ids(ranked: Ranked, kind: str) -> list[int]:
    return [id_ for k, id_ in ranked if k == kind]


class _Sqlite:
    """FTS5: threads are rowid -id, published comments rowid id (see the migration)."""

    def _from(self, filters: _Filters) -> str:
        sql = """
            FROM search_index AS s
            LEFT JOIN comments AS c ON c.id = s.rowid
            JOIN threads AS t ON t.id = CASE WHEN s.rowid < 0 THEN -s.rowid ELSE c.thread_id END
            WHERE search_index MATCH :match AND (s.rowid < 0 OR c.status = 'published')
              AND {listed}
        """.format(listed=LISTED_THREAD.format(t="t"))
        if filters.author_id is not None:
            sql += " AND coalesce(c.author_id, t.author_id) = :author_id"
        if filters.tag_id is not None:
            sql += " AND t.id IN (SELECT thread_id FROM thread_tags WHERE tag_id = :tag_id)"
        return sql

    def _params(self, query: SearchQuery, filters: _Filters) -> dict[str, Any]:
        return {"match": query.fts5, "author_id": filters.author_id, "tag_id": filters.tag_id}

    def _candidates(self, kind: str, filters: _Filters) -> str:
        """The newest matches of one kind with their scores. Ordering by rowid lets FTS5 walk
        its index in that order and stop, so bm25 runs for these rows only (a thread's
        rowid is -id: the newest thread has the lowest)."""
        newest = (
            "s.rowid < 0 ORDER BY s.rowid"
            if kind == "thread"
            else "s.rowid > 0 ORDER BY s.rowid DESC"
        )
        return (
            "SELECT * FROM (SELECT s.rowid AS rowid, "
            f"bm25(search_index, {SQLITE_WEIGHTS}) AS score, "
            f"coalesce(c.created_at, t.created_at) AS created {self._from(filters)} "
            f"AND {newest} LIMIT :candidates)"
        )

    def rank(self, query: SearchQuery, filters: _Filters, *, limit: int, offset: int) -> Ranked:
        sql = (
            f"SELECT rowid FROM ({self._candidates('thread', filters)} UNION ALL "
            f"{self._candidates('comment', filters)}) "
            "ORDER BY score, created DESC LIMIT :limit OFFSET :offset"
        )
        params = {
            **self._params(query, filters),
            "candidates": RANK_CANDIDATES,
            "limit": limit,
            "offset": offset,
        }
        rows = db.session.execute(text(sql), params).scalars()
        return [("thread", -rowid) if rowid < 0 else ("comment", rowid) for rowid in rows]

    def count(self, query: SearchQuery, filters: _Filters, *, cap: int = COUNT_CAP + 1) -> int:
        sql = f"SELECT count(*) FROM (SELECT 1 {self._from(filters)} LIMIT :cap)"
        params = {**self._params(query, filters), "cap": cap}
        return int(db.session.execute(text(sql), params).scalar_one())


class _Postgres:
    """GIN expression indexes; websearch_to_tsquery never fails on what it is given."""

    def _tsquery(self, query: SearchQuery) -> str:
        parts = []
        if query.whole_words:
            parts.append(f"websearch_to_tsquery({PG_CONFIG}, :words)")
        if query.prefix_tsquery:
            parts.append(f"to_tsquery({PG_CONFIG}, :prefix)")
        return "(" + " && ".join(parts) + ")"

    def _hits(self, query: SearchQuery, filters: _Filters, *, candidates: bool) -> str:
        """Matching threads and published comments; with ``candidates``, only the newest
        RANK_CANDIDATES of each, with their stored vectors for ranking."""
        q = self._tsquery(query)
        thread_where = [f"search_vector @@ {q}", LISTED_THREAD.format(t="threads")]
        comment_where = [
            "status = 'published'",
            f"search_vector @@ {q}",
            "EXISTS (SELECT 1 FROM threads AS t WHERE t.id = comments.thread_id AND "
            f"{LISTED_THREAD.format(t='t')})",
        ]
        if filters.author_id is not None:
            thread_where.append("author_id = :author_id")
            comment_where.append("author_id = :author_id")
        if filters.tag_id is not None:
            tagged = "IN (SELECT thread_id FROM thread_tags WHERE tag_id = :tag_id)"
            thread_where.append(f"id {tagged}")
            comment_where.append(f"thread_id {tagged}")
        newest = " ORDER BY id DESC LIMIT :candidates" if candidates else ""
        columns = "id, created_at, search_vector" if candidates else "id"
        # A union takes its column names from the first branch.
        return f"""
            (SELECT 'thread' AS kind, {columns} FROM threads
             WHERE {" AND ".join(thread_where)}{newest})
            UNION ALL
            (SELECT 'comment', {columns} FROM comments
             WHERE {" AND ".join(comment_where)}{newest})
        """

    def _params(self, query: SearchQuery, filters: _Filters) -> dict[str, Any]:
        return {
            "words": query.whole_words,
            "prefix": query.prefix_tsquery,
            "author_id": filters.author_id,
            "tag_id": filters.tag_id,
        }

    def rank(self, query: SearchQuery, filters: _Filters, *, limit: int, offset: int) -> Ranked:
        # The candidates' LIMIT keeps ts_rank_cd to their rows; the vectors are stored, so
        # ranking reads them instead of parsing each body again.
        sql = (
            f"SELECT kind, id FROM ({self._hits(query, filters, candidates=True)}) AS hits "
            f"ORDER BY ts_rank_cd(search_vector, {self._tsquery(query)}, "
            f"{PG_RANK_NORMALIZATION}) DESC, created_at DESC LIMIT :limit OFFSET :offset"
        )
        params = {
            **self._params(query, filters),
            "candidates": RANK_CANDIDATES,
            "limit": limit,
            "offset": offset,
        }
        return [(kind, id_) for kind, id_ in db.session.execute(text(sql), params)]

    def count(self, query: SearchQuery, filters: _Filters, *, cap: int = COUNT_CAP + 1) -> int:
        sql = (
            f"SELECT count(*) FROM (SELECT 1 FROM ({self._hits(query, filters, candidates=False)}) "
            "AS hits LIMIT :cap) AS capped"
        )
        params = {**self._params(query, filters), "cap": cap}
        return int(db.session.execute(text(sql), params).scalar_one())
