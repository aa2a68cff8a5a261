"""ids are never reused: the tables get AUTOINCREMENT on SQLite

SQLite gives a new row the highest id in use plus one, so the id of the last row deleted came
back: a deleted group's leftovers showed in the next group, and old links led to new rows.
AUTOINCREMENT keeps the highest id ever given. The tables are rebuilt in batch mode on SQLite;
PostgreSQL's sequences never reuse an id, so nothing changes there.

Revision ID: e0f3f955e870
Revises: 57f7ae0199d9
Create Date: 2026-12-01
"""

from core.migrate import sqlite_autoincrement

revision = "e0f3f955e870"
down_revision = "57f7ae0199d9"
branch_labels = None
depends_on = None

TABLES = ("polls_poll", "polls_option", "polls_participation",)


def upgrade() -> None:
    sqlite_autoincrement(*TABLES)


def downgrade() -> None:
    sqlite_autoincrement(*TABLES, on=False)
