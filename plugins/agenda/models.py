"""Events, their types and series, RSVPs, and the key of each member's private feed.

Times are stored in UTC with the name of the event's time zone, so that an event is shown
at the hour its organiser meant wherever the reader is, and a weekly series keeps its local
hour across daylight-saving changes.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.accounts.models import User
from core.db import Base, UTCDateTime, utcnow

# Who may see an event: everyone who may see the site, logged-in members, or, for an event of
# a group, whoever may see that group's content (its members when the group is not public).
PUBLIC = "public"
MEMBERS = "members"
GROUP = "group"
VISIBILITIES = (PUBLIC, MEMBERS, GROUP)

SCHEDULED = "scheduled"
CANCELLED = "cancelled"

GOING = "going"
NOT_GOING = "not_going"
WAITLIST = "waitlist"
RSVP_STATUSES = (GOING, NOT_GOING, WAITLIST)


class EventType(Base):
    """A kind of event that admins define (meeting, leafleting, demonstration...)."""

    __tablename__ = "agenda_event_type"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer, default=0, index=True)


class Series(Base):
    """The rule of a recurring event; its occurrences are events that point here.

    ``rule`` is an iCalendar RRULE (``FREQ=WEEKLY;INTERVAL=2;COUNT=10``) read in ``timezone``
    from ``starts_at``'s local time.
    """

    __tablename__ = "agenda_series"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    rule: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Event(Base):
    __tablename__ = "agenda_event"
    __table_args__ = (
        # The agenda and the feeds: events in start order, by type, city, group or organiser.
        Index("ix_agenda_event_starts", "starts_at", "id"),
        Index("ix_agenda_event_type_starts", "type_id", "starts_at", "id"),
        Index("ix_agenda_event_city_starts", "city_key", "starts_at", "id"),
        Index("ix_agenda_event_postcode_starts", "postcode", "starts_at", "id"),
        Index("ix_agenda_event_group_starts", "group_id", "starts_at", "id"),
        Index("ix_agenda_event_organiser_starts", "organiser_id", "starts_at", "id"),
        Index("ix_agenda_event_series_starts", "series_id", "starts_at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    type_id: Mapped[int] = mapped_column(ForeignKey("agenda_event_type.id"))
    starts_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64))
    all_day: Mapped[bool] = mapped_column(Boolean, default=False)
    venue: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    postcode: Mapped[str] = mapped_column(String(20), default="")
    city: Mapped[str] = mapped_column(String(100), default="")
    city_key: Mapped[str] = mapped_column(String(100), default="")
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    online_url: Mapped[str] = mapped_column(String(500), default="")
    organiser_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The organising group, when the groups plugin is on (no foreign key: it may be off).
    group_id: Mapped[int | None] = mapped_column(Integer)
    visibility: Mapped[str] = mapped_column(String(10), default=MEMBERS)
    capacity: Mapped[int | None] = mapped_column(Integer)
    rsvp_deadline: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # Places taken by "going" answers, guests included: the capacity check reads it.
    seats_taken: Mapped[int] = mapped_column(Integer, default=0)
    address_for_attendees: Mapped[bool] = mapped_column(Boolean, default=False)
    show_attendees: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(10), default=SCHEDULED)
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_series.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow,
                                                    onupdate=utcnow)

    type: Mapped[EventType] = relationship(lazy="joined", innerjoin=True)
    organiser: Mapped[User | None] = relationship(lazy="joined")
    series: Mapped[Series | None] = relationship()

    @property
    def cancelled(self) -> bool:
        return self.status == CANCELLED

    @property
    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.seats_taken, 0)


class CoHost(Base):
    """A member who organises the event with its organiser."""

    __tablename__ = "agenda_cohost"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("agenda_event.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)


class Rsvp(Base):
    """A member's answer: going (with guests), not going, or waiting for a place."""

    __tablename__ = "agenda_rsvp"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id", name="uq_agenda_rsvp_event_user"),
        # The waitlist in arrival order, and the attendee list.
        Index("ix_agenda_rsvp_event_status_created", "event_id", "status", "created_at", "id"),
        Index("ix_agenda_rsvp_user_status", "user_id", "status", "event_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("agenda_event.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(10))
    guests: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow,
                                                    onupdate=utcnow)
    checked_in_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # When the reminder went out: never twice.
    reminded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The attendee agreed that the organisers see their email address (off unless ticked).
    share_email: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    @property
    def seats(self) -> int:
        return 1 + self.guests


class FeedKey(Base):
    """The secret from which a member's private feed URL is derived; a new one resets it."""

    __tablename__ = "agenda_feed_key"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
