"""Fixtures for the groups plugin: members with a profile, groups in each status, memberships."""

from __future__ import annotations

import pytest

from plugins.groups.models import MEMBER, Group, GroupType, Membership
from plugins.groups.services import fold
from tests.plugins.profiles.conftest import make_member, plugin_request  # noqa: F401


@pytest.fixture
def cortege_plugins():
    return ["profiles", "groups"]


@pytest.fixture
def group_type(dbsession):
    """A seeded type by key: ``group_type("watch-group")``."""

    def find(key="local-section"):
        return dbsession.query(GroupType).filter_by(key=key).one()

    return find


@pytest.fixture
def make_group(dbsession):
    """``make_group("Lille", status="private", admin=user, members=[...])``."""

    def factory(name="Section de Lille", status="public", admin=None, members=(), slug=None,
                **values):
        group = Group(slug=slug or fold(name).replace(" ", "-").replace("'", "-"), name=name,
                      sort_name=fold(name), status=status, description=values.pop(
                          "description", f"About {name}."), **values)
        dbsession.add(group)
        dbsession.flush()
        people = ([(admin, "admin")] if admin else []) + [
            (m, "member") if not isinstance(m, tuple) else m for m in members]
        for person, role in people:
            join(group, person, role=role)
        return group

    def join(group, person, role="member", state=MEMBER, **values):
        dbsession.add(Membership(group_id=group.id, user_id=person.id, role=role, state=state,
                                 **values))
        dbsession.flush()
        if state == MEMBER:
            group.member_count += 1
            dbsession.flush()

    factory.join = join
    return factory
