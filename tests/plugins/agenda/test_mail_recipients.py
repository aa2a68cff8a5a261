"""Mail about an event goes only to people who may still see it, decided when the mail goes:
someone removed from or banned by the event's group, who left it, whose group turned private,
or whose account is suspended, hears nothing more; a current member still does."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from plugins.agenda.interfaces import IAgendaService
from plugins.agenda.models import GOING, GROUP, MEMBERS, PUBLIC, WAITLIST, Rsvp
from tests.plugins.profiles.conftest import plugin_request  # noqa: F401

CAST = ("removed", "banned", "left", "suspended", "outsider", "stays")


@pytest.fixture
def cortege_plugins():
    return ["profiles", "groups", "agenda"]


def csrf(browser) -> str:
    return browser.get("/agenda").html.select_one('input[name="csrf_token"]')["value"]


def rsvp(browser, event, status="going"):
    form = browser.get(f"/agenda/{event.id}").forms["rsvp-form"]
    form["status"] = status
    form.submit(status=303)


@pytest.fixture
def world(make_user, make_group, make_event, login):
    """A public group's event at the level "group", answered by everyone in CAST (in that
    order) while they could all see it; then each but "stays" loses sight of it."""

    def build(capacity=None):
        boss, chief = make_user("boss"), make_user("chief", role="admin")
        people = {name: make_user(name) for name in CAST}
        group = make_group("Lille", slug="lille", admin=boss,
                           members=[people[name] for name in CAST if name != "outsider"])
        event = make_event(boss, title="Assembly", visibility=GROUP, group_id=group.id,
                           capacity=capacity)
        organiser = login(boss)
        if capacity:
            rsvp(organiser, event)  # the place the others wait for
        for name in CAST:
            rsvp(login(people[name]), event)
        for action, name in (("remove", "removed"), ("ban", "banned")):
            organiser.post("/groups/lille/manage", {"csrf_token": csrf(organiser),
                                                    "action": action,
                                                    "user_id": str(people[name].id)})
        leaver = login(people["left"])
        leaver.post("/groups/lille/membership", {"csrf_token": csrf(leaver), "action": "leave"})
        admin = login(chief)
        admin.post(f"/admin/members/{people['suspended'].id}/suspend",
                   {"csrf_token": csrf(admin)}, status=303)
        form = organiser.get("/groups/lille/edit").forms["group-form"]
        form["status"] = "private"
        form.submit(status=303)
        return organiser, event, people

    return build


def recipients(outbox) -> list[str]:
    return sorted(message.recipients[0] for message in outbox)


def test_organisers_message(world, outbox):
    organiser, event, _ = world()
    form = organiser.get(f"/agenda/{event.id}/message").forms["message-form"]
    form["subject"], form["body"], form["waitlist"] = "Room changed", "Room 2", True
    outbox.clear()
    response = form.submit(status=303).follow()
    assert recipients(outbox) == ["stays@example.org"]
    assert "sent to 1 people" in response.text


def test_cancellation(world, outbox):
    organiser, event, _ = world()
    outbox.clear()
    organiser.get(f"/agenda/{event.id}/cancel").forms["cancel-form"].submit(status=303)
    assert recipients(outbox) == ["stays@example.org"]


def test_reminder_is_decided_when_it_is_sent(world, outbox, plugin_request):  # noqa: F811
    _, event, _ = world()
    outbox.clear()
    request = plugin_request()  # as `cortege agenda remind` does it
    assert request.find_service(IAgendaService).send_reminders(
        now=event.starts_at - dt.timedelta(hours=1)) == 1
    request.tm.commit()
    assert recipients(outbox) == ["stays@example.org"]


def test_waitlist_promotion_skips_who_can_no_longer_see_the_event(world, outbox, dbsession):
    organiser, event, people = world(capacity=1)
    waiting = dict(dbsession.execute(select(Rsvp.user_id, Rsvp.status)
                                     .where(Rsvp.event_id == event.id)).all())
    assert {waiting[people[name].id] for name in CAST} == {WAITLIST}
    outbox.clear()
    rsvp(organiser, event, "not_going")
    assert recipients(outbox) == ["stays@example.org"]
    dbsession.expire_all()
    statuses = dict(dbsession.execute(select(Rsvp.user_id, Rsvp.status)
                                      .where(Rsvp.event_id == event.id)).all())
    assert statuses[people["stays"].id] == GOING
    assert {statuses[people[name].id] for name in CAST if name != "stays"} == {WAITLIST}


@pytest.mark.parametrize("status", ["public", "private", "hidden"])
def test_recipients_are_exactly_who_the_event_page_shows_it_to(
        status, make_user, make_group, make_event, login, dbsession, plugin_request):  # noqa: F811
    """The mail's rule is the pages' rule, for every kind of event and person."""
    from plugins.groups.models import BANNED

    admin, organiser = make_user("chief", role="admin"), make_user("organiser")
    member, banned, outsider = make_user("member"), make_user("banned"), make_user("outsider")
    group = make_group("Lille", slug="lille", status=status, members=[member])
    make_group.join(group, banned, state=BANNED)
    events = [make_event(organiser, title=level, visibility=level, group_id=group.id)
              for level in (PUBLIC, MEMBERS, GROUP)]
    events.append(make_event(organiser, title="site", visibility=MEMBERS))
    people = (admin, organiser, member, banned, outsider)
    for event in events:
        for person in people:
            dbsession.add(Rsvp(event_id=event.id, user_id=person.id, status=GOING))
    dbsession.flush()
    service = plugin_request().find_service(IAgendaService)
    browsers = {person.id: login(person) for person in people}
    for event in events:
        mailed = {user.id for _, _, user in dbsession.execute(
            service.recipients((GOING,), [event]))}
        shown = {person.id for person in people
                 if browsers[person.id].get(f"/agenda/{event.id}", expect_errors=True)
                 .status_int == 200}
        assert mailed == shown, (status, event.title)
