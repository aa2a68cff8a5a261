"""What happens to groups and memberships is published as domain events, by the service, with
the acting member: each action taken through the pages leaves its event in the outbox."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import select
from zope.interface import implementedBy
from zope.interface.verify import verifyObject

from core.events import StoredEvent
from plugins.groups import events as ev
from plugins.groups.models import Group


def published(dbsession, since=0):
    return [(row.name, row.actor_id, row.payload) for row in dbsession.scalars(
        select(StoredEvent).where(StoredEvent.id > since).order_by(StoredEvent.id))]


def last_id(dbsession):
    return dbsession.scalar(select(StoredEvent.id).order_by(StoredEvent.id.desc())) or 0


def post(browser, slug, path, status=None, **data):
    token = browser.get("/account").html.select_one('input[name="csrf_token"]')["value"]
    return browser.post(f"/groups/{slug}/{path}", {"csrf_token": token, **data},
                        status=status)


@pytest.mark.parametrize("event_class", ev.EVENTS)
def test_events_are_small_frozen_and_provide_their_interface(event_class):
    fields = {field.name: 1 for field in dataclasses.fields(event_class)}
    event = event_class(**fields)
    assert event.name.startswith("groups.")
    (interface,) = implementedBy(event_class).declared
    assert verifyObject(interface, event)
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.group_id = 2
    assert event.payload() == fields


def test_creating_editing_and_deleting_a_group(login, make_member, dbsession):
    ana = make_member("ana")
    browser = login(ana)
    form = browser.get("/groups/new").forms["group-form"]
    form["name"], form["status"] = "Lille", "public"
    form.submit(status=303)
    group = dbsession.scalars(select(Group).where(Group.slug == "lille")).one()
    g = {"group_id": group.id, "actor_id": ana.id}
    assert published(dbsession) == [("groups.created", ana.id, g)]

    mark = last_id(dbsession)
    form = browser.get("/groups/lille/edit").forms["group-form"]
    form["city"] = "Lille"
    form.submit(status=303)
    form = browser.get("/groups/lille/edit").forms["group-form"]
    form["status"] = "private"
    form.submit(status=303)
    assert published(dbsession, mark) == [
        ("groups.updated", ana.id, g),
        ("groups.status_changed", ana.id, {**g, "status": "private",
                                           "previous_status": "public"})]

    mark = last_id(dbsession)
    form = browser.get("/groups/lille/delete").forms["delete-form"]
    form["confirm"] = "lille"
    form.submit(status=303)
    assert published(dbsession, mark) == [("groups.deleted", ana.id, g)]


def test_joining_leaving_and_requests(login, make_member, make_group, dbsession):
    admin, moderator = make_member("admin1"), make_member("modo")
    camille, dom = make_member("camille"), make_member("dom")
    public = make_group("Lille", admin=admin)
    private = make_group("Brest", status="private", admin=admin,
                         members=[(moderator, "moderator")])
    camille_web, dom_web, modo_web = login(camille), login(dom), login(moderator)

    def member(group, user, actor):
        return {"actor_id": actor.id, "group_id": group.id, "user_id": user.id}

    mark = last_id(dbsession)
    post(camille_web, "lille", "membership", action="join")
    post(camille_web, "lille", "membership", action="leave")
    post(camille_web, "brest", "membership", action="join")
    post(camille_web, "brest", "membership", action="cancel")
    post(camille_web, "brest", "membership", action="join")
    post(dom_web, "brest", "membership", action="join")
    post(modo_web, "brest", "manage", action="approve", user_id=str(camille.id))
    post(modo_web, "brest", "manage", action="reject", user_id=str(dom.id))
    assert published(dbsession, mark) == [
        ("groups.member_joined", camille.id, member(public, camille, camille)),
        ("groups.member_left", camille.id, member(public, camille, camille)),
        ("groups.join_requested", camille.id, member(private, camille, camille)),
        ("groups.request_withdrawn", camille.id, member(private, camille, camille)),
        ("groups.join_requested", camille.id, member(private, camille, camille)),
        ("groups.join_requested", dom.id, member(private, dom, dom)),
        ("groups.request_accepted", moderator.id, member(private, camille, moderator)),
        ("groups.request_declined", moderator.id, member(private, dom, moderator)),
    ]


def test_invitations_roles_removals_and_bans(login, make_member, make_group, dbsession):
    admin, camille, dom, eve = (make_member("admin1"), make_member("camille"),
                                make_member("dom"), make_member("eve"))
    group = make_group("Bureau", status="hidden", admin=admin)
    boss = login(admin)

    def member(user, actor, **more):
        return {"actor_id": actor.id, "group_id": group.id, "user_id": user.id, **more}

    mark = last_id(dbsession)
    for person in (camille, dom, eve):
        post(boss, "bureau", "invite", username=person.username)
    post(login(camille), "bureau", "membership", action="accept")
    post(login(dom), "bureau", "membership", action="decline")
    post(boss, "bureau", "manage", action="uninvite", user_id=str(eve.id))
    post(boss, "bureau", "manage", action="promote", user_id=str(camille.id))
    post(boss, "bureau", "manage", action="demote", user_id=str(camille.id))
    post(boss, "bureau", "manage", action="remove", user_id=str(camille.id))
    post(boss, "bureau", "manage", action="ban", user_id=str(dom.id))
    post(boss, "bureau", "manage", action="unban", user_id=str(dom.id))
    assert published(dbsession, mark) == [
        ("groups.member_invited", admin.id, member(camille, admin)),
        ("groups.member_invited", admin.id, member(dom, admin)),
        ("groups.member_invited", admin.id, member(eve, admin)),
        ("groups.invitation_accepted", camille.id, member(camille, camille,
                                                          inviter_id=admin.id)),
        ("groups.invitation_declined", dom.id, member(dom, dom, inviter_id=admin.id)),
        ("groups.invitation_withdrawn", admin.id, member(eve, admin)),
        ("groups.role_changed", admin.id, member(camille, admin, role="moderator",
                                                 previous_role="member")),
        ("groups.role_changed", admin.id, member(camille, admin, role="member",
                                                 previous_role="moderator")),
        ("groups.member_removed", admin.id, member(camille, admin)),
        ("groups.member_banned", admin.id, member(dom, admin)),
        ("groups.member_unbanned", admin.id, member(dom, admin)),
    ]


def test_a_refused_action_publishes_nothing(login, make_member, make_group, dbsession):
    admin, camille = make_member("admin1"), make_member("camille")
    make_group("Lille", admin=admin, members=[camille])
    mark = last_id(dbsession)
    post(login(admin), "lille", "membership", action="leave")  # the last admin stays
    post(login(camille), "lille", "manage", status=403, action="remove",
         user_id=str(admin.id))
    assert published(dbsession, mark) == []


def test_the_last_admin_leaving_the_site_hands_the_group_over(make_member, make_group,
                                                              dbsession, plugin_request):
    from core.extensions import registered

    admin, camille = make_member("admin1"), make_member("camille")
    group = make_group("Lille", admin=admin, members=[camille])
    request = plugin_request()
    provider = next(p for p in registered(request.registry, "cortege personal data providers")
                    if p.name == "groups")
    mark = last_id(dbsession)
    provider.erase(request, admin)
    request.dbsession.flush()
    assert published(dbsession, mark) == [
        ("groups.role_changed", None, {"actor_id": None, "group_id": group.id,
                                       "user_id": camille.id, "role": "admin",
                                       "previous_role": "member"})]
