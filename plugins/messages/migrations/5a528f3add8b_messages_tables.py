"""messages tables

Revision ID: 5a528f3add8b
Revises:
Create Date: 2026-12-01 18:53:07.809808
"""

import sqlalchemy as sa
from alembic import op

import core.db

revision = '5a528f3add8b'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('messages_conversation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=200), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('started_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_message_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['started_by_id'], ['users.id'], name=op.f('fk_messages_conversation_started_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages_conversation')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('messages_conversation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_messages_conversation_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_messages_conversation_started_by_id'), ['started_by_id'], unique=False)

    op.create_table('messages_setting',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('who_may_write', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_messages_setting_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_messages_setting'))
    )
    op.create_table('messages_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('sender_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('admins_only', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('removed', sa.String(length=10), nullable=True),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['messages_conversation.id'], name=op.f('fk_messages_message_conversation_id_messages_conversation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sender_id'], ['users.id'], name=op.f('fk_messages_message_sender_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages_message')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('messages_message', schema=None) as batch_op:
        batch_op.create_index('ix_messages_message_conversation', ['conversation_id', 'id'], unique=False)
        batch_op.create_index('ix_messages_message_sender', ['sender_id', 'created_at'], unique=False)

    op.create_table('messages_participant',
    sa.Column('conversation_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('is_admin', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('last_message_id', sa.Integer(), nullable=False),
    sa.Column('last_read_id', sa.Integer(), nullable=False),
    sa.Column('archived', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('cleared_id', sa.Integer(), nullable=False),
    sa.Column('joined_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['conversation_id'], ['messages_conversation.id'], name=op.f('fk_messages_participant_conversation_id_messages_conversation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_messages_participant_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('conversation_id', 'user_id', name=op.f('pk_messages_participant'))
    )
    with op.batch_alter_table('messages_participant', schema=None) as batch_op:
        batch_op.create_index('ix_messages_participant_inbox', ['user_id', 'archived', 'last_message_id'], unique=False)

    op.create_table('messages_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=1000), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=10), nullable=True),
    sa.ForeignKeyConstraint(['message_id'], ['messages_message.id'], name=op.f('fk_messages_report_message_id_messages_message'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_messages_report_reporter_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_messages_report_resolved_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages_report')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('messages_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_messages_report_message_id'), ['message_id'], unique=False)
        batch_op.create_index('ix_messages_report_open', ['resolved_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_messages_report_reporter_id'), ['reporter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_messages_report_resolved_by_id'), ['resolved_by_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('messages_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_messages_report_resolved_by_id'))
        batch_op.drop_index(batch_op.f('ix_messages_report_reporter_id'))
        batch_op.drop_index('ix_messages_report_open')
        batch_op.drop_index(batch_op.f('ix_messages_report_message_id'))

    op.drop_table('messages_report')
    with op.batch_alter_table('messages_participant', schema=None) as batch_op:
        batch_op.drop_index('ix_messages_participant_inbox')

    op.drop_table('messages_participant')
    with op.batch_alter_table('messages_message', schema=None) as batch_op:
        batch_op.drop_index('ix_messages_message_sender')
        batch_op.drop_index('ix_messages_message_conversation')

    op.drop_table('messages_message')
    op.drop_table('messages_setting')
    with op.batch_alter_table('messages_conversation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_messages_conversation_started_by_id'))
        batch_op.drop_index(batch_op.f('ix_messages_conversation_group_id'))

    op.drop_table('messages_conversation')
