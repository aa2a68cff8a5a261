"""ids are never reused: these tables get AUTOINCREMENT on SQLite

See core.migrate.sqlite_autoincrement; nothing changes on PostgreSQL.

Revision ID: 47ca93ad334f
Revises: 8e47f20b42d8
Create Date: 2026-12-01
"""

from core.migrate import sqlite_autoincrement

revision = "47ca93ad334f"
down_revision = "8e47f20b42d8"
branch_labels = None
depends_on = None

TABLES = ("agenda_event_type", "agenda_series", "agenda_event", "agenda_rsvp")


def upgrade() -> None:
    sqlite_autoincrement(*TABLES)


def downgrade() -> None:
    sqlite_autoincrement(*TABLES, on=False)
