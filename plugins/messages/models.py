"""Conversations, their participants and messages, reports, and who may write to whom."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, UTCDateTime, utcnow

EVERYONE, CONNECTIONS, NOBODY = "everyone", "connections", "nobody"
WHO_MAY_WRITE = (EVERYONE, CONNECTIONS, NOBODY)


class Conversation(Base):
    __tablename__ = "messages_conversation"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subject: Mapped[str] = mapped_column(String(200), default="")
    # A group's admins writing to its members.
    group_id: Mapped[int | None] = mapped_column(Integer, index=True)
    started_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_message_id: Mapped[int] = mapped_column(Integer, default=0)


class Participant(Base):
    """One member's place in a conversation: their read mark, archive and deletion."""

    __tablename__ = "messages_participant"
    __table_args__ = (
        # The inbox (or the archive) newest first, by key.
        Index("ix_messages_participant_inbox", "user_id", "archived", "last_message_id"),
    )

    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("messages_conversation.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    # In a group conversation, the group's admins read the replies meant for them.
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The last message this participant may see, and the last they read.
    last_message_id: Mapped[int] = mapped_column(Integer, default=0)
    last_read_id: Mapped[int] = mapped_column(Integer, default=0)
    archived: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # "Delete for me": messages up to this id are gone for this participant.
    cleared_id: Mapped[int] = mapped_column(Integer, default=0)
    joined_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Message(Base):
    __tablename__ = "messages_message"
    __table_args__ = (
        Index("ix_messages_message_conversation", "conversation_id", "id"),
        Index("ix_messages_message_sender", "sender_id", "created_at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("messages_conversation.id", ondelete="CASCADE"))
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    # A reply in a group conversation meant for its admins only.
    admins_only: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Taken down by a moderator, or erased with its author's account.
    removed: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Report(Base):
    """A message a participant sent to the moderators, and what became of it."""

    __tablename__ = "messages_report"
    __table_args__ = (
        Index("ix_messages_report_open", "resolved_at", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("messages_message.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    reason: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    outcome: Mapped[str | None] = mapped_column(String(10))


class WritingRule(Base):
    """Who may start a conversation with this member; without a row, everyone."""

    __tablename__ = "messages_setting"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    who_may_write: Mapped[str] = mapped_column(String(12), default=EVERYONE)
