"""Polls, their options, ballots and the record of who has voted.

Secrecy is built into the storage. A ballot row (``Ballot``) holds the choices; a
participation row (``Participation``) says that a member voted. In a named poll the ballot
also carries the voter's id. In an anonymous poll it carries nothing that leads back to the
voter: no user id, no time, and a random id rather than a sequence number, so neither its key
nor its order can be matched against the participation rows.

Changing an anonymous ballot therefore needs a key that only the voter holds: when such a
poll allows changes, the voter receives a random change code once, and the ballot keeps
only its SHA-256 digest (``change_key``). Whoever presents the code can replace that ballot;
a voter who loses it can no longer change their ballot, and nobody, the site included, can
find it for them. What the database engine itself keeps (the order rows were written in,
write-ahead logs, transaction ids on PostgreSQL rows) is outside the application's reach:
deployers who need secrecy against their own database administrators must also limit access
to those.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, UTCDateTime, utcnow

# When the results show: once the poll is closed, or as the ballots come in.
AFTER_CLOSING = "closing"
LIVE = "live"
RESULTS_VISIBILITY = (AFTER_CLOSING, LIVE)


def random_id() -> str:
    return secrets.token_hex(16)


class Poll(Base):
    """A consultation. ``kind`` says what the ballot asks (see ``plugins.polls.methods``) and
    ``method`` names the registered counting method; ``group_id`` limits the electorate to a
    group's members (a plain column, so the plugin works without the groups plugin)."""

    __tablename__ = "polls_poll"
    __table_args__ = (
        Index("ix_polls_poll_group_id_id", "group_id", "id"),
        Index("ix_polls_poll_opening", "opening_published", "opens_at"),
        Index("ix_polls_poll_closing", "closing_published", "closes_at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20))
    method: Mapped[str] = mapped_column(String(40))
    min_choices: Mapped[int] = mapped_column(Integer, default=1)
    max_choices: Mapped[int] = mapped_column(Integer, default=1)
    group_id: Mapped[int | None] = mapped_column(Integer)
    opens_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=True)
    changeable: Mapped[bool] = mapped_column(Boolean, default=True)
    results: Mapped[str] = mapped_column(String(10), default=AFTER_CLOSING)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Whether PollOpened and PollClosed were published: at once by the service when a member
    # opens or closes the poll, else by the periodic task when the time comes.
    opening_published: Mapped[bool] = mapped_column(Boolean, default=False)
    closing_published: Mapped[bool] = mapped_column(Boolean, default=False)

    options: Mapped[list[Option]] = relationship(
        back_populates="poll", order_by="Option.position", cascade="all, delete-orphan")

    def is_open(self, now: dt.datetime) -> bool:
        return self.opens_at <= now < self.closes_at

    def is_closed(self, now: dt.datetime) -> bool:
        return now >= self.closes_at


class Option(Base):
    __tablename__ = "polls_option"
    __table_args__ = (
        Index("ix_polls_option_poll_id_position", "poll_id", "position"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls_poll.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(200))

    poll: Mapped[Poll] = relationship(back_populates="options")


class Ballot(Base):
    """The choices of one voter, in the form of the poll's ballot kind (option ids).

    ``user_id`` is set in named polls only; ``change_key`` in anonymous polls that allow
    changes only; ``updated_at`` in named polls only.
    """

    __tablename__ = "polls_ballot"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=random_id)
    poll_id: Mapped[int] = mapped_column(
        ForeignKey("polls_poll.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True)
    change_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    choices: Mapped[object] = mapped_column(JSON)
    updated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class Participation(Base):
    """That a member has voted in a poll, and when: never what they chose."""

    __tablename__ = "polls_participation"
    __table_args__ = (UniqueConstraint("poll_id", "user_id"), {"sqlite_autoincrement": True})

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls_poll.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True)
    voted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
