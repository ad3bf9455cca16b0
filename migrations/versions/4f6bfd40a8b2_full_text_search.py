"""Full-text search over threads and published comments

SQLite: an FTS5 table ``search_index`` (unicode61 tokenizer folding case and accents, with
a 3-character prefix index), filled from the rows already here and kept in step by triggers
on threads and comments. Row ids: a thread is ``-threads.id``, a comment ``comments.id``.
Only published comments are in it: a status change deletes or re-adds the row at once.

PostgreSQL: the ``forum_search`` text search configuration (the 'simple' parser and
dictionary, no stemming, like unicode61, with unaccent in front) and two GIN expression
indexes. The indexes are the search documents, so the database keeps them current and they
cover existing rows when built; the comments one is partial, on published comments only.
The expressions here must match forum.search.service exactly, or the planner ignores them.

Neither kind of object is on the models (they can't be: one is SQLite-only, the other
PostgreSQL-only); forum.search.rules.is_search_index_object names them for Alembic's
``include_name`` hook.

Warning for later migrations: batch_alter_table on threads or comments rebuilds the table on
SQLite, which drops its triggers. Such a migration must create the triggers again
(``sqlite_triggers()`` below); tests/search/test_search.py fails if any is missing.

Revision ID: 4f6bfd40a8b2
Revises: 5978b1bb7ae9
Create Date: 2026-11-23 09:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '4f6bfd40a8b2'
down_revision = '5978b1bb7ae9'
branch_labels = None
depends_on = None

SQLITE_TRIGGERS = {
    "search_index_thread_insert": """
        AFTER INSERT ON threads BEGIN
          INSERT INTO search_index (rowid, title, body) VALUES (-new.id, new.title, new.body_src);
        END""",
    "search_index_thread_update": """
        AFTER UPDATE OF title, body_src ON threads BEGIN
          DELETE FROM search_index WHERE rowid = -old.id;
          INSERT INTO search_index (rowid, title, body) VALUES (-new.id, new.title, new.body_src);
        END""",
    "search_index_thread_delete": """
        AFTER DELETE ON threads BEGIN
          DELETE FROM search_index WHERE rowid = -old.id;
        END""",
    "search_index_comment_insert": """
        AFTER INSERT ON comments WHEN new.status = 'published' BEGIN
          INSERT INTO search_index (rowid, title, body) VALUES (new.id, '', new.body_src);
        END""",
    "search_index_comment_update": """
        AFTER UPDATE OF body_src, status ON comments BEGIN
          DELETE FROM search_index WHERE rowid = old.id;
          INSERT INTO search_index (rowid, title, body)
            SELECT new.id, '', new.body_src WHERE new.status = 'published';
        END""",
    "search_index_comment_delete": """
        AFTER DELETE ON comments BEGIN
          DELETE FROM search_index WHERE rowid = old.id;
        END""",
}

PG_THREAD_DOCUMENT = (
    "(setweight(to_tsvector('forum_search'::regconfig, title), 'A') || "
    "setweight(to_tsvector('forum_search'::regconfig, body_src), 'D'))"
)
PG_COMMENT_DOCUMENT = "to_tsvector('forum_search'::regconfig, body_src)"


def sqlite_triggers():
    """(Re)create the triggers; for any later migration that rebuilds threads or comments."""
    for name, body in SQLITE_TRIGGERS.items():
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(f"CREATE TRIGGER {name} {body}")


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE search_index USING fts5("
            "title, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '3')"
        )
        op.execute(
            "INSERT INTO search_index (rowid, title, body) "
            "SELECT -id, title, body_src FROM threads"
        )
        op.execute(
            "INSERT INTO search_index (rowid, title, body) "
            "SELECT id, '', body_src FROM comments WHERE status = 'published'"
        )
        sqlite_triggers()
    elif dialect == "postgresql":
        # Trusted since PostgreSQL 13: a database owner may create it without superuser.
        op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        op.execute("CREATE TEXT SEARCH CONFIGURATION forum_search (COPY = simple)")
        op.execute(
            "ALTER TEXT SEARCH CONFIGURATION forum_search "
            "ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple"
        )
        op.execute(f"CREATE INDEX ix_threads_search ON threads USING gin ({PG_THREAD_DOCUMENT})")
        op.execute(
            f"CREATE INDEX ix_comments_search ON comments USING gin ({PG_COMMENT_DOCUMENT}) "
            "WHERE status = 'published'"
        )


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS search_index")
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_comments_search")
        op.execute("DROP INDEX IF EXISTS ix_threads_search")
        op.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS forum_search")
        # unaccent stays: it may have been here before us, and other objects may use it.
