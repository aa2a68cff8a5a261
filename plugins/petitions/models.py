"""Petitions, their signatures, and the newsletter opt-ins signers gave beside them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, UTCDateTime, utcnow

OPEN = "open"
CLOSED = "closed"


class Petition(Base):
    """A petition of the site (``group_id`` None) or of a group.

    ``group_id`` carries no foreign key: the groups plugin is optional, and its table may
    not exist. A group petition is shown only while groups is on, to those who may see the
    group's content.
    """

    __tablename__ = "petitions_petition"
    __table_args__ = (
        Index("ix_petitions_petition_status_id", "status", "id"),
        Index("ix_petitions_petition_group_id_status_id", "group_id", "status", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int | None] = mapped_column(Integer)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    addressee: Mapped[str] = mapped_column(String(200))
    goal: Mapped[int] = mapped_column(Integer)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    ask_postcode: Mapped[bool] = mapped_column(Boolean, default=False)
    ask_comment: Mapped[bool] = mapped_column(Boolean, default=False)
    show_names: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(10), default=OPEN)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(timezone=True), default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(timezone=True))
    # When the confirmed signatures first met the goal (``GoalReached`` was published).
    goal_reached_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(timezone=True))


class Signature(Base):
    """One address's signature; it counts once ``confirmed_at`` is set.

    ``email_key`` is the address case-folded, unique per petition, so that one address signs
    once whatever its letter case; it is None once the signature is anonymised. ``consent_text``
    is the exact wording the signer was shown and ticked, in their language.
    """

    __tablename__ = "petitions_signature"
    __table_args__ = (
        UniqueConstraint("petition_id", "email_key"),
        Index("ix_petitions_signature_petition_id_confirmed_at", "petition_id", "confirmed_at"),
        Index("ix_petitions_signature_petition_id_id", "petition_id", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    petition_id: Mapped[int] = mapped_column(
        ForeignKey("petitions_petition.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(320))
    email_key: Mapped[str | None] = mapped_column(String(320), index=True)
    postcode: Mapped[str | None] = mapped_column(String(20))
    comment: Mapped[str | None] = mapped_column(String(1000))
    show_name: Mapped[bool] = mapped_column(Boolean, default=False)
    locale: Mapped[str] = mapped_column(String(10), default="en")
    consent_text: Mapped[str] = mapped_column(Text)
    consented_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(timezone=True), default=utcnow)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(timezone=True), default=utcnow)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(timezone=True))

    newsletter: Mapped[NewsletterConsent | None] = relationship(
        back_populates="signature", cascade="all, delete-orphan", passive_deletes=True)


class NewsletterConsent(Base):
    """A signer's separate agreement to receive news, with its own wording and time."""

    __tablename__ = "petitions_newsletter_consent"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    signature_id: Mapped[int] = mapped_column(
        ForeignKey("petitions_signature.id", ondelete="CASCADE"), unique=True)
    consent_text: Mapped[str] = mapped_column(Text)
    consented_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(timezone=True), default=utcnow)

    signature: Mapped[Signature] = relationship(back_populates="newsletter")
