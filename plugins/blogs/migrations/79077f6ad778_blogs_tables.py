"""blogs tables

Revision ID: 79077f6ad778
Revises:
Create Date: 2026-12-01 19:12:29.873721
"""

import sqlalchemy as sa
from alembic import op

import core.db

revision = '79077f6ad778'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('blogs_feed',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('host', sa.String(length=255), nullable=False),
    sa.Column('site_url', sa.String(length=2000), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('etag', sa.String(length=300), nullable=True),
    sa.Column('last_modified', sa.String(length=100), nullable=True),
    sa.Column('fetched_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('next_fetch_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=300), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_blogs_feed')),
    sa.UniqueConstraint('url', name=op.f('uq_blogs_feed_url')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('blogs_feed', schema=None) as batch_op:
        batch_op.create_index('ix_blogs_feed_due', ['next_fetch_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_blogs_feed_host'), ['host'], unique=False)

    op.create_table('blogs_blog',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('feed_id', sa.Integer(), nullable=False),
    sa.Column('visibility', sa.String(length=10), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['feed_id'], ['blogs_feed.id'], name=op.f('fk_blogs_blog_feed_id_blogs_feed'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_blogs_blog_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_blogs_blog')),
    sa.UniqueConstraint('user_id', 'feed_id', name=op.f('uq_blogs_blog_user_id')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('blogs_blog', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_blogs_blog_feed_id'), ['feed_id'], unique=False)

    op.create_table('blogs_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('feed_id', sa.Integer(), nullable=False),
    sa.Column('guid', sa.String(length=500), nullable=False),
    sa.Column('link', sa.String(length=2000), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('published_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('fetched_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['feed_id'], ['blogs_feed.id'], name=op.f('fk_blogs_entry_feed_id_blogs_feed'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_blogs_entry')),
    sa.UniqueConstraint('feed_id', 'guid', name=op.f('uq_blogs_entry_feed_id')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('blogs_entry', schema=None) as batch_op:
        batch_op.create_index('ix_blogs_entry_feed_published', ['feed_id', 'published_at', 'id'], unique=False)

    op.create_table('blogs_exclusion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('feed_id', sa.Integer(), nullable=True),
    sa.Column('entry_id', sa.Integer(), nullable=True),
    sa.Column('excluded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['entry_id'], ['blogs_entry.id'], name=op.f('fk_blogs_exclusion_entry_id_blogs_entry'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['excluded_by_id'], ['users.id'], name=op.f('fk_blogs_exclusion_excluded_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['feed_id'], ['blogs_feed.id'], name=op.f('fk_blogs_exclusion_feed_id_blogs_feed'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_blogs_exclusion')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('blogs_exclusion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_blogs_exclusion_excluded_by_id'), ['excluded_by_id'], unique=False)
        batch_op.create_index('ix_blogs_exclusion_group', ['group_id', 'feed_id', 'entry_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('blogs_exclusion', schema=None) as batch_op:
        batch_op.drop_index('ix_blogs_exclusion_group')
        batch_op.drop_index(batch_op.f('ix_blogs_exclusion_excluded_by_id'))

    op.drop_table('blogs_exclusion')
    with op.batch_alter_table('blogs_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_blogs_entry_feed_published')

    op.drop_table('blogs_entry')
    with op.batch_alter_table('blogs_blog', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_blogs_blog_feed_id'))

    op.drop_table('blogs_blog')
    with op.batch_alter_table('blogs_feed', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_blogs_feed_host'))
        batch_op.drop_index('ix_blogs_feed_due')

    op.drop_table('blogs_feed')
