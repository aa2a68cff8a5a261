"""Fixtures for the agenda: its event types and events made directly."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.db import utcnow
from plugins.agenda.models import MEMBERS, Event, EventType
from plugins.agenda.services import fold
from tests.plugins.groups.conftest import make_group  # noqa: F401 - for the groups tests


@pytest.fixture
def cortege_plugins():
    return ["agenda"]


@pytest.fixture
def event_type(dbsession):
    """``event_type("meeting")``: one of the types every site starts with."""

    def find(slug="meeting"):
        return dbsession.scalar(select(EventType).where(EventType.slug == slug))

    return find


@pytest.fixture
def make_event(dbsession, event_type, make_user):
    """An event in three days, 18:00-20:00 UTC, members only, unless told otherwise."""

    def factory(organiser=None, **values):
        organiser = organiser or make_user()
        start = values.pop("starts_at", None) or (
            utcnow().replace(hour=18, minute=0, second=0, microsecond=0)
            + dt.timedelta(days=3))
        values.setdefault("title", "Section meeting")
        values.setdefault("city", "Lyon")
        values.setdefault("visibility", MEMBERS)
        values.setdefault("timezone", "Europe/Paris")
        event = Event(organiser_id=organiser.id, type_id=event_type(values.pop("type", "meeting")).id,
                      starts_at=start, ends_at=values.pop("ends_at", start + dt.timedelta(hours=2)),
                      city_key=fold(values["city"]), **values)
        dbsession.add(event)
        dbsession.flush()
        return event

    return factory
