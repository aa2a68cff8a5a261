"""``python -m bench.notifications_fan_out``: one event told to a whole group, timed.

A scratch database (SQLite by default, or a PostgreSQL server with ``--database-url``) is
migrated with ``cortege db upgrade``; ``--members`` members (10,000 by default) are written in
bulk and put in one private group, with an event of that group. The event's publication is
then handed to the jobs as a worker runs them (``core.jobs.drain``, in this process): the
notifications subscriber names the group's members, ``notifications.deliver`` jobs of
``notifications.chunk`` members each check every recipient against the event's visibility
and write their notifications. The run prints the seconds from the publication to the last
job done, how many jobs ran and how many notifications were written.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bench.database import PROJECT, cortege, scratch_database, write_bench_ini


def fill(registry, members: int) -> int:
    """Members, their group and its event; returns the event's id."""
    import datetime as dt

    from sqlalchemy import insert, select

    from core.accounts.models import User
    from core.jobs import job_request
    from plugins.agenda.models import GROUP, EventType
    from plugins.agenda.testing import new_event
    from plugins.groups.models import Group, Membership

    with job_request(registry) as request, request.tm:
        db = request.dbsession
        now = dt.datetime.now(dt.UTC)
        rows = [{"username": f"fan-{n:06}", "username_key": f"fan-{n:06}",
                 "email": f"fan-{n:06}@example.org", "email_key": f"fan-{n:06}@example.org",
                 "display_name": f"Fan {n}", "password_hash": None, "role": "member",
                 "status": "active", "created_at": now} for n in range(members)]
        for start in range(0, len(rows), 5000):
            db.execute(insert(User), rows[start:start + 5000])
        ids = db.scalars(select(User.id).where(User.username.like("fan-%"))
                         .order_by(User.id)).all()
        group = Group(name="Everyone", sort_name="everyone", slug="everyone-bench", status="private",
                      description="", member_count=len(ids))
        db.add(group)
        db.flush()
        memberships = [{"group_id": group.id, "user_id": user_id, "state": "member",
                        "role": "admin" if index == 0 else "member", "created_at": now,
                        "updated_at": now} for index, user_id in enumerate(ids)]
        for start in range(0, len(memberships), 5000):
            db.execute(insert(Membership), memberships[start:start + 5000])
        if db.scalar(select(EventType.id).limit(1)) is None:
            raise SystemExit("the agenda's event types are missing: is the agenda enabled?")
        organiser = db.get(User, ids[0])
        event = new_event(db, organiser, group_id=group.id, visibility=GROUP,
                          title="General assembly")
        return event.id, organiser.id, group.id


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.notifications_fan_out",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=10000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--ini", default=str(PROJECT / "development.ini"))
    options = parser.parse_args(argv)

    from pyramid.paster import get_appsettings

    from core import make_config
    from core.events import publish
    from core.jobs import drain, job_request

    with tempfile.TemporaryDirectory(prefix="cortege-fan-out-") as folder:
        folder = Path(folder)
        with scratch_database(options.database_url, folder) as url:
            ini = write_bench_ini(Path(options.ini), folder / "bench.ini", url,
                                  overrides={"cortege.mail_backend": "memory"})
            cortege("db", "upgrade", str(ini), log=folder / "bench.log")
            settings = get_appsettings(str(ini))
            registry = make_config(dict(settings)).make_wsgi_app().registry

            event_id, organiser_id, group_id = fill(registry, options.members)
            from plugins.agenda.events import EventPublished

            started = time.perf_counter()
            with job_request(registry) as request, request.tm:
                publish(request, EventPublished(actor_id=organiser_id, event_id=event_id,
                                                group_id=group_id))
            ran = drain(registry)
            seconds = time.perf_counter() - started
            from sqlalchemy import func, select

            from plugins.notifications.models import Notification

            with job_request(registry) as request, request.tm:
                written = request.dbsession.scalar(select(func.count()).select_from(Notification))
            print(f"{options.members} members: {written} notifications written by {ran} jobs "
                  f"in {seconds:.1f} s ({url.split(':')[0]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
