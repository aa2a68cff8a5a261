"""Comments, reports on them, and the contents whose comments are closed.

A comment points at its content by kind and id (``kind`` is a content type's name, see
``core.content``): no foreign key, since the content belongs to another plugin, which may be
off. Comments whose content is gone are swept by the periodic task ``comments.sweep``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.db import Base, UTCDateTime, utcnow

KIND_LENGTH = 60
BODY_LENGTH = 10_000
REASON_LENGTH = 1000


class Comment(Base):
    """A comment on a content, or a reply (``parent_id``) to a comment on it. A deleted
    comment that has replies stays, without its text, so that the replies keep their place."""

    __tablename__ = "comments_comment"
    __table_args__ = (
        # A content's thread, page by page; its count.
        Index("ix_comments_comment_thread", "kind", "content_id", "parent_id", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(KIND_LENGTH))
    content_id: Mapped[int] = mapped_column(Integer)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments_comment.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    body: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)


class CommentReport(Base):
    """A reader's flag on a comment, for the content's moderators."""

    __tablename__ = "comments_report"
    __table_args__ = (
        Index("ix_comments_report_comment_open", "comment_id", "resolved_at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments_comment.id", ondelete="CASCADE"))
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    reason: Mapped[str] = mapped_column(String(REASON_LENGTH))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    outcome: Mapped[str | None] = mapped_column(String(20))


class ClosedThread(Base):
    """A content whose comments a moderator closed: no new comment until reopened."""

    __tablename__ = "comments_closed"

    kind: Mapped[str] = mapped_column(String(KIND_LENGTH), primary_key=True)
    content_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    closed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    closed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
