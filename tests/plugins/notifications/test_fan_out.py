"""One event to many members: split into jobs of ``notifications.chunk``, each recipient
checked, in bounded time (the full-size measure is ``bench/notifications_fan_out.py``)."""

from __future__ import annotations

import time

from sqlalchemy import func, insert, select

from core.accounts.models import User
from core.jobs import Job, drain
from core.testing import new_user
from plugins.groups.models import Membership
from plugins.notifications.models import Notification


def test_one_event_to_twelve_hundred_members_in_jobs(make_user, make_group, login, registry,
                                                     dbsession, hold_jobs):
    admin = make_user("admin1")
    group = make_group("Big", status="private", admin=admin)
    password_hash = admin.password_hash
    rows = []
    for number in range(1200):
        user = new_user(f"m{number:05}")
        rows.append({"username": user.username, "username_key": user.username_key,
                     "email": user.email, "email_key": user.email_key,
                     "display_name": user.display_name, "password_hash": password_hash,
                     "status": "active", "role": "member"})
    dbsession.execute(insert(User), rows)
    ids = dbsession.scalars(select(User.id).where(User.username.like("m%"))).all()
    dbsession.execute(insert(Membership), [{"group_id": group.id, "user_id": user_id,
                                            "state": "member", "role": "member"}
                                           for user_id in ids])
    dbsession.flush()
    from tests.plugins.notifications.test_mail import _new_group_event

    _new_group_event(login(admin), group, "General assembly")
    started = time.monotonic()
    drain(registry)
    elapsed = time.monotonic() - started
    written = dbsession.scalar(select(func.count()).select_from(Notification).where(
        Notification.type == "agenda.group_event"))
    assert written == 1200
    chunks = dbsession.scalar(select(func.count()).select_from(Job).where(
        Job.task == "notifications.deliver"))
    assert chunks == 3  # 500 a job
    assert elapsed < 60
