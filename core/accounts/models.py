"""People: the core's user table."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.db import Base, UTCDateTime, utcnow

STATUSES = ("unconfirmed", "awaiting_approval", "active", "suspended", "deleted")


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        Index("ix_users_role_created", "role", "created_at"),
        # The admin's member list, newest first, filtered by status or role.
        Index("ix_users_status_id", "status", "id"),
        Index("ix_users_role_id", "role", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40))
    username_key: Mapped[str] = mapped_column(String(40), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    email_key: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    # Read only when a password is checked or changed, never with every request's member.
    password_hash: Mapped[str | None] = mapped_column(String(255), deferred=True)
    role: Mapped[str] = mapped_column(String(20), default="member")
    status: Mapped[str] = mapped_column(String(20), default="active", index=True)
    locale: Mapped[str | None] = mapped_column(String(10))
    # "vous" or "tu" in French, when the site lets members choose (None: the site's).
    french_register: Mapped[str | None] = mapped_column(String(4))
    timezone: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    email_confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    @property
    def can_log_in(self) -> bool:
        return self.status == "active"

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.username}>"


def admin_condition(viewer):
    """"``viewer`` is a site admin" as a SQL condition. ``viewer`` is a User, or ``User``
    itself, standing for each user of the query the condition goes into: that is how a mail's
    recipients are chosen with the very rule that decides what one person sees."""
    if viewer is User:
        return User.role == "admin"
    return true() if viewer.is_admin else false()


def for_viewer(query, viewer):
    """``query``, a subquery of a rule about ``viewer``; for ``User`` itself, tied to the users
    of the enclosing query at whatever depth it sits (SQLAlchemy's automatic correlation
    reaches only the SELECT right around it)."""
    return query.correlate(User) if viewer is User else query


def may_receive_mail():
    """The condition on ``User`` of accounts that get mail about the site's content: active
    ones (suspended, deleted and unconfirmed accounts get none)."""
    return User.status == "active"
class UserSession(Base):
    """A logged-in session, kept on the server when ``cortege.session_storage = database``.

    The cookie carries a random token; only its SHA-256 (``key``) is kept. The session works
    while its row exists and was seen within ``core.accounts.sessions.LIFETIME``.
    """

    __tablename__ = "user_sessions"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    user_agent: Mapped[str] = mapped_column(String(300), default="")


TOKEN_PURPOSES = ("confirm", "reset", "email", "invite")


class AccountToken(Base):
    """A link sent by email: only its hash is kept, it expires and it works once.

    ``purpose`` is ``confirm`` (a new address), ``reset`` (a forgotten password), ``email``
    (a changed address, kept in ``email``) or ``invite`` (``user_id`` invites ``email``).
    """

    __tablename__ = "account_tokens"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User | None] = relationship(lazy="joined")

    def usable(self, now: dt.datetime) -> bool:
        return self.used_at is None and self.expires_at > now
