"""phone bank tables

Revision ID: phonebank_0001
Revises:
Create Date: 2026-11-25
"""

import core.db
import sqlalchemy as sa
from alembic import op

revision = "phonebank_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "phonebank_consent",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("wording", sa.Text(), nullable=False),
        sa.Column("agreed_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name=op.f("fk_phonebank_consent_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_phonebank_consent")),
    )
    op.create_table(
        "phonebank_campaign",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("script", sa.Text(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", core.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["group_id"], ["groups_group.id"], ondelete="CASCADE",
                                name=op.f("fk_phonebank_campaign_group_id_groups_group")),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], ondelete="SET NULL",
                                name=op.f("fk_phonebank_campaign_created_by_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phonebank_campaign")),
    )
    op.create_index("ix_phonebank_campaign_group", "phonebank_campaign", ["group_id", "id"])
    op.create_index(op.f("ix_phonebank_campaign_created_by_id"), "phonebank_campaign",
                    ["created_by_id"])
    op.create_table(
        "phonebank_call",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("callee_id", sa.Integer(), nullable=False),
        sa.Column("caller_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("called_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["phonebank_campaign.id"], ondelete="CASCADE",
                                name=op.f("fk_phonebank_call_campaign_id_phonebank_campaign")),
        sa.ForeignKeyConstraint(["callee_id"], ["users.id"], ondelete="CASCADE",
                                name=op.f("fk_phonebank_call_callee_id_users")),
        sa.ForeignKeyConstraint(["caller_id"], ["users.id"], ondelete="SET NULL",
                                name=op.f("fk_phonebank_call_caller_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phonebank_call")),
    )
    op.create_index("ix_phonebank_call_campaign_callee", "phonebank_call",
                    ["campaign_id", "callee_id", "id"])
    op.create_index("ix_phonebank_call_campaign_caller", "phonebank_call",
                    ["campaign_id", "caller_id"])
    op.create_index(op.f("ix_phonebank_call_callee_id"), "phonebank_call", ["callee_id"])
    op.create_index(op.f("ix_phonebank_call_caller_id"), "phonebank_call", ["caller_id"])


def downgrade() -> None:
    op.drop_table("phonebank_call")
    op.drop_table("phonebank_campaign")
    op.drop_table("phonebank_consent")
