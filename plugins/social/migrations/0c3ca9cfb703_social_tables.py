"""social tables

Revision ID: 0c3ca9cfb703
Revises:
Create Date: 2026-12-01 18:35:06.526424
"""

import sqlalchemy as sa
from alembic import op

import core.db

revision = '0c3ca9cfb703'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('social_block',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('blocked_id', sa.Integer(), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['blocked_id'], ['users.id'], name=op.f('fk_social_block_blocked_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_social_block_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_social_block')),
    sa.UniqueConstraint('user_id', 'blocked_id', name=op.f('uq_social_block_user_id')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('social_block', schema=None) as batch_op:
        batch_op.create_index('ix_social_block_blocked_id', ['blocked_id'], unique=False)

    op.create_table('social_connection',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=False),
    sa.Column('addressee_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['addressee_id'], ['users.id'], name=op.f('fk_social_connection_addressee_id_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requester_id'], ['users.id'], name=op.f('fk_social_connection_requester_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_social_connection')),
    sa.UniqueConstraint('requester_id', 'addressee_id', name=op.f('uq_social_connection_requester_id')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('social_connection', schema=None) as batch_op:
        batch_op.create_index('ix_social_connection_addressee', ['addressee_id', 'state'], unique=False)

    op.create_table('social_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('verb', sa.String(length=40), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('subject_kind', sa.String(length=60), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('favourite_count', sa.Integer(), nullable=False),
    sa.Column('in_count', sa.Integer(), nullable=False),
    sa.Column('applause_count', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_social_entry_actor_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_social_entry')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('social_entry', schema=None) as batch_op:
        batch_op.create_index('ix_social_entry_actor_id_id', ['actor_id', 'id'], unique=False)
        batch_op.create_index('ix_social_entry_group_id_id', ['group_id', 'id'], unique=False)
        batch_op.create_index('ix_social_entry_subject', ['subject_kind', 'subject_id'], unique=False)
        batch_op.create_index('ix_social_entry_verb_id', ['verb', 'id'], unique=False)

    op.create_table('social_follow',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('subject_kind', sa.String(length=10), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_social_follow_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_social_follow')),
    sa.UniqueConstraint('user_id', 'subject_kind', 'subject_id', name=op.f('uq_social_follow_user_id')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('social_follow', schema=None) as batch_op:
        batch_op.create_index('ix_social_follow_subject', ['subject_kind', 'subject_id', 'id'], unique=False)

    op.create_table('social_preferences',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('share_rsvps', sa.Boolean(), nullable=False),
    sa.Column('announce_arrival', sa.Boolean(), nullable=False),
    sa.Column('follows_visibility', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_social_preferences_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_social_preferences'))
    )
    op.create_table('social_status',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_social_status_author_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_social_status')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('social_status', schema=None) as batch_op:
        batch_op.create_index('ix_social_status_author_id_id', ['author_id', 'id'], unique=False)
        batch_op.create_index('ix_social_status_group_id_id', ['group_id', 'id'], unique=False)

    op.create_table('social_mention',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['social_entry.id'], name=op.f('fk_social_mention_entry_id_social_entry'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_social_mention_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_social_mention')),
    sa.UniqueConstraint('user_id', 'entry_id', name=op.f('uq_social_mention_user_id')),
    sqlite_autoincrement=True
    )
    op.create_table('social_reaction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['social_entry.id'], name=op.f('fk_social_reaction_entry_id_social_entry'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_social_reaction_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_social_reaction')),
    sa.UniqueConstraint('entry_id', 'user_id', 'kind', name=op.f('uq_social_reaction_entry_id')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('social_reaction', schema=None) as batch_op:
        batch_op.create_index('ix_social_reaction_user_kind_id', ['user_id', 'kind', 'id'], unique=False)

    op.create_table('social_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('resolved', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['social_entry.id'], name=op.f('fk_social_report_entry_id_social_entry'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_social_report_reporter_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_social_report')),
    sa.UniqueConstraint('entry_id', 'reporter_id', name=op.f('uq_social_report_entry_id')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('social_report', schema=None) as batch_op:
        batch_op.create_index('ix_social_report_open_id', ['resolved', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_social_report_reporter_id'), ['reporter_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('social_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_social_report_reporter_id'))
        batch_op.drop_index('ix_social_report_open_id')

    op.drop_table('social_report')
    with op.batch_alter_table('social_reaction', schema=None) as batch_op:
        batch_op.drop_index('ix_social_reaction_user_kind_id')

    op.drop_table('social_reaction')
    op.drop_table('social_mention')
    with op.batch_alter_table('social_status', schema=None) as batch_op:
        batch_op.drop_index('ix_social_status_group_id_id')
        batch_op.drop_index('ix_social_status_author_id_id')

    op.drop_table('social_status')
    op.drop_table('social_preferences')
    with op.batch_alter_table('social_follow', schema=None) as batch_op:
        batch_op.drop_index('ix_social_follow_subject')

    op.drop_table('social_follow')
    with op.batch_alter_table('social_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_social_entry_verb_id')
        batch_op.drop_index('ix_social_entry_subject')
        batch_op.drop_index('ix_social_entry_group_id_id')
        batch_op.drop_index('ix_social_entry_actor_id_id')

    op.drop_table('social_entry')
    with op.batch_alter_table('social_connection', schema=None) as batch_op:
        batch_op.drop_index('ix_social_connection_addressee')

    op.drop_table('social_connection')
    with op.batch_alter_table('social_block', schema=None) as batch_op:
        batch_op.drop_index('ix_social_block_blocked_id')

    op.drop_table('social_block')
