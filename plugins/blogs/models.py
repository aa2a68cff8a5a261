"""Feeds, the entries fetched from them, members' blogs, and what planets leave out."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, UTCDateTime, utcnow

PUBLIC, MEMBERS, PRIVATE = "public", "members", "private"
LEVELS = (PUBLIC, MEMBERS, PRIVATE)
URL_LENGTH = 2000


class Feed(Base):
    """A feed somewhere on the web, fetched once however many members list it."""

    __tablename__ = "blogs_feed"
    __table_args__ = (
        Index("ix_blogs_feed_due", "next_fetch_at", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(URL_LENGTH), unique=True)
    host: Mapped[str] = mapped_column(String(255), index=True)
    site_url: Mapped[str] = mapped_column(String(URL_LENGTH), default="")
    title: Mapped[str] = mapped_column(String(300), default="")
    etag: Mapped[str | None] = mapped_column(String(300))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    fetched_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    next_fetch_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(String(300), default="")


class Entry(Base):
    __tablename__ = "blogs_entry"
    __table_args__ = (
        UniqueConstraint("feed_id", "guid"),
        Index("ix_blogs_entry_feed_published", "feed_id", "published_at", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    feed_id: Mapped[int] = mapped_column(ForeignKey("blogs_feed.id", ondelete="CASCADE"))
    guid: Mapped[str] = mapped_column(String(500))
    link: Mapped[str] = mapped_column(String(URL_LENGTH), default="")
    title: Mapped[str] = mapped_column(String(300), default="")
    summary: Mapped[str] = mapped_column(Text, default="")  # sanitised HTML
    published_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    fetched_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Blog(Base):
    """A member's blog: their link to a feed, shown at the level they chose."""

    __tablename__ = "blogs_blog"
    __table_args__ = (
        UniqueConstraint("user_id", "feed_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    feed_id: Mapped[int] = mapped_column(ForeignKey("blogs_feed.id", ondelete="CASCADE"),
                                         index=True)
    visibility: Mapped[str] = mapped_column(String(10), default=MEMBERS)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Exclusion(Base):
    """A blog (``feed_id``) or an entry (``entry_id``) a group's admins left off its planet."""

    __tablename__ = "blogs_exclusion"
    __table_args__ = (
        Index("ix_blogs_exclusion_group", "group_id", "feed_id", "entry_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(Integer)
    feed_id: Mapped[int | None] = mapped_column(ForeignKey("blogs_feed.id", ondelete="CASCADE"))
    entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("blogs_entry.id", ondelete="CASCADE"))
    excluded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
