"""whether a poll's opening and closing were published as events

Polls that opened or closed before the upgrade count as published, so that the periodic task
announces only what happens from now on.

Revision ID: d0e42fd98093
Revises: e0f3f955e870
Create Date: 2026-12-10
"""

import sqlalchemy as sa
from alembic import op

import core.db

revision = "d0e42fd98093"
down_revision = "e0f3f955e870"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("polls_poll", schema=None) as batch_op:
        batch_op.add_column(sa.Column("opening_published", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column("closing_published", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    poll = sa.table("polls_poll", sa.column("opens_at", core.db.UTCDateTime()),
                    sa.column("closes_at", core.db.UTCDateTime()),
                    sa.column("opening_published", sa.Boolean),
                    sa.column("closing_published", sa.Boolean))
    now = core.db.utcnow()
    op.execute(poll.update().where(poll.c.opens_at <= now).values(opening_published=True))
    op.execute(poll.update().where(poll.c.closes_at <= now).values(closing_published=True))
    # Dropping the server defaults rebuilds the table on SQLite: keep its AUTOINCREMENT.
    with op.batch_alter_table("polls_poll", schema=None,
                              table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.alter_column("opening_published", server_default=None)
        batch_op.alter_column("closing_published", server_default=None)
        batch_op.create_index("ix_polls_poll_opening", ["opening_published", "opens_at"])
        batch_op.create_index("ix_polls_poll_closing", ["closing_published", "closes_at"])


def downgrade() -> None:
    with op.batch_alter_table("polls_poll", schema=None) as batch_op:
        batch_op.drop_index("ix_polls_poll_closing")
        batch_op.drop_index("ix_polls_poll_opening")
        batch_op.drop_column("closing_published")
        batch_op.drop_column("opening_published")
