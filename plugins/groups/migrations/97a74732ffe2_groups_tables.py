"""groups tables, and the four group types a site starts with

Revision ID: 97a74732ffe2
Revises:
Create Date: 2026-11-25 21:22:40.404119
"""

import sqlalchemy as sa
from alembic import op

import core.db

revision = '97a74732ffe2'
down_revision = None
branch_labels = None
depends_on = None

# The English names; the catalogue translates them (plugins/groups/seed.py marks them).
DEFAULT_TYPES = (
    ('local-section', 'Local section', 'The members of one town or district.'),
    ('watch-group', 'Watch group', 'Members who follow one subject and alert the others.'),
    ('thematic-group', 'Thematic group', 'Work on one theme: housing, climate, work...'),
    ('bloggers-group', "Bloggers' group", 'Friendly bloggers who write about our ideas.'),
)


def upgrade() -> None:
    op.create_table('groups_type',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_groups_type')),
    sa.UniqueConstraint('key', name=op.f('uq_groups_type_key'))
    )
    with op.batch_alter_table('groups_type', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_groups_type_position'), ['position'], unique=False)

    op.create_table('groups_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('sort_name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('type_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('invite_policy', sa.String(length=12), nullable=False),
    sa.Column('postcode', sa.String(length=12), nullable=False),
    sa.Column('city', sa.String(length=80), nullable=False),
    sa.Column('avatar', sa.String(length=64), nullable=True),
    sa.Column('cover', sa.String(length=64), nullable=True),
    sa.Column('member_count', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_active_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_groups_group_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['type_id'], ['groups_type.id'], name=op.f('fk_groups_group_type_id_groups_type'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_groups_group')),
    sa.UniqueConstraint('slug', name=op.f('uq_groups_group_slug'))
    )
    with op.batch_alter_table('groups_group', schema=None) as batch_op:
        batch_op.create_index('ix_groups_group_created', ['created_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_groups_group_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index('ix_groups_group_last_active', ['last_active_at', 'id'], unique=False)
        batch_op.create_index('ix_groups_group_member_count', ['member_count', 'id'], unique=False)
        batch_op.create_index('ix_groups_group_sort_name', ['sort_name', 'id'], unique=False)
        batch_op.create_index('ix_groups_group_status', ['status', 'id'], unique=False)
        batch_op.create_index('ix_groups_group_type_created', ['type_id', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_groups_group_type_last_active', ['type_id', 'last_active_at', 'id'], unique=False)
        batch_op.create_index('ix_groups_group_type_member_count', ['type_id', 'member_count', 'id'], unique=False)
        batch_op.create_index('ix_groups_group_type_sort_name', ['type_id', 'sort_name', 'id'], unique=False)

    op.create_table('groups_membership',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups_group.id'], name=op.f('fk_groups_membership_group_id_groups_group'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_groups_membership_invited_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_groups_membership_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', 'user_id', name=op.f('pk_groups_membership'))
    )
    with op.batch_alter_table('groups_membership', schema=None) as batch_op:
        batch_op.create_index('ix_groups_membership_group_state', ['group_id', 'state', 'created_at', 'user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_groups_membership_invited_by_id'), ['invited_by_id'], unique=False)
        batch_op.create_index('ix_groups_membership_user_state', ['user_id', 'state', 'group_id'], unique=False)



    types = sa.table('groups_type', sa.column('key', sa.String), sa.column('name', sa.String),
                     sa.column('description', sa.String), sa.column('position', sa.Integer))
    op.bulk_insert(types, [
        {'key': key, 'name': name, 'description': description, 'position': position}
        for position, (key, name, description) in enumerate(DEFAULT_TYPES, start=1)
    ])


def downgrade() -> None:
    with op.batch_alter_table('groups_membership', schema=None) as batch_op:
        batch_op.drop_index('ix_groups_membership_user_state')
        batch_op.drop_index(batch_op.f('ix_groups_membership_invited_by_id'))
        batch_op.drop_index('ix_groups_membership_group_state')

    op.drop_table('groups_membership')
    with op.batch_alter_table('groups_group', schema=None) as batch_op:
        batch_op.drop_index('ix_groups_group_type_sort_name')
        batch_op.drop_index('ix_groups_group_type_member_count')
        batch_op.drop_index('ix_groups_group_type_last_active')
        batch_op.drop_index('ix_groups_group_type_created')
        batch_op.drop_index('ix_groups_group_status')
        batch_op.drop_index('ix_groups_group_sort_name')
        batch_op.drop_index('ix_groups_group_member_count')
        batch_op.drop_index('ix_groups_group_last_active')
        batch_op.drop_index(batch_op.f('ix_groups_group_created_by_id'))
        batch_op.drop_index('ix_groups_group_created')

    op.drop_table('groups_group')
    with op.batch_alter_table('groups_type', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_groups_type_position'))

    op.drop_table('groups_type')
