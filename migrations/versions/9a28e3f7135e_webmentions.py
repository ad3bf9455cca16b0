"""Webmentions: other sites' pages linking to a thread, and their queue items

A table of verified mentions (one per source and target, found by a hash of the two), a
queue item's mention for the new "webmention" queue source, and each thread's count of
approved mentions, so a thread page without any asks the database nothing more.

Revision ID: 9a28e3f7135e
Revises: 76f653ef86c9
Create Date: 2026-12-04 08:55:04.828062

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9a28e3f7135e'
down_revision = '76f653ef86c9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('webmentions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('target', sa.Text(), nullable=False),
    sa.Column('source_host', sa.String(length=255), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('author', sa.Text(), nullable=False),
    sa.Column('excerpt', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('verified_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_webmentions_thread_id_threads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webmentions')),
    sa.UniqueConstraint('key', name=op.f('uq_webmentions_key'))
    )
    with op.batch_alter_table('webmentions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webmentions_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_webmentions_thread_id'), ['thread_id'], unique=False)

    with op.batch_alter_table('queue_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mention_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_queue_items_mention_id'), ['mention_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_queue_items_mention_id_webmentions'), 'webmentions', ['mention_id'], ['id'], ondelete='CASCADE')

    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mention_count', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.drop_column('mention_count')

    with op.batch_alter_table('queue_items', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_queue_items_mention_id_webmentions'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_queue_items_mention_id'))
        batch_op.drop_column('mention_id')

    with op.batch_alter_table('webmentions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webmentions_thread_id'))
        batch_op.drop_index(batch_op.f('ix_webmentions_created_at'))

    op.drop_table('webmentions')