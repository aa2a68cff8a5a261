"""Demo activity, and volume for benchmarks.

The demo gives status updates by the demo members (on their profiles and in their groups),
the entries of what the other seeders made without publishing events (memberships, topics,
events, petitions, polls), and a few follows and connections. ``--activity N`` adds N
entries in batches, streamed so that millions fit in memory: half status updates, half
"joined the group" entries, spread over the past year and over every member and group.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, insert, select, text

from core.accounts.models import User
from core.db import utcnow
from core.extensions import plugin_enabled
from plugins.social.models import Connection, Entry, Follow, Status

DEMO_STATUSES = (
    "Leafleting at the market this Saturday, 10:00. Who is in?",
    "Thank you all for yesterday's meeting: **forty** of us!",
    "The minutes of the last assembly are ready; comments welcome.",
    "Nous tractons devant la gare demain matin, rejoignez-nous !",
    "Reminder: bring banners and water for the march.",
    "Belle réunion hier soir, merci à toutes et à tous.",
)
BATCH = 10_000


def _existing(context, verb, kind, model, actor, group=True, limit=200):
    columns = [model.id, getattr(model, actor)]
    if group:
        columns.append(model.group_id)
    rows = context.dbsession.execute(select(*columns).order_by(model.id).limit(limit)).all()
    return [{"verb": verb, "actor_id": row[1], "subject_kind": kind, "subject_id": row[0],
             "group_id": row[2] if group else None} for row in rows if row[1]]


def seed_demo(context, members, now) -> int:
    registry = context.request.registry
    rows = []
    if plugin_enabled(registry, "groups"):
        from plugins.groups.models import Membership

        for group_id, user_id in context.dbsession.execute(
                select(Membership.group_id, Membership.user_id)
                .where(Membership.state == "member").order_by(Membership.group_id).limit(200)):
            rows.append({"verb": "groups.joined", "actor_id": user_id,
                         "subject_kind": "groups.group", "subject_id": group_id,
                         "group_id": group_id})
    if plugin_enabled(registry, "forums"):
        from plugins.forums.models import Topic

        rows += _existing(context, "forums.topic", "forums.topic", Topic, "author_id")
    if plugin_enabled(registry, "agenda"):
        from plugins.agenda.models import Event

        rows += _existing(context, "agenda.published", "agenda.event", Event, "organiser_id")
    if plugin_enabled(registry, "petitions"):
        from plugins.petitions.models import Petition

        rows += _existing(context, "petitions.launched", "petitions.petition", Petition,
                          "author_id")
    if plugin_enabled(registry, "polls"):
        from plugins.polls.models import Poll

        rows += _existing(context, "polls.opened", "polls.poll", Poll, "author_id")
    rand = context.random
    for row in rows:
        row["created_at"] = now - dt.timedelta(minutes=rand.randint(60, 60 * 24 * 30))
    rows.sort(key=lambda row: row["created_at"])
    context.bulk_insert(Entry.__table__, rows)
    dbsession = context.dbsession
    for number, body in enumerate(DEMO_STATUSES):
        author = members[number % len(members)]
        status = Status(author_id=author, body=body, group_id=None,
                        created_at=now - dt.timedelta(minutes=30 - number))
        dbsession.add(status)
        dbsession.flush()
        dbsession.add(Entry(verb="social.status", actor_id=author, subject_kind="social.status",
                            subject_id=status.id, created_at=status.created_at))
    for index, user_id in enumerate(members[:12]):
        for other in members[index + 1:index + 4]:
            dbsession.add(Follow(user_id=user_id, subject_kind="member", subject_id=other))
        if index + 1 < len(members) and index % 2 == 0:
            dbsession.add(Connection(requester_id=user_id, addressee_id=members[index + 1],
                                     state="accepted", accepted_at=now))
    dbsession.flush()
    return len(rows) + len(DEMO_STATUSES)


def seed_volume(context, volume: int, members: list[int], now) -> None:
    """``volume`` entries, in batches of ``BATCH``, with ids given here so that a status and
    its entry are written in the same batch without reading anything back."""
    dbsession = context.dbsession
    connection = dbsession.connection()
    groups = []
    if plugin_enabled(context.request.registry, "groups"):
        from plugins.groups.models import Group

        groups = dbsession.scalars(select(Group.id).order_by(Group.id)).all()
    rand = context.random
    status_id = (dbsession.scalar(select(func.max(Status.id))) or 0) + 1
    entry_id = (dbsession.scalar(select(func.max(Entry.id))) or 0) + 1
    start = now - dt.timedelta(days=365)
    step = dt.timedelta(days=365) / max(volume, 1)
    made = 0
    while made < volume:
        statuses, entries = [], []
        for _ in range(min(BATCH, volume - made)):
            author = rand.choice(members)
            group_id = rand.choice(groups) if groups and rand.random() < 0.6 else None
            created = start + step * made
            if rand.random() < 0.5 or not groups:
                statuses.append({"id": status_id, "author_id": author, "group_id": group_id,
                                 "body": rand.choice(DEMO_STATUSES), "created_at": created,
                                 "hidden": False})
                entries.append({"id": entry_id, "verb": "social.status", "actor_id": author,
                                "subject_kind": "social.status", "subject_id": status_id,
                                "group_id": group_id, "created_at": created})
                status_id += 1
            else:
                group_id = group_id or rand.choice(groups)
                entries.append({"id": entry_id, "verb": "groups.joined", "actor_id": author,
                                "subject_kind": "groups.group", "subject_id": group_id,
                                "group_id": group_id, "created_at": created})
            entry_id += 1
            made += 1
        if statuses:
            connection.execute(insert(Status.__table__), statuses)
        connection.execute(insert(Entry.__table__), entries)
    if connection.dialect.name == "postgresql":
        for table in ("social_status", "social_entry"):
            connection.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))


def seed_social(context) -> None:
    dbsession = context.dbsession
    if dbsession.scalar(select(Entry.id).limit(1)) is not None:
        context.note("Activity: already seeded.")
        return
    now = utcnow()
    members = dbsession.scalars(select(User.id).where(User.status == "active")
                                .order_by(User.id)).all()
    if not members:
        return
    count = seed_demo(context, members[:500], now)
    volume = context.options.get("activity", 0)
    if volume:
        seed_volume(context, volume, members, now)
    context.note(f"Activity: {count + volume} entries at /activity.")


def includeme(config):
    config.add_seeder("social", seed_social,
                      options={"activity": (0, "how many extra activity entries to add")})
