"""ids are never reused: the tables get AUTOINCREMENT on SQLite

SQLite gives a new row the highest id in use plus one, so the id of the last row deleted came
back: a deleted group's leftovers showed in the next group, and old links led to new rows.
AUTOINCREMENT keeps the highest id ever given. The tables are rebuilt in batch mode on SQLite;
PostgreSQL's sequences never reuse an id, so nothing changes there.

Revision ID: f69de72825dd
Revises: 97a74732ffe2
Create Date: 2026-12-01
"""

from core.migrate import sqlite_autoincrement

revision = "f69de72825dd"
down_revision = "97a74732ffe2"
branch_labels = None
depends_on = None

TABLES = ("groups_type", "groups_group",)


def upgrade() -> None:
    sqlite_autoincrement(*TABLES)


def downgrade() -> None:
    sqlite_autoincrement(*TABLES, on=False)
