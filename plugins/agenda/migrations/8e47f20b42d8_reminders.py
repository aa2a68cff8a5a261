"""agenda reminders: when each attendee was reminded

Revision ID: 8e47f20b42d8
Revises: 6942601971d9
Create Date: 2026-11-25 21:53:00
"""

import sqlalchemy as sa
from alembic import op

import core.db

revision = '8e47f20b42d8'
down_revision = '6942601971d9'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('agenda_rsvp', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminded_at', core.db.UTCDateTime(timezone=True),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('agenda_rsvp', schema=None) as batch_op:
        batch_op.drop_column('reminded_at')
