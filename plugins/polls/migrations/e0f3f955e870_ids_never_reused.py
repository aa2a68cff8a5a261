"""ids are never reused: these tables get AUTOINCREMENT on SQLite

See core.migrate.sqlite_autoincrement; nothing changes on PostgreSQL.

Revision ID: e0f3f955e870
Revises: 57f7ae0199d9
Create Date: 2026-12-01
"""

from core.migrate import sqlite_autoincrement

revision = "e0f3f955e870"
down_revision = "57f7ae0199d9"
branch_labels = None
depends_on = None

TABLES = ("polls_poll", "polls_option", "polls_participation")


def upgrade() -> None:
    sqlite_autoincrement(*TABLES)


def downgrade() -> None:
    sqlite_autoincrement(*TABLES, on=False)
