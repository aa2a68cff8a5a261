"""covoiturage tables

Revision ID: covoiturage_0001
Revises:
Create Date: 2026-12-01
"""

import core.db
import sqlalchemy as sa
from alembic import op

revision = "covoiturage_0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "covoiturage_offer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("driver_id", sa.Integer(), nullable=False),
        sa.Column("leaves_from", sa.String(length=200), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("seats_taken", sa.Integer(), nullable=False),
        sa.Column("created_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("seats_taken >= 0 AND seats_taken <= seats",
                           name=op.f("ck_covoiturage_offer_seats")),
        sa.ForeignKeyConstraint(["driver_id"], ["users.id"], ondelete="CASCADE",
                                name=op.f("fk_covoiturage_offer_driver_id_users")),
        sa.ForeignKeyConstraint(["event_id"], ["agenda_event.id"], ondelete="CASCADE",
                                name=op.f("fk_covoiturage_offer_event_id_agenda_event")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_covoiturage_offer")),
        sa.UniqueConstraint("event_id", "driver_id", name="uq_covoiturage_offer_event_driver"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_covoiturage_offer_driver_id", "covoiturage_offer", ["driver_id"])
    op.create_index("ix_covoiturage_offer_event", "covoiturage_offer", ["event_id", "id"])
    op.create_table(
        "covoiturage_seat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("passenger_id", sa.Integer(), nullable=False),
        sa.Column("created_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["offer_id"], ["covoiturage_offer.id"], ondelete="CASCADE",
                                name=op.f("fk_covoiturage_seat_offer_id_covoiturage_offer")),
        sa.ForeignKeyConstraint(["passenger_id"], ["users.id"], ondelete="CASCADE",
                                name=op.f("fk_covoiturage_seat_passenger_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_covoiturage_seat")),
        sa.UniqueConstraint("offer_id", "passenger_id",
                            name="uq_covoiturage_seat_offer_passenger"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_covoiturage_seat_passenger_id", "covoiturage_seat", ["passenger_id"])


def downgrade() -> None:
    op.drop_index("ix_covoiturage_seat_passenger_id", table_name="covoiturage_seat")
    op.drop_table("covoiturage_seat")
    op.drop_index("ix_covoiturage_offer_event", table_name="covoiturage_offer")
    op.drop_index("ix_covoiturage_offer_driver_id", table_name="covoiturage_offer")
    op.drop_table("covoiturage_offer")
