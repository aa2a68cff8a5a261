"""member list indexes

Revision ID: a3a246e253ed
Revises: 28b75cff3a8b
Create Date: 2026-11-25 21:20:00
"""

from alembic import op

revision = 'a3a246e253ed'
down_revision = '28b75cff3a8b'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index('ix_users_status_id', ['status', 'id'], unique=False)
        batch_op.create_index('ix_users_role_id', ['role', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index('ix_users_role_id')
        batch_op.drop_index('ix_users_status_id')
