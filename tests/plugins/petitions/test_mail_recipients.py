"""Mail about a petition of a group goes only to addresses that may see it: a member who
types someone else's address on a private group's petition sends them nothing; on a petition
that strangers may see, any address is written to."""

from __future__ import annotations

import pytest

from tests.plugins.petitions.conftest import fill_signature, link_in


@pytest.fixture
def cortege_plugins():
    return ["profiles", "groups", "tools", "petitions"]


def sign_as(browser, petition, email):
    page = browser.get(f"/tools/petitions/{petition.id}")
    fill_signature(page, name="Someone", email=email).submit(status=303)


@pytest.fixture
def world(make_group, add_member, make_user, make_petition, login):
    people = {name: make_user(name) for name in
              ("chief", "member", "removed", "suspended", "outsider")}
    group = make_group("Section", slug="section", status="private")
    add_member(group, people["chief"], role="admin")
    for name in ("member", "removed", "suspended"):
        add_member(group, people[name])
    petition = make_petition("Internal motion", group=group, author=people["chief"])
    return people, group, petition, login(people["member"])


def test_a_private_groups_petition_mails_only_addresses_that_may_see_it(world, login,
                                                                        outbox, dbsession):
    people, _, petition, member = world
    chief = login(people["chief"])
    token = chief.get("/groups/section").html.select_one('input[name="csrf_token"]')["value"]
    chief.post("/groups/section/manage", {"csrf_token": token, "action": "remove",
                                          "user_id": str(people["removed"].id)})
    people["suspended"].status = "suspended"
    dbsession.flush()
    for name in ("removed", "suspended", "outsider"):
        sign_as(member, petition, people[name].email)
    sign_as(member, petition, "unknown@example.org")
    assert outbox == []
    sign_as(member, petition, "member@example.org")
    assert [m.recipients for m in outbox] == [["member@example.org"]]
    assert "Internal motion" in outbox[0].body


def test_the_already_signed_mail_follows_the_same_rule(world, login, make_testapp, outbox):
    people, _, petition, member = world
    removed = login(people["removed"])
    sign_as(removed, petition, "removed@example.org")
    make_testapp().get(link_in(outbox[0])).forms["token-form"].submit()
    outbox.clear()
    sign_as(member, petition, "removed@example.org")
    assert [m.recipients for m in outbox] == [["removed@example.org"]]  # still a member
    token = removed.get("/groups/section").html.select_one('input[name="csrf_token"]')["value"]
    removed.post("/groups/section/membership", {"csrf_token": token, "action": "leave"})
    outbox.clear()
    sign_as(member, petition, "removed@example.org")
    assert outbox == []


def test_a_public_petition_mails_any_address(make_group, make_user, make_petition, login,
                                             outbox):
    chief = make_user("chief")
    group = make_group("Open", slug="open")
    petition = make_petition(group=group, author=chief)
    sign_as(login(make_user("member")), petition, "friend@example.org")
    assert [m.recipients for m in outbox] == [["friend@example.org"]]
