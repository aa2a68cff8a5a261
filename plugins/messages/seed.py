"""A demo conversation, and ``--messages N`` more messages in bulk, for the benchmark."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from zope.sqlalchemy import mark_changed

from core.accounts.models import User
from core.db import utcnow
from plugins.messages.models import Conversation, Message, Participant

PER_CONVERSATION = 10
DEMO = ("Can you bring the leaflets on Saturday?", "Yes, I will be there at ten.",
        "Thank you! See you then.")


def seed_messages(context):
    dbsession, rand = context.dbsession, context.random
    ids = dbsession.scalars(select(User.id).where(User.status == "active")
                            .order_by(User.id)).all()
    if len(ids) < 3:
        return
    now = utcnow()
    if not dbsession.scalar(select(func.count()).select_from(Conversation)):
        _write(context, [(ids[1], ids[2], "Leaflets", DEMO)], now, first_id=1, first_message=1)
        context.note("Messages: a demo conversation between the second and third members, at "
                     "/messages.")
    volume = context.options.get("messages", 0)
    if not volume:
        return
    conversation_id = (dbsession.scalar(select(func.max(Conversation.id))) or 0) + 1
    message_id = (dbsession.scalar(select(func.max(Message.id))) or 0) + 1
    for start in range(0, volume, 100000):
        count = min(volume - start, 100000)
        batch = []
        for _number in range(0, count, PER_CONVERSATION):
            first, second = rand.sample(ids, 2)
            batch.append((first, second, "", [f"Message {n}" for n in range(PER_CONVERSATION)]))
        _write(context, batch, now - dt.timedelta(seconds=volume - start), conversation_id,
               message_id)
        conversation_id += len(batch)
        message_id += len(batch) * PER_CONVERSATION
    context.note(f"Messages: added {volume} messages in conversations of two.")


def _write(context, conversations, when, first_id, first_message):
    rows, people, messages = [], [], []
    message_id = first_message
    for offset, (first, second, subject, bodies) in enumerate(conversations):
        conversation_id = first_id + offset
        last = message_id + len(bodies) - 1
        rows.append({"id": conversation_id, "subject": subject, "group_id": None,
                     "started_by_id": first, "created_at": when, "last_message_id": last})
        for user_id in (first, second):
            people.append({"conversation_id": conversation_id, "user_id": user_id,
                           "is_admin": False, "last_message_id": last,
                           "last_read_id": last if user_id == first else 0, "archived": False,
                           "cleared_id": 0, "joined_at": when})
        for number, body in enumerate(bodies):
            messages.append({"id": message_id, "conversation_id": conversation_id,
                             "sender_id": (first, second)[number % 2], "body": body,
                             "admins_only": False, "removed": None, "created_at": when})
            message_id += 1
    context.bulk_insert(Conversation.__table__, rows)
    context.bulk_insert(Participant.__table__, people)
    context.bulk_insert(Message.__table__, messages)
    mark_changed(context.dbsession)  # written through the connection: commit it all the same
