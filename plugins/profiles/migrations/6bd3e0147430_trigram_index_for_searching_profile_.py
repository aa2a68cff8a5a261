"""trigram indexes for searching names and profile values

Searching the directory looks for a part of a value (LIKE '%...%'); on PostgreSQL a trigram
index answers that without reading every value. pg_trgm is a trusted extension: the owner of
the database may create it. On SQLite the index is a plain one.

Revision ID: 6bd3e0147430
Revises: 624308a2ce8b
Create Date: 2026-11-25 22:21:17.996691
"""

from alembic import op

revision = "6bd3e0147430"
down_revision = "624308a2ce8b"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    with op.batch_alter_table("profiles_value", schema=None) as batch_op:
        batch_op.create_index("ix_profiles_value_search_trgm", ["search"], unique=False,
                              postgresql_using="gin", postgresql_ops={"search": "gin_trgm_ops"})
    with op.batch_alter_table("profiles_profile", schema=None) as batch_op:
        batch_op.create_index("ix_profiles_profile_sort_name_trgm", ["sort_name"], unique=False,
                              postgresql_using="gin",
                              postgresql_ops={"sort_name": "gin_trgm_ops"})


def downgrade() -> None:
    with op.batch_alter_table("profiles_profile", schema=None) as batch_op:
        batch_op.drop_index("ix_profiles_profile_sort_name_trgm")
    with op.batch_alter_table("profiles_value", schema=None) as batch_op:
        batch_op.drop_index("ix_profiles_value_search_trgm")
