"""ids are never reused: these tables get AUTOINCREMENT on SQLite

See core.migrate.sqlite_autoincrement; nothing changes on PostgreSQL.

Revision ID: d6bb44fd85a2
Revises: 6bd3e0147430
Create Date: 2026-12-01
"""

from core.migrate import sqlite_autoincrement

revision = "d6bb44fd85a2"
down_revision = "6bd3e0147430"
branch_labels = None
depends_on = None

TABLES = ("profiles_field_group", "profiles_field", "profiles_value")


def upgrade() -> None:
    sqlite_autoincrement(*TABLES)


def downgrade() -> None:
    sqlite_autoincrement(*TABLES, on=False)
