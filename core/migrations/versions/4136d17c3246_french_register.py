"""french register: a member's choice of vous or tu

Revision ID: 4136d17c3246
Revises: b5e1c0a2d7f4
Create Date: 2026-12-01 18:57:54.024983
"""

import sqlalchemy as sa
from alembic import op

revision = '4136d17c3246'
down_revision = 'b5e1c0a2d7f4'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None,
                              table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.add_column(sa.Column('french_register', sa.String(length=4), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None,
                              table_kwargs={'sqlite_autoincrement': True}) as batch_op:
        batch_op.drop_column('french_register')

