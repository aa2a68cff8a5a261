"""agenda tables, and the usual event types

Revision ID: 567fdac381e7
Revises:
Create Date: 2026-11-25 21:18:49.528888
"""

import sqlalchemy as sa
from alembic import op

import core.db

revision = '567fdac381e7'
down_revision = None
branch_labels = None
depends_on = None

# Shown translated while admins keep these names (see plugins.agenda.services.TYPE_NAMES).
DEFAULT_TYPES = [
    ("meeting", "Meeting"),
    ("leafleting", "Leafleting"),
    ("door-to-door", "Door-to-door"),
    ("demonstration", "Demonstration"),
    ("phone-bank", "Phone bank"),
    ("training", "Training"),
    ("public-meeting", "Public meeting"),
    ("social", "Social"),
]


def upgrade() -> None:
    types = op.create_table('agenda_event_type',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_event_type')),
    sa.UniqueConstraint('slug', name=op.f('uq_agenda_event_type_slug'))
    )
    with op.batch_alter_table('agenda_event_type', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_event_type_position'), ['position'], unique=False)
    op.bulk_insert(types, [
        {"slug": slug, "name": name, "position": position}
        for position, (slug, name) in enumerate(DEFAULT_TYPES, start=1)
    ])

    op.create_table('agenda_series',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rule', sa.String(length=200), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_series'))
    )
    op.create_table('agenda_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('type_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('all_day', sa.Boolean(), nullable=False),
    sa.Column('venue', sa.String(length=200), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('postcode', sa.String(length=20), nullable=False),
    sa.Column('city', sa.String(length=100), nullable=False),
    sa.Column('city_key', sa.String(length=100), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('online_url', sa.String(length=500), nullable=False),
    sa.Column('organiser_id', sa.Integer(), nullable=True),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('visibility', sa.String(length=10), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('rsvp_deadline', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('seats_taken', sa.Integer(), nullable=False),
    sa.Column('address_for_attendees', sa.Boolean(), nullable=False),
    sa.Column('show_attendees', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('series_id', sa.Integer(), nullable=True),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organiser_id'], ['users.id'], name=op.f('fk_agenda_event_organiser_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['series_id'], ['agenda_series.id'], name=op.f('fk_agenda_event_series_id_agenda_series'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['type_id'], ['agenda_event_type.id'], name=op.f('fk_agenda_event_type_id_agenda_event_type')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_event'))
    )
    with op.batch_alter_table('agenda_event', schema=None) as batch_op:
        batch_op.create_index('ix_agenda_event_city_starts', ['city_key', 'starts_at', 'id'], unique=False)
        batch_op.create_index('ix_agenda_event_group_starts', ['group_id', 'starts_at', 'id'], unique=False)
        batch_op.create_index('ix_agenda_event_organiser_starts', ['organiser_id', 'starts_at', 'id'], unique=False)
        batch_op.create_index('ix_agenda_event_postcode_starts', ['postcode', 'starts_at', 'id'], unique=False)
        batch_op.create_index('ix_agenda_event_series_starts', ['series_id', 'starts_at'], unique=False)
        batch_op.create_index('ix_agenda_event_status_starts', ['status', 'starts_at', 'id'], unique=False)
        batch_op.create_index('ix_agenda_event_type_starts', ['type_id', 'starts_at', 'id'], unique=False)

    op.create_table('agenda_feed_key',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_agenda_feed_key_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_agenda_feed_key'))
    )
    op.create_table('agenda_cohost',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['agenda_event.id'], name=op.f('fk_agenda_cohost_event_id_agenda_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_agenda_cohost_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'user_id', name=op.f('pk_agenda_cohost'))
    )
    with op.batch_alter_table('agenda_cohost', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_cohost_user_id'), ['user_id'], unique=False)

    op.create_table('agenda_rsvp',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('guests', sa.Integer(), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('checked_in_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['agenda_event.id'], name=op.f('fk_agenda_rsvp_event_id_agenda_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_agenda_rsvp_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_rsvp')),
    sa.UniqueConstraint('event_id', 'user_id', name='uq_agenda_rsvp_event_user')
    )
    with op.batch_alter_table('agenda_rsvp', schema=None) as batch_op:
        batch_op.create_index('ix_agenda_rsvp_event_status_created', ['event_id', 'status', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_agenda_rsvp_user_status', ['user_id', 'status', 'event_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('agenda_rsvp', schema=None) as batch_op:
        batch_op.drop_index('ix_agenda_rsvp_user_status')
        batch_op.drop_index('ix_agenda_rsvp_event_status_created')

    op.drop_table('agenda_rsvp')
    with op.batch_alter_table('agenda_cohost', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_cohost_user_id'))

    op.drop_table('agenda_cohost')
    op.drop_table('agenda_feed_key')
    with op.batch_alter_table('agenda_event', schema=None) as batch_op:
        batch_op.drop_index('ix_agenda_event_type_starts')
        batch_op.drop_index('ix_agenda_event_status_starts')
        batch_op.drop_index('ix_agenda_event_series_starts')
        batch_op.drop_index('ix_agenda_event_postcode_starts')
        batch_op.drop_index('ix_agenda_event_organiser_starts')
        batch_op.drop_index('ix_agenda_event_group_starts')
        batch_op.drop_index('ix_agenda_event_city_starts')

    op.drop_table('agenda_event')
    op.drop_table('agenda_series')
    with op.batch_alter_table('agenda_event_type', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_event_type_position'))

    op.drop_table('agenda_event_type')
