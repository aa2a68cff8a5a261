"""The agenda's tests run it alone unless a test asks for more. Its factories (``make_event``,
``make_rsvp``, ``event_type``, ``hold_jobs``) come from ``plugins.agenda.testing``, a pytest
plugin; they are imported here too for the tests of other plugins that import them from this
module."""

from __future__ import annotations

import uuid

import pytest

from plugins.agenda.testing import event_type, make_event  # noqa: F401


@pytest.fixture
def cortege_plugins():
    return ["agenda"]


# Groups for the tests that run the agenda with groups, with the signature of the groups
# plugin's own fixtures (``plugins.groups.testing``): ``make_group(name=None,
# status="public", creator=None, **columns)`` and ``add_member(group, user, role="member",
# state="member")``.

@pytest.fixture
def make_group(dbsession, add_member):
    from plugins.groups.models import Group
    from plugins.groups.services import fold

    def factory(name=None, status="public", creator=None, **columns):
        name = name or f"Group {uuid.uuid4().hex[:8]}"
        columns.setdefault("slug", fold(name).replace(" ", "-").replace("'", "-"))
        group = Group(name=name, sort_name=fold(name), status=status,
                      created_by_id=creator.id if creator is not None else None, **columns)
        dbsession.add(group)
        dbsession.flush()
        if creator is not None:
            add_member(group, creator, role="admin")
        return group

    return factory


@pytest.fixture
def add_member(dbsession):
    from sqlalchemy import update

    from plugins.groups.models import MEMBER, Group, Membership

    def add(group, user, role="member", state=MEMBER):
        dbsession.add(Membership(group_id=group.id, user_id=user.id, role=role, state=state))
        if state == MEMBER:
            dbsession.execute(update(Group).where(Group.id == group.id)
                              .values(member_count=Group.member_count + 1))
        dbsession.flush()

    return add
