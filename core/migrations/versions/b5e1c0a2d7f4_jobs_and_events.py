"""jobs and events: the job queue's table and the outbox of domain events

Revision ID: b5e1c0a2d7f4
Revises: 5e1f0c2a9b7d
Create Date: 2026-12-01 15:30:00
"""

import sqlalchemy as sa
from alembic import op

import core.db

revision = 'b5e1c0a2d7f4'
down_revision = '5e1f0c2a9b7d'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'jobs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('task', sa.String(length=100), nullable=False),
        sa.Column('args', sa.JSON(), nullable=False),
        sa.Column('key', sa.String(length=200), nullable=True),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('max_attempts', sa.Integer(), nullable=False),
        sa.Column('run_after', core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('lease_until', core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('summary', sa.String(length=300), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('finished_at', core.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs')),
        sa.UniqueConstraint('key', name=op.f('uq_jobs_key')),
        sqlite_autoincrement=True,
    )
    op.create_index('ix_jobs_due', 'jobs', ['status', 'run_after'], unique=False)
    op.create_table(
        'events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('payload', sa.JSON(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_events')),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table('events')
    op.drop_index('ix_jobs_due', table_name='jobs')
    op.drop_table('jobs')
