"""Groups, their types, and who belongs to them in which role."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, UTCDateTime, utcnow

PUBLIC = "public"
PRIVATE = "private"
HIDDEN = "hidden"
STATUSES = (PUBLIC, PRIVATE, HIDDEN)

# Membership states: only "member" rows give a role; the others wait for an answer or refuse.
MEMBER = "member"
INVITED = "invited"
REQUESTED = "requested"
BANNED = "banned"
STATES = (MEMBER, INVITED, REQUESTED, BANNED)

ROLES = ("member", "moderator", "admin")
ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}

# Who may invite: every member, moderators and admins, or admins only.
INVITE_POLICIES = ("members", "moderators", "admins")


class GroupType(Base):
    """A kind of group that site admins define (local section, watch group...)."""

    __tablename__ = "groups_type"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(String(500), default="")
    position: Mapped[int] = mapped_column(Integer, default=0, index=True)


class Group(Base):
    __tablename__ = "groups_group"
    __table_args__ = (
        # The directory's sorts, each with and without the type filter.
        Index("ix_groups_group_last_active", "last_active_at", "id"),
        Index("ix_groups_group_created", "created_at", "id"),
        Index("ix_groups_group_sort_name", "sort_name", "id"),
        Index("ix_groups_group_member_count", "member_count", "id"),
        Index("ix_groups_group_type_last_active", "type_id", "last_active_at", "id"),
        Index("ix_groups_group_type_created", "type_id", "created_at", "id"),
        Index("ix_groups_group_type_sort_name", "type_id", "sort_name", "id"),
        Index("ix_groups_group_type_member_count", "type_id", "member_count", "id"),
        Index("ix_groups_group_status", "status", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    sort_name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    type_id: Mapped[int | None] = mapped_column(ForeignKey("groups_type.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(10), default=PUBLIC)
    invite_policy: Mapped[str] = mapped_column(String(12), default="members")
    postcode: Mapped[str] = mapped_column(String(12), default="")
    city: Mapped[str] = mapped_column(String(80), default="")
    avatar: Mapped[str | None] = mapped_column(String(64))
    cover: Mapped[str | None] = mapped_column(String(64))
    member_count: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_active_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    type: Mapped[GroupType | None] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<Group {self.id} {self.slug}>"


class Membership(Base):
    """One person's place in one group: a member with a role, invited, asking, or banned."""

    __tablename__ = "groups_membership"
    __table_args__ = (
        # The members tab (and requests, invitations, bans) in joining order.
        Index("ix_groups_membership_group_state", "group_id", "state", "created_at", "user_id"),
        # A member's groups, and the principal finder.
        Index("ix_groups_membership_user_state", "user_id", "state", "group_id"),
    )

    group_id: Mapped[int] = mapped_column(
        ForeignKey("groups_group.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    state: Mapped[str] = mapped_column(String(10), default=MEMBER)
    role: Mapped[str] = mapped_column(String(10), default="member")
    invited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
