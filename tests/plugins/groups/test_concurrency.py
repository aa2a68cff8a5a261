"""A group's member count stays equal to its memberships when many members join and leave at
once (requests in threads, on a database that commits)."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from plugins.groups.models import MEMBER, Group, Membership


def member_rows(site, group_id):
    with site.session() as session:
        stored = session.get(Group, group_id).member_count
        counted = session.scalar(select(func.count()).select_from(Membership).where(
            Membership.group_id == group_id, Membership.state == MEMBER))
        return stored, counted


def act(browser, slug, action):
    page = browser.get(f"/groups/{slug}")
    token = page.html.find("input", {"name": "csrf_token"})["value"]
    browser.post(f"/groups/{slug}/membership", {"csrf_token": token, "action": action},
                 status=303)


def test_members_joining_and_leaving_at_once_are_all_counted(committed_site):
    slug = f"lille-{uuid.uuid4().hex[:8]}"
    (group,) = committed_site.add(Group(slug=slug, name="Lille", sort_name="lille",
                                        status="public", member_count=0))
    browsers = [committed_site.login(committed_site.make_user()) for _ in range(12)]
    leaving, staying = browsers[:6], browsers[6:]
    committed_site.at_once(lambda browser: act(browser, slug, "join"), leaving)

    committed_site.at_once(lambda job: act(job[0], slug, job[1]),
                           [*[(browser, "leave") for browser in leaving],
                            *[(browser, "join") for browser in staying]])

    assert member_rows(committed_site, group.id) == (6, 6)
