"""The phone bank with what it needs (tools, groups and profiles); fixtures from core.testing.

The catalogues are compiled here, so the tests run from a fresh checkout.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from core.i18n_catalogs import Domain, compile_domain

PACKAGE = Path(__file__).resolve().parents[1] / "phonebank"


def pytest_configure(config):
    compile_domain(Domain("phonebank", (PACKAGE,), PACKAGE / "locale"), ("en", "fr"))


@pytest.fixture
def cortege_plugins():
    return ["profiles", "groups", "tools", "phonebank"]


@pytest.fixture
def make_member(make_user, dbsession):
    """A member with the profile row that registration gives them."""
    from plugins.profiles.models import Profile

    def factory(username=None, **values):
        user = make_user(username, **values)
        dbsession.add(Profile(user_id=user.id, sort_name=user.display_name.lower()))
        dbsession.flush()
        return user

    return factory


@pytest.fixture
def make_group(dbsession):
    """``make_group("lille", status="hidden", members=[(user, "moderator"), user])``."""
    from plugins.groups.models import MEMBER, Group, Membership

    def factory(slug="lille", status="public", members=()):
        group = Group(slug=slug, name=f"Section {slug.title()}", sort_name=slug, status=status,
                      member_count=len(members))
        dbsession.add(group)
        dbsession.flush()
        for entry in members:
            join(group, *(entry if isinstance(entry, tuple) else (entry,)))
        return group

    def join(group, user, role="member"):
        """``role="banned"`` bans them instead."""
        state = "banned" if role == "banned" else MEMBER
        dbsession.add(Membership(group_id=group.id, user_id=user.id, state=state,
                                 role="member" if role == "banned" else role))
        dbsession.flush()

    factory.join = join
    return factory


@pytest.fixture
def agree(dbsession):
    """``agree(user, "+33 6 12 34 56 78")``: the member agreed to be called at that number."""
    from phonebank.models import PhonebankConsent

    def store(user, phone="+33 6 12 34 56 78"):
        dbsession.add(PhonebankConsent(user_id=user.id, phone=phone, wording="I agree."))
        dbsession.flush()

    return store


@pytest.fixture
def campaign(dbsession):
    """``campaign(group)``: an open campaign of the group, with a short script."""
    from phonebank.models import PhonebankCampaign

    def factory(group, title="Market leafleting", script="1. Say **hello**."):
        row = PhonebankCampaign(group_id=group.id, title=title, script=script)
        dbsession.add(row)
        dbsession.flush()
        return row

    return factory
