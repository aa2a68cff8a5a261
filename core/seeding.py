"""Seeding: demo content for ``make serve`` and volume for benchmarks.

Each plugin registers a seeder with ``config.add_seeder(name, seed, options)``; ``cortege seed``
runs them in plugin order inside one transaction. A seeder reads the volume it was asked for
in ``context.options`` and uses ``context.bulk_insert`` for large numbers.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass, field

from sqlalchemy import func, insert, select
from zope.sqlalchemy import mark_changed

from core.accounts.models import User
from core.accounts.passwords import hash_password
from core.db import utcnow

DEMO_PASSWORD = "cortege-demo"
FIRST_NAMES = ["Camille", "Dominique", "Claude", "Sacha", "Alix", "Louise", "Jules", "Inès",
               "Karim", "Léa", "Yanis", "Chloé", "Hugo", "Manon", "Nadia", "Théo", "Sofia",
               "Malik", "Anaïs", "Baptiste", "Élise", "Rayan", "Zoé", "Mathis"]
LAST_NAMES = ["Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
              "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "Bertrand",
              "Roux", "Vincent", "Fournier", "Morel", "Girard", "Mercier", "Benali", "Nguyen"]


@dataclass
class SeedContext:
    request: object
    options: dict
    notes: list[str] = field(default_factory=list)
    random: random.Random = field(default_factory=lambda: random.Random(2026))

    @property
    def dbsession(self):
        return self.request.dbsession

    def note(self, line: str) -> None:
        self.notes.append(line)

    def bulk_insert(self, table, rows, batch: int = 5000) -> int:
        """Insert many rows fast: executemany in batches, without the ORM. ``rows`` may be
        any iterable (a generator keeps only one batch in memory); returns how many.

        The session is marked changed, so that a run that only inserts in bulk commits:
        the transaction manager otherwise ends a session without ORM changes with a
        rollback."""
        connection = self.dbsession.connection()
        rows = iter(rows)
        count = 0
        while chunk := list(itertools.islice(rows, batch)):
            connection.execute(insert(table), chunk)
            count += len(chunk)
        if count:
            mark_changed(self.dbsession)
        return count


def is_empty(dbsession) -> bool:
    return not dbsession.scalar(select(func.count()).select_from(User))


def seed_accounts(context: SeedContext) -> None:
    """An admin, a moderator and a dozen members; then ``--members N`` more in bulk."""
    from core.accounts.interfaces import IAccountService

    accounts = context.request.find_service(IAccountService)
    dbsession = context.dbsession
    if accounts.find_by_login("admin") is None:
        accounts.create_user("admin@example.org", "admin", "Admin Cortège", DEMO_PASSWORD,
                             role="admin")
        accounts.create_user("moderation@example.org", "moderator", "Sam Moderator",
                             DEMO_PASSWORD, role="moderator")
        for index in range(12):
            first = FIRST_NAMES[index % len(FIRST_NAMES)]
            last = LAST_NAMES[(index * 7) % len(LAST_NAMES)]
            username = f"{first}.{last}".lower().replace("é", "e").replace("è", "e").replace("ï", "i")
            accounts.create_user(f"{username}@example.org", username, f"{first} {last}",
                                 DEMO_PASSWORD, locale=("fr" if index % 2 else "en"))
        context.note(f"Log in at /login as admin (admin@example.org), or as any demo member, "
                     f"with the password {DEMO_PASSWORD}.")
    volume = context.options.get("members", 0)
    if volume:
        start = (dbsession.scalar(select(func.max(User.id))) or 0) + 1
        password_hash = hash_password(DEMO_PASSWORD)
        now = utcnow()
        rand = context.random

        def rows():
            for number in range(start, start + volume):
                first, last = rand.choice(FIRST_NAMES), rand.choice(LAST_NAMES)
                username = f"member{number}"
                yield {
                    "username": username, "username_key": username,
                    "email": f"{username}@example.net", "email_key": f"{username}@example.net",
                    "display_name": f"{first} {last}", "password_hash": password_hash,
                    "role": "member", "status": "active",
                    "created_at": now, "email_confirmed_at": now,
                }

        added = context.bulk_insert(User.__table__, rows())
        context.note(f"Added {added} members.")


def includeme(config):
    config.add_seeder("accounts", seed_accounts,
                      options={"members": (0, "how many extra members to add in bulk")})
