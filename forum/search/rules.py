"""Search rules: turn what a person typed into a query that can't fail, and split snippets.

Pure: no Flask or SQLAlchemy imports. The user's text never reaches FTS5 or tsquery syntax
as written. It is reduced to words (runs of letters, digits and marks), each word is quoted,
and the words are ANDed; a trailing ``*`` asks for the last word as a prefix. So quotes,
``NEAR(``, ``-``, ``:``, parentheses and SQL metacharacters are just separators, and a query
of punctuation alone has no words and matches nothing.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

QUERY_MIN = 2
QUERY_MAX = 200
# More words than this adds cost and no precision.
MAX_TERMS = 16
PAGE_SIZE = 20
# No unbounded OFFSET: past this many pages, refine the query instead.
MAX_PAGE = 50
# Counting every match of a common word is the slow part of a search; beyond this, "1,000+".
COUNT_CAP = 1000
# Snippet markers: control characters that clean_text/clean_line strip from everything
# stored, so they can only come from the database's highlighter.
MARK_START = "\x02"
MARK_END = "\x03"

# Ranking every match of a common word is the other slow part; only the newest this many
# matches of each kind (threads, comments) are ranked, which is every match a reader can page
# to (MAX_PAGE pages of PAGE_SIZE), so only a query with more matches than that is affected.
RANK_CANDIDATES = MAX_PAGE * PAGE_SIZE

# The PostgreSQL GIN indexes and the stored tsvector columns they index (search migrations).
SEARCH_INDEXES = frozenset({"ix_threads_search", "ix_comments_search"})
SEARCH_COLUMNS = frozenset({"search_vector"})

# Snippets are highlighted here, in Python, over at most this much of each document: the
# databases' own highlighters (FTS5 snippet(), ts_headline) read the whole text and slow down
# with the square of the matches in it, so a post of one word repeated could stall a worker.
SNIPPET_SCAN_CHARS = 4000
# Words shown in a snippet, and how many of them come before the first match.
SNIPPET_WORDS = 24
SNIPPET_WORDS_BEFORE = 6
ELLIPSIS = "…"

TOO_SHORT = f"Type at least {QUERY_MIN} characters to search."
SHORT_WORDS = (
    f"Search for a word of at least {QUERY_MIN} letters or digits: quotes, *, - and other "
    "punctuation don't count."
)
NO_WORDS = "Search for words or numbers: punctuation on its own matches nothing."


@dataclass(frozen=True)
class SearchQuery:
    """A normalised query. ``text`` is what to echo back in the search box."""

    text: str
    terms: tuple[str, ...]
    prefix: bool = False
    message: str | None = None

    @property
    def is_empty(self) -> bool:
        return not self.terms

    @property
    def fts5(self) -> str:
        """FTS5 MATCH text: quoted words, implicitly ANDed; ``"word"*`` for a prefix."""
        query = " ".join(f'"{term}"' for term in self.terms)
        return query + "*" if self.prefix else query

    @property
    def whole_words(self) -> str:
        """websearch_to_tsquery text for every word matched whole: each one quoted, so a
        word like "or" stays a word and never becomes an operator."""
        words = self.terms[:-1] if self.prefix else self.terms
        return " ".join(f'"{term}"' for term in words)

    @property
    def prefix_tsquery(self) -> str | None:
        """to_tsquery text for the prefix word (letters and digits only, so always valid)."""
        return f"'{self.terms[-1]}':*" if self.prefix else None


@dataclass(frozen=True)
class SnippetPiece:
    """A run of snippet text; ``match`` is true where the query matched."""

    text: str
    match: bool


def _is_word_char(ch: str) -> bool:
    # Letters, numbers and combining marks; private use too, as FTS5's unicode61 does.
    category = unicodedata.category(ch)
    return category[0] in "LNM" or category == "Co"


def _visible(text: str) -> str:
    """NFC, without control, format (zero-width, bidi) or surrogate characters."""
    text = unicodedata.normalize("NFC", text)
    kept = "".join(
        ch for ch in text if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cf", "Cs")
    )
    return " ".join(unicodedata.normalize("NFC", kept).split())


def words(text: str) -> list[str]:
    """The words of ``text``, split where the search tokenizers split (roughly)."""
    found: list[str] = []
    current: list[str] = []
    for ch in text:
        if _is_word_char(ch):
            current.append(ch)
        elif current:
            found.append("".join(current))
            current = []
    if current:
        found.append("".join(current))
    return found


def parse_query(raw: str | None) -> SearchQuery:
    """Normalise a typed query; an unusable one has no terms and a message saying why."""
    text = _visible(raw or "")[:QUERY_MAX].strip()
    if len(text) < QUERY_MIN:
        return SearchQuery(text=text, terms=(), message=TOO_SHORT)
    terms = tuple(words(text)[:MAX_TERMS])
    if not terms:
        return SearchQuery(text=text, terms=(), message=NO_WORDS)
    # Checked on the words, after the syntax is gone: `a*`, `"a"` and `-a` are one letter.
    if max(len(term) for term in terms) < QUERY_MIN:
        return SearchQuery(text=text, terms=(), message=SHORT_WORDS)
    # "decrim*" asks for the prefix; a one-letter prefix would match half the index.
    prefix = text.endswith("*") and _is_word_char(text[-2]) and len(terms[-1]) >= QUERY_MIN
    return SearchQuery(text=text, terms=terms, prefix=prefix)


def clamp_page(page: int) -> int:
    """Pages run from 1 to MAX_PAGE; anything else is brought inside."""
    return min(max(page, 1), MAX_PAGE)


def split_snippet(marked: str) -> list[SnippetPiece]:
    """Split highlighter output with MARK_START/MARK_END into pieces, whitespace collapsed.

    Markers that don't pair up (text stored before control characters were stripped) can't
    break anything: every piece is plain text, and any stray marker is dropped.
    """
    pieces: list[SnippetPiece] = []
    match = False
    buffer: list[str] = []

    def flush() -> None:
        text = "".join(buffer)
        buffer.clear()
        if not text:
            return
        if pieces and pieces[-1].match == match:
            pieces[-1] = SnippetPiece(pieces[-1].text + text, match)
        else:
            pieces.append(SnippetPiece(text, match))

    for ch in " ".join(marked.split()):
        if ch in (MARK_START, MARK_END):
            flush()
            match = ch == MARK_START
        elif unicodedata.category(ch) not in ("Cc", "Cs"):
            buffer.append(ch)
    flush()
    return pieces


_TOKEN = re.compile(r"[^\W_]+")


def fold(word: str) -> str:
    """Case and accents folded, as both databases' search configurations fold them."""
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def highlight(document: str, query: SearchQuery) -> list[SnippetPiece]:
    """A snippet of ``document`` around the first word matching ``query``, matches marked.

    Reads at most SNIPPET_SCAN_CHARS characters and marks at most SNIPPET_WORDS words, so its
    cost has a fixed bound whatever the document holds; a match further in than that leaves a
    snippet of the opening words, unmarked.
    """
    window = document[:SNIPPET_SCAN_CHARS]
    matches = _matcher(query)
    tokens = list(_TOKEN.finditer(window))
    first = next((i for i, token in enumerate(tokens) if matches(token.group())), 0)
    start = max(first - SNIPPET_WORDS_BEFORE, 0)
    shown = tokens[start : start + SNIPPET_WORDS]
    if not shown:
        return []
    begin, end = shown[0].start(), shown[-1].end()
    marked = _marked(window, shown, matches, begin, end)
    opening = ELLIPSIS if begin > 0 else ""
    closing = ELLIPSIS if end < len(document) else ""
    return split_snippet(opening + marked + closing)


def mark_title(title: str, query: SearchQuery) -> list[SnippetPiece]:
    """The whole title (at most 200 characters), with the words the query matched marked."""
    tokens = list(_TOKEN.finditer(title))
    return split_snippet(_marked(title, tokens, _matcher(query), 0, len(title)))


def _marked(
    text: str, tokens: Sequence[re.Match[str]], matches: Callable[[str], bool], begin: int, end: int
) -> str:
    """``text[begin:end]`` with each of ``tokens`` that ``matches`` between the mark signs."""
    marked: list[str] = []
    cursor = begin
    for token in tokens:
        if matches(token.group()):
            marked += [text[cursor : token.start()], MARK_START, token.group(), MARK_END]
            cursor = token.end()
    marked.append(text[cursor:end])
    return "".join(marked)


def _matcher(query: SearchQuery) -> Callable[[str], bool]:
    """Whether a word of a document is one the query asked for (the last one as a prefix,
    with ``*``), folded as the index folds it."""
    whole = {fold(term) for term in (query.terms[:-1] if query.prefix else query.terms)}
    prefix = fold(query.terms[-1]) if query.prefix else None

    def matches(word: str) -> bool:
        folded = fold(word)
        return folded in whole or (prefix is not None and folded.startswith(prefix))

    return matches


def is_search_index_object(name: str | None) -> bool:
    """Schema objects the search migration owns and no model describes: the SQLite FTS5
    table with its shadow tables, and the PostgreSQL GIN indexes and stored vectors. For Alembic's
    ``include_name`` hook, so autogenerate and compare_metadata leave them alone."""
    if not name:
        return False
    if name in SEARCH_INDEXES or name in SEARCH_COLUMNS:
        return True
    return name == "search_index" or name.startswith("search_index_")
