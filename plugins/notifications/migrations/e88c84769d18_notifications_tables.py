"""notifications tables

Revision ID: e88c84769d18
Revises:
Create Date: 2026-12-01 18:35:18.686554
"""

import sqlalchemy as sa
from alembic import op

import core.db

revision = 'e88c84769d18'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('notifications_notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=80), nullable=False),
    sa.Column('subject_kind', sa.String(length=80), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('read_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('digest', sa.String(length=10), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_notifications_notification_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['recipient_id'], ['users.id'], name=op.f('fk_notifications_notification_recipient_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications_notification')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('notifications_notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_notification_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index('ix_notifications_notification_digest', ['digest', 'recipient_id', 'id'], unique=False)
        batch_op.create_index('ix_notifications_notification_recipient_id', ['recipient_id', 'id'], unique=False)
        batch_op.create_index('ix_notifications_notification_unread', ['recipient_id', 'read_at', 'id'], unique=False)

    op.create_table('notifications_preference',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=80), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_preference_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'type', name=op.f('pk_notifications_preference'))
    )


def downgrade() -> None:
    op.drop_table('notifications_preference')
    with op.batch_alter_table('notifications_notification', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_notification_unread')
        batch_op.drop_index('ix_notifications_notification_recipient_id')
        batch_op.drop_index('ix_notifications_notification_digest')
        batch_op.drop_index(batch_op.f('ix_notifications_notification_actor_id'))

    op.drop_table('notifications_notification')
