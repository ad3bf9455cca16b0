"""A thread's comments version, bumped by the database on every change to what its page lists

Each worker keeps the rows of a thread page's comments and reuses them while
``threads.comments_version`` is unchanged (forum.threads.service.comment_page), with or without
a page cache. Triggers bump it, so no code path can change a comment without it: a comment
written, edited, moved to another thread (both threads) or deleted, and an author renamed
(every thread they commented in, since their name shows on each comment). The version is read
in the thread's own select, one round trip the page makes anyway.

Warning for later migrations: batch_alter_table on comments or users rebuilds the table on
SQLite, which drops its triggers; such a migration must create them again
(``SQLITE_TRIGGERS`` below). tests/threads/test_kept_pages.py fails if one is missing.

Revision ID: d5a8c3e1f6b4
Revises: c4e7a91d2b58
Create Date: 2026-12-04 22:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5a8c3e1f6b4'
down_revision = 'c4e7a91d2b58'
branch_labels = None
depends_on = None

BUMP = "UPDATE threads SET comments_version = comments_version + 1"

SQLITE_TRIGGERS = {
    "comments_version_insert": f"""
        AFTER INSERT ON comments BEGIN
          {BUMP} WHERE id = new.thread_id;
        END""",
    "comments_version_update": f"""
        AFTER UPDATE ON comments BEGIN
          {BUMP} WHERE id IN (old.thread_id, new.thread_id);
        END""",
    "comments_version_delete": f"""
        AFTER DELETE ON comments BEGIN
          {BUMP} WHERE id = old.thread_id;
        END""",
    "comments_version_author": f"""
        AFTER UPDATE OF username ON users WHEN old.username IS NOT new.username BEGIN
          {BUMP} WHERE id IN (SELECT thread_id FROM comments WHERE author_id = new.id);
        END""",
}

POSTGRES = [
    f"""
    CREATE FUNCTION comments_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' THEN
        {BUMP} WHERE id = OLD.thread_id;
      END IF;
      IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.thread_id <> OLD.thread_id) THEN
        {BUMP} WHERE id = NEW.thread_id;
      END IF;
      RETURN NULL;
    END $$""",
    """
    CREATE TRIGGER comments_version AFTER INSERT OR UPDATE OR DELETE ON comments
      FOR EACH ROW EXECUTE FUNCTION comments_version_bump()""",
    f"""
    CREATE FUNCTION comments_version_author_bump() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      {BUMP} WHERE id IN (SELECT thread_id FROM comments WHERE author_id = NEW.id);
      RETURN NULL;
    END $$""",
    """
    CREATE TRIGGER comments_version_author AFTER UPDATE OF username ON users
      FOR EACH ROW WHEN (OLD.username IS DISTINCT FROM NEW.username)
      EXECUTE FUNCTION comments_version_author_bump()""",
]


def sqlite_triggers() -> None:
    for name, body in SQLITE_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def upgrade():
    op.add_column(
        'threads',
        sa.Column('comments_version', sa.Integer(), nullable=False, server_default='0'),
    )
    if op.get_bind().dialect.name == "sqlite":
        sqlite_triggers()
    else:
        for statement in POSTGRES:
            op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
    else:
        op.execute("DROP TRIGGER comments_version_author ON users")
        op.execute("DROP TRIGGER comments_version ON comments")
        op.execute("DROP FUNCTION comments_version_author_bump()")
        op.execute("DROP FUNCTION comments_version_bump()")
    # Not batch_alter_table: rebuilding threads on SQLite would drop its search triggers.
    op.execute("ALTER TABLE threads DROP COLUMN comments_version")
