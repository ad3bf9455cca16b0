"""Stored search vectors on PostgreSQL

The GIN indexes of the search migration were on expressions, so finding rows was fast but
ranking them was not: ts_rank_cd needs each matching row's tsvector, and with only an
expression index PostgreSQL re-parses every matching body to get it (seconds for a common
word over 200,000 comments). A stored generated column keeps the parsed document beside the
row; the GIN indexes move onto it, and the comments one stays partial on published rows.

SQLite needs nothing: FTS5 keeps its own parsed copy in ``search_index``.

The column has no model (it exists only on PostgreSQL); forum.search.rules names it for
Alembic's ``include_name`` hook, and nothing ever writes it (PostgreSQL computes it).

Revision ID: 5033754c2ada
Revises: 4f6bfd40a8b2
Create Date: 2026-12-01 19:00:00.000000

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "5033754c2ada"
down_revision = "4f6bfd40a8b2"
branch_labels = None
depends_on = None

CONFIG = "'forum_search'::regconfig"
THREAD_DOCUMENT = (
    f"setweight(to_tsvector({CONFIG}, title), 'A') || "
    f"setweight(to_tsvector({CONFIG}, body_src), 'D')"
)
COMMENT_DOCUMENT = f"to_tsvector({CONFIG}, body_src)"


def upgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_threads_search")
    op.execute("DROP INDEX IF EXISTS ix_comments_search")
    op.execute(
        "ALTER TABLE threads ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS ({THREAD_DOCUMENT}) STORED"
    )
    op.execute(
        "ALTER TABLE comments ADD COLUMN search_vector tsvector "
        f"GENERATED ALWAYS AS ({COMMENT_DOCUMENT}) STORED"
    )
    op.execute("CREATE INDEX ix_threads_search ON threads USING gin (search_vector)")
    op.execute(
        "CREATE INDEX ix_comments_search ON comments USING gin (search_vector) "
        "WHERE status = 'published'"
    )


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_threads_search")
    op.execute("DROP INDEX IF EXISTS ix_comments_search")
    op.execute("ALTER TABLE threads DROP COLUMN search_vector")
    op.execute("ALTER TABLE comments DROP COLUMN search_vector")
    op.execute(f"CREATE INDEX ix_threads_search ON threads USING gin (({THREAD_DOCUMENT}))")
    op.execute(
        f"CREATE INDEX ix_comments_search ON comments USING gin (({COMMENT_DOCUMENT})) "
        "WHERE status = 'published'"
    )
