"""petitions tables

Revision ID: 13a38e363f7c
Revises:
Create Date: 2026-11-25 21:24:24.824904
"""

import sqlalchemy as sa
from alembic import op

import core.db

revision = '13a38e363f7c'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('petitions_petition',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('addressee', sa.String(length=200), nullable=False),
    sa.Column('goal', sa.Integer(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('ask_postcode', sa.Boolean(), nullable=False),
    sa.Column('ask_comment', sa.Boolean(), nullable=False),
    sa.Column('show_names', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_petitions_petition_author_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petitions_petition'))
    )
    with op.batch_alter_table('petitions_petition', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_petitions_petition_author_id'), ['author_id'], unique=False)
        batch_op.create_index('ix_petitions_petition_group_id_status_id', ['group_id', 'status', 'id'], unique=False)
        batch_op.create_index('ix_petitions_petition_status_id', ['status', 'id'], unique=False)

    op.create_table('petitions_signature',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('email_key', sa.String(length=320), nullable=True),
    sa.Column('postcode', sa.String(length=20), nullable=True),
    sa.Column('comment', sa.String(length=1000), nullable=True),
    sa.Column('show_name', sa.Boolean(), nullable=False),
    sa.Column('locale', sa.String(length=10), nullable=False),
    sa.Column('consent_text', sa.Text(), nullable=False),
    sa.Column('consented_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions_petition.id'], name=op.f('fk_petitions_signature_petition_id_petitions_petition'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_petitions_signature_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petitions_signature')),
    sa.UniqueConstraint('petition_id', 'email_key', name=op.f('uq_petitions_signature_petition_id')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_petitions_signature_token_hash'))
    )
    with op.batch_alter_table('petitions_signature', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_petitions_signature_email_key'), ['email_key'], unique=False)
        batch_op.create_index('ix_petitions_signature_petition_id_confirmed_at', ['petition_id', 'confirmed_at'], unique=False)
        batch_op.create_index('ix_petitions_signature_petition_id_id', ['petition_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_petitions_signature_user_id'), ['user_id'], unique=False)

    op.create_table('petitions_newsletter_consent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('signature_id', sa.Integer(), nullable=False),
    sa.Column('consent_text', sa.Text(), nullable=False),
    sa.Column('consented_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['signature_id'], ['petitions_signature.id'], name=op.f('fk_petitions_newsletter_consent_signature_id_petitions_signature'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petitions_newsletter_consent')),
    sa.UniqueConstraint('signature_id', name=op.f('uq_petitions_newsletter_consent_signature_id'))
    )


def downgrade() -> None:
    op.drop_table('petitions_newsletter_consent')
    with op.batch_alter_table('petitions_signature', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_petitions_signature_user_id'))
        batch_op.drop_index('ix_petitions_signature_petition_id_id')
        batch_op.drop_index('ix_petitions_signature_petition_id_confirmed_at')
        batch_op.drop_index(batch_op.f('ix_petitions_signature_email_key'))

    op.drop_table('petitions_signature')
    with op.batch_alter_table('petitions_petition', schema=None) as batch_op:
        batch_op.drop_index('ix_petitions_petition_status_id')
        batch_op.drop_index('ix_petitions_petition_group_id_status_id')
        batch_op.drop_index(batch_op.f('ix_petitions_petition_author_id'))

    op.drop_table('petitions_petition')
