"""notes table

Revision ID: notes_a1
Revises:
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "notes_a1"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notes_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.String(length=1000), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_notes_note_author_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notes_note")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_notes_note_author_id"), "notes_note", ["author_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_notes_note_author_id"), table_name="notes_note")
    op.drop_table("notes_note")
