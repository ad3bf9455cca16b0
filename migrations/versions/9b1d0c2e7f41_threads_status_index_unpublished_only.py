"""Index the status of only the threads that are not published

An index over every thread's status let SQLite choose it for the home page's listing of
published threads and sort them all to show a page (28 pages a second at 10,000 threads);
the unpublished few are what status lookups want.

Revision ID: 9b1d0c2e7f41
Revises: 45019e8203af
Create Date: 2026-12-04 07:55:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9b1d0c2e7f41'
down_revision = '45019e8203af'
branch_labels = None
depends_on = None

UNPUBLISHED = sa.text("status != 'published'")


def upgrade():
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.drop_index('ix_threads_status')
    op.create_index(
        'ix_threads_status_unpublished',
        'threads',
        ['status'],
        sqlite_where=UNPUBLISHED,
        postgresql_where=UNPUBLISHED,
    )


def downgrade():
    op.drop_index('ix_threads_status_unpublished', table_name='threads')
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.create_index('ix_threads_status', ['status'], unique=False)
