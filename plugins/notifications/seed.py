"""Demo notifications, and ``--notifications N`` more in bulk, for the benchmark."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from zope.sqlalchemy import mark_changed

from core.accounts.models import User
from core.db import utcnow
from core.extensions import registered_map
from plugins.notifications.models import Notification


def seed_notifications(context):
    """Each of the first members hears that another one named them on their profile (a
    subject every member may see), so the bell has something to show; with ``--notifications
    N``, N more spread over every active member, most of them read."""
    if "profiles.profile" not in registered_map(context.request.registry,
                                                "cortege content types"):
        return
    dbsession, rand = context.dbsession, context.random
    ids = dbsession.scalars(select(User.id).where(User.status == "active")
                            .order_by(User.id)).all()
    if len(ids) < 2:
        return
    now = utcnow()
    if not dbsession.scalar(select(func.count()).select_from(Notification)):
        rows = [_row(recipient, rand.choice(ids), now - dt.timedelta(hours=hours), read=False)
                for recipient in ids[:14] for hours in (1, 30)]
        context.bulk_insert(Notification.__table__, rows)
        mark_changed(dbsession)
        context.note("Notifications: two for each demo member; the bell is in the header.")
    volume = context.options.get("notifications", 0)
    for start in range(0, volume, 100000):
        context.bulk_insert(Notification.__table__, [
            _row(rand.choice(ids), rand.choice(ids), now - dt.timedelta(minutes=volume - number),
                 read=rand.random() < 0.9)
            for number in range(start, min(volume, start + 100000))])
    mark_changed(dbsession)  # written through the connection: commit it all the same
    if volume:
        context.note(f"Notifications: added {volume} over {len(ids)} members.")


def _row(recipient_id, actor_id, when, read):
    return {"recipient_id": recipient_id, "type": "core.mentioned",
            "subject_kind": "profiles.profile", "subject_id": actor_id, "actor_id": actor_id,
            "created_at": when, "read_at": when if read else None, "digest": None}
