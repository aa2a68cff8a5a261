"""Consents to be called, campaigns with their script, and the calls logged."""

from __future__ import annotations

import datetime as dt

from core.db import Base, UTCDateTime, utcnow
from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

REACHED = "reached"
NO_ANSWER = "no_answer"
VOICEMAIL = "voicemail"
CALL_BACK = "call_back"
WRONG_NUMBER = "wrong_number"
DO_NOT_CALL = "do_not_call"
OUTCOMES = (REACHED, NO_ANSWER, VOICEMAIL, CALL_BACK, WRONG_NUMBER, DO_NOT_CALL)
# After these, nobody calls the member again in the campaign.
FINAL = (REACHED, WRONG_NUMBER, DO_NOT_CALL)


class PhonebankConsent(Base):
    """A member's agreement to be called: the number, the words they agreed to, and when."""

    __tablename__ = "phonebank_consent"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    phone: Mapped[str] = mapped_column(String(40))
    wording: Mapped[str] = mapped_column(Text)
    agreed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class PhonebankCampaign(Base):
    """A round of calls run by a group, with the script callers read from."""

    __tablename__ = "phonebank_campaign"
    __table_args__ = (
        Index("ix_phonebank_campaign_group", "group_id", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups_group.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    script: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class PhonebankCall(Base):
    """One call: who called whom in which campaign, how it went, and a short note."""

    __tablename__ = "phonebank_call"
    __table_args__ = (
        Index("ix_phonebank_call_campaign_callee", "campaign_id", "callee_id", "id"),
        Index("ix_phonebank_call_campaign_caller", "campaign_id", "caller_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("phonebank_campaign.id", ondelete="CASCADE"))
    callee_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True)
    caller_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    outcome: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(500), default="")
    called_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
