"""The search vocabulary: words that have appeared in a thread or comment."""

from __future__ import annotations

from sqlalchemy import SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from forum.models.base import Model

# Longer "words" are links, hashes and keyboard mashing, never what someone meant to type.
SEARCH_WORD_MAX = 40


class SearchWord(Model):
    """One word, folded as the search index folds it (lower case, no accents): where "Did you
    mean" picks its corrections (forum.search.vocabulary). A word leaves when no post has it
    any more (an edit, a deletion, an account removed), so nothing of a removed person's
    writing stays here."""

    __tablename__ = "search_words"
    # Length first: a correction is read from the words of a few lengths around the typed
    # word's, alphabetically beside it, and this key is the index that reads them.
    # Without a rowid on SQLite, the key is the table.
    __table_args__ = {"sqlite_with_rowid": False}

    length: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    word: Mapped[str] = mapped_column(String(SEARCH_WORD_MAX), primary_key=True)
