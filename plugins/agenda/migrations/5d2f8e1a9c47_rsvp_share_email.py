"""agenda answers: whether the attendee shares their email address with the organisers

Off for every answer, those already given included: organisers see an attendee's address
only once the attendee has agreed to it.

Revision ID: 5d2f8e1a9c47
Revises: 47ca93ad334f
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "5d2f8e1a9c47"
down_revision = "47ca93ad334f"
branch_labels = None
depends_on = None

# A rebuild on SQLite keeps the table's AUTOINCREMENT (see a4), which reflection cannot see.
KEEP = {"sqlite_autoincrement": True}


def upgrade() -> None:
    with op.batch_alter_table("agenda_rsvp", table_kwargs=KEEP) as batch_op:
        batch_op.add_column(sa.Column("share_email", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table("agenda_rsvp", table_kwargs=KEEP) as batch_op:
        batch_op.drop_column("share_email")
