"""The agenda's rules hold whoever calls the service: a job or a command acting for a member
who may not do something is refused as the pages refuse them, and nothing changes."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from core.content import may_see, visible_ids
from core.errors import ActionError, Forbidden, NotFound
from core.events import StoredEvent
from core.jobs import job_request
from plugins.agenda.interfaces import AgendaError, IAgendaService, RsvpError
from plugins.agenda.models import CANCELLED, GROUP, MEMBERS, PUBLIC, SCHEDULED, CoHost, Event


def values(event_type, **changes):
    start = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=5)
    return {"title": "Assembly", "type_id": event_type().id, "starts_at": start,
            "ends_at": start + dt.timedelta(hours=2), "timezone": "Europe/Paris",
            "city": "Lyon", "visibility": MEMBERS, **changes}


@pytest.fixture
def as_job(registry, dbsession):
    """``as_job(call)``: run ``call(service, request)`` in a job's request, committed; the
    error it raises, if any, is returned (the job's transaction is then rolled back)."""

    def run(call):
        try:
            with job_request(registry) as request, request.tm:
                call(request.find_service(IAgendaService), request)
        except ActionError as error:
            dbsession.expire_all()
            return error
        dbsession.expire_all()
        return None

    return run


def stored(dbsession) -> int:
    return dbsession.scalar(select(func.count()).select_from(StoredEvent))


def test_only_organisers_change_an_event(as_job, make_user, make_event, make_rsvp, dbsession):
    organiser, cohost, other = make_user(), make_user(), make_user()
    suspended = make_user(status="suspended")
    admin = make_user(role="admin")
    event = make_event(organiser)
    rsvp = make_rsvp(event, make_user())
    dbsession.add(CoHost(event_id=event.id, user_id=cohost.id))
    dbsession.flush()
    def mine(request):  # the event, in the job's own session
        return request.dbsession.get(Event, event.id)

    actions = {
        "update": lambda actor: lambda s, r: s.update(
            actor, mine(r), {"starts_at": event.starts_at, "ends_at": event.ends_at,
                             "timezone": event.timezone, "title": "Changed"}),
        "check in": lambda actor: lambda s, r: s.check_in(actor, mine(r), rsvp.id, True),
        "message": lambda actor: lambda s, r: s.message_attendees(actor, mine(r), "Hi", "Yo"),
        "cancel": lambda actor: lambda s, r: s.cancel(actor, mine(r)),
    }
    for name, action in actions.items():
        for actor in (None, other, suspended):
            error = as_job(action(actor))
            assert isinstance(error, Forbidden), (name, actor)
            assert error.status == 403
    assert stored(dbsession) == 0
    assert dbsession.get(Event, event.id).title == "Section meeting"
    assert dbsession.get(Event, event.id).status == SCHEDULED
    # A co-host and an admin may; the organiser too.
    assert as_job(actions["update"](cohost)) is None
    assert dbsession.get(Event, event.id).title == "Changed"
    assert as_job(actions["check in"](admin)) is None
    assert as_job(actions["cancel"](organiser)) is None
    assert dbsession.get(Event, event.id).status == CANCELLED


def test_publishing_needs_an_active_member(as_job, make_user, event_type, dbsession):
    for actor in (None, make_user(status="suspended"), make_user(status="deleted")):
        error = as_job(lambda s, r, actor=actor: s.create(actor, values(event_type)))
        assert isinstance(error, Forbidden)
    assert dbsession.scalar(select(func.count()).select_from(Event)) == 0
    member = make_user()
    assert as_job(lambda s, r: s.create(member, values(event_type))) is None
    assert dbsession.scalar(select(Event.organiser_id)) == member.id


def test_answers_need_an_active_member_who_sees_the_event(as_job, make_user, make_event,
                                                          dbsession):
    event = make_event(visibility=MEMBERS)
    assert isinstance(as_job(lambda s, r: s.answer(None, event, "going")), Forbidden)
    suspended = make_user(status="suspended")
    assert isinstance(as_job(lambda s, r: s.answer(suspended, event, "going")), Forbidden)
    hidden = make_event(visibility=PUBLIC, group_id=999)  # a group that is not there
    error = as_job(lambda s, r: s.answer(make_user(), hidden, "going"))
    assert isinstance(error, NotFound) and error.status == 404
    error = as_job(lambda s, r: s.answer(make_user(), event, "maybe"))
    assert isinstance(error, RsvpError) and error.status == 400
    assert stored(dbsession) == 0


def test_a_full_event_refuses_more_guests_with_a_conflict(as_job, make_user, make_event):
    event = make_event(capacity=2)
    member = make_user()
    assert as_job(lambda s, r: s.answer(member, event, "going")) is None
    error = as_job(lambda s, r: s.answer(member, event, "going", guests=3))
    assert isinstance(error, RsvpError) and error.status == 409


class TestGroups:
    @pytest.fixture
    def cortege_plugins(self):
        return ["profiles", "groups", "agenda"]

    def test_publishing_in_a_group_needs_its_membership_and_its_levels(
            self, as_job, make_user, make_group, add_member, event_type, dbsession):
        member, outsider = make_user(), make_user()
        private = make_group("Cell", slug="cell", status="private")
        hidden = make_group("Deep", slug="deep", status="hidden")
        for group in (private, hidden):
            add_member(group, member)
        for group, refusal in ((private, Forbidden), (hidden, NotFound)):
            error = as_job(lambda s, r, group=group: s.create(
                outsider, values(event_type, group_id=group.id, visibility=GROUP)))
            assert type(error) is refusal, group.status
        # A level that would show a private group's event beyond the group.
        error = as_job(lambda s, r: s.create(
            member, values(event_type, group_id=private.id, visibility=MEMBERS)))
        assert isinstance(error, AgendaError) and error.field == "visibility"
        assert dbsession.scalar(select(func.count()).select_from(Event)) == 0
        assert as_job(lambda s, r: s.create(
            member, values(event_type, group_id=private.id, visibility=GROUP))) is None
        assert dbsession.scalar(select(Event.group_id)) == private.id


def test_the_content_type_is_the_pages_rule(make_user, make_event, registry, login,
                                            testapp, dbsession):
    """``agenda.event`` answers as the pages do, for strangers, members, suspended members
    (a stranger's view) and on a site open to members only (strangers see nothing)."""
    from core.sitesettings import load_site_settings, save_site_settings

    public = make_event(title="Open", visibility=PUBLIC)
    members = make_event(title="Members", visibility=MEMBERS)
    member = make_user()
    suspended = make_user()
    login(suspended)
    suspended.status = "suspended"
    dbsession.flush()
    with job_request(registry) as request, request.tm:
        assert may_see(request, "agenda.event", public.id, None)
        assert not may_see(request, "agenda.event", members.id, None)
        assert may_see(request, "agenda.event", members.id, member)
        assert not may_see(request, "agenda.event", members.id, suspended)
        assert set(request.dbsession.scalars(visible_ids(request, "agenda.event", member))) \
            == {public.id, members.id}
    testapp.get(f"/agenda/{public.id}", status=200)
    settings = load_site_settings(dbsession, "Cortège")
    settings.visibility = "members"
    save_site_settings(dbsession, settings)
    with job_request(registry) as request, request.tm:
        assert not may_see(request, "agenda.event", public.id, None)
        assert may_see(request, "agenda.event", public.id, member)


def test_only_who_manages_the_agenda_changes_its_types(as_job, make_user, make_event,
                                                       dbsession):
    from plugins.agenda.models import EventType

    member, admin = make_user(), make_user(role="admin")
    used = make_event().type_id
    error = as_job(lambda s, r: s.add_type(member, "Picnic"))
    assert isinstance(error, Forbidden)
    assert as_job(lambda s, r: s.add_type(admin, "Picnic")) is None
    added = dbsession.scalar(select(EventType).where(EventType.name == "Picnic"))
    assert added.slug == "picnic"
    for call in (lambda s, r: s.rename_type(member, added.id, "Party"),
                 lambda s, r: s.delete_type(member, added.id),
                 lambda s, r: s.move_type(member, added.id, up=True)):
        assert isinstance(as_job(call), Forbidden)
    error = as_job(lambda s, r: s.delete_type(admin, used))
    assert isinstance(error, AgendaError) and error.status == 409
    assert isinstance(as_job(lambda s, r: s.delete_type(admin, 999999)), NotFound)
    assert as_job(lambda s, r: s.delete_type(admin, added.id)) is None
