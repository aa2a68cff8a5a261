"""The groups' visibility rule asked for every user of a query at once (how mail recipients
are chosen) gives exactly what it gives for each viewer alone (how pages are shown)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import aliased

from core.accounts.models import User
from plugins.groups.interfaces import IGroupService
from plugins.groups.models import BANNED, INVITED, REQUESTED, Group

STATES = {"invited": INVITED, "requested": REQUESTED, "banned": BANNED}


def test_each_user_of_a_query_gets_the_rule_of_one_viewer(make_member, make_group,
                                                          plugin_request, dbsession):
    people = {name: make_member(name) for name in
              ("member", "moderator", "invited", "requested", "banned", "outsider")}
    people["site admin"] = make_member("chief", role="admin")
    groups = []
    for status in ("public", "private", "hidden"):
        group = make_group(f"Group {status}", slug=status, status=status,
                           members=[people["member"], (people["moderator"], "moderator")])
        for name, state in STATES.items():
            make_group.join(group, people[name], state=state)
        groups.append(group.id)
    service = plugin_request().find_service(IGroupService)
    ids = [person.id for person in people.values()]
    seen = aliased(Group)
    for rule in (service.content_visible_ids, service.listed_ids):
        each = set(dbsession.execute(
            select(User.id, seen.id).where(User.id.in_(ids), seen.id.in_(groups),
                                           seen.id.in_(rule(User)))).all())
        alone = {(person.id, group_id) for person in people.values()
                 for group_id in dbsession.scalars(rule(person)) if group_id in groups}
        assert each == alone
        assert len(alone) > len(groups)  # the cast sees more than one group each
