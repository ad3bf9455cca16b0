"""Tag rules: one slug per topic however it is typed, and limits on tags per thread.

"Labor Trafficking", "labor_trafficking", "Lábor trafficking" and a copy typed with a Cyrillic
"а" must all land on the same tag; otherwise followers of a topic miss threads and a look-alike
tag can impersonate a real one. Pure: standard library only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from forum.text import clean_line

__all__ = [
    "MAX_TAGS_PER_THREAD",
    "TAG_MAX_LENGTH",
    "TagError",
    "normalize_tag",
    "parse_tag_list",
    "tag_display_name",
]

MAX_TAGS_PER_THREAD = 5
# Matches Tag.slug's column width.
TAG_MAX_LENGTH = 40

# Cyrillic and Greek letters that pass for Latin ones in common fonts, keyed by the exact
# character. Case matters: Greek capital Nu looks like "N" but its lowercase looks like "v",
# so folding happens before casefold. Letters that only look Latin as small capitals
# (Cyrillic "к", "м", "т") are left out; they would turn real words into Latin junk.
_CONFUSABLES: dict[str, str] = {
    # Cyrillic capitals
    "\u0410": "a",  # А
    "\u0412": "b",  # В
    "\u0415": "e",  # Е
    "\u041a": "k",  # К
    "\u041c": "m",  # М
    "\u041d": "h",  # Н
    "\u041e": "o",  # О
    "\u0420": "p",  # Р
    "\u0421": "c",  # С
    "\u0422": "t",  # Т
    "\u0423": "y",  # У
    "\u0425": "x",  # Х
    "\u0405": "s",  # Ѕ
    "\u0406": "i",  # І
    "\u0408": "j",  # Ј
    "\u04ae": "y",  # Ү
    "\u04c0": "i",  # Ӏ (palochka)
    "\u0501": "d",  # ԁ
    # Cyrillic small letters
    "\u0430": "a",  # а
    "\u0435": "e",  # е
    "\u043e": "o",  # о
    "\u0440": "p",  # р
    "\u0441": "c",  # с
    "\u0443": "y",  # у
    "\u0445": "x",  # х
    "\u0455": "s",  # ѕ
    "\u0456": "i",  # і
    "\u0458": "j",  # ј
    "\u04bb": "h",  # һ
    "\u04af": "y",  # ү
    "\u04cf": "l",  # ӏ
    "\u051b": "q",  # ԛ
    "\u051d": "w",  # ԝ
    # Greek capitals
    "\u0391": "a",  # Α
    "\u0392": "b",  # Β
    "\u0395": "e",  # Ε
    "\u0396": "z",  # Ζ
    "\u0397": "h",  # Η
    "\u0399": "i",  # Ι
    "\u039a": "k",  # Κ
    "\u039c": "m",  # Μ
    "\u039d": "n",  # Ν
    "\u039f": "o",  # Ο
    "\u03a1": "p",  # Ρ
    "\u03a4": "t",  # Τ
    "\u03a5": "y",  # Υ
    "\u03a7": "x",  # Χ
    "\u03f9": "c",  # Ϲ (lunate sigma)
    "\u037f": "j",  # Ϳ
    # Greek small letters
    "\u03b1": "a",  # α
    "\u03b3": "y",  # γ
    "\u03b9": "i",  # ι
    "\u03ba": "k",  # κ
    "\u03bd": "v",  # ν
    "\u03bf": "o",  # ο
    "\u03c1": "p",  # ρ
    "\u03c5": "u",  # υ
    "\u03c7": "x",  # χ
    "\u03f2": "c",  # ϲ
    "\u03f3": "j",  # ϳ
    # Latin letters outside ASCII that NFKD leaves alone
    "\u0131": "i",  # ı dotless i
    "\u0237": "j",  # ȷ dotless j
    "\u0251": "a",  # ɑ
    "\u0261": "g",  # ɡ
    "\u0269": "i",  # ɩ
}
# Latin letters with no decomposition, spelled the way an English keyboard would type them.
_LATIN_SPELLINGS: dict[str, str] = {
    "æ": "ae",
    "œ": "oe",
    "ø": "o",
    "đ": "d",
    "ð": "d",
    "ł": "l",
    "þ": "th",
    "ħ": "h",
}
_SLUG_WORD_RE = re.compile(r"[a-z0-9]+")
_SEPARATOR_RE = re.compile(r"[,\n\u060c\u3001\uff0c]")


class TagError(ValueError):
    """A tag list that can't be accepted; the message says what to change."""


def _fold_char(ch: str) -> str:
    """Map one decomposed character to lowercase ASCII where a reader would see ASCII."""
    folded = _CONFUSABLES.get(ch)
    if folded is not None:
        return folded
    return "".join(_LATIN_SPELLINGS.get(c, c) for c in ch.casefold())


def normalize_tag(name: str) -> str:
    """Return the slug for a tag name, or "" when nothing usable is left.

    NFKC (full-width and styled letters), drop format characters (zero-width, bidi), NFKD and
    drop combining marks (accents), fold look-alike letters, casefold, then join the ASCII
    words with "-". Accents come off before look-alikes are folded so that accented
    look-alikes ("ё", "ά") fold too. A word that still holds letters with no ASCII reading
    (e.g. a Cyrillic word that isn't a disguise) is dropped whole rather than mangled into a
    fragment of Latin letters.
    """
    text = unicodedata.normalize("NFKC", name)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    text = unicodedata.normalize("NFKD", text)
    # Category M, not just a nonzero combining class: variation selectors have class 0.
    text = "".join(ch for ch in text if not unicodedata.category(ch).startswith("M"))
    words: list[str] = []
    # Split on anything that is not a letter or digit; each run is folded as one word.
    for raw_word in re.split(r"[\W_]+", text):
        word = "".join(_fold_char(ch) for ch in raw_word)
        if word and _SLUG_WORD_RE.fullmatch(word):
            words.append(word)
    return "-".join(words)


def tag_display_name(slug: str) -> str:
    """Default human name for a tag created from its slug: hyphens read as spaces."""
    return slug.replace("-", " ")


def _shown(piece: str) -> str:
    """Echo user input in an error message: one line, short, and without control or bidi
    characters that would make the message read differently."""
    piece = clean_line(piece)
    return piece if len(piece) <= 30 else piece[:29] + "…"


def parse_tag_list(raw: str | Iterable[str], *, required: bool = True) -> list[str]:
    """Turn what a person typed into a list of distinct slugs, in the order given.

    Commas (or new lines) separate tags, spaces don't: "labor trafficking, funding" is two
    tags. A list is treated the same way item by item. Blank entries are ignored; anything
    else that can't become a tag raises :class:`TagError` rather than being dropped, so
    nobody's tag silently disappears.
    """
    items = [raw] if isinstance(raw, str) else list(raw)
    slugs: list[str] = []
    for item in items:
        for piece in _SEPARATOR_RE.split(item):
            if not piece.strip():
                continue
            slug = normalize_tag(piece)
            if not slug:
                raise TagError(
                    f'"{_shown(piece)}" can\'t be used as a tag: '
                    "use Latin letters (a-z) or digits (0-9)."
                )
            if len(slug) > TAG_MAX_LENGTH:
                raise TagError(
                    f'The tag "{_shown(piece)}" is too long: keep each tag to '
                    f"{TAG_MAX_LENGTH} characters or fewer."
                )
            if slug not in slugs:
                slugs.append(slug)
    if required and not slugs:
        raise TagError("Add at least one tag, separated by commas (for example: housing, funding).")
    if len(slugs) > MAX_TAGS_PER_THREAD:
        raise TagError(
            f"Use at most {MAX_TAGS_PER_THREAD} tags; you gave {len(slugs)}. "
            "Remove the least important ones."
        )
    return slugs
