"""Test fixtures of the agenda, for its own tests and any other plugin's (a pytest plugin,
published as ``cortege_agenda`` under ``pytest11``: installed, they are simply there).

``event_type``  ``event_type("meeting")``: one of the types every site starts with (the
                slugs of ``plugins.agenda.seed``: meeting, leafleting, door-to-door...).
``make_event``  ``make_event(organiser=None, **columns)``: an ``Event`` row, flushed: in three
                days, 18:00-20:00 UTC, "Section meeting" in Lyon, for logged-in members,
                organised by a new member, unless told otherwise; ``type="leafleting"``
                picks its type, any other keyword sets a column (``visibility``,
                ``group_id``, ``capacity``, ``starts_at``...). No domain event is published:
                it is a row made for a test, as if it had always been there.
``make_rsvp``   ``make_rsvp(event, user, status="going", guests=0)``: an answer row, with the
                places it holds counted in ``event.seats_taken``.
``hold_jobs``   while this fixture is used, jobs wait in the ``jobs`` table instead of running
                as their request commits; run them later with ``core.jobs.run_job(registry,
                id)`` or ``core.jobs.drain(registry)``, to see what a worker does with a world
                that changed since the event (a member removed from the group meanwhile).

The module also registers the content sample of ``agenda.event`` for the cross-plugin privacy
test (``core.testing.register_content_sample``): an event whose title holds the marker, at
the level "group" in a group, "members" without one, in a city of its own (named after a hash
of the marker, so that the lists filtered on it never show the marker in their form).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from core.db import utcnow
from core.testing import register_content_sample
from plugins.agenda.models import GOING, GROUP, MEMBERS, Event, EventType, Rsvp
from plugins.agenda.services import fold


def default_start() -> dt.datetime:
    return utcnow().replace(hour=18, minute=0, second=0, microsecond=0) + dt.timedelta(days=3)


def new_event(dbsession, organiser, **values) -> Event:
    """An event row for ``organiser``, flushed (what ``make_event`` makes)."""
    start = values.pop("starts_at", None) or default_start()
    slug = values.pop("type", "meeting")
    type_id = dbsession.scalar(select(EventType.id).where(EventType.slug == slug))
    values.setdefault("title", "Section meeting")
    values.setdefault("city", "Lyon")
    values.setdefault("visibility", MEMBERS)
    values.setdefault("timezone", "Europe/Paris")
    event = Event(organiser_id=organiser.id, type_id=type_id, starts_at=start,
                  ends_at=values.pop("ends_at", start + dt.timedelta(hours=2)),
                  city_key=fold(values["city"]), **values)
    dbsession.add(event)
    dbsession.flush()
    return event


@pytest.fixture
def event_type(dbsession):
    """``event_type("meeting")``: one of the types every site starts with."""

    def find(slug="meeting"):
        return dbsession.scalar(select(EventType).where(EventType.slug == slug))

    return find


@pytest.fixture
def make_event(dbsession, make_user):
    """An event in three days, 18:00-20:00 UTC, members only, unless told otherwise."""

    def factory(organiser=None, **values):
        return new_event(dbsession, organiser or make_user(), **values)

    return factory


@pytest.fixture
def make_rsvp(dbsession):
    """``make_rsvp(event, user, status="going", guests=0)``: an answer, places counted."""

    def factory(event, user, status=GOING, guests=0, **values):
        rsvp = Rsvp(event_id=event.id, user_id=user.id, status=status, guests=guests,
                    **values)
        dbsession.add(rsvp)
        if status == GOING:
            event.seats_taken = (event.seats_taken or 0) + 1 + guests
        dbsession.flush()
        return rsvp

    return factory


@pytest.fixture
def hold_jobs(app):
    """Jobs wait in the ``jobs`` table until the test runs them (``run_job``, ``drain``)."""
    huey = app.registry["cortege.huey"]
    huey.immediate = False  # Huey's own switch: its messages go to a queue nobody reads
    try:
        yield
    finally:
        huey.immediate = True


# The cross-plugin privacy test's sample of ``agenda.event``.

def make_sample(dbsession, *, owner, group, marker):
    city = "Sample " + hashlib.sha256(marker.encode()).hexdigest()[:12]
    return new_event(dbsession, owner, title=f"Event {marker}", city=city,
                     visibility=GROUP if group is not None else MEMBERS,
                     group_id=group.id if group is not None else None)


def sample_surfaces(event) -> list[str]:
    """The event's page and its calendar file, then the lists that hold it (filtered on its
    city, so that other events never push it off the page)."""
    city = urlencode({"city": event.city})
    day = event.starts_at.date()
    return [f"/agenda/{event.id}", f"/agenda/{event.id}.ics", f"/agenda?{city}",
            f"/agenda/week?week={day.isoformat()}&{city}",
            f"/agenda/month?month={day:%Y-%m}&{city}", "/agenda.ics"]


register_content_sample("agenda.event", make_sample, sample_surfaces)
