"""Cars offered for an event, and the seats members took in them."""

from __future__ import annotations

import datetime as dt

from core.db import Base, UTCDateTime, utcnow
from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column


class CovoiturageOffer(Base):
    """A driver's car to an event: where it leaves from, and how many seats it offers."""

    __tablename__ = "covoiturage_offer"
    __table_args__ = (
        Index("ix_covoiturage_offer_event", "event_id", "id"),
        UniqueConstraint("event_id", "driver_id", name="uq_covoiturage_offer_event_driver"),
        CheckConstraint("seats_taken >= 0 AND seats_taken <= seats",
                        name="seats"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("agenda_event.id", ondelete="CASCADE"))
    driver_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                           index=True)
    leaves_from: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(String(500), default="")
    seats: Mapped[int] = mapped_column(Integer)
    # Changed only in SQL, by one statement that checks there is a seat left.
    seats_taken: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class CovoiturageSeat(Base):
    """A seat a member took in a car."""

    __tablename__ = "covoiturage_seat"
    __table_args__ = (
        UniqueConstraint("offer_id", "passenger_id", name="uq_covoiturage_seat_offer_passenger"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("covoiturage_offer.id", ondelete="CASCADE"))
    passenger_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                              index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
