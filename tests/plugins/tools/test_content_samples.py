"""The content samples of the tools (petitions, polls, the phone bank example) keep their
promise to the cross-plugin privacy test: each sample's marker shows on its surfaces to
exactly the viewers its content type's condition allows."""

from __future__ import annotations

import uuid

import pytest

from core.content import may_see
from core.jobs import job_request
from core.testing import CONTENT_SAMPLES
from tests.plugins.viewers import browser_of, viewers_of

KINDS = ("petitions.petition", "polls.poll", "phonebank.campaign")


@pytest.fixture
def cortege_plugins():
    return ["profiles", "groups", "tools", "petitions", "polls", "phonebank"]


@pytest.mark.parametrize("status", ["public", "private", "hidden", None])
@pytest.mark.parametrize("kind", KINDS)
def test_a_sample_shows_to_whoever_its_condition_allows(kind, status, make_group, add_member,
                                                        make_user, login, make_testapp,
                                                        registry, dbsession):
    sample = CONTENT_SAMPLES[kind]
    if status is None and not sample.without_group:
        pytest.skip(f"{kind} lives in groups only")
    group = None
    if status is not None:
        group = make_group("Cell", status=status, slug=f"cell-{uuid.uuid4().hex[:6]}")
    people = viewers_of(group, make_user, add_member, dbsession)
    marker = f"marker{uuid.uuid4().hex[:8]}"
    row = sample.make(dbsession, owner=people["member"], group=group, marker=marker)
    surfaces = sample.surfaces(row)
    for name, person in people.items():
        with job_request(registry) as request, request.tm:
            allowed = may_see(request, kind, row.id, person)
        browser = browser_of(person, login, make_testapp)
        for path in surfaces:
            shown = marker in browser.get(path, expect_errors=True).text
            assert shown == allowed, (name, path)
