"""Test fixtures of the phone bank, for its tests and for any other plugin's (``pytest11``
entry point ``cortege_phonebank`` of this distribution: installed with it, nothing to import):

``agree``          ``agree(user, phone="+33 6 12 34 56 78")``: the member agreed to be called
                   at that number
``make_campaign``  ``make_campaign(group, title="Market leafleting", script="1. Say
                   **hello**.", **columns)``: an open campaign of ``group`` (a groups
                   ``Group`` row), flushed

It also registers the content sample of ``phonebank.campaign`` for Cortège's cross-plugin
privacy test (``core.testing.register_content_sample``): a campaign of a group whose title
holds the marker, looked for on the group's phone bank page, where members read campaign
titles. Campaigns live in groups only.
"""

from __future__ import annotations

import pytest
from core.testing import register_content_sample


@pytest.fixture
def agree(dbsession):
    from phonebank.models import PhonebankConsent

    def store(user, phone="+33 6 12 34 56 78"):
        dbsession.add(PhonebankConsent(user_id=user.id, phone=phone, wording="I agree."))
        dbsession.flush()

    return store


@pytest.fixture
def make_campaign(dbsession):
    from phonebank.models import PhonebankCampaign

    def factory(group, title="Market leafleting", script="1. Say **hello**.", **columns):
        row = PhonebankCampaign(group_id=group.id, title=title, script=script, **columns)
        dbsession.add(row)
        dbsession.flush()
        return row

    return factory


def _sample(dbsession, *, owner, group, marker):
    from phonebank.models import PhonebankCampaign

    row = PhonebankCampaign(group_id=group.id, title=f"Campaign {marker}", script="Hello.",
                            created_by_id=owner.id if owner else None)
    dbsession.add(row)
    dbsession.flush()
    return row


def _surfaces(campaign):
    from core.db import metadata
    from sqlalchemy import select
    from sqlalchemy.orm import object_session

    groups = metadata.tables["groups_group"]  # read by name: a plugin never imports another's
    slug = object_session(campaign).scalar(select(groups.c.slug)
                                           .where(groups.c.id == campaign.group_id))
    return [f"/tools/phonebank/group/{slug}"]


register_content_sample("phonebank.campaign", _sample, _surfaces, without_group=False)
