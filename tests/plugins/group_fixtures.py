"""Stand-ins for the fixtures of ``plugins.groups.testing`` (``make_group``, ``add_member``),
with the same signatures, used by the tests of tools, petitions and polls while that module
does not exist on this branch. Each conftest imports them only when it is missing: once it
is installed, its fixtures (a pytest plugin) serve, and this file can go."""

from __future__ import annotations

import importlib.util
import re
import uuid

import pytest

MISSING = importlib.util.find_spec("plugins.groups.testing") is None


@pytest.fixture
def make_group(dbsession):
    """``make_group(name=None, status="public", creator=None, **columns)``: a Group row."""
    from plugins.groups.models import Group

    def factory(name=None, status="public", creator=None, **columns):
        name = name or f"Group {uuid.uuid4().hex[:6]}"
        columns.setdefault("slug", "-".join(re.findall(r"[a-z0-9]+", name.lower())))
        group = Group(name=name, sort_name=name.lower(), status=status,
                      created_by_id=creator.id if creator else None, **columns)
        dbsession.add(group)
        dbsession.flush()
        return group

    return factory


@pytest.fixture
def add_member(dbsession):
    """``add_member(group, user, role="member", state="member")``."""
    from plugins.groups.models import Membership

    def join(group, user, role="member", state="member"):
        dbsession.add(Membership(group_id=group.id, user_id=user.id, role=role, state=state))
        if state == "member":
            group.member_count += 1
        dbsession.flush()

    return join
