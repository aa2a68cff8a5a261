"""Demo forums with discussions (and a forum in every demo group); replies in bulk for volume
(``--forum-replies N``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import exists, func, select, text

from core.accounts.models import User
from core.db import utcnow
from plugins.forums.models import Category, Forum, Post, Topic
from plugins.forums.writing import forum_of_group, write_reply, write_topic
from plugins.groups.interfaces import group_service

CATEGORIES = [
    ("Debates", "Ideas, programmes and the news, argued with respect.", [
        ("General discussion", "Everything that does not fit elsewhere."),
        ("Programme", "Proposals for the programme, chapter by chapter."),
    ]),
    ("Organising", "The practical side of campaigning.", [
        ("Campaigns", "Leafleting, canvassing, phone banks: share what works."),
        ("Help and questions", "New here? Ask anything about the site or the movement."),
    ]),
]
DISCUSSIONS = [
    ("Welcome! Introduce yourself here", ("Say hello, where you live and what you care "
                                          "about. **Everyone** is welcome.")),
    ("What should our housing proposals say?", ("Rents keep rising in our cities. Should we "
                                                "push for rent control, more social housing, "
                                                "or both?")),
    ("Tips for a first door-to-door", ("I am going door-to-door for the first time next "
                                       "week. Any advice?\n\n- what to say first\n"
                                       "- what to leave behind")),
    ("Public transport: free or cheaper?", ("Some towns made buses free. Did it work? "
                                            "Sources welcome.")),
]
REPLIES = [
    "Thanks for starting this, I agree with most of it.",
    "I see it differently: we should start with the people most affected.",
    "Here is what we did in our section last year, and it worked well.",
    "Good point. Could someone share figures for our region?",
    "+1, and let us talk about it at the next meeting.",
    "I would add that we need to explain it simply, without jargon.",
]
LOREM = ("We talked about it at the section meeting and agreed to bring it to the forum. "
         "What do the others think?")


def seed_demo(context) -> None:
    db = context.dbsession
    if db.scalar(select(exists().where(Forum.id.isnot(None)))):
        return
    members = list(db.scalars(select(User).where(User.status == "active")
                              .order_by(User.id).limit(14)))
    if len(members) < 3:
        return
    rand = context.random
    start = utcnow() - dt.timedelta(days=20)
    forums = []
    for position, (title, description, children) in enumerate(CATEGORIES, start=1):
        category = Category(title=title, description=description, position=position)
        db.add(category)
        db.flush()
        for index, (name, about) in enumerate(children, start=1):
            forum = Forum(slug=name.lower().replace(" ", "-"), title=name, description=about,
                          category_id=category.id, position=position * 10 + index,
                          closed=False, topic_count=0, post_count=0)
            db.add(forum)
            forums.append(forum)
    db.flush()
    groups = group_service(context.request)
    if groups is not None:
        admin = next((m for m in members if m.is_admin), None)
        for group_id in db.scalars(groups.listed_ids(admin).limit(6)) if admin else []:
            forums.append(forum_of_group(db, group_id, create=True))
    moment = start
    for index, forum in enumerate(forums):
        for title, body in DISCUSSIONS[index % 2::2]:
            moment += dt.timedelta(hours=rand.randint(2, 30))
            topic = write_topic(db, forum, members[(index * 3) % len(members)].id, title,
                                body, now=moment)
            for _number in range(rand.randint(1, 6)):
                moment += dt.timedelta(minutes=rand.randint(5, 600))
                write_reply(db, topic, rand.choice(members).id, rand.choice(REPLIES),
                            now=moment)
    db.flush()
    context.note(f"Added {len(forums)} forums with discussions at /forums.")


def seed_volume(context) -> None:
    """``--forum-replies N`` replies in one forum, ``--topic-replies`` (50) per topic,
    inserted in bulk: ``--forum-replies 1000 --topic-replies 1000`` makes one long topic."""
    volume = context.options.get("forum_replies", 0)
    if not volume:
        return
    db = context.dbsession
    user_ids = list(db.scalars(select(User.id).where(User.status == "active").limit(5000)))
    if not user_ids:
        return
    rand = context.random
    forum = Forum(slug=f"volume-{rand.randint(1000, 9999)}", title="Volume",
                  description="Many topics and replies, for benchmarks.", position=999,
                  closed=False, topic_count=0, post_count=0)
    db.add(forum)
    db.flush()
    per_topic = max(1, context.options.get("topic_replies", 50))
    topic_count = max(1, volume // per_topic)
    topic_start = (db.scalar(select(func.max(Topic.id))) or 0) + 1
    post_id = (db.scalar(select(func.max(Post.id))) or 0) + 1
    moment = utcnow() - dt.timedelta(minutes=volume + topic_count + 10)
    batch_topics, batch_posts = [], []
    remaining = volume
    for number in range(topic_count):
        topic_id = topic_start + number
        author = rand.choice(user_ids)
        replies = per_topic if number < topic_count - 1 else remaining
        remaining -= replies
        first_id = post_id
        batch_posts.append({"id": post_id, "topic_id": topic_id, "forum_id": forum.id,
                            "group_id": None, "author_id": author, "is_first": True,
                            "body": LOREM, "hidden": False, "created_at": moment})
        post_id += 1
        last_author = author
        for _reply in range(replies):
            moment += dt.timedelta(seconds=50)
            last_author = rand.choice(user_ids)
            batch_posts.append({"id": post_id, "topic_id": topic_id, "forum_id": forum.id,
                                "group_id": None, "author_id": last_author, "is_first": False,
                                "body": rand.choice(REPLIES), "hidden": False,
                                "created_at": moment})
            post_id += 1
        batch_topics.append({
            "id": topic_id, "forum_id": forum.id, "group_id": None, "author_id": author,
            "title": f"Discussion {number + 1}", "slug": f"discussion-{number + 1}",
            "created_at": moment, "closed": False, "sticky": False, "super_sticky": False,
            "hidden": False, "reply_count": replies, "first_post_id": first_id,
            "last_post_id": post_id - 1, "last_poster_id": last_author, "last_post_at": moment})
        if len(batch_posts) >= 50000 or number == topic_count - 1:
            context.bulk_insert(Topic.__table__, batch_topics)
            context.bulk_insert(Post.__table__, batch_posts)
            batch_topics, batch_posts = [], []
    _advance_sequences(db)
    forum.topic_count, forum.post_count = topic_count, topic_count + volume
    forum.last_topic_id, forum.last_post_id = topic_start + topic_count - 1, post_id - 1
    forum.last_poster_id, forum.last_post_at = last_author, moment
    db.flush()
    context.note(f"Added {volume} forum replies in {topic_count} topics at /forums/{forum.slug}.")


def _advance_sequences(db) -> None:
    """On PostgreSQL, rows inserted with their ids leave the id sequences behind."""
    if db.get_bind().dialect.name != "postgresql":
        return
    for table in ("forums_topic", "forums_post"):
        db.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"))


def seed(context) -> None:
    seed_demo(context)
    seed_volume(context)


def includeme(config):
    config.add_seeder("forums", seed, options={
        "forum_replies": (0, "how many forum replies to add in bulk"),
        "topic_replies": (50, "replies per topic of --forum-replies (as long as asked)")})
