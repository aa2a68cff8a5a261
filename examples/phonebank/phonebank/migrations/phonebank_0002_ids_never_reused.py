"""ids are never reused: these tables get AUTOINCREMENT on SQLite

See core.migrate.sqlite_autoincrement; nothing changes on PostgreSQL.

Revision ID: phonebank_0002
Revises: phonebank_0001
Create Date: 2026-12-01
"""

from core.migrate import sqlite_autoincrement

revision = "phonebank_0002"
down_revision = "phonebank_0001"
branch_labels = None
depends_on = None

TABLES = ("phonebank_campaign", "phonebank_call")


def upgrade() -> None:
    sqlite_autoincrement(*TABLES)


def downgrade() -> None:
    sqlite_autoincrement(*TABLES, on=False)
