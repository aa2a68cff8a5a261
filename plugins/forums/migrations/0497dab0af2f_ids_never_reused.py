"""ids are never reused: these tables get AUTOINCREMENT on SQLite

See core.migrate.sqlite_autoincrement; nothing changes on PostgreSQL.

Revision ID: 0497dab0af2f
Revises: ed203f0acbed
Create Date: 2026-12-01
"""

from core.migrate import sqlite_autoincrement

revision = "0497dab0af2f"
down_revision = "ed203f0acbed"
branch_labels = None
depends_on = None

TABLES = ("forums_category", "forums_forum", "forums_topic", "forums_post",
          "forums_subscription", "forums_report")


def upgrade() -> None:
    sqlite_autoincrement(*TABLES)


def downgrade() -> None:
    sqlite_autoincrement(*TABLES, on=False)
