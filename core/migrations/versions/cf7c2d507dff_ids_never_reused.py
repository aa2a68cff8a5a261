"""ids are never reused: these tables get AUTOINCREMENT on SQLite

See core.migrate.sqlite_autoincrement; nothing changes on PostgreSQL.

Revision ID: cf7c2d507dff
Revises: a3a246e253ed
Create Date: 2026-12-01
"""

from core.migrate import sqlite_autoincrement

revision = "cf7c2d507dff"
down_revision = "a3a246e253ed"
branch_labels = None
depends_on = None

TABLES = ("users", "account_tokens")


def upgrade() -> None:
    sqlite_autoincrement(*TABLES)


def downgrade() -> None:
    sqlite_autoincrement(*TABLES, on=False)
