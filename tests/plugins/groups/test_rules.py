"""The group service checks who acts, whoever calls it: a job or a command calling it with an
actor who may not do the thing is refused the same way as the pages, and nothing changes."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.errors import ActionError, Forbidden, NotFound, RateLimited
from core.events import StoredEvent
from core.jobs import job_request
from plugins.groups.interfaces import GroupError, IGroupService
from plugins.groups.models import Group, GroupType, Membership


@pytest.fixture
def cast(make_member, make_group):
    people = {name: make_member(name) for name in
              ("admin1", "modo", "plain", "outsider", "asking", "invited", "banned")}
    people["site_admin"] = make_member("boss", role="admin")
    people["suspended_admin"] = make_member("gone", role="admin", status="suspended")
    groups = {}
    for status in ("public", "private", "hidden"):
        group = make_group(f"Group {status}", status=status, slug=status,
                           admin=people["admin1"],
                           members=[(people["modo"], "moderator"), people["plain"]])
        make_group.join(group, people["banned"], state="banned")
        make_group.join(group, people["invited"], state="invited",
                        invited_by_id=people["admin1"].id)
        if status == "private":
            make_group.join(group, people["asking"], state="requested")
        groups[status] = group
    return people, groups


def refused(registry, call):
    """The error ``call(service)`` raises, in a request of its own (a job's), rolled back."""
    with job_request(registry) as request:
        request.tm.begin()
        try:
            with pytest.raises(ActionError) as caught:
                call(request.find_service(IGroupService))
        finally:
            request.tm.abort()
    return caught.value


def places(dbsession, group):
    dbsession.expire_all()
    return {(row.user_id, row.state, row.role) for row in dbsession.scalars(
        select(Membership).where(Membership.group_id == group.id))}


def test_nobody_but_moderators_and_admins_manages_members(cast, registry, dbsession):
    people, groups = cast
    private, hidden = groups["private"], groups["hidden"]
    before = places(dbsession, private), places(dbsession, hidden)
    plain, modo, admin = people["plain"], people["modo"], people["admin1"]
    cases = [
        # (actor, group, what, expected error)
        (None, private, lambda s, g: s.remove(g, plain, actor=None), Forbidden),
        (people["suspended_admin"], private, lambda s, g: s.remove(
            g, plain, actor=people["suspended_admin"]), Forbidden),
        (people["outsider"], private, lambda s, g: s.remove(
            g, plain, actor=people["outsider"]), NotFound),
        (people["outsider"], hidden, lambda s, g: s.ban(
            g, plain, actor=people["outsider"]), NotFound),
        (people["banned"], private, lambda s, g: s.approve(
            g, people["asking"], actor=people["banned"]), NotFound),
        (people["invited"], hidden, lambda s, g: s.remove(
            g, plain, actor=people["invited"]), NotFound),
        (plain, private, lambda s, g: s.approve(g, people["asking"], actor=plain), Forbidden),
        (plain, private, lambda s, g: s.ban(g, people["asking"], actor=plain), Forbidden),
        (modo, private, lambda s, g: s.ban(g, admin, actor=modo), Forbidden),
        (modo, private, lambda s, g: s.promote(g, plain, actor=modo), Forbidden),
        (modo, private, lambda s, g: s.set_role(g, modo, "admin", actor=modo), Forbidden),
        (plain, private, lambda s, g: s.update(g, {"name": "Mine"}, actor=plain), Forbidden),
        (modo, private, lambda s, g: s.delete(g, actor=modo), Forbidden),
        (people["outsider"], hidden, lambda s, g: s.join(g, actor=people["outsider"]),
         NotFound),
        (people["banned"], private, lambda s, g: s.join(g, actor=people["banned"]),
         GroupError),
        (admin, private, lambda s, g: s.leave(g, actor=admin), GroupError),
    ]
    for actor, group, call, expected in cases:
        error = refused(registry, lambda service, call=call, group_id=group.id: call(
            service, service.get(group_id)))
        assert type(error) is expected, (actor and actor.username, error.message)
        assert error.status == {Forbidden: 403, NotFound: 404, GroupError: 400}[expected]
    assert (places(dbsession, private), places(dbsession, hidden)) == before
    assert dbsession.scalars(select(StoredEvent)).all() == []


def test_what_each_may_do_is_done_when_called_directly(cast, registry, dbsession):
    people, groups = cast
    private = groups["private"]
    with job_request(registry) as request, request.tm:
        service = request.find_service(IGroupService)
        group = service.get(private.id)
        # Any member may invite (the group's policy): inviting someone who asked lets them in.
        assert service.invite(group, people["asking"], actor=people["plain"]) == "member"
        service.remove(group, people["plain"], actor=people["modo"])
        service.promote(group, people["modo"], actor=people["site_admin"])
    assert places(dbsession, private) >= {(people["asking"].id, "member", "member"),
                                          (people["modo"].id, "member", "admin")}
    assert (people["plain"].id, "member", "member") not in places(dbsession, private)
    assert [(row.name, row.actor_id) for row in dbsession.scalars(
        select(StoredEvent).order_by(StoredEvent.id))] == [
        ("groups.request_accepted", people["plain"].id),
        ("groups.member_removed", people["modo"].id),
        ("groups.role_changed", people["site_admin"].id)]


def test_creating_groups_and_types_needs_the_right_account(cast, registry, dbsession):
    people, _groups = cast
    error = refused(registry, lambda s: s.create({"name": "Mine"}, actor=None))
    assert isinstance(error, Forbidden)
    error = refused(registry, lambda s: s.add_type("Cell", actor=people["plain"]))
    assert isinstance(error, Forbidden)
    error = refused(registry, lambda s: s.delete_type(
        s.type_by_key("local-section"), actor=people["suspended_admin"]))
    assert isinstance(error, Forbidden)
    with job_request(registry) as request, request.tm:
        service = request.find_service(IGroupService)
        service.add_type("Cell", actor=people["site_admin"])
        group = service.create({"name": "Ours", "status": "private"}, actor=people["plain"])
        slug = group.slug
    assert dbsession.scalar(select(GroupType.key).where(GroupType.key == "cell")) == "cell"
    group = dbsession.scalars(select(Group).where(Group.slug == slug)).one()
    assert (group.created_by_id, group.member_count) == (people["plain"].id, 1)


def test_the_rate_of_requests_holds_for_any_caller(cast, registry, make_group):
    people, _groups = cast
    limit = int(registry.settings["groups.request_rate"].split("/")[0])
    targets = [make_group(f"Closed {n}", status="private").id for n in range(limit + 1)]
    registry["cortege.ratelimiter"].reset()
    with job_request(registry) as request:
        request.tm.begin()
        try:
            service = request.find_service(IGroupService)
            for group_id in targets[:limit]:
                service.join(service.get(group_id), actor=people["outsider"])
            with pytest.raises(RateLimited):
                service.join(service.get(targets[-1]), actor=people["outsider"])
        finally:
            request.tm.abort()
