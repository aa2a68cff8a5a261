"""ids are never reused: these tables get AUTOINCREMENT on SQLite

See core.migrate.sqlite_autoincrement; nothing changes on PostgreSQL.

Revision ID: f69de72825dd
Revises: 97a74732ffe2
Create Date: 2026-12-01
"""

from core.migrate import sqlite_autoincrement

revision = "f69de72825dd"
down_revision = "97a74732ffe2"
branch_labels = None
depends_on = None

TABLES = ("groups_type", "groups_group")


def upgrade() -> None:
    sqlite_autoincrement(*TABLES)


def downgrade() -> None:
    sqlite_autoincrement(*TABLES, on=False)
