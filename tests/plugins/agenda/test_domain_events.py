"""What the agenda publishes (``plugins.agenda.events``), through the pages that cause it: one
stored event per change and per event concerned, with the actor and ids; and what its
subscribers do with them (the change mail)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import zoneinfo

import pytest
from sqlalchemy import select
from zope.interface.verify import verifyObject

from core.events import StoredEvent
from core.testing import TEST_PASSWORD
from plugins.agenda.events import EVENTS, IAgendaEvent, WaitlistPromoted
from plugins.agenda.models import GOING, WAITLIST, Event
from tests.plugins.agenda.test_rsvp import answer


def published(dbsession, name) -> list[tuple[dict, int | None]]:
    dbsession.expire_all()
    return [(row.payload, row.actor_id) for row in dbsession.scalars(
        select(StoredEvent).where(StoredEvent.name == name).order_by(StoredEvent.id))]


def fill(form, **values):
    fields = {"title": "Welcome evening", "start_date": (dt.date.today() + dt.timedelta(
        days=7)).isoformat(), "start_time": "19:00", "end_time": "21:00",
        "timezone": "Europe/Paris", "city": "Rennes", **values}
    for name, value in fields.items():
        form[name] = value
    return form


def test_every_event_is_declared_small_and_frozen(registry):
    from core.events import EVENTS as DECLARED
    from core.extensions import registered_map

    declared = registered_map(registry, DECLARED)
    for event_class in EVENTS:
        assert declared[event_class.name].event_class is event_class
    event = WaitlistPromoted(actor_id=1, event_id=2, user_id=3, rsvp_id=4)
    assert verifyObject(IAgendaEvent, event)
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.user_id = 5


def test_publishing_a_series_publishes_each_occurrence_and_its_cohosts(login, make_user,
                                                                       dbsession):
    camille, dominique = make_user("camille"), make_user("dominique")
    form = fill(login(camille).get("/agenda/new").forms["event-form"], repeat="weekly",
                repeat_count="3", cohosts="dominique")
    form.submit(status=303)
    events = dbsession.scalars(select(Event).order_by(Event.starts_at)).all()
    series_id = events[0].series_id
    assert series_id is not None
    assert published(dbsession, "agenda.event_published") == [
        ({"actor_id": camille.id, "event_id": event.id, "group_id": None,
          "series_id": series_id}, camille.id) for event in events]
    assert published(dbsession, "agenda.cohost_added") == [
        ({"actor_id": camille.id, "event_id": event.id, "user_id": dominique.id}, camille.id)
        for event in events]


def test_editing_publishes_what_changed_and_who_co_hosts(login, make_user, make_event,
                                                         dbsession):
    organiser, ana = make_user("orga"), make_user("ana")
    event = make_event(organiser)
    browser = login(organiser)
    form = browser.get(f"/agenda/{event.id}/edit").forms["event-form"]
    form["venue"], form["title"], form["cohosts"] = "Salle 2", "New title", "ana"
    form.submit(status=303)
    form = browser.get(f"/agenda/{event.id}/edit").forms["event-form"]
    form["cohosts"] = ""
    form.submit(status=303)  # nothing but the co-hosts changed: no "changed" event
    assert published(dbsession, "agenda.event_changed") == [
        ({"actor_id": organiser.id, "event_id": event.id, "fields": ["title", "venue"],
          "series_id": None}, organiser.id)]
    assert published(dbsession, "agenda.cohost_added") == [
        ({"actor_id": organiser.id, "event_id": event.id, "user_id": ana.id}, organiser.id)]
    assert published(dbsession, "agenda.cohost_removed") == [
        ({"actor_id": organiser.id, "event_id": event.id, "user_id": ana.id}, organiser.id)]


def test_cancelling_the_rest_of_a_series_publishes_one_per_occurrence(login, make_user,
                                                                      dbsession):
    organiser = make_user()
    browser = login(organiser)
    fill(browser.get("/agenda/new").forms["event-form"], repeat="weekly",
         repeat_count="3").submit(status=303)
    events = dbsession.scalars(select(Event).order_by(Event.starts_at)).all()
    form = browser.get(f"/agenda/{events[1].id}/cancel").forms["cancel-form"]
    form["scope"] = "series"
    form.submit(status=303)
    assert published(dbsession, "agenda.event_cancelled") == [
        ({"actor_id": organiser.id, "event_id": event.id, "series_id": event.series_id},
         organiser.id) for event in events[1:]]


def test_answers_and_promotions(login, make_user, make_event, dbsession):
    event = make_event(capacity=1)
    first, second = make_user(), make_user()
    first_browser = login(first)
    answer(first_browser, event, guests=0)
    answer(login(second), event, guests=0)
    answer(first_browser, event, "not_going")
    assert [payload for payload, _ in published(dbsession, "agenda.rsvp_answered")] == [
        {"actor_id": first.id, "event_id": event.id, "user_id": first.id, "status": GOING,
         "guests": 0},
        {"actor_id": second.id, "event_id": event.id, "user_id": second.id,
         "status": WAITLIST, "guests": 0},
        {"actor_id": first.id, "event_id": event.id, "user_id": first.id,
         "status": "not_going", "guests": 0}]
    [(payload, actor_id)] = published(dbsession, "agenda.waitlist_promoted")
    assert actor_id == first.id  # who freed the place
    assert payload["user_id"] == second.id and payload["event_id"] == event.id


def test_an_account_deleted_deletes_its_events_and_says_so(login, make_user, make_event,
                                                           dbsession):
    louise = make_user("louise")
    own_id = make_event(louise).id
    browser = login(louise)
    form = browser.get("/account").forms["delete-form"]
    form["password"], form["confirm"] = TEST_PASSWORD, True
    form.submit(status=303)
    assert published(dbsession, "agenda.event_deleted") == [
        ({"actor_id": None, "event_id": own_id, "group_id": None}, None)]


class TestWithGroups:
    @pytest.fixture
    def cortege_plugins(self):
        return ["profiles", "groups", "agenda"]

    def test_an_event_published_in_a_group_and_the_group_deleted(
            self, login, make_user, make_group, make_event, dbsession):
        chief = make_user("chief")
        group_id = make_group("Cell", slug="cell", status="private", admin=chief).id
        browser = login(chief)
        fill(browser.get("/agenda/new?group=cell").forms["event-form"]).submit(status=303)
        event_id = dbsession.scalar(select(Event.id))
        [(payload, _)] = published(dbsession, "agenda.event_published")
        assert payload["group_id"] == group_id
        form = browser.get("/groups/cell/delete").forms["delete-form"]
        form["confirm"] = "cell"
        form.submit()
        assert published(dbsession, "agenda.event_deleted") == [
            ({"actor_id": chief.id, "event_id": event_id, "group_id": group_id}, chief.id)]


def test_a_change_of_time_or_place_is_mailed_to_who_is_going_or_waiting(
        login, make_user, make_event, make_rsvp, outbox):
    organiser = make_user()
    event = make_event(organiser, title="Réunion", capacity=1)
    going = make_user("going", locale="fr", timezone="America/Montreal")
    make_rsvp(event, going)
    make_rsvp(event, make_user("waiting"), status=WAITLIST)
    make_rsvp(event, make_user("not-going"), status="not_going")
    browser = login(organiser)
    form = browser.get(f"/agenda/{event.id}/edit").forms["event-form"]
    form["title"] = "Réunion de section"  # the title alone: no mail
    form.submit(status=303)
    assert outbox == []
    form = browser.get(f"/agenda/{event.id}/edit").forms["event-form"]
    form["start_time"], form["end_time"], form["venue"] = "20:30", "22:00", "Salle B"
    form.submit(status=303)
    assert sorted(m.recipients[0] for m in outbox) == ["going@example.org",
                                                       "waiting@example.org"]
    french = next(m for m in outbox if m.recipients == ["going@example.org"])
    assert "Modifié" in french.subject and "Réunion de section" in french.subject
    paris = zoneinfo.ZoneInfo("Europe/Paris")
    moved = dt.datetime.combine(event.starts_at.astimezone(paris).date(), dt.time(20, 30),
                                paris)
    montreal = moved.astimezone(zoneinfo.ZoneInfo("America/Montreal"))
    assert f"{montreal:%H:%M}" in french.body and "Salle B" in french.body
    assert f"/agenda/{event.id}" in french.body


def test_a_cancelled_event_changed_afterwards_mails_nobody(login, make_user, make_event,
                                                           make_rsvp, outbox):
    organiser = make_user()
    event = make_event(organiser)
    make_rsvp(event, make_user())
    browser = login(organiser)
    browser.get(f"/agenda/{event.id}/cancel").forms["cancel-form"].submit(status=303)
    outbox.clear()
    form = browser.get(f"/agenda/{event.id}/edit").forms["event-form"]
    form["venue"] = "Elsewhere"
    form.submit(status=303)
    assert outbox == []


def test_the_content_type_and_subscribers_are_listed(login, make_user):
    page = login(make_user(role="admin")).get("/admin/plugins")
    for name in ("agenda.event", "agenda.event_published", "agenda.mail_cancellation",
                 "agenda.mail_changes", "agenda.mail_promotion", "agenda.notify_chunk",
                 "agenda.remind"):
        assert name in page.text, name
