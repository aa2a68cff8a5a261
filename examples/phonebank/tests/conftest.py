"""The phone bank with what it needs (tools, groups and profiles). Fixtures come from the
installed pytest plugins: Cortège's ``core.testing`` (members, browsers, mail), the groups'
(``make_group``, ``add_member``) and this distribution's ``phonebank.testing`` (``agree``,
``make_campaign``).

The catalogues are compiled here, so the tests run from a fresh checkout.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from core.i18n_catalogs import Domain, compile_domain

PACKAGE = Path(__file__).resolve().parents[1] / "phonebank"


def pytest_configure(config):
    compile_domain(Domain("phonebank", (PACKAGE,), PACKAGE / "locale"), ("en", "fr"))


@pytest.fixture
def cortege_plugins():
    return ["profiles", "groups", "tools", "phonebank"]


if importlib.util.find_spec("plugins.groups.testing") is None:
    # Until the groups plugin publishes its fixtures: the same two, with the same signatures.
    @pytest.fixture
    def make_group(dbsession):
        from plugins.groups.models import Group

        def factory(name=None, status="public", creator=None, **columns):
            name = name or "Section"
            columns.setdefault("slug", name.lower().replace(" ", "-"))
            group = Group(name=name, sort_name=name.lower(), status=status,
                          created_by_id=creator.id if creator else None, **columns)
            dbsession.add(group)
            dbsession.flush()
            return group

        return factory

    @pytest.fixture
    def add_member(dbsession):
        from plugins.groups.models import Membership

        def join(group, user, role="member", state="member"):
            dbsession.add(Membership(group_id=group.id, user_id=user.id, role=role,
                                     state=state))
            if state == "member":
                group.member_count += 1
            dbsession.flush()

        return join
