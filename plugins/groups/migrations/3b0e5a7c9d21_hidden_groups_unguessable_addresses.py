"""hidden groups get addresses that cannot be guessed

A hidden group's address now ends with ten random hexadecimal digits, so that nobody can
find it by trying names, and nobody asking for an address for their own group can run into a
hidden group's (which told them it existed). Existing hidden groups get their random ending
here; their old addresses answer 404 afterwards, as for everyone outside. There is no way
back: downgrading keeps the new addresses.

Revision ID: 3b0e5a7c9d21
Revises: f69de72825dd
Create Date: 2026-12-01
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "3b0e5a7c9d21"
down_revision = "f69de72825dd"
branch_labels = None
depends_on = None

SLUG_LENGTH = 80
ENDING = 10


def upgrade() -> None:
    groups = sa.table("groups_group", sa.column("id", sa.Integer),
                      sa.column("slug", sa.String), sa.column("status", sa.String))
    connection = op.get_bind()
    taken = set(connection.execute(sa.select(groups.c.slug)).scalars())
    rows = connection.execute(sa.select(groups.c.id, groups.c.slug)
                              .where(groups.c.status == "hidden")).all()
    for group_id, slug in rows:
        base = slug[:SLUG_LENGTH - ENDING - 1].rstrip("-")
        new = f"{base}-{secrets.token_hex(ENDING // 2)}"
        while new in taken:
            new = f"{base}-{secrets.token_hex(ENDING // 2)}"
        taken.add(new)
        connection.execute(groups.update().where(groups.c.id == group_id).values(slug=new))


def downgrade() -> None:
    pass
