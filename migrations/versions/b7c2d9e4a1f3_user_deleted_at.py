"""Users: deleted_at, set when the owner deletes their account

The row stays so their (anonymised or blanked) comments keep an author; its personal data
is wiped by forum.account.service.delete_account.

Revision ID: b7c2d9e4a1f3
Revises: 5033754c2ada
Create Date: 2026-11-24 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7c2d9e4a1f3'
down_revision = '5033754c2ada'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('deleted_at')
