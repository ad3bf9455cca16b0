"""Search rules: turn what a person typed into a query that can't fail, and split snippets.

Pure: no Flask or SQLAlchemy imports. The user's text never reaches FTS5 or tsquery syntax
as written. It is reduced to words (runs of letters, digits and marks), each word is quoted,
and the words are ANDed; a trailing ``*`` asks for the last word as a prefix. So quotes,
``NEAR(``, ``-``, ``:``, parentheses and SQL metacharacters are just separators, and a query
of punctuation alone has no words and matches nothing.

Words are matched by their Porter stems on both databases ("funding", "funded" and "funds"
are one word to search), so the highlighter stems too. A query that finds nothing may get a
"Did you mean" built from the vocabulary of words posts have used; the choosing is here, the
reading in forum.search.vocabulary.
"""

from __future__ import annotations

import itertools
import os
import re
import threading
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import Stemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

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

# FTS5's porter tokenizer leaves words shorter or longer than these as they are.
STEM_MIN = 3
STEM_MAX = 64

# "Did you mean": the vocabulary keeps words of letters only, VOCABULARY_MIN to VOCABULARY_MAX
# long (forum.models.SearchWord; the longer ones are links and keyboard mashing).
VOCABULARY_MIN = 3
VOCABULARY_MAX = 40
# Shorter words have too many neighbours a letter away to guess which was meant.
CORRECT_MIN = 4
# A query with more unknown words than this was not a typo; it gets no suggestion.
MAX_CORRECTED = 3
# Words read on each side of a typed word, alphabetically, for each length a correction may
# have: the fixed amount of vocabulary one typed word costs, however large it grows.
NEIGHBOURS = 50
# Corrections kept for each word, and corrected queries tried (each one a capped count).
CORRECTIONS_PER_WORD = 3
SUGGESTION_CHECKS = 3


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
    with ``*``), folded and stemmed as the index keeps it: a prefix is the beginning of a stem,
    as FTS5 and to_tsquery's ``:*`` read it."""
    whole = {stem(term) for term in (query.terms[:-1] if query.prefix else query.terms)}
    prefix = stem(query.terms[-1]) if query.prefix else None

    def matches(word: str) -> bool:
        stemmed = stem(word)
        return stemmed in whole or (prefix is not None and stemmed.startswith(prefix))

    return matches


# PyStemmer's stemmers are not safe to share between threads: one each.
_stemmers = threading.local()


def stem(word: str) -> str:
    """``word`` folded and cut to its Porter stem, as both databases index it ("funding",
    "funded" and "funds" are all "fund"): FTS5's porter tokenizer and PostgreSQL's Snowball
    dictionary run the same algorithm as PyStemmer, Snowball's own C build of it."""
    folded = fold(word)
    if not STEM_MIN <= len(folded) <= STEM_MAX:
        return folded
    stemmer = getattr(_stemmers, "porter", None)
    if stemmer is None:
        stemmer = _stemmers.porter = Stemmer.Stemmer("porter")
    return str(stemmer.stemWord(folded))


def vocabulary_words(text: str) -> set[str]:
    """The words of ``text`` worth keeping as corrections: folded, letters only, and
    VOCABULARY_MIN to VOCABULARY_MAX long."""
    folded = (fold(word) for word in words(text))
    return {w for w in folded if VOCABULARY_MIN <= len(w) <= VOCABULARY_MAX and w.isalpha()}


def edit_budget(word: str) -> int:
    """How many edits away a correction of ``word`` may be: one, or two from six letters."""
    return 1 if len(word) < 6 else 2


def correctable(query: SearchQuery) -> dict[int, str]:
    """The query's words a correction may replace, folded, by position: whole words (a prefix
    is already a guess) of letters only, CORRECT_MIN to VOCABULARY_MAX long."""
    whole = query.terms[:-1] if query.prefix else query.terms
    folded = {i: fold(term) for i, term in enumerate(whole)}
    return {
        i: word
        for i, word in folded.items()
        if CORRECT_MIN <= len(word) <= VOCABULARY_MAX and word.isalpha()
    }


def closest(word: str, candidates: Sequence[str]) -> list[tuple[str, int]]:
    """Up to CORRECTIONS_PER_WORD of ``candidates`` within ``word``'s edit budget, with their
    edits, best first: fewest edits (two letters swapped count as one), then the longest
    beginning shared with ``word``, which is where typing goes right most often.

    RapidFuzz computes the distances in C, each stopping once past the budget, so comparing a
    page of neighbours costs well under a millisecond; difflib's ratio isn't an edit distance
    and is pure Python.
    """
    budget = edit_budget(word)
    found = process.extract(word, candidates, scorer=OSA.distance, score_cutoff=budget, limit=None)
    ranked = sorted(
        ((candidate, int(edits)) for candidate, edits, _ in found if candidate != word),
        key=lambda pair: (pair[1], -len(os.path.commonprefix([word, pair[0]])), pair[0]),
    )
    return ranked[:CORRECTIONS_PER_WORD]


def suggestions(
    query: SearchQuery, corrections: dict[int, list[tuple[str, int]]]
) -> list[SearchQuery]:
    """At most SUGGESTION_CHECKS queries with the words at ``corrections``' positions replaced
    by one of their corrections each, fewest edits in all first; none if a word has none."""
    positions = sorted(corrections)
    choices = sorted(
        itertools.product(*(corrections[i] for i in positions)),
        key=lambda choice: sum(edits for _, edits in choice),
    )
    found: list[SearchQuery] = []
    for choice in choices[:SUGGESTION_CHECKS]:
        terms = list(query.terms)
        for position, (word, _) in zip(positions, choice, strict=True):
            terms[position] = word
        text = " ".join(terms) + ("*" if query.prefix else "")
        found.append(SearchQuery(text=text, terms=tuple(terms), prefix=query.prefix))
    return found


def is_search_index_object(name: str | None) -> bool:
    """Schema objects the search migration owns and no model describes: the SQLite FTS5
    table with its shadow tables, and the PostgreSQL GIN indexes and stored vectors. For Alembic's
    ``include_name`` hook, so autogenerate and compare_metadata leave them alone."""
    if not name:
        return False
    if name in SEARCH_INDEXES or name in SEARCH_COLUMNS:
        return True
    return name == "search_index" or name.startswith("search_index_")
