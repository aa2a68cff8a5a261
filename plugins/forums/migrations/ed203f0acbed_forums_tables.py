"""forums tables: categories, forums, topics, posts, read marks, subscriptions, reports

Revision ID: ed203f0acbed
Revises:
Create Date: 2026-11-25 21:39:44.151009
"""

import sqlalchemy as sa
from alembic import op

import core.db

revision = 'ed203f0acbed'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('forums_category',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forums_category'))
    )
    with op.batch_alter_table('forums_category', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forums_category_position'), ['position'], unique=False)

    op.create_table('forums_forum',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('closed', sa.Boolean(), nullable=False),
    sa.Column('topic_count', sa.Integer(), nullable=False),
    sa.Column('post_count', sa.Integer(), nullable=False),
    sa.Column('last_post_id', sa.Integer(), nullable=True),
    sa.Column('last_topic_id', sa.Integer(), nullable=True),
    sa.Column('last_poster_id', sa.Integer(), nullable=True),
    sa.Column('last_post_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['forums_category.id'], name=op.f('fk_forums_forum_category_id_forums_category'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['last_poster_id'], ['users.id'], name=op.f('fk_forums_forum_last_poster_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forums_forum')),
    sa.UniqueConstraint('group_id', name=op.f('uq_forums_forum_group_id')),
    sa.UniqueConstraint('slug', name=op.f('uq_forums_forum_slug'))
    )
    with op.batch_alter_table('forums_forum', schema=None) as batch_op:
        batch_op.create_index('ix_forums_forum_category_position', ['category_id', 'position'], unique=False)

    op.create_table('forums_topic',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('forum_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed', sa.Boolean(), nullable=False),
    sa.Column('sticky', sa.Boolean(), nullable=False),
    sa.Column('super_sticky', sa.Boolean(), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('reply_count', sa.Integer(), nullable=False),
    sa.Column('first_post_id', sa.Integer(), nullable=True),
    sa.Column('last_post_id', sa.Integer(), nullable=True),
    sa.Column('last_poster_id', sa.Integer(), nullable=True),
    sa.Column('last_post_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_forums_topic_author_id_users')),
    sa.ForeignKeyConstraint(['forum_id'], ['forums_forum.id'], name=op.f('fk_forums_topic_forum_id_forums_forum')),
    sa.ForeignKeyConstraint(['last_poster_id'], ['users.id'], name=op.f('fk_forums_topic_last_poster_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forums_topic'))
    )
    with op.batch_alter_table('forums_topic', schema=None) as batch_op:
        batch_op.create_index('ix_forums_topic_author', ['author_id', 'id'], unique=False)
        batch_op.create_index('ix_forums_topic_forum_activity', ['forum_id', 'sticky', 'last_post_at', 'id'], unique=False)
        batch_op.create_index('ix_forums_topic_super_sticky', ['super_sticky', 'last_post_at'], unique=False)

    op.create_table('forums_post',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('forum_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('is_first', sa.Boolean(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('edited_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_forums_post_author_id_users')),
    sa.ForeignKeyConstraint(['topic_id'], ['forums_topic.id'], name=op.f('fk_forums_post_topic_id_forums_topic'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forums_post'))
    )
    with op.batch_alter_table('forums_post', schema=None) as batch_op:
        batch_op.create_index('ix_forums_post_author', ['author_id', 'id'], unique=False)
        batch_op.create_index('ix_forums_post_topic', ['topic_id', 'id'], unique=False)

    op.create_table('forums_read',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('last_post_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['topic_id'], ['forums_topic.id'], name=op.f('fk_forums_read_topic_id_forums_topic'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_forums_read_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', 'topic_id', name=op.f('pk_forums_read'))
    )
    with op.batch_alter_table('forums_read', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forums_read_topic_id'), ['topic_id'], unique=False)

    op.create_table('forums_subscription',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=True),
    sa.Column('forum_id', sa.Integer(), nullable=True),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['forum_id'], ['forums_forum.id'], name=op.f('fk_forums_subscription_forum_id_forums_forum'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['topic_id'], ['forums_topic.id'], name=op.f('fk_forums_subscription_topic_id_forums_topic'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_forums_subscription_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forums_subscription')),
    sa.UniqueConstraint('user_id', 'forum_id', name='uq_forums_subscription_user_forum'),
    sa.UniqueConstraint('user_id', 'topic_id', name='uq_forums_subscription_user_topic')
    )
    with op.batch_alter_table('forums_subscription', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forums_subscription_forum_id'), ['forum_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forums_subscription_topic_id'), ['topic_id'], unique=False)

    op.create_table('forums_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['post_id'], ['forums_post.id'], name=op.f('fk_forums_report_post_id_forums_post'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_forums_report_reporter_id_users')),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_forums_report_resolved_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forums_report'))
    )
    with op.batch_alter_table('forums_report', schema=None) as batch_op:
        batch_op.create_index('ix_forums_report_open', ['resolved_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forums_report_post_id'), ['post_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forums_report_reporter_id'), ['reporter_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('forums_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forums_report_reporter_id'))
        batch_op.drop_index(batch_op.f('ix_forums_report_post_id'))
        batch_op.drop_index('ix_forums_report_open')

    op.drop_table('forums_report')
    with op.batch_alter_table('forums_subscription', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forums_subscription_topic_id'))
        batch_op.drop_index(batch_op.f('ix_forums_subscription_forum_id'))

    op.drop_table('forums_subscription')
    with op.batch_alter_table('forums_read', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forums_read_topic_id'))

    op.drop_table('forums_read')
    with op.batch_alter_table('forums_post', schema=None) as batch_op:
        batch_op.drop_index('ix_forums_post_topic')
        batch_op.drop_index('ix_forums_post_author')

    op.drop_table('forums_post')
    with op.batch_alter_table('forums_topic', schema=None) as batch_op:
        batch_op.drop_index('ix_forums_topic_super_sticky')
        batch_op.drop_index('ix_forums_topic_forum_activity')
        batch_op.drop_index('ix_forums_topic_author')

    op.drop_table('forums_topic')
    with op.batch_alter_table('forums_forum', schema=None) as batch_op:
        batch_op.drop_index('ix_forums_forum_category_position')

    op.drop_table('forums_forum')
    with op.batch_alter_table('forums_category', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forums_category_position'))

    op.drop_table('forums_category')
