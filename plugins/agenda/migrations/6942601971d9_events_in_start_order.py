"""agenda events in start order, whatever their status

Revision ID: 6942601971d9
Revises: 567fdac381e7
Create Date: 2026-11-25 21:44:05.124456
"""

from alembic import op

revision = '6942601971d9'
down_revision = '567fdac381e7'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('agenda_event', schema=None) as batch_op:
        batch_op.drop_index('ix_agenda_event_status_starts')
        batch_op.create_index('ix_agenda_event_starts', ['starts_at', 'id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('agenda_event', schema=None) as batch_op:
        batch_op.drop_index('ix_agenda_event_starts')
        batch_op.create_index('ix_agenda_event_status_starts', ['status', 'starts_at', 'id'],
                              unique=False)
