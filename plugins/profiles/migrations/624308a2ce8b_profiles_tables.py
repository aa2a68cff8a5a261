"""profiles tables, and a profile row for every member already there

Revision ID: 624308a2ce8b
Revises:
Create Date: 2026-11-25 21:09:14.547077
"""

import datetime as dt
import unicodedata

import sqlalchemy as sa
from alembic import op

import core.db

revision = '624308a2ce8b'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('profiles_field_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_profiles_field_group'))
    )
    with op.batch_alter_table('profiles_field_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_profiles_field_group_position'), ['position'], unique=False)

    op.create_table('profiles_field',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('help_text', sa.String(length=500), nullable=False),
    sa.Column('type', sa.String(length=40), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('at_registration', sa.Boolean(), nullable=False),
    sa.Column('in_directory', sa.Boolean(), nullable=False),
    sa.Column('political', sa.Boolean(), nullable=False),
    sa.Column('default_visibility', sa.String(length=10), nullable=False),
    sa.Column('member_chooses_visibility', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['profiles_field_group.id'], name=op.f('fk_profiles_field_group_id_profiles_field_group')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_profiles_field'))
    )
    with op.batch_alter_table('profiles_field', schema=None) as batch_op:
        batch_op.create_index('ix_profiles_field_group_id_position', ['group_id', 'position'], unique=False)

    op.create_table('profiles_profile',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('sort_name', sa.String(length=80), nullable=False),
    sa.Column('avatar', sa.String(length=64), nullable=True),
    sa.Column('last_active_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_profiles_profile_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_profiles_profile'))
    )
    with op.batch_alter_table('profiles_profile', schema=None) as batch_op:
        batch_op.create_index('ix_profiles_profile_last_active', ['last_active_at', 'user_id'], unique=False)
        batch_op.create_index('ix_profiles_profile_sort_name', ['sort_name', 'user_id'], unique=False)

    op.create_table('profiles_value',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('field_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('search', sa.String(length=255), nullable=False),
    sa.Column('visibility', sa.String(length=10), nullable=False),
    sa.Column('chosen_visibility', sa.String(length=10), nullable=True),
    sa.ForeignKeyConstraint(['field_id'], ['profiles_field.id'], name=op.f('fk_profiles_value_field_id_profiles_field'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_profiles_value_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_profiles_value'))
    )
    with op.batch_alter_table('profiles_value', schema=None) as batch_op:
        batch_op.create_index('ix_profiles_value_field_search', ['field_id', 'search', 'user_id'], unique=False)
        batch_op.create_index('ix_profiles_value_user_field', ['user_id', 'field_id'], unique=False)

    _backfill_profiles()


def _fold(text):
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())[:80]


def _backfill_profiles():
    """Members who joined before the plugin was switched on get their profile row."""
    connection = op.get_bind()
    users = sa.table("users", sa.column("id"), sa.column("display_name"),
                     sa.column("created_at", core.db.UTCDateTime()))
    profiles = sa.table("profiles_profile", sa.column("user_id"), sa.column("sort_name"),
                        sa.column("last_active_at", core.db.UTCDateTime()),
                        sa.column("updated_at", core.db.UTCDateTime()))
    now = dt.datetime.now(dt.UTC)
    rows = [
        {"user_id": user_id, "sort_name": _fold(name), "last_active_at": created or now,
         "updated_at": now}
        for user_id, name, created in connection.execute(
            sa.select(users.c.id, users.c.display_name, users.c.created_at))
    ]
    for start in range(0, len(rows), 5000):
        connection.execute(sa.insert(profiles), rows[start:start + 5000])



def downgrade() -> None:
    with op.batch_alter_table('profiles_value', schema=None) as batch_op:
        batch_op.drop_index('ix_profiles_value_user_field')
        batch_op.drop_index('ix_profiles_value_field_search')

    op.drop_table('profiles_value')
    with op.batch_alter_table('profiles_profile', schema=None) as batch_op:
        batch_op.drop_index('ix_profiles_profile_sort_name')
        batch_op.drop_index('ix_profiles_profile_last_active')

    op.drop_table('profiles_profile')
    with op.batch_alter_table('profiles_field', schema=None) as batch_op:
        batch_op.drop_index('ix_profiles_field_group_id_position')

    op.drop_table('profiles_field')
    with op.batch_alter_table('profiles_field_group', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_profiles_field_group_position'))

    op.drop_table('profiles_field_group')
