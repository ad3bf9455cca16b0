"""Cut a comment's text into plain and highlighted pieces for the moderators' pages.

Pure: the template escapes every piece and wraps the marked ones in ``<mark>``, so user text
is never trusted as markup. Spans index the comment's source text, as the rules engine's
matches do.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """A range to highlight; ``kind`` is "rule" or "flag", ``label`` says why."""

    start: int
    end: int
    label: str
    kind: str = "rule"


@dataclass(frozen=True, slots=True)
class Piece:
    text: str
    labels: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()

    @property
    def marked(self) -> bool:
        return bool(self.kinds)


def highlight(text: str, spans: Iterable[Span]) -> list[Piece]:
    """Split ``text`` at every span edge; overlapping spans share a piece and its labels.

    Spans outside the text (a comment edited after it was screened) are clipped or dropped
    rather than trusted, so a stale match can never raise or point past the end.
    """
    size = len(text)
    clipped = []
    for span in spans:
        start, end = max(0, min(span.start, size)), max(0, min(span.end, size))
        if start < end:
            clipped.append((start, end, span))
    cuts = sorted({0, size, *(s for s, _, _ in clipped), *(e for _, e, _ in clipped)})
    pieces: list[Piece] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = [span for start, end, span in clipped if start <= a and b <= end]
        labels = tuple(dict.fromkeys(span.label for span in covering if span.label))
        kinds = tuple(sorted({span.kind for span in covering}))
        if pieces and (pieces[-1].labels, pieces[-1].kinds) == (labels, kinds):
            pieces[-1] = Piece(pieces[-1].text + text[a:b], labels, kinds)
        else:
            pieces.append(Piece(text[a:b], labels, kinds))
    return pieces


def find_excerpt(text: str, excerpt: str) -> tuple[int, int] | None:
    """Where a reader's selected sentence sits in the text, ignoring case and spacing.

    The reader selects rendered text while we hold the Markdown source, so an exact search
    would miss a selection that crossed a line break. Escaped words keep the search linear.
    """
    words = excerpt.split()
    if not words:
        return None
    found = re.search(r"\s+".join(re.escape(w) for w in words), text, re.IGNORECASE)
    return (found.start(), found.end()) if found else None
