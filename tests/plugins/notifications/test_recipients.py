"""The fan-out keeps, in one query per job, exactly the recipients that ``may_see`` keeps one
by one: for every kind of content, in every kind of group, for every kind of viewer."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import delete

from core.content import content_type, may_see
from core.jobs import job_request
from core.testing import CONTENT_SAMPLES, _ini_plugins
from plugins.groups.models import Membership
from plugins.notifications.services import _who_may_see
from tests.core.test_content_privacy import STATUSES, VIEWERS, people  # noqa: F401


@pytest.fixture
def cortege_plugins(request):
    """Every plugin of development.ini, so that every kind of content is walked, and the
    phone bank."""
    return [*_ini_plugins(Path(str(request.config.rootpath))), "phonebank"]


@pytest.mark.parametrize("kind", sorted(CONTENT_SAMPLES))
def test_one_query_chooses_as_may_see_does(kind, people, registry, dbsession,  # noqa: F811
                                           add_member):
    users, owner, groups = people
    sample = CONTENT_SAMPLES[kind]
    contexts = ([None] if sample.without_group else []) + (
        list(STATUSES) if sample.in_groups else [])
    rows = [sample.make(dbsession, owner=owner, group=groups[c] if c else None,
                        marker=f"m-{kind}-{c}") for c in contexts]
    for status in STATUSES:
        add_member(groups[status], users["removed"])
        dbsession.execute(delete(Membership).where(Membership.group_id == groups[status].id,
                                                   Membership.user_id == users["removed"].id))
    users["suspended"].status = "suspended"
    dbsession.flush()
    ids = [user.id for user in users.values()]
    for row in rows:
        with job_request(registry) as request, request.tm:
            # Notifications go to active accounts only (the suspended one gets none).
            one_by_one = {user.id for user in users.values()
                          if user.status == "active" and may_see(request, kind, row.id, user)}
            at_once = _who_may_see(request, content_type(registry, kind), row.id, ids)
            if at_once is None:  # asked one by one, as may_see does
                continue
        assert at_once == one_by_one, (kind, row.id, VIEWERS)
