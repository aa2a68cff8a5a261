"""The content sample the agenda registers for the cross-plugin privacy test: on each of its
surfaces, the marker shows to exactly the viewers ``agenda.event``'s condition allows, for an
event without a group and one in each kind of group."""

from __future__ import annotations

import uuid

import pytest

from core.content import may_see
from core.jobs import job_request
from core.testing import CONTENT_SAMPLES


@pytest.fixture
def cortege_plugins():
    return ["profiles", "groups", "agenda"]


@pytest.mark.parametrize("status", [None, "public", "private", "hidden"])
def test_the_sample_shows_exactly_to_whom_the_condition_allows(
        status, make_user, make_group, add_member, dbsession, registry, login, testapp):
    sample = CONTENT_SAMPLES["agenda.event"]
    owner, member, outsider = make_user(), make_user(), make_user()
    admin = make_user(role="admin")
    group = None
    if status is not None:
        group = make_group(f"Group {status}", status=status, admin=owner)
        add_member(group, member)
    marker = uuid.uuid4().hex[:12]
    row = sample.make(dbsession, owner=owner, group=group, marker=marker)
    viewers = {"stranger": (None, testapp), "owner": (owner, login(owner)),
               "member": (member, login(member)), "outsider": (outsider, login(outsider)),
               "admin": (admin, login(admin))}
    with job_request(registry) as request, request.tm:
        allowed = {name: may_see(request, "agenda.event", row.id, user)
                   for name, (user, _browser) in viewers.items()}
    assert allowed["owner"] and allowed["admin"]
    assert allowed["stranger"] == (status == "public")
    for name, (_user, browser) in viewers.items():
        for path in sample.surfaces(row):
            shown = marker in browser.get(path, expect_errors=True).text
            assert shown == allowed[name], (status, name, path)
