"""comments tables

Revision ID: 88c6e3eb466a
Revises:
Create Date: 2026-12-01 18:35:38.147724
"""

import sqlalchemy as sa
from alembic import op

import core.db

revision = '88c6e3eb466a'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('comments_closed',
    sa.Column('kind', sa.String(length=60), nullable=False),
    sa.Column('content_id', sa.Integer(), nullable=False),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['closed_by_id'], ['users.id'], name=op.f('fk_comments_closed_closed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('kind', 'content_id', name=op.f('pk_comments_closed'))
    )
    with op.batch_alter_table('comments_closed', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comments_closed_closed_by_id'), ['closed_by_id'], unique=False)

    op.create_table('comments_comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=60), nullable=False),
    sa.Column('content_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('edited_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('hidden', sa.Boolean(), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_comments_comment_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['parent_id'], ['comments_comment.id'], name=op.f('fk_comments_comment_parent_id_comments_comment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comments_comment')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('comments_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_comments_comment_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_comment_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index('ix_comments_comment_thread', ['kind', 'content_id', 'parent_id', 'id'], unique=False)

    op.create_table('comments_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.String(length=1000), nullable=False),
    sa.Column('created_at', core.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', core.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['comment_id'], ['comments_comment.id'], name=op.f('fk_comments_report_comment_id_comments_comment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reporter_id'], ['users.id'], name=op.f('fk_comments_report_reporter_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['users.id'], name=op.f('fk_comments_report_resolved_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comments_report')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('comments_report', schema=None) as batch_op:
        batch_op.create_index('ix_comments_report_comment_open', ['comment_id', 'resolved_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_report_reporter_id'), ['reporter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_comments_report_resolved_by_id'), ['resolved_by_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('comments_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comments_report_resolved_by_id'))
        batch_op.drop_index(batch_op.f('ix_comments_report_reporter_id'))
        batch_op.drop_index('ix_comments_report_comment_open')

    op.drop_table('comments_report')
    with op.batch_alter_table('comments_comment', schema=None) as batch_op:
        batch_op.drop_index('ix_comments_comment_thread')
        batch_op.drop_index(batch_op.f('ix_comments_comment_parent_id'))
        batch_op.drop_index(batch_op.f('ix_comments_comment_author_id'))

    op.drop_table('comments_comment')
    with op.batch_alter_table('comments_closed', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_comments_closed_closed_by_id'))

    op.drop_table('comments_closed')
