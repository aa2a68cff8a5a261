"""Mail about an event goes only to people who may still see it, decided when the mail is
written and again when it leaves: someone removed from or banned by the event's group, who
left it, whose group turned private, or whose account is suspended, hears nothing more; a
current member still does. Mail to many is written by jobs, never by the request."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.jobs import DONE, PENDING, Job, drain, job_request, run_job
from plugins.agenda.interfaces import IAgendaService
from plugins.agenda.models import GOING, GROUP, MEMBERS, PUBLIC, WAITLIST, Rsvp
from plugins.agenda.notices import queue_reminders

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


def lose_sight(organiser, admin, people):
    """Each of CAST but "stays" loses sight of the group's event, each in their own way."""
    for action, name in (("remove", "removed"), ("ban", "banned")):
        organiser.post("/groups/lille/manage", {"csrf_token": csrf(organiser),
                                                "action": action,
                                                "user_id": str(people[name].id)})
    leaver = people["left:browser"]
    leaver.post("/groups/lille/membership", {"csrf_token": csrf(leaver), "action": "leave"})
    admin.post(f"/admin/members/{people['suspended'].id}/suspend",
               {"csrf_token": csrf(admin)}, status=303)
    form = organiser.get("/groups/lille/edit").forms["group-form"]
    form["status"] = "private"
    form.submit(status=303)


@pytest.fixture
def world(make_user, make_group, add_member, make_event, login):
    """A public group's event at the level "group", answered by everyone in CAST (in that
    order) while they could all see it; then, unless ``blind=False``, each but "stays" loses
    sight of it."""

    def build(capacity=None, blind=True):
        boss, chief = make_user("boss"), make_user("chief", role="admin")
        people = {name: make_user(name) for name in CAST}
        group = make_group("Lille", slug="lille", admin=boss)
        for name in CAST:
            if name != "outsider":
                add_member(group, people[name])
        event = make_event(boss, title="Assembly", visibility=GROUP, group_id=group.id,
                           capacity=capacity)
        organiser = login(boss)
        if capacity:
            rsvp(organiser, event)  # the place the others wait for
        for name in CAST:
            people[f"{name}:browser"] = login(people[name])
            rsvp(people[f"{name}:browser"], event)
        admin = login(chief)
        if blind:
            lose_sight(organiser, admin, people)
        return organiser, event, people, admin

    return build


def recipients(outbox) -> list[str]:
    return sorted(message.recipients[0] for message in outbox)


def test_organisers_message(world, outbox):
    organiser, event, *_ = world()
    form = organiser.get(f"/agenda/{event.id}/message").forms["message-form"]
    form["subject"], form["body"], form["waitlist"] = "Room changed", "Room 2", True
    outbox.clear()
    response = form.submit(status=303).follow()
    assert recipients(outbox) == ["stays@example.org"]
    assert "being sent to 1 people" in response.text


def test_cancellation(world, outbox):
    organiser, event, *_ = world()
    outbox.clear()
    organiser.get(f"/agenda/{event.id}/cancel").forms["cancel-form"].submit(status=303)
    assert recipients(outbox) == ["stays@example.org"]


def test_reminder_is_decided_when_it_is_sent(world, outbox, registry):
    _, event, *_ = world()
    outbox.clear()
    with job_request(registry) as request, request.tm:  # as the periodic task does it
        assert queue_reminders(request, now=event.starts_at - dt.timedelta(hours=1)) == 1
    assert recipients(outbox) == ["stays@example.org"]


def test_waitlist_promotion_skips_who_can_no_longer_see_the_event(world, outbox, dbsession):
    organiser, event, people, _ = world(capacity=1)
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


@pytest.mark.parametrize("what", ["cancel", "message", "change"])
def test_who_lost_sight_after_the_change_but_before_the_worker_gets_nothing(
        what, world, outbox, registry, dbsession, hold_jobs):
    """The organiser acts while everyone may see the event; the worker runs later, once all
    but "stays" have lost sight of it: the mail goes to "stays" alone."""
    organiser, event, people, admin = world(blind=False)
    outbox.clear()
    if what == "cancel":
        organiser.get(f"/agenda/{event.id}/cancel").forms["cancel-form"].submit(status=303)
    elif what == "message":
        form = organiser.get(f"/agenda/{event.id}/message").forms["message-form"]
        form["subject"], form["body"] = "Room changed", "Room 2"
        assert "being sent to 6 people" in form.submit(status=303).follow().text
    else:
        form = organiser.get(f"/agenda/{event.id}/edit").forms["event-form"]
        form["venue"] = "Salle 2"
        form.submit(status=303)
    assert outbox == []  # the request wrote no mail
    lose_sight(organiser, admin, people)
    drain(registry)
    assert recipients(outbox) == ["stays@example.org"]


def test_a_mail_written_before_the_reader_lost_sight_is_dropped_when_it_leaves(
        world, outbox, registry, dbsession, hold_jobs):
    organiser, event, people, admin = world(blind=False)
    outbox.clear()
    organiser.get(f"/agenda/{event.id}/cancel").forms["cancel-form"].submit(status=303)
    [delivery] = dbsession.scalars(select(Job).where(
        Job.key.like("%:agenda.mail_cancellation"))).all()
    assert run_job(registry, delivery.id) == DONE  # the subscriber writes six mails
    mails = dbsession.scalars(select(Job).where(Job.task == "cortege.mail",
                                                Job.status == PENDING)).all()
    assert len(mails) == 6 and outbox == []
    lose_sight(organiser, admin, people)
    for job in mails:
        run_job(registry, job.id)
    assert recipients(outbox) == ["stays@example.org"]


@pytest.mark.parametrize("status", ["public", "private", "hidden"])
def test_recipients_are_exactly_who_the_event_page_shows_it_to(
        status, make_user, make_group, add_member, make_event, make_rsvp, login, registry,
        dbsession):
    """The mail's rule is the pages' rule, for every kind of event and person."""
    from plugins.groups.models import BANNED

    admin, organiser = make_user("chief", role="admin"), make_user("organiser")
    member, banned, outsider = make_user("member"), make_user("banned"), make_user("outsider")
    group = make_group("Lille", slug="lille", status=status)
    add_member(group, member)
    add_member(group, banned, state=BANNED)
    events = [make_event(organiser, title=level, visibility=level, group_id=group.id)
              for level in (PUBLIC, MEMBERS, GROUP)]
    events.append(make_event(organiser, title="site", visibility=MEMBERS))
    people = (admin, organiser, member, banned, outsider)
    for event in events:
        for person in people:
            make_rsvp(event, person)
    browsers = {person.id: login(person) for person in people}
    with job_request(registry) as request, request.tm:
        service = request.find_service(IAgendaService)
        for event in events:
            mailed = {user.id for _, _, user in request.dbsession.execute(
                service.recipients((GOING,), [event]))}
            shown = {person.id for person in people
                     if browsers[person.id].get(f"/agenda/{event.id}", expect_errors=True)
                     .status_int == 200}
            assert mailed == shown, (status, event.title)


class TestManyAttendees:
    """An organiser writing to many attendees: the request only queues one job; the mails are
    written by jobs of ``agenda.mail_chunk`` answers each."""

    @pytest.fixture
    def cortege_plugins(self):
        return ["agenda"]

    @pytest.fixture
    def cortege_settings(self, cortege_settings):
        return {**cortege_settings, "agenda.mail_chunk": "3"}

    def test_the_request_writes_no_mail_and_jobs_write_three_each(
            self, make_user, make_event, make_rsvp, login, dbsession, registry, outbox,
            hold_jobs):
        organiser = make_user()
        event = make_event(organiser)
        for number in range(7):
            make_rsvp(event, make_user(f"attendee-{number}"))
        form = login(organiser).get(f"/agenda/{event.id}/message").forms["message-form"]
        form["subject"], form["body"] = "Hello", "See you"
        assert "being sent to 7 people" in form.submit(status=303).follow().text

        def tasks():
            dbsession.expire_all()
            return sorted(dbsession.scalars(select(Job.task).where(Job.status == PENDING)))

        assert tasks() == ["agenda.message"]
        [job] = dbsession.scalars(select(Job).where(Job.task == "agenda.message")).all()
        run_job(registry, job.id)
        assert tasks() == ["agenda.notify_chunk"] * 3 and outbox == []
        chunks = dbsession.scalars(select(Job).where(Job.task == "agenda.notify_chunk")
                                   .order_by(Job.id)).all()
        assert [len(chunk.args["rsvp_ids"]) for chunk in chunks] == [3, 3, 1]
        run_job(registry, chunks[0].id)
        assert tasks().count("cortege.mail") == 3
        drain(registry)
        assert recipients(outbox) == sorted(f"attendee-{n}@example.org" for n in range(7))

    def test_cancelling_a_big_event_splits_the_mails_too(
            self, make_user, make_event, make_rsvp, login, dbsession, outbox):
        organiser = make_user()
        event = make_event(organiser)
        for number in range(5):
            make_rsvp(event, make_user(f"attendee-{number}"))
        login(organiser).get(f"/agenda/{event.id}/cancel").forms["cancel-form"].submit(
            status=303)
        chunks = dbsession.scalars(select(Job).where(Job.task == "agenda.notify_chunk")
                                   .order_by(Job.id)).all()
        assert [(len(c.args["rsvp_ids"]), c.status) for c in chunks] == [(3, DONE), (2, DONE)]
        assert len(outbox) == 5
