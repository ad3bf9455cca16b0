"""Pure rules for threads and comments: limits, slugs, the comment tree's sort key, and
question detection and the body of a thread promoted from a question."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

TITLE_MAX = 200
THREAD_BODY_MAX = 50_000
COMMENT_MAX = 20_000
SLUG_MAX = 80
# Sub-addresses of a thread; a slug equal to one would shadow it (/threads/<id>/reply).
RESERVED_SLUGS = frozenset(
    {
        "reply",
        "comments",
        "edit",
        "delete",
        "feed-atom",
        "promote",
        "history",
        "flag",
        "appeal",
        "moderate",
    }
)
# Stored tree depth; replies below it become the deepest level's siblings, still "in reply to".
MAX_TREE_DEPTH = 32
PATH_SEGMENT = 6  # digits per level: up to 999,999 comments in a thread


def check_title(title: str) -> str | None:
    """The problem with a (cleaned) title, or None."""
    if not title:
        return "Give the thread a title."
    if len(title) > TITLE_MAX:
        return f"Keep the title to {TITLE_MAX} characters; it has {len(title)}."
    return None


def check_body(body: str, limit: int) -> str | None:
    """The problem with a post's length, or None (its markup: forum.text.markup_problem)."""
    if not body.strip():
        return "Write something first."
    if len(body) > limit:
        return f"Keep it to {limit:,} characters; it has {len(body):,}. Your text is kept below."
    return None


def slugify(title: str) -> str:
    """A readable URL slug for a title; the thread id stays the real address."""
    text = unicodedata.normalize("NFKD", title)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(slug) > SLUG_MAX:
        slug = slug[:SLUG_MAX].rsplit("-", 1)[0]
    if slug in RESERVED_SLUGS:
        slug += "-thread"
    return slug or "thread"


def comment_position(parent_path: str | None, parent_depth: int, number: int) -> tuple[str, int]:
    """(path, depth) of comment ``number`` replying to a parent (None for the post).

    Paths are fixed-width digit strings with no separator, so plain string order is the tree
    order under any database collation.
    """
    segment = f"{number:0{PATH_SEGMENT}d}"
    if parent_path is None:
        return segment, 0
    if parent_depth + 1 < MAX_TREE_DEPTH:
        return parent_path + segment, parent_depth + 1
    return parent_path[:-PATH_SEGMENT] + segment, parent_depth


def path_numbers(path: str) -> list[int]:
    """The comment numbers a tree path is made of, from the top-level comment down."""
    return [int(path[i : i + PATH_SEGMENT]) for i in range(0, len(path), PATH_SEGMENT)]


class Nesting(NamedTuple):
    """Where one comment of the displayed list sits among the collapsible reply groups (a
    named tuple: a thread page builds one per comment, and a tuple is built in C).

    ``replies``: how many of the following comments form its reply group (0: none opens);
    ``closes``: how many groups end right after it (and its group, when it opens one).
    """

    replies: int
    closes: int


def reply_groups(depths: Sequence[int]) -> list[Nesting]:
    """Nest a thread's displayed comments (tree order, display depths) into reply groups.

    A comment opens a group when the next comment is deeper: the following comments down to
    the next one at its depth or shallower. Depths may jump by more than one where a comment
    in between is hidden from this reader; the deeper ones still belong to the group of the
    comment shown above them, and siblings stay siblings.
    """
    open_groups: list[tuple[int, int]] = []  # (depth of the comment that opened it, its index)
    counts = [0] * len(depths)
    closes = [0] * len(depths)
    for i, depth in enumerate(depths):
        while open_groups and open_groups[-1][0] >= depth:
            open_groups.pop()
            closes[i - 1] += 1
        for _, opener in open_groups:
            counts[opener] += 1
        if i + 1 < len(depths) and depths[i + 1] > depth:
            open_groups.append((depth, i))
    if depths:
        closes[-1] += len(open_groups)
    return [Nesting(n, c) for n, c in zip(counts, closes, strict=True)]


def quote_markdown(author: str, number: int, body: str) -> str:
    """A Markdown block quoting a comment with attribution, to start a reply with."""
    quoted = "\n".join(f"> {line}" if line.strip() else ">" for line in body.strip().splitlines())
    return f"In response to {author} (#{number}):\n\n{quoted}\n\n"


# Shown in place of a quote whose author deleted their account and took their words with them.
QUOTE_REMOVED = "[removed by its author]"
# A quote shorter than this many words can't be told from a common phrase, so it stays.
QUOTE_MIN_WORDS = 3
_QUOTE_HEADER_RE = re.compile(r"^In response to (?P<name>.+) \(#(?P<number>\d+)\):\s*$")
_WORDS_RE = re.compile(r"\w+")


def _words(text: str) -> str:
    """Text as its words only, so a quote matches its source whatever the Markdown around."""
    return " " + " ".join(_WORDS_RE.findall(text.casefold())) + " "


def is_quoted_from(text: str, sources: Sequence[str]) -> bool:
    """Whether ``text`` (at least ``QUOTE_MIN_WORDS`` words) occurs, word for word, in one of
    ``sources``: a quote, or a title taken from a comment."""
    words = _words(text)
    if words.count(" ") - 1 < QUOTE_MIN_WORDS:
        return False
    return any(words in _words(source) for source in sources)


def unquote(body: str, sources: Sequence[str], *, author: str, numbers: Iterable[int],
            placeholder_name: str) -> str:  # fmt: skip
    """``body`` with every quote of ``sources`` (what ``author`` wrote in this thread, as
    comments numbered ``numbers``) replaced by ``QUOTE_REMOVED``, and "In response to
    <author> (#N):" headers naming ``placeholder_name``. A quote counts when it follows such a
    header or when its words (at least ``QUOTE_MIN_WORDS``) occur in one of the sources."""
    said = [_words(s) for s in sources if s.strip()]
    numbered = {str(n) for n in numbers}
    lines, out = body.splitlines(), list[str]()
    header_at: int | None = None  # index in ``out`` of a header about the author
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.lstrip().startswith(">"):
            header = _QUOTE_HEADER_RE.match(line.strip())
            if header and (header["name"] == author or header["number"] in numbered):
                header_at = len(out)
            elif line.strip():
                header_at = None
            out.append(line)
            i += 1
            continue
        end = i
        while end < len(lines) and lines[end].lstrip().startswith(">"):
            end += 1
        quoted = _words(" ".join(part.lstrip().lstrip(">") for part in lines[i:end]))
        enough = quoted.count(" ") - 1 >= QUOTE_MIN_WORDS
        if header_at is not None or (enough and any(quoted in source for source in said)):
            out.append(f"> {QUOTE_REMOVED}")
            if header_at is not None:
                out[header_at] = _QUOTE_HEADER_RE.sub(
                    lambda m: m[0].replace(m["name"], placeholder_name, 1), out[header_at].strip()
                )
        else:
            out.extend(lines[i:end])
        header_at = None
        i = end
    result = "\n".join(out)
    return result + "\n" if body.endswith("\n") and result else result


# --------------------------------------------------------------------------- questions
#
# A comment "asks a question" when its author's own words do: lines quoted with ">", text in
# quotation marks, code and link addresses are blanked out first (same length, so spans from
# the moderation rules still line up), and sentences the rules flagged as attacks don't count,
# nor do rhetorical forms ("..., right?", "Are you serious?") that ask nothing.

# Fewer words than this ends in "?" but is a reaction ("Really?", "Says who?"), not a question.
QUESTION_MIN_WORDS = 4
_FENCE_RE = re.compile(r"^\s*(```|~~~)")
_QUOTE_LINE_RE = re.compile(r"^\s{0,3}>")
_MASKED_RE = re.compile(
    r"`[^`\n]*`"  # inline code
    r"|https?://\S+|www\.\S+"  # bare links carry "?" in their query strings
    r'|"[^"\n]*"|“[^”\n]*”|„[^“”\n]*[“”]|«[^»\n]*»'  # quoted words are someone else's
)
# A sentence ends at . ! ? (and closing quotes, brackets, emphasis) before a space, or at a newline.
_SENTENCE_RE = re.compile(r"[^\n]+?(?:[.!?]+[\"'”’)\]*_]*(?=\s|$)|(?=\n)|$)")
_INDIRECT_RE = re.compile(
    r"\b(?:i\s+wonder(?:ed)?\s+(?:if|whether|how|what|why|who|where|when)"
    r"|i(?:'d|’d|\s+would)\s+(?:still\s+)?(?:like|love)\s+to\s+(?:know|understand|hear)"
    r"|(?:does|do)\s+anyone\s+know"
    r"|can\s+(?:someone|anyone|somebody)\s+(?:explain|tell\s+me|point\s+me)"
    r"|i(?:'m|’m|\s+am)\s+(?:curious|not\s+sure)\s+(?:about\s+)?(?:if|whether|how|what|why|who|where))",
    re.IGNORECASE,
)
_TAG_QUESTION_RE = re.compile(
    r",\s*(?:right|no|eh|huh|ok|okay|yes"
    r"|(?:isn['’]t|aren['’]t|don['’]t|doesn['’]t|didn['’]t|wasn['’]t|weren['’]t|won['’]t"
    r"|wouldn['’]t|can['’]t|couldn['’]t|shouldn['’]t|haven['’]t|hasn['’]t)\s+\w+)\s*\?$",
    re.IGNORECASE,
)
_RHETORICAL_RE = re.compile(
    r"^(?:isn['’]t\s+it\s+(?:obvious|clear|funny|telling|convenient|interesting)"
    r"|who\s+(?:do\s+you\s+think|are\s+you\s+to|cares)"
    r"|how\s+dare"
    r"|what(?:['’]s|\s+is)\s+wrong\s+with"
    r"|are\s+you\s+(?:serious|kidding|joking|for\s+real)"
    r"|do\s+you\s+(?:even|actually|really)\s+(?:read|think|know|care|believe|understand)"
    r"|have\s+you\s+(?:even|actually|ever\s+even)\s+read"
    r"|did\s+you\s+(?:even|actually)\s+read"
    r"|why\s+bother"
    r"|since\s+when"
    r"|what\s+did\s+(?:you|anyone)\s+expect"
    r"|how\s+(?:can|could)\s+(?:anyone|you)\s+(?:possibly\s+|seriously\s+)?(?:believe|defend|justify|think))\b",
    re.IGNORECASE,
)
_EMPHASIS_RE = re.compile(r"(\*{1,3}|_{1,3})(\S(?:.*?\S)?)\1")
_LEADING_MARK_RE = re.compile(r"^\s*(?:[-*+]\s+|\d+[.)]\s+|#{1,6}\s+)")


def _own_words(text: str) -> str:
    """``text`` with everything that isn't the author's own prose blanked to spaces."""
    lines = []
    in_fence = False
    for line in text.split("\n"):
        if _FENCE_RE.match(line):
            in_fence = not in_fence
            lines.append(" " * len(line))
        elif in_fence or _QUOTE_LINE_RE.match(line) or line.startswith("    "):
            lines.append(" " * len(line))
        else:
            lines.append(line)
    masked = "\n".join(lines)
    return _MASKED_RE.sub(lambda m: " " * len(m.group()), masked)


def _clean_sentence(sentence: str) -> str:
    sentence = _LEADING_MARK_RE.sub("", sentence)
    sentence = _EMPHASIS_RE.sub(r"\2", sentence)
    return " ".join(sentence.split()).strip(" *_")


def _is_asking(sentence: str) -> bool:
    """One cleaned sentence of the author's own words: does it ask something?"""
    if sentence.endswith("?"):
        if len(re.findall(r"[\w'’-]+", sentence)) < QUESTION_MIN_WORDS:
            return False
        return not (_TAG_QUESTION_RE.search(sentence) or _RHETORICAL_RE.match(sentence))
    return _INDIRECT_RE.search(sentence) is not None


def _question_sentences(text: str, flagged_spans: Iterable[tuple[int, int]]) -> Iterator[str]:
    own = _own_words(text)
    spans = list(flagged_spans)
    for m in _SENTENCE_RE.finditer(own):
        start, end = m.start(), m.end()
        # An attack phrased as a question is still an attack: the rules saw it, we skip it.
        if any(s < end and start < e for s, e in spans):
            continue
        sentence = _clean_sentence(text[start:end] if own[start:end].strip() else "")
        if sentence and _is_asking(_clean_sentence(own[start:end])):
            yield sentence


def looks_like_question(text: str, *, flagged_spans: Iterable[tuple[int, int]] = ()) -> bool:
    """Does the author ask a real question in their own words?

    ``flagged_spans`` are (start, end) offsets in ``text`` that the moderation rules matched;
    a sentence touching one is an attack, not a question, whatever its punctuation.
    """
    return next(_question_sentences(text, flagged_spans), None) is not None


def question_sentence(text: str, *, flagged_spans: Iterable[tuple[int, int]] = ()) -> str | None:
    """The first question the author asks, as plain text fit for a thread title, or None."""
    sentence = next(_question_sentences(text, flagged_spans), None)
    if sentence is None:
        return None
    if len(sentence) > TITLE_MAX:
        sentence = sentence[: TITLE_MAX - 1].rsplit(" ", 1)[0].rstrip(",;: ") + "…"
    return sentence


# --------------------------------------------------------------------------- promotion

READER_LABEL = "a reader"


def _escape_name(name: str) -> str:
    """A username as literal Markdown text: usernames may contain "_" and "."."""
    return re.sub(r"([\\`*_\[\]<>#])", r"\\\1", name)


def compose_promoted_body(*, asker: str, said_at: str, quote: str, intro: str) -> str:
    """The new thread's Markdown: the question quoted under its attribution, then the intro.

    ``asker`` is a name or ``READER_LABEL``; ``said_at`` is an exact time such as
    "22 Nov 2026 at 14:05 UTC", as the blogs this forum follows headed a quoted comment.
    """
    quoted = "\n".join(f"> {line}" if line.strip() else ">" for line in quote.strip().splitlines())
    head = f"{_escape_name(asker)}, on {said_at}, said:"
    body = f"{head}\n\n{quoted}\n"
    if intro.strip():
        body += f"\n{intro.strip()}\n"
    return body


def within_undo_window(created_at: datetime, now: datetime, hours: float) -> bool:
    return now - created_at <= timedelta(hours=hours)


# --- Keyset pages of thread listings ----------------------------------------------------------
# Home and tag pages walk threads by (last_activity_at, id) from a cursor instead of an
# OFFSET, so the thousandth page costs what the first does and no page needs a COUNT.
_CURSOR_RE = re.compile(r"([0-9]{1,17})-([0-9]{1,18})")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
BAD_CURSOR = "That page link is broken. Start again from the first page."


def format_cursor(at: datetime, thread_id: int) -> str:
    """A listing position for a URL: microseconds since the epoch, then the thread id."""
    micros = (at - _EPOCH) // timedelta(microseconds=1)
    return f"{micros}-{thread_id}"


def parse_cursor(raw: str) -> tuple[datetime, int]:
    """The (time, id) of a cursor made by :func:`format_cursor`; ValueError otherwise."""
    match = _CURSOR_RE.fullmatch(raw)
    if match is None:
        raise ValueError(BAD_CURSOR)
    at = _EPOCH + timedelta(microseconds=int(match[1]))
    return at, int(match[2])


# --- edit history ------------------------------------------------------------------------------

# Tokens of the changed middle of two texts compared word by word; past it the middle shows as
# one deletion and one insertion, so a huge edit costs a bounded amount of matching.
DIFF_MAX_TOKENS = 5_000
_TOKEN_RE = re.compile(r"\w+|\s+|[^\w\s]+")


@dataclass(frozen=True)
class DiffPiece:
    """A run of text that an edit kept ("same"), removed ("del") or added ("ins")."""

    op: str
    text: str


def word_diff(old: str, new: str) -> list[DiffPiece]:
    """What an edit changed, word by word, as an inline diff (Discourse shows edits so)."""
    a, b = _TOKEN_RE.findall(old), _TOKEN_RE.findall(new)
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end = 0
    while end < min(len(a), len(b)) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    mid_a, mid_b = a[start : len(a) - end], b[start : len(b) - end]
    pieces = [DiffPiece("same", "".join(a[:start]))]
    if len(mid_a) > DIFF_MAX_TOKENS or len(mid_b) > DIFF_MAX_TOKENS:
        pieces += [DiffPiece("del", "".join(mid_a)), DiffPiece("ins", "".join(mid_b))]
    else:
        matcher = difflib.SequenceMatcher(None, mid_a, mid_b)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                pieces.append(DiffPiece("same", "".join(mid_a[i1:i2])))
                continue
            pieces.append(DiffPiece("del", "".join(mid_a[i1:i2])))
            pieces.append(DiffPiece("ins", "".join(mid_b[j1:j2])))
    pieces.append(DiffPiece("same", "".join(a[len(a) - end :])))
    merged: list[DiffPiece] = []
    for piece in pieces:
        if not piece.text:
            continue
        if merged and merged[-1].op == piece.op:
            merged[-1] = DiffPiece(piece.op, merged[-1].text + piece.text)
        else:
            merged.append(piece)
    return merged
