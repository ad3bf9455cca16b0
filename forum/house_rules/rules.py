"""Pure house-rules logic: the Markdown split into numbered sections with stable anchors, the
limits an edit must keep, and which section each moderation rule and removal category enforces.

Anchors are what nudges, removal notices and mail link to (``/rules#ideas-not-persons``), so
they must outlive edits: a heading may carry its own (``## Argue with ideas {#ideas-not-persons}``),
otherwise the anchor is a slug of the title, and an edit may not drop an anchor that a
moderation rule or removal category links to.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

BODY_MAX = 30_000
SECTIONS_MAX = 40
ANCHOR_MAX = 60
TITLE_MAX = 120

# The section each built-in rule family enforces, by rule id prefix (the part before the dot);
# a full rule id, where present, wins over its prefix.
RULE_SECTIONS: dict[str, str] = {
    "insult": "ideas-not-persons",
    "hostility": "ideas-not-persons",
    "condescension": "ideas-not-persons",
    "scorer": "ideas-not-persons",
    "model": "ideas-not-persons",
    "accuse.group_label": "ideas-not-persons",
    "accuse": "no-guessing-identities",
    "motive": "no-guessing-motives",
    "doubt": "lived-experience",
    "hostility.slur": "harassment",
}
# The section behind each removal category readers see (forum.moderation.policy).
CATEGORY_SECTIONS: dict[str, str] = {
    "personal_attack": "ideas-not-persons",
    "harassment": "harassment",
    "privacy": "privacy",
    "spam": "on-topic",
    "off_topic": "on-topic",
    "other": "how-moderation-works",
}
# Linked from every removal notice's appeal link.
APPEALS_SECTION = "appeals"


class HouseRulesError(ValueError):
    """Text that can't be the house rules; the message says what to change."""


@dataclass(frozen=True)
class Section:
    number: int
    title: str
    anchor: str
    body: str  # the Markdown under the heading, without it


@dataclass(frozen=True)
class Document:
    intro: str  # Markdown before the first section
    sections: tuple[Section, ...]

    @property
    def anchors(self) -> frozenset[str]:
        return frozenset(s.anchor for s in self.sections)

    def section(self, anchor: str | None) -> Section | None:
        return next((s for s in self.sections if s.anchor == anchor), None)


def slugify(title: str) -> str:
    """``"No guessing: who people are"`` -> ``"no-guessing-who-people-are"`` (ASCII letters and
    digits, one dash between words), cut at ANCHOR_MAX on a word boundary."""
    words: list[str] = []
    word: list[str] = []
    # "Café" -> "cafe": accents come off as separate marks, which are then skipped.
    for ch in unicodedata.normalize("NFKD", title.lower()):
        if unicodedata.combining(ch):
            continue
        if ch.isascii() and ch.isalnum():
            word.append(ch)
        elif word:
            words.append("".join(word))
            word = []
    if word:
        words.append("".join(word))
    slug = ""
    for w in words:
        candidate = f"{slug}-{w}" if slug else w
        if len(candidate) > ANCHOR_MAX:
            break
        slug = candidate
    return slug or "section"


def is_anchor(value: str) -> bool:
    """Lower-case ASCII letters, digits and single inner dashes, as ``slugify`` makes them."""
    return (
        0 < len(value) <= ANCHOR_MAX
        and all((c.isascii() and c.isalnum() and not c.isupper()) or c == "-" for c in value)
        and not value.startswith("-")
        and not value.endswith("-")
        and "--" not in value
    )


def _heading(line: str) -> tuple[str, str] | None:
    """(title, anchor) of a ``## Title {#anchor}`` line, or None if the line is no section
    heading. String operations only: each line is read once, whatever its content."""
    if not line.startswith("## "):
        return None
    title = line[3:].strip().rstrip("#").strip()  # "## Title ##" is a heading too
    anchor = ""
    if title.endswith("}"):
        head, sep, tail = title.rpartition("{#")
        if sep:
            anchor = tail[:-1].strip()
            if not is_anchor(anchor):
                raise HouseRulesError(
                    f"“{{#{anchor}}}” can't be an anchor: use lower-case letters, digits and "
                    "dashes, such as {#ideas-not-persons}."
                )
            title = head.strip()
    if not title:
        raise HouseRulesError("A section heading (a line starting with “## ”) has no title.")
    if len(title) > TITLE_MAX:
        raise HouseRulesError(
            f"The section title “{title[:40]}…” is longer than {TITLE_MAX} characters."
        )
    return title, anchor or slugify(title)


def parse(text: str) -> Document:
    """Split the rules into sections at ``## `` headings (outside fenced code), numbered from 1.

    Raises HouseRulesError for text past the limits, a malformed anchor, or two sections with
    one anchor (a link could reach only one of them).
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise HouseRulesError("The house rules can't be empty.")
    if len(text) > BODY_MAX:
        raise HouseRulesError(
            f"The house rules are {len(text):,} characters long; keep them under {BODY_MAX:,}."
        )
    intro: list[str] = []
    heads: list[tuple[str, str]] = []
    bodies: list[list[str]] = []
    fence = ""
    for line in text.split("\n"):
        stripped = line.lstrip()
        if fence:
            if stripped.startswith(fence):
                fence = ""
        elif stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
        elif (head := _heading(line)) is not None:
            if len(heads) == SECTIONS_MAX:
                raise HouseRulesError(
                    f"The house rules may have at most {SECTIONS_MAX} sections (“## ” headings)."
                )
            heads.append(head)
            bodies.append([])
            continue
        (bodies[-1] if bodies else intro).append(line)
    seen: set[str] = set()
    for title, anchor in heads:
        if anchor in seen:
            raise HouseRulesError(
                f"Two sections have the anchor #{anchor}; give “{title}” its own with "
                "{#another-anchor} after the title."
            )
        seen.add(anchor)
    sections = tuple(
        Section(n, title, anchor, "\n".join(body).strip())
        for n, ((title, anchor), body) in enumerate(zip(heads, bodies, strict=True), start=1)
    )
    return Document(intro="\n".join(intro).strip(), sections=sections)


def linked_anchors() -> frozenset[str]:
    """Every anchor the forum links to: moderation rules, removal categories, appeals."""
    return (
        frozenset(RULE_SECTIONS.values())
        | frozenset(CATEGORY_SECTIONS.values())
        | {APPEALS_SECTION}
    )


def missing_anchors(document: Document, required: Iterable[str]) -> list[str]:
    """The anchors in ``required`` that ``document`` no longer has, sorted."""
    return sorted(set(required) - document.anchors)


def check_edit(text: str, required: Iterable[str]) -> Document:
    """The parsed new text, or HouseRulesError if it breaks a limit or drops a linked anchor."""
    document = parse(text)
    if missing := missing_anchors(document, required):
        listed = ", ".join(f"#{a}" for a in missing)
        raise HouseRulesError(
            f"Moderation rules and removal notices link to {listed}, which this text no longer "
            "has. Keep a section with each (write {#anchor} after a heading to keep an anchor "
            "when you rename it)."
        )
    return document


def section_for_rule(rule_id: str) -> str | None:
    """The anchor of the section a moderation rule enforces: its own id's, else its
    prefix's; None for a rule outside the built-in families (link to the top instead)."""
    if rule_id in RULE_SECTIONS:
        return RULE_SECTIONS[rule_id]
    return RULE_SECTIONS.get(rule_id.partition(".")[0])


def section_for_category(category: str | None) -> str | None:
    return CATEGORY_SECTIONS.get(category or "")
