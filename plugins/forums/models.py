"""Categories, forums, topics, posts, read marks, subscriptions and reports.

Counts and the last activity are kept on the topic and forum rows, so that lists need no
count over posts and no query per row. ``group_id`` is copied from the forum onto topics and
posts, so that every listing filters with the groups plugin's rule without a join.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.accounts.models import User
from core.db import Base, UTCDateTime, utcnow


class Category(Base):
    """A heading that gathers site forums on the forums' index."""

    __tablename__ = "forums_category"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0, index=True)


class Forum(Base):
    """A site forum (in a category) or a group's forum (``group_id`` set, one per group)."""

    __tablename__ = "forums_forum"
    __table_args__ = (
        Index("ix_forums_forum_category_position", "category_id", "position"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("forums_category.id", ondelete="SET NULL"))
    group_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    topic_count: Mapped[int] = mapped_column(Integer, default=0)
    post_count: Mapped[int] = mapped_column(Integer, default=0)
    last_post_id: Mapped[int | None] = mapped_column(Integer)
    last_topic_id: Mapped[int | None] = mapped_column(Integer)
    last_poster_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    last_post_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    category: Mapped[Category | None] = relationship()
    last_poster: Mapped[User | None] = relationship()


class Topic(Base):
    __tablename__ = "forums_topic"
    __table_args__ = (
        # A forum's topics by last activity, stickies first; a member's topics; super-stickies.
        Index("ix_forums_topic_forum_activity", "forum_id", "sticky", "last_post_at", "id"),
        Index("ix_forums_topic_author", "author_id", "id"),
        Index("ix_forums_topic_super_sticky", "super_sticky", "last_post_at"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forums_forum.id"))
    group_id: Mapped[int | None] = mapped_column(Integer)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    title: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    sticky: Mapped[bool] = mapped_column(Boolean, default=False)
    super_sticky: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    reply_count: Mapped[int] = mapped_column(Integer, default=0)
    first_post_id: Mapped[int | None] = mapped_column(Integer)
    last_post_id: Mapped[int | None] = mapped_column(Integer)
    last_poster_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    last_post_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    forum: Mapped[Forum] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    last_poster: Mapped[User | None] = relationship(foreign_keys=[last_poster_id])


class Post(Base):
    """The opening post of a topic (``is_first``) or a reply."""

    __tablename__ = "forums_post"
    __table_args__ = (
        Index("ix_forums_post_topic", "topic_id", "id"),
        Index("ix_forums_post_author", "author_id", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("forums_topic.id", ondelete="CASCADE"))
    forum_id: Mapped[int] = mapped_column(Integer)
    group_id: Mapped[int | None] = mapped_column(Integer)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    is_first: Mapped[bool] = mapped_column(Boolean, default=False)
    body: Mapped[str] = mapped_column(Text)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    topic: Mapped[Topic] = relationship()
    author: Mapped[User] = relationship()


class ReadMark(Base):
    """How far a member has read a topic: the last post they were shown."""

    __tablename__ = "forums_read"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    topic_id: Mapped[int] = mapped_column(
        ForeignKey("forums_topic.id", ondelete="CASCADE"), primary_key=True, index=True)
    last_post_id: Mapped[int] = mapped_column(Integer)


class Subscription(Base):
    """A member who wants an email on each new post of a topic or of a forum."""

    __tablename__ = "forums_subscription"
    __table_args__ = (
        UniqueConstraint("user_id", "topic_id", name="uq_forums_subscription_user_topic"),
        UniqueConstraint("user_id", "forum_id", name="uq_forums_subscription_user_forum"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    topic_id: Mapped[int | None] = mapped_column(
        ForeignKey("forums_topic.id", ondelete="CASCADE"), index=True)
    forum_id: Mapped[int | None] = mapped_column(
        ForeignKey("forums_forum.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)


class Report(Base):
    """A member's flag on a post, waiting in the moderators' queue until resolved."""

    __tablename__ = "forums_report"
    __table_args__ = (
        Index("ix_forums_report_open", "resolved_at", "id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("forums_post.id", ondelete="CASCADE"),
                                         index=True)
    group_id: Mapped[int | None] = mapped_column(Integer)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome: Mapped[str | None] = mapped_column(String(20))
