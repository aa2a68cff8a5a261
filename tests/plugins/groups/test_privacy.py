"""Who learns what about public, private and hidden groups, on every surface.

One world: a group of each status, each with the same cast (an admin, a moderator, a member,
someone invited, someone asking, someone banned), a site member who belongs to none, a site
admin and a stranger. Each viewer walks every surface: the directory, its search and counts,
the group's page, its members tab, a tab and a site-wide list of another plugin, the member
pages' "Groups" tab, and "my groups".
"""

from __future__ import annotations

import pytest

from core.testing import TEST_PASSWORD
from plugins.groups.models import BANNED, INVITED, REQUESTED
from tests.plugins.groups.sample_content import app_with_content, browser

STATUSES = ("public", "private", "hidden")
VIEWERS = ("stranger", "site member", "invited", "requested", "member", "moderator", "admin",
           "banned", "site admin")
INSIDERS = {"member", "moderator", "admin", "site admin"}


def knows(status, viewer) -> bool:
    """May learn that the group exists: its page answers, the directory lists it (one rule,
    the content type ``groups.group``'s: the invited know of the group they are invited to)."""
    return status != "hidden" or viewer in INSIDERS | {"invited"}


def sees_content(status, viewer) -> bool:
    return status == "public" or viewer in INSIDERS


@pytest.fixture
def world(make_member, make_group, cortege_settings, cortege_engine, connection):
    founder = make_member("founder", display_name="Founder")
    people = {"site member": make_member("outsider", display_name="Outsider"),
              "site admin": make_member("siteadmin", display_name="Site Admin", role="admin")}
    for viewer in ("invited", "requested", "member", "moderator", "admin", "banned"):
        people[viewer] = make_member(viewer, display_name=viewer.title())
    groups = {}
    for status in STATUSES:
        group = make_group(f"Zebra {status} group", status=status, slug=f"zebra-{status}",
                           description=f"Secret plans of the {status} group",
                           admin=people["admin"], members=[founder, (people["moderator"],
                                                                     "moderator")])
        make_group.join(group, people["member"])
        make_group.join(group, people["invited"], state=INVITED,
                        invited_by_id=people["admin"].id)
        make_group.join(group, people["requested"], state=REQUESTED)
        make_group.join(group, people["banned"], state=BANNED)
        groups[status] = group
    app = app_with_content(cortege_settings, cortege_engine)
    return {"app": app, "connection": connection, "people": people, "groups": groups,
            "founder": founder}


def _browser(world, viewer):
    user = world["people"].get(viewer)
    return browser(world["app"], world["connection"], user, TEST_PASSWORD)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_privacy_matrix(world, viewer):
    web = _browser(world, viewer)
    directory = web.get("/groups").text
    search = web.get("/groups", {"q": "zebra"})
    counted = search.html.select_one(".groups__count").text
    feed = web.get("/sample-feed").text
    founder_tab = web.get("/members/founder/groups").text
    for status in STATUSES:
        name = f"Zebra {status} group"
        plans = f"Secret plans of the {status} group"
        where = f"{status} group seen by {viewer}"
        assert (name in directory) == knows(status, viewer), where
        assert (name in search.text) == knows(status, viewer), where
        # A member's private and hidden groups show on their page only to those who may
        # see the group's members.
        assert (name in founder_tab) == sees_content(status, viewer), where
        assert (plans in feed) == sees_content(status, viewer), where
        page = web.get(f"/groups/zebra-{status}", expect_errors=True)
        assert page.status_int == (200 if knows(status, viewer) else 404), where
        # Hidden groups answer 404 (not 403) on every address, whatever the method.
        expected_tab = 200 if knows(status, viewer) and sees_content(status, viewer) else 404
        members = web.get(f"/groups/zebra-{status}/members", expect_errors=True)
        assert members.status_int == expected_tab, where
        notes = web.get(f"/groups/zebra-{status}/notes", expect_errors=True)
        assert notes.status_int == expected_tab, where
        if expected_tab == 200:
            assert plans in notes.text and "Member" in members.text
        if not knows(status, viewer):
            assert name not in page.text and plans not in page.text
            for path in ("edit", "delete", "requests", "invitations", "banned", "nowhere"):
                # Exactly what a group that does not exist answers.
                unknown = web.get(f"/groups/no-such-group/{path}", expect_errors=True)
                answer = web.get(f"/groups/zebra-{status}/{path}", expect_errors=True)
                assert answer.status_int == unknown.status_int in (303, 404), where
                assert name not in answer.text
        if page.status_int == 200:
            tabs = [a.text for a in page.html.select(".group__tabs a")]
            assert ("Notes" in tabs) == sees_content(status, viewer), where
            assert ("Members" in tabs) == sees_content(status, viewer), where
    expected = sum(knows(status, viewer) for status in STATUSES)
    assert counted.startswith(f"{expected} group"), counted


@pytest.mark.parametrize("viewer", ["site member", "requested", "banned"])
def test_outsiders_cannot_act_on_a_hidden_group(world, viewer):
    web = _browser(world, viewer)
    token = web.get("/groups/zebra-public").html.select_one(
        'input[name="csrf_token"]')["value"]
    for path, data in (("membership", {"action": "join"}), ("invite", {"username": "founder"}),
                       ("manage", {"action": "ban", "user_id": "1"})):
        web.post(f"/groups/zebra-hidden/{path}", {**data, "csrf_token": token}, status=404)


def test_the_invited_see_the_hidden_group_page_to_answer(world):
    web = _browser(world, "invited")
    page = web.get("/groups/zebra-hidden")
    assert "Only the group's members see its content." in page.text
    assert page.html.select_one('button[value="accept"]') is not None
    mine = web.get("/groups/mine")
    assert "Zebra hidden group" in mine.html.select_one("#invitations").text


def test_member_count_is_the_same_for_all_who_may_see_it(world):
    for viewer in ("site member", "member", "site admin"):
        page = _browser(world, viewer).get("/groups/zebra-private")
        # founder, admin, moderator and member: invited, asking and banned are not counted
        assert page.html.select_one("#member-count").text.strip() == "4 members"
