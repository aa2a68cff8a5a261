"""Notifications and each member's choice of channel per type."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, UTCDateTime, utcnow


class Notification(Base):
    """Something that concerns ``recipient_id``, about a subject of the content contract."""

    __tablename__ = "notifications_notification"
    __table_args__ = (
        # The centre, newest first, by key; the unread count.
        Index("ix_notifications_notification_recipient_id", "recipient_id", "id"),
        Index("ix_notifications_notification_unread", "recipient_id", "read_at", "id"),
        # What digests still have to carry.
        Index("ix_notifications_notification_digest", "digest", "recipient_id", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    type: Mapped[str] = mapped_column(String(80))
    subject_kind: Mapped[str] = mapped_column(String(80))
    subject_id: Mapped[int] = mapped_column(Integer)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # "daily" or "weekly" until the digest that carries it leaves.
    digest: Mapped[str | None] = mapped_column(String(10))


class Preference(Base):
    """A member's channel for one type; without a row, the type's default."""

    __tablename__ = "notifications_preference"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    type: Mapped[str] = mapped_column(String(80), primary_key=True)
    channel: Mapped[str] = mapped_column(String(10))
