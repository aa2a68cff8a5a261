"""The social layer's tables: status updates, activity entries, follows, connections, blocks,
favourites, reactions, reports and each member's choices.

Activity entries are written once, when something happens (one row per happening, never one
per reader), and filtered when they are read: an entry names its subject (a content type of
``core.content`` and a row id) and the group it happened in, and a stream shows it only when
the reader may see that subject *now*, by the subject's own condition. A fan-out on write (a
copy of each entry in each follower's inbox) would have to be undone whenever a group turns
private or hidden, a member leaves, a topic is hidden or a block is made, and the copies
already written would keep telling what they should no longer tell.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, UTCDateTime, utcnow


class Status(Base):
    """A short Markdown text a member posts on their profile (``group_id`` None) or in a group
    they belong to."""

    __tablename__ = "social_status"
    __table_args__ = (
        Index("ix_social_status_author_id_id", "author_id", "id"),
        Index("ix_social_status_group_id_id", "group_id", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    group_id: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)


class Entry(Base):
    """One thing that happened: ``verb`` (``social.status``, ``forums.topic``...) done by
    ``actor_id`` on the content ``subject_kind``/``subject_id``, in ``group_id`` or outside
    any group. Favourites and reactions are counted on the row, in SQL."""

    __tablename__ = "social_entry"
    __table_args__ = (
        Index("ix_social_entry_actor_id_id", "actor_id", "id"),
        Index("ix_social_entry_group_id_id", "group_id", "id"),
        Index("ix_social_entry_subject", "subject_kind", "subject_id"),
        Index("ix_social_entry_verb_id", "verb", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    verb: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    subject_kind: Mapped[str] = mapped_column(String(60))
    subject_id: Mapped[int] = mapped_column(Integer)
    group_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    favourite_count: Mapped[int] = mapped_column(Integer, default=0)
    in_count: Mapped[int] = mapped_column(Integer, default=0)
    applause_count: Mapped[int] = mapped_column(Integer, default=0)


class Follow(Base):
    """``user_id`` follows a member or a group (``subject_kind`` "member" or "group")."""

    __tablename__ = "social_follow"
    __table_args__ = (
        UniqueConstraint("user_id", "subject_kind", "subject_id"),
        Index("ix_social_follow_subject", "subject_kind", "subject_id", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    subject_kind: Mapped[str] = mapped_column(String(10))
    subject_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Connection(Base):
    """A connection between two members: asked by ``requester_id`` of ``addressee_id``,
    ``pending`` until accepted. Declined, withdrawn and removed connections are deleted."""

    __tablename__ = "social_connection"
    __table_args__ = (
        UniqueConstraint("requester_id", "addressee_id"),
        Index("ix_social_connection_addressee", "addressee_id", "state"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    addressee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(10), default="pending")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    accepted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class Block(Base):
    """``user_id`` blocked ``blocked_id``."""

    __tablename__ = "social_block"
    __table_args__ = (
        UniqueConstraint("user_id", "blocked_id"),
        Index("ix_social_block_blocked_id", "blocked_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    blocked_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Reaction(Base):
    """A member's favourite (``kind`` "favourite") or reaction ("in", "applause") on an
    entry."""

    __tablename__ = "social_reaction"
    __table_args__ = (
        UniqueConstraint("entry_id", "user_id", "kind"),
        Index("ix_social_reaction_user_kind_id", "user_id", "kind", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("social_entry.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Mention(Base):
    """That an entry names ``user_id``: the mentions part of the member's personal stream."""

    __tablename__ = "social_mention"
    __table_args__ = (
        UniqueConstraint("user_id", "entry_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("social_entry.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))


class Report(Base):
    """A member's report of an entry to the moderators."""

    __tablename__ = "social_report"
    __table_args__ = (
        UniqueConstraint("entry_id", "reporter_id"),
        Index("ix_social_report_open_id", "resolved", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("social_entry.id", ondelete="CASCADE"))
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    reason: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved: Mapped[bool] = mapped_column(Boolean, default=False)


class Preferences(Base):
    """What a member lets the social layer show about them."""

    __tablename__ = "social_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    share_rsvps: Mapped[bool] = mapped_column(Boolean, default=False)
    announce_arrival: Mapped[bool] = mapped_column(Boolean, default=False)
    # Who sees whom the member follows and who follows them: everyone, members, connections.
    follows_visibility: Mapped[str] = mapped_column(String(12), default="members")
    # The newest entry of their own stream the member marked as seen: what is newer is new.
    seen_entry_id: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
