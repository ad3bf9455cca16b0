"""Search by word stems on both databases, and a vocabulary for "Did you mean"

"funding" found 2 demo threads while "fund*" found 11: neither database stemmed. Both now
use the Porter stemmer, the same algorithm on each, so "funding", "funded" and "funds" are
one word to search and both databases find the same posts.

SQLite: ``search_index`` is built again with ``tokenize = 'porter unicode61 remove_diacritics
2'`` (Porter over the same folding) and filled from the rows here; its triggers are the
search migration's own (4f6bfd40a8b2), created again from its definitions.

PostgreSQL: ``forum_search`` maps words through ``forum_stem``, a Snowball dictionary with the
Porter algorithm and no stop words (SQLite's tokenizer drops none, and a query of "the" should
find what it finds there), after unaccent as before. The stored vectors were computed with
the old mapping, so the columns and their GIN indexes are dropped and added again from the
stored-vectors migration's definitions (5033754c2ada), which computes them afresh.

``search_words``: every folded word of three to 40 letters that has appeared in a thread or
comment, keyed by (length, word). It is filled here from the index as it was before stemming
(the words as written, folded), and kept up by forum.search.vocabulary as posts are written.

Revision ID: 76f653ef86c9
Revises: 3c5e8a1f0b27
Create Date: 2026-12-05 09:00:00.000000

"""

import importlib.util
from pathlib import Path
from types import ModuleType

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = "76f653ef86c9"
down_revision = "3c5e8a1f0b27"
branch_labels = None
depends_on = None

# forum.models.search.SEARCH_WORD_MAX; forum.search.rules.VOCABULARY_MIN.
WORD_MIN, WORD_MAX = 3, 40
PLAIN_MAPPING = "asciiword, asciihword, hword_asciipart"
ACCENTED_MAPPING = "word, hword, hword_part"


def _revision(filename: str) -> ModuleType:
    """An earlier migration of this folder, for its definitions (Alembic loads them by path
    too: the folder is not a package)."""
    path = Path(__file__).with_name(filename)
    spec = importlib.util.spec_from_file_location(f"forum_migration_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _full_text_search() -> ModuleType:
    return _revision("4f6bfd40a8b2_full_text_search.py")


def _stored_vectors() -> ModuleType:
    return _revision("5033754c2ada_stored_search_vectors.py")


def _create_search_words() -> None:
    op.create_table(
        "search_words",
        sa.Column("length", sa.SmallInteger(), nullable=False),
        sa.Column("word", sa.String(length=WORD_MAX), nullable=False),
        sa.PrimaryKeyConstraint("length", "word", name=op.f("pk_search_words")),
        sqlite_with_rowid=False,
    )


def _sqlite_index(tokenize: str) -> None:
    """search_index built with ``tokenize`` from the rows here, with its triggers."""
    op.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5("
        f"title, body, tokenize = '{tokenize}', prefix = '3')"
    )
    op.execute(
        "INSERT INTO search_index (rowid, title, body) SELECT -id, title, body_src FROM threads"
    )
    op.execute(
        "INSERT INTO search_index (rowid, title, body) "
        "SELECT id, '', body_src FROM comments WHERE status = 'published'"
    )
    _full_text_search().sqlite_triggers()


def _pg_vectors(plain: str, accented: str) -> None:
    """The stored vectors and their indexes computed again after the mapping changes."""
    op.execute("DROP INDEX IF EXISTS ix_threads_search")
    op.execute("DROP INDEX IF EXISTS ix_comments_search")
    op.execute("ALTER TABLE threads DROP COLUMN search_vector")
    op.execute("ALTER TABLE comments DROP COLUMN search_vector")
    op.execute(
        f"ALTER TEXT SEARCH CONFIGURATION forum_search ALTER MAPPING FOR {PLAIN_MAPPING} "
        f"WITH {plain}"
    )
    op.execute(
        f"ALTER TEXT SEARCH CONFIGURATION forum_search ALTER MAPPING FOR {ACCENTED_MAPPING} "
        f"WITH {accented}"
    )
    _stored_vectors().upgrade()


def upgrade():
    dialect = op.get_bind().dialect.name
    _create_search_words()
    if dialect == "sqlite":
        # The words as written (folded), read from the index before it stems them.
        op.execute(
            "CREATE VIRTUAL TABLE temp.search_index_terms "
            "USING fts5vocab(main, search_index, row)"
        )
        op.execute(
            "INSERT OR IGNORE INTO search_words (length, word) "
            "SELECT length(term), term FROM temp.search_index_terms "
            f"WHERE length(term) BETWEEN {WORD_MIN} AND {WORD_MAX} AND term NOT GLOB '*[0-9]*'"
        )
        op.execute("DROP TABLE temp.search_index_terms")
        _full_text_search().downgrade()  # the triggers and the index, nothing else on SQLite
        _sqlite_index("porter unicode61 remove_diacritics 2")
    elif dialect == "postgresql":
        op.execute(
            "INSERT INTO search_words (length, word) SELECT char_length(word), word FROM ts_stat("
            "'SELECT search_vector FROM threads UNION ALL "
            "SELECT search_vector FROM comments WHERE status = ''published''') "
            f"WHERE char_length(word) BETWEEN {WORD_MIN} AND {WORD_MAX} "
            "AND word !~ '[^[:alpha:]]' ON CONFLICT DO NOTHING"
        )
        op.execute(
            "CREATE TEXT SEARCH DICTIONARY forum_stem (TEMPLATE = snowball, Language = porter)"
        )
        _pg_vectors("forum_stem", "unaccent, forum_stem")


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        _full_text_search().downgrade()
        _sqlite_index("unicode61 remove_diacritics 2")
    elif dialect == "postgresql":
        _pg_vectors("simple", "unaccent, simple")
        op.execute("DROP TEXT SEARCH DICTIONARY forum_stem")
    op.drop_table("search_words")
