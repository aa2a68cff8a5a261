"""when a petition reached its goal

``GoalReached`` is published once per petition: the first time its confirmed signatures meet
the goal, which ``goal_reached_at`` records. Petitions that had already met it are marked as
of the upgrade, so that their next signature announces nothing.

Revision ID: c7dfb794c8bf
Revises: ad3579c4e8cd
Create Date: 2026-12-10
"""

import sqlalchemy as sa
from alembic import op

import core.db

revision = "c7dfb794c8bf"
down_revision = "ad3579c4e8cd"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("petitions_petition", schema=None) as batch_op:
        batch_op.add_column(sa.Column("goal_reached_at", core.db.UTCDateTime(timezone=True),
                                      nullable=True))
    petition = sa.table("petitions_petition", sa.column("id", sa.Integer),
                        sa.column("goal", sa.Integer),
                        sa.column("goal_reached_at", core.db.UTCDateTime(timezone=True)))
    signature = sa.table("petitions_signature", sa.column("petition_id", sa.Integer),
                         sa.column("confirmed_at", core.db.UTCDateTime(timezone=True)))
    confirmed = (sa.select(sa.func.count()).select_from(signature)
                 .where(signature.c.petition_id == petition.c.id,
                        signature.c.confirmed_at.is_not(None))
                 .scalar_subquery())
    op.execute(petition.update().where(petition.c.goal <= confirmed)
               .values(goal_reached_at=core.db.utcnow()))


def downgrade() -> None:
    with op.batch_alter_table("petitions_petition", schema=None) as batch_op:
        batch_op.drop_column("goal_reached_at")
