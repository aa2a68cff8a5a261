"""polls tables

Revision ID: 57f7ae0199d9
Revises:
Create Date: 2026-11-25 21:25:41.792404
"""

import sqlalchemy as sa
from alembic import op

import core.db

revision = '57f7ae0199d9'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('polls_poll',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('method', sa.String(length=40), nullable=False),
    sa.Column('min_choices', sa.Integer(), nullable=False),
    sa.Column('max_choices', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('opens_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closes_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('changeable', sa.Boolean(), nullable=False),
    sa.Column('results', sa.String(length=10), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_polls_poll_author_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_polls_poll'))
    )
    with op.batch_alter_table('polls_poll', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_polls_poll_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_polls_poll_group_id_id', ['group_id', 'id'], unique=False)

    op.create_table('polls_ballot',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('change_key', sa.String(length=64), nullable=True),
    sa.Column('choices', sa.JSON(), nullable=False),
    sa.Column('updated_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['poll_id'], ['polls_poll.id'], name=op.f('fk_polls_ballot_poll_id_polls_poll'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_polls_ballot_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_polls_ballot')),
    sa.UniqueConstraint('change_key', name=op.f('uq_polls_ballot_change_key'))
    )
    with op.batch_alter_table('polls_ballot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_polls_ballot_poll_id'), ['poll_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_polls_ballot_user_id'), ['user_id'], unique=False)

    op.create_table('polls_option',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['poll_id'], ['polls_poll.id'], name=op.f('fk_polls_option_poll_id_polls_poll'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_polls_option'))
    )
    with op.batch_alter_table('polls_option', schema=None) as batch_op:
        batch_op.create_index('ix_polls_option_poll_id_position', ['poll_id', 'position'], unique=False)

    op.create_table('polls_participation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('voted_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['poll_id'], ['polls_poll.id'], name=op.f('fk_polls_participation_poll_id_polls_poll'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_polls_participation_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_polls_participation')),
    sa.UniqueConstraint('poll_id', 'user_id', name=op.f('uq_polls_participation_poll_id'))
    )
    with op.batch_alter_table('polls_participation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_polls_participation_user_id'), ['user_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('polls_participation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_polls_participation_user_id'))

    op.drop_table('polls_participation')
    with op.batch_alter_table('polls_option', schema=None) as batch_op:
        batch_op.drop_index('ix_polls_option_poll_id_position')

    op.drop_table('polls_option')
    with op.batch_alter_table('polls_ballot', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_polls_ballot_user_id'))
        batch_op.drop_index(batch_op.f('ix_polls_ballot_poll_id'))

    op.drop_table('polls_ballot')
    with op.batch_alter_table('polls_poll', schema=None) as batch_op:
        batch_op.drop_index('ix_polls_poll_group_id_id')
        batch_op.drop_index(batch_op.f('ix_polls_poll_author_id'))

    op.drop_table('polls_poll')
