"""User text in, safe text out: the one seam over Markdown and bleach.

Everything users write passes through here before it reaches a page, a feed or a mail:
comment bodies through :func:`render_markdown`, one-line fields (titles, usernames) through
:func:`clean_line`, listings through :func:`plain_text` and :func:`excerpt`. Bleach is in
maintenance mode, so no other module may import it; swapping it out must touch only this file.

Pure: no Flask or SQLAlchemy imports.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterator, Sequence
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any

import bleach
from bleach.html5lib_shim import Filter
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_PROTOCOLS",
    "ALLOWED_TAGS",
    "LINK_REL",
    "clean_line",
    "excerpt",
    "markup_problem",
    "plain_text",
    "render_markdown",
    "sanitize_html",
]

ALLOWED_TAGS: frozenset[str] = frozenset(
    {
        "a",
        "abbr",
        "blockquote",
        "br",
        "code",
        "del",
        "em",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "li",
        "ol",
        "p",
        "pre",
        "s",
        "strong",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "title", "rel"}),
    "abbr": frozenset({"title"}),
    "ol": frozenset({"start"}),
    # Only "language-xyz" classes survive (see _allow_attribute): enough for a highlighter,
    # not enough to borrow the site's own CSS classes and dress a comment up as UI.
    "code": frozenset({"class"}),
}
ALLOWED_PROTOCOLS: frozenset[str] = frozenset({"http", "https", "mailto"})
# nofollow/ugc: tell search engines we don't vouch for user links (and take the spam value out
# of posting them). noopener: a user link can never script the forum tab through window.opener.
LINK_REL = "nofollow ugc noopener"

_CODE_CLASS_RE = re.compile(r"language-[A-Za-z0-9_+#.-]{1,40}")
# A scheme as browsers and bleach see it, once whitespace and control characters are removed.
_SCHEME_RE = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_URL_JUNK_RE = re.compile(r"[\x00-\x20\x7f-\xa0\s]+")

# Characters that draw nothing (or reorder what is drawn) and so let one line impersonate
# another: zero-width and joiner characters, bidi embeddings/overrides/isolates/marks, the
# Arabic letter mark, and Hangul fillers that render as blank "letters".
_INVISIBLE = frozenset(
    "\u00ad\u034f\u061c\u115f\u1160\u180e\u200b\u200c\u200d\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064"
    "\u2066\u2067\u2068\u2069\u3164\ufeff\uffa0"
)
# Unicode categories dropped from one-line fields: controls, format characters (this covers
# every bidi control and zero-width character, including ones added to Unicode later) and
# lone surrogates, which cannot even be encoded as UTF-8.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})


# --- Markdown -------------------------------------------------------------------------------


def _is_allowed_url(url: str) -> bool:
    """Accept only http(s), mailto and scheme-less (relative or fragment) URLs."""
    match = _SCHEME_RE.match(_URL_JUNK_RE.sub("", url))
    return match is None or match.group(1).lower() in ALLOWED_PROTOCOLS


def _demote_headings(state: StateCore) -> None:
    """Shift headings down two levels (h1 -> h3, clamped at h6).

    The page owns h1 (site) and h2 (thread title); a comment must not outrank either.
    """
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            level = int(token.tag[1])
            token.tag = f"h{min(level + 2, 6)}"


def _inside_link(tokens: Sequence[Token], idx: int) -> bool:
    """Tell whether the inline token at ``idx`` sits between a link_open and its close."""
    depth = 0
    for token in tokens[:idx]:
        if token.type == "link_open":
            depth += 1
        elif token.type == "link_close":
            depth -= 1
    return depth > 0


def _render_image(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    """Render ``![alt](src)`` as a plain link to the image instead of an ``<img>``.

    An embedded image is fetched by every reader's browser the moment the page opens, which
    hands the image host each reader's IP address, time and user agent: a tracking pixel that
    can de-anonymise at-risk readers. A link is only followed by someone who chooses to.
    Inside another link (``[![x](a.png)](b)``) only the alt text is kept, since nested
    anchors are invalid HTML.
    """
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env).strip()
    src = str(token.attrGet("src") or "")
    if _inside_link(tokens, idx):
        return escapeHtml(alt)
    label = escapeHtml(f"Image: {alt}" if alt else "Image")
    title = token.attrGet("title")
    title_attr = f' title="{escapeHtml(str(title))}"' if title else ""
    return f'<a href="{escapeHtml(src)}"{title_attr}>{label}</a>'


def _build_markdown() -> MarkdownIt:
    """CommonMark plus tables, strikethrough and bare-URL linkify; raw HTML is shown as text."""
    md = MarkdownIt(
        "commonmark",
        {"html": False, "linkify": True, "typographer": False},
    )
    md.enable(["table", "strikethrough", "linkify"])
    # markdown-it's own check only blocks a few schemes; refusing everything but our
    # allow-list at parse time leaves a bad link as readable text instead of a dead <a>.
    md.validateLink = _is_allowed_url  # type: ignore[method-assign]
    md.core.ruler.push("demote_headings", _demote_headings)
    md.add_render_rule("image", _render_image)
    return md


_MARKDOWN = _build_markdown()

# --- Bounds on the work one text may cost ---------------------------------------------------
#
# Parsing and sanitising cost grows with the markup, not the characters: a 50,000-character
# table is 30,000 tags for bleach, and 50,000 "[" make markdown-it retry every one as a link.
# A post may hold this much of each (far beyond a long, well-formatted comment); beyond it,
# the author is told what to shorten, and :func:`render_markdown` shows such text as plain
# paragraphs instead of parsing it, whoever wrote it.
MAX_TABLE_ROWS = 100
MAX_BRACKETS = 1_000
MAX_EMPHASIS_MARKS = 2_000
MAX_LINKS = 100
# Every line is a pass through markdown-it's block rules (and a soft break inline), at a cost
# that grows faster than the count: 25,000 one-letter lines took 0.65 s to parse.
MAX_LINES = 2_000
# Characters HTML must escape: each becomes an entity that bleach handles as a token of its
# own (20,000 '"' took 0.25 s to sanitise), and each '<' is a try at an autolink.
MAX_ESCAPED = 2_000
_ESCAPED = ("<", ">", "&", '"')
# A code span is the dearest inline token to find (each "`" run looks for its closing twin).
MAX_BACKTICKS = 1_000
# markdown-it's inline parser stops at each of these characters and tries every inline rule
# there: 50,000 of them took 0.18 s to parse against 0.03 s for as many letters. They are
# rare in prose (dashes, colons), so the bound only meets text built to be parsed.
MAX_MARKUP_CHARACTERS = 5_000
_INLINE_STOPS = "\n!#$%&*+-:<=@[\\]^_`{}~"
# HTML elements the Markdown becomes (paragraphs, emphasis, links, list items, cells...).
MAX_ELEMENTS = 600
# What linkify may turn into a link; an e-mail address (any "x@") is one too. Each match
# splices the paragraph's token list, so their cost grows with their square.
_LINK_MARKS_RE = re.compile(r"://|www\.|mailto:|[^\s@]@", re.IGNORECASE)


def markup_problem(source: str) -> str | None:
    """What to shorten, if the text holds more markup than a post may; None if it fits.

    Counting characters first keeps the check itself cheap: the parse that counts elements
    only runs on text whose every kind of markup is already within its bound.
    """
    problem = _character_problem(source)
    return problem or _element_problem(_parse(source)[0])


@lru_cache(maxsize=4)
def _parse(source: str) -> tuple[list[Token], EnvType]:
    """markdown-it's tokens for ``source``, kept for the render that follows a check of the
    same text in one request (the tokens are only read after parsing)."""
    env: EnvType = {}
    return _MARKDOWN.parse(source, env), env


def _character_problem(source: str) -> str | None:
    rows = sum(1 for line in source.splitlines() if "|" in line)
    if rows > MAX_TABLE_ROWS:
        return (
            f"This has {rows:,} table rows; at most {MAX_TABLE_ROWS:,} fit in a post. "
            "Split the table over several posts, or link to it."
        )
    if (brackets := source.count("[")) > MAX_BRACKETS:
        return f"This has {brackets:,} “[” characters; at most {MAX_BRACKETS:,} fit in a post."
    marks = source.count("*") + source.count("_") + source.count("~")
    if marks > MAX_EMPHASIS_MARKS:
        return (
            f"This has {marks:,} of the characters * _ ~ that mark emphasis; at most "
            f"{MAX_EMPHASIS_MARKS:,} fit in a post. Use less formatting."
        )
    if (links := len(_LINK_MARKS_RE.findall(source))) > MAX_LINKS:
        return f"This has {links:,} links or e-mail addresses; at most {MAX_LINKS:,} fit in a post."
    if (lines := len(source.splitlines())) > MAX_LINES:
        return (
            f"This has {lines:,} lines; at most {MAX_LINES:,} fit in a post. Join short "
            "lines into paragraphs."
        )
    if (ticks := source.count("`")) > MAX_BACKTICKS:
        return f"This has {ticks:,} “`” characters; at most {MAX_BACKTICKS:,} fit in a post."
    if (escaped := sum(source.count(c) for c in _ESCAPED)) > MAX_ESCAPED:
        return (
            f'This has {escaped:,} of the characters < > & "; at most {MAX_ESCAPED:,} fit '
            "in a post. Use fewer of them."
        )
    if (stops := sum(source.count(c) for c in _INLINE_STOPS)) > MAX_MARKUP_CHARACTERS:
        return (
            f"This has {stops:,} of the characters Markdown reads as formatting "
            f"(! # $ % & * + - : < = @ [ \\ ] ^ _ ` {{ }} ~ and line breaks); at most "
            f"{MAX_MARKUP_CHARACTERS:,} fit in a post. Use fewer of them."
        )
    return None


def _element_problem(tokens: Sequence[Token]) -> str | None:
    if (elements := element_count(tokens)) > MAX_ELEMENTS:
        return (
            f"This has {elements:,} pieces of formatting (paragraphs, emphasis, links, list "
            f"items, table cells); at most {MAX_ELEMENTS:,} fit in a post. Shorten it or use "
            "less formatting."
        )
    return None


def element_count(tokens: Sequence[Token]) -> int:
    """How many HTML elements parsed Markdown renders to (opening and lone tags)."""
    count = 0
    for token in tokens:
        if token.hidden:  # the paragraphs of a tight list: no tag is written for them
            continue
        count += token.nesting == 1 or token.nesting == 0 and token.tag != ""
        for child in token.children or ():
            count += child.nesting == 1 or child.nesting == 0 and child.tag not in ("", "br")
    return count


def render_markdown(source: str) -> str:
    """Render a user's Markdown to HTML that is safe to insert into a page unescaped.

    Text over the markup bounds (:func:`markup_problem`; posts are refused before) is shown as
    escaped paragraphs rather than parsed further, so no stored text can make a page
    expensive, whoever wrote it.
    """
    if _character_problem(source) is None:
        tokens, env = _parse(source)
        if _element_problem(tokens) is None:
            return sanitize_html(_MARKDOWN.renderer.render(tokens, _MARKDOWN.options, env))
    paragraphs = (p.strip() for p in source.split("\n\n"))
    return "".join(f"<p>{escapeHtml(p)}</p>" for p in paragraphs if p)


# --- Sanitising -----------------------------------------------------------------------------


def _allow_attribute(tag: str, name: str, value: str) -> bool:
    """bleach attribute callback: the allow-list, plus a value check for ``code[class]``."""
    if name not in ALLOWED_ATTRIBUTES.get(tag, ()):
        return False
    if tag == "code" and name == "class":
        return _CODE_CLASS_RE.fullmatch(value) is not None
    return True


class _LinkRelFilter(Filter):  # type: ignore[misc]
    """Give every surviving ``<a>`` our rel, replacing whatever the input claimed."""

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag") and token["name"] == "a":
                attrs = dict(token["data"])
                attrs[(None, "rel")] = LINK_REL
                token["data"] = attrs
            yield token


_local = threading.local()


def _cleaner() -> bleach.Cleaner:
    """One Cleaner per thread: bleach's parser keeps internal state and is not thread-safe."""
    cleaner = getattr(_local, "cleaner", None)
    if cleaner is None:
        cleaner = bleach.Cleaner(
            tags=ALLOWED_TAGS,
            attributes=_allow_attribute,
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
            strip_comments=True,
            filters=[_LinkRelFilter],
        )
        _local.cleaner = cleaner
    return cleaner


def sanitize_html(html: str) -> str:
    """Reduce HTML to the allow-list; the only function that lets user HTML reach a page.

    Allowed: paragraphs, emphasis, code, quotes, lists, h3-h6, rules, strikethrough and tables.
    Links keep http, https and mailto (or relative) URLs and always get ``rel="nofollow ugc
    noopener"``; no ``target``, so a link never opens a tab that can reach back to ours.
    Not allowed: ``style`` (CSS can overlay the page or beacon out), event handlers, forms,
    embeds and ``<img>``: images are turned into links by :func:`render_markdown`, and raw
    ``<img>`` is dropped, because loading an image reports every reader to its host.
    Disallowed tags are stripped (their text kept) and comments removed.
    """
    cleaned: str = _cleaner().clean(html)
    return cleaned


# --- Plain text -----------------------------------------------------------------------------

_BLOCK_TAGS = frozenset(
    {
        "blockquote",
        "br",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "li",
        "ol",
        "p",
        "pre",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    }
)
_SKIPPED_TAGS = frozenset({"script", "style", "template", "textarea", "title"})


class _TextExtractor(HTMLParser):
    """Collect the visible text of an HTML fragment, with a space between blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self._skip_depth += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.parts.append(data)


def plain_text(source: str, *, html: bool = False) -> str:
    """Return the visible text of Markdown (or, with ``html=True``, HTML) as one clean line.

    For listings, feeds, mail subjects and search snippets. The result is text, not markup:
    a comment that says ``<b>`` yields the characters ``<b>``, so callers must still escape it
    (Jinja does). Raw HTML in Markdown is kept as the literal text the reader saw.
    """
    if html:
        markup = source
    elif _character_problem(source) is None and _element_problem(_parse(source)[0]) is None:
        # The parse is shared with a check or render of the same text (see _parse).
        tokens, env = _parse(source)
        markup = _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, env)
    else:
        # Over the bounds (only text stored before them, or by an admin): the characters
        # as written read well enough in a listing, and cost nothing to get.
        return clean_line(source)
    extractor = _TextExtractor()
    extractor.feed(markup)
    extractor.close()
    return clean_line("".join(extractor.parts))


def excerpt(text: str, length: int = 200) -> str:
    """Shorten plain text to at most ``length`` characters, cut at a word boundary with "…".

    Pass the output of :func:`plain_text`. A single word longer than the limit (a URL, or a
    script written without spaces) is cut mid-word rather than dropped.
    """
    if length < 1:
        raise ValueError("length must be at least 1")
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[: length - 1]  # leave room for the ellipsis
    space = cut.rfind(" ")
    # Prefer the word boundary unless it throws away most of the budget.
    if space >= length // 2:
        cut = cut[:space]
    else:
        # Don't split a base character from the combining marks that follow it.
        while cut and unicodedata.combining(text[len(cut)]):
            cut = cut[:-1]
    return cut.rstrip(" \t.,;:!?-–—") + "…"


# C0 and C1 controls except tab and newline, and the bidi embeddings/overrides/isolates
# that can make code or a quote read differently from what it is ("Trojan Source").
_BODY_STRIPPED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_text(text: str) -> str:
    """Normalise multi-line text (post bodies, notes) before it is stored.

    Line ends become \\n and control characters go: a NUL can't even be stored by
    PostgreSQL, and none of them is something a person meant to write.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _BODY_STRIPPED.sub("", text)


def clean_line(text: str) -> str:
    """Normalise a one-line field (title, username, tag name) so it shows what it stores.

    NFC, then drop control, zero-width and bidi characters, so a name cannot hide
    characters, flip the surrounding text (an RLO spoofing "gpj.exe"), or pose as another
    name that looks identical; then collapse whitespace. Joiners go too, which splits
    emoji ZWJ sequences and Persian ZWNJ words: the price of one simple rule for names.
    """
    text = unicodedata.normalize("NFC", text)
    kept = "".join(
        ch
        for ch in text
        if ch.isspace()
        or (ch not in _INVISIBLE and unicodedata.category(ch) not in _DROPPED_CATEGORIES)
    )
    # Removing a character can join a base letter to a mark: normalise again.
    return " ".join(unicodedata.normalize("NFC", kept).split())
