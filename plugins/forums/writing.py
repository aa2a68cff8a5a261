"""Writing topics and replies, with their counters: the one way rows are written, shared by
the service (which checks the rules and publishes events first), the seeder and the test
fixtures (which do neither).

A new post adds to the counters in SQL (``n = n + 1``) and moves the last-post pointers
forward only, so that posts written at the same moment are all counted, whatever the order
their transactions commit in. Recounts (``ForumService.refresh_topic``, ``refresh_forum``)
lock the row before counting, so that a post committed meanwhile is either counted or adds
itself after. Rows are always taken topic first, then forum.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import case, literal, or_, select, update

from core.db import utcnow
from core.text import fold
from plugins.forums.models import Forum, Post, Topic

SLUG_LENGTH = 80


def slugify(text: str, fallback: str = "topic") -> str:
    return "-".join(re.findall(r"[a-z0-9]+", fold(text)))[:SLUG_LENGTH].strip("-") or fallback


def forum_of_group(db, group_id: int, create: bool = False) -> Forum | None:
    """The forum of group ``group_id``; made (and flushed) with ``create`` when it has none."""
    forum = db.scalar(select(Forum).where(Forum.group_id == group_id))
    if forum is None and create:
        forum = Forum(slug=f"group-{group_id}", title="", description="", group_id=group_id,
                      position=0, closed=False, topic_count=0, post_count=0)
        db.add(forum)
        db.flush()
    return forum


def _pointing_at(model, post: Post) -> dict:
    """Values that point ``model``'s row at ``post``, unless it points at a later one."""
    values = {"last_post_id": post.id, "last_poster_id": post.author_id,
              "last_post_at": post.created_at}
    if model is Forum:
        values["last_topic_id"] = post.topic_id
    later = or_(model.last_post_id.is_(None), model.last_post_id < post.id)
    return {name: case((later, literal(value, getattr(model, name).type)),
                       else_=getattr(model, name)) for name, value in values.items()}


def _count_new_post(db, post: Post, forum: Forum, topic: Topic | None = None,
                    opens_topic: bool = False) -> None:
    """Count ``post`` (a reply to ``topic``, or the opening post of a new topic)."""
    unsynchronised = {"synchronize_session": False}
    if topic is not None:
        db.execute(update(Topic).where(Topic.id == topic.id).values(
            reply_count=Topic.reply_count + 1, **_pointing_at(Topic, post))
            .execution_options(**unsynchronised))
        db.expire(topic, ["reply_count", "last_post_id", "last_poster_id", "last_post_at"])
    db.execute(update(Forum).where(Forum.id == forum.id).values(
        topic_count=Forum.topic_count + (1 if opens_topic else 0),
        post_count=Forum.post_count + 1, **_pointing_at(Forum, post))
        .execution_options(**unsynchronised))
    db.expire(forum, ["topic_count", "post_count", "last_post_id", "last_topic_id",
                      "last_poster_id", "last_post_at"])


def write_topic(db, forum: Forum, author_id: int, title: str, body: str,
                now: dt.datetime | None = None) -> Topic:
    """A topic with its opening post, counted; no rule checked, nothing published (the
    service checks and publishes; seeders and fixtures write with this alone)."""
    now = now or utcnow()
    topic = Topic(forum_id=forum.id, group_id=forum.group_id, author_id=author_id,
                  title=title.strip(), slug=slugify(title), created_at=now, closed=False,
                  sticky=False, super_sticky=False, hidden=False, reply_count=0,
                  last_poster_id=author_id, last_post_at=now)
    db.add(topic)
    db.flush()
    post = Post(topic_id=topic.id, forum_id=forum.id, group_id=forum.group_id,
                author_id=author_id, is_first=True, body=body, hidden=False, created_at=now)
    db.add(post)
    db.flush()
    topic.first_post_id = topic.last_post_id = post.id
    _count_new_post(db, post, forum, opens_topic=True)
    db.flush()
    return topic


def write_reply(db, topic: Topic, author_id: int, body: str,
                now: dt.datetime | None = None) -> Post:
    """A reply to ``topic``, counted; no rule checked, nothing published."""
    forum = db.get(Forum, topic.forum_id)
    post = Post(topic_id=topic.id, forum_id=forum.id, group_id=forum.group_id,
                author_id=author_id, is_first=False, body=body, hidden=False,
                created_at=now or utcnow())
    db.add(post)
    db.flush()
    _count_new_post(db, post, forum, topic=topic)
    db.flush()
    return post
