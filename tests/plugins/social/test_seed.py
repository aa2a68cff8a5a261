"""The seeder: demo activity from what the other seeders made, and volume in batches."""

from __future__ import annotations

from sqlalchemy import func, select

from core.jobs import job_request
from core.seeding import SeedContext
from plugins.social.models import Entry, Status
from plugins.social.seed import seed_social


def test_the_seeder_fills_streams_that_show(make_user, make_group, add_member, registry,
                                            dbsession, testapp, monkeypatch):
    from plugins.social import seed

    monkeypatch.setattr(seed, "BATCH", 7)  # several batches
    users = [make_user() for _ in range(6)]
    group = make_group(status="public")
    add_member(group, users[0])
    with job_request(registry) as request, request.tm:
        seed_social(SeedContext(request=request, options={"activity": 30}))
    count = dbsession.scalar(select(func.count()).select_from(Entry))
    assert count == 1 + len(seed.DEMO_STATUSES) + 30
    # Every status update has its entry; newer ids are newer entries.
    statuses = dbsession.scalar(select(func.count()).select_from(Status))
    assert dbsession.scalar(select(func.count()).select_from(Entry).where(
        Entry.verb == "social.status")) == statuses
    page = testapp.get("/activity")
    assert page.html.select("#stream > li")
    with job_request(registry) as request, request.tm:
        context = SeedContext(request=request, options={"activity": 5})
        seed_social(context)
    assert context.notes == ["Activity: already seeded."]
