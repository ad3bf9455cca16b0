"""Text normalisation for the moderation rules, with a map back to original offsets.

Rules match against a normalised copy of the comment so that "p1mp", "l i a r", "pі.mp" (with a
Cyrillic "і") or a zero-width space inside a word cannot dodge them. Every normalised character
remembers which original character it came from, so a match can still be highlighted in the
text the person wrote. Pure: standard library only.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

# Characters people insert to break a word without changing how it looks.
ZERO_WIDTH = frozenset(
    "\u00ad\u034f\u180e\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff"
)

# Look-alike letters from Cyrillic and Greek (after casefold) mapped to the Latin letter they
# imitate. Deliberately small: only letters that really pass for Latin in common fonts.
CONFUSABLES: dict[str, str] = {
    # Cyrillic
    "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p",
    "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j", "ѕ": "s", "ԁ": "d",
    "ӏ": "l", "ɩ": "i", "ԛ": "q", "ԝ": "w", "һ": "h", "ү": "y", "ʏ": "y",
    # Greek
    "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p",
    "τ": "t", "υ": "u", "χ": "x", "ϲ": "c", "ς": "s", "ω": "w", "ʟ": "l",
}  # fmt: skip

# Leetspeak substitutions, applied only inside a word that also has letters ("p1mp", "l14r"),
# never to plain numbers ("in 2019", "T-1 visa" stays readable enough either way).
LEET: dict[str, str] = {
    "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
    "@": "a", "$": "s", "!": "i", "|": "l", "+": "t", "€": "e",
}  # fmt: skip

_WORD_CHARS_RE = re.compile(r"\S+")
# Stretches worth a closer look: runs of three or more one- or two-character tokens
# ("l i a r", "p. i. m. p"), and tokens mixing letters with digits or symbols or repeating a
# letter three times ("p1mp", "pi.mp", "liaaar").
_SPACED = r"(?:(?<!\S)\S{1,2}(?:\s+\S{1,2}(?!\S)){2,})"
_SUSPICIOUS_RE = re.compile(
    _SPACED + r"|(?<!\S)\S*?(?:[^\W\d_][^\w\s']|[^\w\s'][^\W\d_]|[^\W\d_]\d|\d[^\W\d_]|(\w)\1\1)\S*"
)
# The runs alone: what is left to look at once no single word can hide one (``_rewrites``).
_SPACED_RE = re.compile(_SPACED)
MAX_SPACED_RUN = 24
# Runs of ASCII and of other characters, which ``_fold`` treats differently.
_ASCII_RUN_RE = re.compile(r"[\x00-\x7f]+|[^\x00-\x7f]+")


@dataclass(frozen=True, slots=True)
class Normalized:
    """Normalised text plus, for each character, the index of the original character."""

    text: str
    offsets: tuple[int, ...]
    original_length: int

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the normalised text back to the original text."""
        if end <= start:
            at = self.offsets[start] if start < len(self.offsets) else self.original_length
            return at, at
        return self.offsets[start], self.offsets[end - 1] + 1


def collapse_repeats(word: str) -> str:
    """Squeeze every run of one repeated letter to a single letter ("liaaar" -> "liar").

    Used only to compare a suspicious token with the watch list, where "shill" and "shil"
    must compare equal too, so both sides are squeezed the same way.
    """
    out: list[str] = []
    for ch in word:
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


def _fold_char(ch: str) -> str:
    """NFKC + casefold one character, drop accents, map look-alikes."""
    folded = unicodedata.normalize("NFKC", ch).casefold()
    if folded.isascii():
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    out = []
    for c in decomposed:
        if unicodedata.combining(c):
            continue
        out.append(CONFUSABLES.get(c, c))
    return "".join(out)


def _fold(text: str) -> tuple[list[str], list[int]]:
    """Character-level folding. Returns characters and their original indices.

    ASCII casefolds one character to one character, so runs of it are folded whole: a comment
    with a few curly quotes or accents costs little more than a plain ASCII one."""
    if text.isascii():
        return list(text.lower()), list(range(len(text)))
    chars: list[str] = []
    index: list[int] = []
    for run in _ASCII_RUN_RE.finditer(text):
        start, end = run.span()
        if run.group().isascii():
            chars.extend(run.group().lower())
            index.extend(range(start, end))
            continue
        for i in range(start, end):
            ch = text[i]
            if ch in ZERO_WIDTH or unicodedata.category(ch) == "Cf":
                continue
            # Curly quotes and apostrophes fold to ASCII so patterns need only one spelling;
            # so do the hyphens a phone or a word processor puts in "grown\u2011ups".
            if ch in "‘’‛′":
                ch = "'"
            elif ch in "“”„‟″«»":
                ch = '"'
            elif ch in "\u2010\u2011":
                ch = "-"
            for c in _fold_char(ch):
                chars.append(c)
                index.append(i)
    return chars, index


def _deobfuscate_token(token: str) -> str:
    """Apply leetspeak and drop inner separators; letters only."""
    out = []
    for ch in token:
        if ch.isalpha():
            out.append(ch)
        elif ch in LEET:
            out.append(LEET[ch])
    return "".join(out)


class Deobfuscator:
    """Rewrites obfuscated tokens, but only when the result is a watched word.

    Rewriting every "end.The", "covid19" or "looser" would damage ordinary text, so a token (or a
    run of spaced-out single letters) is rewritten only when it looks obfuscated (digits or
    symbols inside, a letter repeated three times, letters spaced apart) and its cleaned,
    repeat-squeezed form is a watched word (or a watched word plus a plural "s").
    """

    def __init__(self, watch_words: Iterable[str]) -> None:
        self.watch: dict[str, str] = {}
        for word in watch_words:
            if word and word.isalpha():
                self.watch.setdefault(collapse_repeats(word), word)

    def canonical(self, word: str) -> str | None:
        """The watched word that ``word`` spells, or None."""
        squeezed = collapse_repeats(word)
        if squeezed in self.watch:
            return self.watch[squeezed]
        if squeezed.endswith("s") and squeezed[:-1] in self.watch:
            return self.watch[squeezed[:-1]] + "s"
        return None

    def normalize(self, text: str) -> Normalized:
        """Fold, then de-obfuscate watched words; keep the offset map."""
        words = None  # whether a single word may hide a watched one; unknown until read
        if FAST_PATH and text.isascii():
            folded = text.lower()
            words = _words_to_look_at(folded)
            if not words and not _runs_to_look_at(folded):
                offsets = (
                    _IDENTITY[: len(text)] if len(text) <= len(_IDENTITY) else range(len(text))
                )
                return Normalized(folded, tuple(offsets), len(text))
        chars, index = _fold(text)
        folded = "".join(chars)
        out_chars: list[str] = []
        out_index: list[int] = []
        pos = 0
        for start, end, replacement in self._rewrites(folded, words):
            out_chars.extend(folded[pos:start])
            out_index.extend(index[pos:start])
            # Spread the replacement over the original span so highlighting covers all of it.
            src = [index[k] for k in range(start, end) if not folded[k].isspace()]
            for j, ch in enumerate(replacement):
                out_chars.append(ch)
                out_index.append(src[min(j, len(src) - 1)] if j < len(replacement) - 1 else src[-1])
            pos = end
        out_chars.extend(folded[pos:])
        out_index.extend(index[pos:])
        return Normalized("".join(out_chars), tuple(out_index), len(text))

    def _rewrites(self, folded: str, words: bool | None = None) -> list[tuple[int, int, str]]:
        """Find non-overlapping (start, end, replacement) rewrites in the folded text.

        ``words``: what ``_words_to_look_at`` says of ASCII ``folded``, if the caller has read
        it already."""
        rewrites: list[tuple[int, int, str]] = []
        # Only look closely at the few places that can hide a word; most text has none. When
        # no single word of ASCII text can (a comment whose only suspect is "l i a r", or whose
        # only non-ASCII characters were curly quotes), only the runs of letters are read.
        found = _SUSPICIOUS_RE
        if FAST_PATH and folded.isascii():
            if words is None:
                words = _words_to_look_at(folded)
            found = _SUSPICIOUS_RE if words else _SPACED_RE
        for m in found.finditer(folded):
            offset = m.start()
            for start, end, word in self._rewrites_in(m.group()):
                rewrites.append((offset + start, offset + end, word))
        return rewrites

    def _rewrites_in(self, folded: str) -> list[tuple[int, int, str]]:
        tokens = [(m.start(), m.end(), m.group()) for m in _WORD_CHARS_RE.finditer(folded)]
        rewrites: list[tuple[int, int, str]] = []
        i = 0
        while i < len(tokens):
            j = i
            while j < len(tokens) and len(_deobfuscate_token(tokens[j][2])) <= 1:
                j += 1
            if j - i >= 3:
                found = self._spaced(tokens[i:j])
                if found is not None:
                    a, b, word = found
                    first, last = tokens[i + a], tokens[i + b - 1]
                    start = first[0] + _core(first[2])[0]
                    end = last[0] + _core(last[2])[1]
                    rewrites.append((start, end, word))
                i = max(j, i + 1)
                continue
            start, _end, tok = tokens[i]
            core_start, core_end = _core(tok)
            core = tok[core_start:core_end]
            # Contractions ("you're", "don't") are ordinary words, not obfuscation.
            plain = core.replace("'", "")
            if plain and any(c.isalpha() for c in plain):
                if not plain.isalpha() or _has_triple(plain):
                    spelled = self.canonical(_deobfuscate_token(core))
                    if spelled is not None and spelled != core:
                        rewrites.append((start + core_start, start + core_end, spelled))
            i += 1
        return rewrites

    def _spaced(self, run: list[tuple[int, int, str]]) -> tuple[int, int, str] | None:
        """Longest sub-run of single letters that spells a watched word: "a l i a r" -> liar."""
        letters = [_deobfuscate_token(t[2]) for t in run]
        # A long run repeats its windows ("a a a a ..."): each distinct one is looked up once.
        looked_up: dict[str, str | None] = {}
        # Watched words are short, so longer sub-runs are pointless (and would cost n cubed).
        for size in range(min(len(run), MAX_SPACED_RUN), 2, -1):
            for a in range(0, len(run) - size + 1):
                b = a + size
                if not letters[a] or not letters[b - 1]:
                    continue
                joined = "".join(letters[a:b])
                if len(joined) < 3:
                    continue
                if joined not in looked_up:
                    looked_up[joined] = self.canonical(joined)
                if (word := looked_up[joined]) is not None:
                    return a, b, word
        return None


# Plain ASCII text in which no token can be rewritten skips the close look, read from the kinds
# of its characters: neither a word (``_words_to_look_at``) nor a run of letters
# (``_runs_to_look_at``) may hide a watched word, as in most comments; when only a run may,
# only runs are read. Off, every text takes the whole close look, the plain way the tests
# compare with.
FAST_PATH = True
# ASCII characters by what the rewriting cares about: "a" a letter, "1" a digit that reads as a
# letter (LEET), "2" another digit, "!" another LEET symbol, "'" an apostrophe, " " a space,
# "." anything else.
_ASCII_CLASS = str.maketrans(
    {
        chr(c): (
            "a" if chr(c).isalpha()
            else " " if chr(c).isspace()
            else "'" if chr(c) == "'"
            else ("1" if chr(c) in LEET else "2") if chr(c).isdigit()
            else "!" if chr(c) in LEET
            else "."
        )
        for c in range(128)
    }
)  # fmt: skip
# Three or more tokens in a row of at most two characters each (in ``_ASCII_CLASS`` text, given
# a leading space: beginning with the space lets ``re`` skip to the candidates).
_SHORT_RUN_RE = re.compile(r"\s\S{1,2}(?:\s+\S{1,2}(?!\S)){2,}")
_TRIPLE_RE = re.compile(r"([a-z])\1\1")
# Offsets of text that normalising leaves as it is, sliced instead of built for each comment.
_IDENTITY = tuple(range(8192))


def _runs_to_look_at(folded: str) -> bool:
    """True if casefolded ASCII text has three tokens in a row of at most one letter each
    ("l i a r")."""
    for run in _SHORT_RUN_RE.finditer(" " + folded.translate(_ASCII_CLASS)):
        few = [sum(c in "a1!" for c in t) <= 1 for t in run.group().split()]
        if any(all(few[i : i + 3]) for i in range(len(few) - 2)):
            return True
    return False


def _words_to_look_at(folded: str) -> bool:
    """True if a single token of casefolded ASCII text may be rewritten: it needs "@", "$" or
    "|", a word whose letters mix with digits, symbols or inner punctuation ("p1mp", "pi.mp"),
    or a letter tripled ("liaaar")."""
    if "@" in folded or "$" in folded or "|" in folded:
        return True
    for shape in set(folded.translate(_ASCII_CLASS).split()):
        core = shape.strip("!'.")  # as ``_core`` strips it: from its first to last letter or digit
        if "a" in core and any(c in core for c in "12!."):
            return True
    return bool(_TRIPLE_RE.search(folded.replace("'", "")))


def _has_triple(word: str) -> bool:
    return any(word[k] == word[k + 1] == word[k + 2] for k in range(len(word) - 2))


def _core(token: str) -> tuple[int, int]:
    """Strip ordinary leading/trailing punctuation so "p1mp!" -> "p1mp", "(l1ar)" -> "l1ar"."""
    start, end = 0, len(token)
    while start < end and not (token[start].isalnum() or token[start] in "@$|"):
        start += 1
    while end > start and not (token[end - 1].isalnum() or token[end - 1] in "$|"):
        end -= 1
    # A trailing "!" or "." is punctuation, not a leet "i".
    return start, end
