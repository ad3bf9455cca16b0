"""The shared XSS corpus (../shared/data/xss) and a parser-side check of rendered HTML.

Used by the unit tests of forum.text and by the browser test of every shown field
(tests/e2e/test_hostile_content.py), so both read the corpus the same way.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from forum.text import ALLOWED_ATTRIBUTES, ALLOWED_TAGS

XSS_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "xss"

FORBIDDEN_TAGS = frozenset(
    {"script", "style", "iframe", "object", "embed", "base", "meta", "form", "svg", "math", "img"}
)
URL_ATTRIBUTES = frozenset(
    {
        "action",
        "background",
        "cite",
        "codebase",
        "data",
        "formaction",
        "href",
        "lowsrc",
        "dynsrc",
        "ping",
        "poster",
        "src",
        "srcset",
        "xlink:href",
    }
)
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
# What browsers ignore inside or around a URL, and a bit more: remove it all before reading
# the scheme, so "java\tscript:" and " javascript:" count as javascript.
URL_JUNK_RE = re.compile(r"[\x00-\x20\x7f-\xa0\s]+")
SCHEME_RE = re.compile(r"^([a-z][a-z0-9+.-]*):")


# --- Corpus ---------------------------------------------------------------------------------


def _read_lines(path: Path) -> list[str]:
    """Split on LF only: lines hold form feeds, which str.splitlines() would also split on."""
    text = path.read_bytes().decode("utf-8")
    assert text.endswith("\n"), f"{path} should end with a newline"
    return text[:-1].split("\n")


def require_corpus() -> None:
    """Fail, never skip, without the corpus: a missing folder must not pass as "safe"."""
    if not XSS_DIR.is_dir():
        pytest.fail(
            f"XSS corpus not found at {XSS_DIR}; these tests need /work/shared/data/xss "
            "(the shared folder next to the repository).",
            pytrace=False,
        )


def _load_corpus() -> list[tuple[str, str]]:
    """Decode the corpus as its README says, as (id, payload) pairs."""
    if not XSS_DIR.is_dir():
        # One placeholder case, so the parametrized tests run and fail in require_corpus.
        return [("xss-corpus-missing", "")]
    multiline = {int(n) for n in _read_lines(XSS_DIR / "payloads.multiline-lines.txt") if n.strip()}
    corpus = []
    for number, line in enumerate(_read_lines(XSS_DIR / "payloads.txt"), start=1):
        # Other lines hold a literal backslash-n as part of the payload; keep it as text.
        payload = line.replace("\\n", "\n") if number in multiline else line
        corpus.append((f"payloads.txt:{number}", payload))
    for number, line in enumerate(_read_lines(XSS_DIR / "markdown.txt"), start=1):
        corpus.append((f"markdown.txt:{number}", line.replace("\\n", "\n")))
    return corpus


CORPUS = _load_corpus()
PUBLIC_COUNT = 2800
MARKDOWN_COUNT = 78


# --- Inspecting rendered HTML ---------------------------------------------------------------


class _Inspector(HTMLParser):
    """Record every problem a browser-facing reader of the output would care about."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)

    def handle_comment(self, data: str) -> None:
        self.problems.append(f"comment <!--{data}-->")

    def handle_decl(self, decl: str) -> None:
        self.problems.append(f"declaration <!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.problems.append(f"processing instruction <?{data}>")

    def _check(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"forbidden tag <{tag}>")
        elif tag not in ALLOWED_TAGS:
            self.problems.append(f"tag outside the allow-list <{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>")
            elif name == "style":
                self.problems.append(f"style= on <{tag}>")
            elif name not in ALLOWED_ATTRIBUTES.get(tag, ()):
                self.problems.append(f"attribute outside the allow-list {name}= on <{tag}>")
            if name in URL_ATTRIBUTES:
                # The parser has already decoded entities, once, as a browser does.
                url = URL_JUNK_RE.sub("", value or "").lower()
                match = SCHEME_RE.match(url)
                if match and match.group(1) not in SAFE_SCHEMES:
                    self.problems.append(f"{name}={value!r} on <{tag}>")


def problems_in(html: str) -> list[str]:
    """Parse rendered user HTML (a fragment from forum.text) and list what would make it unsafe."""
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector.problems
