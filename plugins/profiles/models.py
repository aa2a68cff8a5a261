"""Profile fields that admins define, the values members give, and each member's profile row."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, UTCDateTime, utcnow

# Who may see a value: everyone, logged-in members, the member's connections (with the social
# layer on; without it, only the owner and the admins), or only its owner and the admins.
PUBLIC = "public"
MEMBERS = "members"
CONNECTED = "connected"
PRIVATE = "private"
VISIBILITIES = (PUBLIC, MEMBERS, CONNECTED, PRIVATE)


class FieldGroup(Base):
    """An ordered box of fields on the profile page ("About", "Commitments"...)."""

    __tablename__ = "profiles_field_group"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(String(500), default="")
    position: Mapped[int] = mapped_column(Integer, default=0, index=True)

    fields: Mapped[list[Field]] = relationship(
        back_populates="group", order_by="Field.position", cascade="all, delete-orphan"
    )


class Field(Base):
    """One question of the profile; ``type`` names a registered profile field type.

    ``political`` marks a field that reveals political commitment: its default visibility is
    members-only or narrower. ``in_directory`` shows the value on directory cards (to those
    who may see it).
    """

    __tablename__ = "profiles_field"
    __table_args__ = (
        Index("ix_profiles_field_group_id_position", "group_id", "position"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("profiles_field_group.id"))
    name: Mapped[str] = mapped_column(String(80))
    help_text: Mapped[str] = mapped_column(String(500), default="")
    type: Mapped[str] = mapped_column(String(40))
    options: Mapped[list] = mapped_column(JSON, default=list)
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    at_registration: Mapped[bool] = mapped_column(Boolean, default=False)
    in_directory: Mapped[bool] = mapped_column(Boolean, default=False)
    political: Mapped[bool] = mapped_column(Boolean, default=False)
    default_visibility: Mapped[str] = mapped_column(String(10), default=MEMBERS)
    member_chooses_visibility: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    group: Mapped[FieldGroup] = relationship(back_populates="fields")

    @property
    def form_name(self) -> str:
        return f"field_{self.id}"


class Value(Base):
    """A member's answer to a field: one row per value (a multiple choice has several).

    ``visibility`` is the effective one (the member's ``chosen_visibility`` when the field lets
    members choose, else the field's default), so that one SQL condition decides what a viewer
    may see. ``search`` is the value folded (lower case, no accents) for search and filters.
    """

    __tablename__ = "profiles_value"
    __table_args__ = (
        Index("ix_profiles_value_user_field", "user_id", "field_id"),
        Index("ix_profiles_value_field_search", "field_id", "search", "user_id"),
        # Searching for a part of a value: a trigram index on PostgreSQL.
        Index("ix_profiles_value_search_trgm", "search", postgresql_using="gin",
              postgresql_ops={"search": "gin_trgm_ops"}),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    field_id: Mapped[int] = mapped_column(ForeignKey("profiles_field.id", ondelete="CASCADE"))
    value: Mapped[str] = mapped_column(Text)
    search: Mapped[str] = mapped_column(String(255))
    visibility: Mapped[str] = mapped_column(String(10))
    chosen_visibility: Mapped[str | None] = mapped_column(String(10))


class Profile(Base):
    """What the profile keeps about a member besides field values.

    ``sort_name`` is the folded display name, kept here so the directory sorts and searches
    names on an index of its own; ``last_active_at`` starts at the member's arrival.
    """

    __tablename__ = "profiles_profile"
    __table_args__ = (
        Index("ix_profiles_profile_sort_name", "sort_name", "user_id"),
        Index("ix_profiles_profile_sort_name_trgm", "sort_name", postgresql_using="gin",
              postgresql_ops={"sort_name": "gin_trgm_ops"}),
        Index("ix_profiles_profile_last_active", "last_active_at", "user_id"),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    sort_name: Mapped[str] = mapped_column(String(80), default="")
    avatar: Mapped[str | None] = mapped_column(String(64))
    last_active_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
