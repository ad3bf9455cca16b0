"""Threads under moderation, flags and queue items about opening posts, editors, ignores

Threads gain the comments' moderation state (status, removal reason and category, appeal)
plus locking and pinning; flags and queue items always name their thread and name a comment
only when they are about one (none: the opening post); revisions record who edited; readers
can ignore members. Existing flags and queue items take their comment's thread.

Revision ID: c899f7175ec2
Revises: b7c2d9e4a1f3
Create Date: 2026-12-03 08:32:50.727036

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c899f7175ec2'
down_revision = 'b7c2d9e4a1f3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('user_ignores',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('ignored_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ignored_id'], ['users.id'], name=op.f('fk_user_ignores_ignored_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_ignores_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'ignored_id', name=op.f('pk_user_ignores'))
    )
    with op.batch_alter_table('user_ignores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_ignores_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_user_ignores_ignored_id'), ['ignored_id'], unique=False)

    op.create_table('thread_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body_src', sa.Text(), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('editor_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['editor_id'], ['users.id'], name=op.f('fk_thread_revisions_editor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['thread_id'], ['threads.id'], name=op.f('fk_thread_revisions_thread_id_threads'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_thread_revisions'))
    )
    with op.batch_alter_table('thread_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_thread_revisions_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_thread_revisions_thread_id'), ['thread_id'], unique=False)

    with op.batch_alter_table('comment_revisions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('editor_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_comment_revisions_editor_id_users'), 'users', ['editor_id'], ['id'], ondelete='SET NULL')

    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('removal_category', sa.String(length=20), server_default='', nullable=False))

    for table in ('flags', 'queue_items'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('thread_id', sa.Integer(), nullable=True))
        op.execute(
            f"UPDATE {table} SET thread_id = "
            f"(SELECT comments.thread_id FROM comments WHERE comments.id = {table}.comment_id)"
        )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column('thread_id', existing_type=sa.Integer(), nullable=False)
            batch_op.alter_column('comment_id', existing_type=sa.INTEGER(), nullable=True)
            batch_op.create_index(batch_op.f(f'ix_{table}_thread_id'), ['thread_id'], unique=False)
            batch_op.create_foreign_key(
                batch_op.f(f'fk_{table}_thread_id_threads'), 'threads', ['thread_id'], ['id'],
                ondelete='CASCADE',
            )
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.add_column(sa.Column('uncounted', sa.String(length=20), server_default='', nullable=False))
        batch_op.create_index('uq_flags_opening_post_user', ['thread_id', 'user_id'], unique=True, sqlite_where=sa.text('comment_id IS NULL'), postgresql_where=sa.text('comment_id IS NULL'))

    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=20), server_default='published', nullable=False))
        batch_op.add_column(sa.Column('removal_reason', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('removal_category', sa.String(length=20), server_default='', nullable=False))
        batch_op.add_column(sa.Column('appealed', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('locked_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('lock_reason', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('pinned_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('pinned_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('pinned_site_wide', sa.Boolean(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('published_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_threads_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_threads_published_at'), ['published_at'], unique=False)
    # Every thread so far was published when it was posted.
    op.execute("UPDATE threads SET published_at = created_at")



def downgrade():
    with op.batch_alter_table('threads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_threads_published_at'))
        batch_op.drop_index(batch_op.f('ix_threads_status'))
        batch_op.drop_column('published_at')
        batch_op.drop_column('pinned_site_wide')
        batch_op.drop_column('pinned_until')
        batch_op.drop_column('pinned_at')
        batch_op.drop_column('lock_reason')
        batch_op.drop_column('locked_at')
        batch_op.drop_column('appealed')
        batch_op.drop_column('removal_category')
        batch_op.drop_column('removal_reason')
        batch_op.drop_column('status')

    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.drop_index('uq_flags_opening_post_user', sqlite_where=sa.text('comment_id IS NULL'), postgresql_where=sa.text('comment_id IS NULL'))
        batch_op.drop_column('uncounted')
    for table in ('queue_items', 'flags'):
        # The old schema has no place for flags and items about an opening post.
        op.execute(f"DELETE FROM {table} WHERE comment_id IS NULL")
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_thread_id_threads'), type_='foreignkey')
            batch_op.drop_index(batch_op.f(f'ix_{table}_thread_id'))
            batch_op.alter_column('comment_id', existing_type=sa.INTEGER(), nullable=False)
            batch_op.drop_column('thread_id')

    with op.batch_alter_table('comments', schema=None) as batch_op:
        batch_op.drop_column('removal_category')

    with op.batch_alter_table('comment_revisions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_comment_revisions_editor_id_users'), type_='foreignkey')
        batch_op.drop_column('editor_id')

    with op.batch_alter_table('thread_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_thread_revisions_thread_id'))
        batch_op.drop_index(batch_op.f('ix_thread_revisions_created_at'))

    op.drop_table('thread_revisions')
    with op.batch_alter_table('user_ignores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_ignores_ignored_id'))
        batch_op.drop_index(batch_op.f('ix_user_ignores_created_at'))

    op.drop_table('user_ignores')
