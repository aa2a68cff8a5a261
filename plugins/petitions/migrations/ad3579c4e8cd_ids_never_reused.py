"""ids are never reused: these tables get AUTOINCREMENT on SQLite

See core.migrate.sqlite_autoincrement; nothing changes on PostgreSQL.

Revision ID: ad3579c4e8cd
Revises: 13a38e363f7c
Create Date: 2026-12-01
"""

from core.migrate import sqlite_autoincrement

revision = "ad3579c4e8cd"
down_revision = "13a38e363f7c"
branch_labels = None
depends_on = None

TABLES = ("petitions_petition", "petitions_signature", "petitions_newsletter_consent")


def upgrade() -> None:
    sqlite_autoincrement(*TABLES)


def downgrade() -> None:
    sqlite_autoincrement(*TABLES, on=False)
