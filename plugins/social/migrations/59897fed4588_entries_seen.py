"""entries seen

Revision ID: 59897fed4588
Revises: 0c3ca9cfb703
Create Date: 2026-12-01 19:06:39.042217
"""

import sqlalchemy as sa
from alembic import op

revision = '59897fed4588'
down_revision = '0c3ca9cfb703'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('social_preferences', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seen_entry_id', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('social_preferences', schema=None) as batch_op:
        batch_op.drop_column('seen_entry_id')

