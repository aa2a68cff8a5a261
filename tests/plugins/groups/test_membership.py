"""Joining, asking, inviting, answering and leaving; roles, removal and bans; their emails."""

from __future__ import annotations

import pytest

from plugins.groups.models import Group, Membership


def _post(browser, slug, path, **data):
    page = browser.get(f"/groups/{slug}")
    data["csrf_token"] = page.html.select_one('input[name="csrf_token"]')["value"]
    return browser.post(f"/groups/{slug}/{path}", data)


def _state(dbsession, group, user):
    dbsession.expire_all()
    row = dbsession.get(Membership, (group.id, user.id))
    return None if row is None else (row.state, row.role)


def test_anyone_joins_a_public_group_and_leaves_it(make_member, make_group, login, dbsession):
    admin, camille = make_member("admin1"), make_member("camille")
    group = make_group("Lille", admin=admin)
    browser = login(camille)
    response = _post(browser, "lille", "membership", action="join").follow()
    assert "You joined the group." in response.text
    assert _state(dbsession, group, camille) == ("member", "member")
    assert dbsession.get(Group, group.id).member_count == 2
    response = _post(browser, "lille", "membership", action="leave").follow()
    assert "You left the group." in response.text
    assert _state(dbsession, group, camille) is None
    assert dbsession.get(Group, group.id).member_count == 1


def test_private_group_request_approved_by_a_moderator_with_emails(
        make_member, make_group, login, dbsession, outbox):
    admin = make_member("admin1", email="admin1@example.org", locale="fr")
    moderator = make_member("modo", email="modo@example.org")
    member = make_member("plain", email="plain@example.org")
    camille = make_member("camille", display_name="Camille", email="camille@example.org")
    group = make_group("Marseille", status="private", admin=admin,
                       members=[(moderator, "moderator"), member])
    _post(login(camille), "marseille", "membership", action="join")
    assert _state(dbsession, group, camille) == ("requested", "member")
    # Admins and moderators hear of it, each in their own language; plain members do not.
    assert sorted(m.recipients[0] for m in outbox) == ["admin1@example.org", "modo@example.org"]
    french = next(m for m in outbox if m.recipients == ["admin1@example.org"])
    assert "Camille demande à rejoindre Marseille" in french.subject
    assert "/groups/marseille/requests" in french.body
    outbox.clear()
    moderating = login(moderator)
    requests = moderating.get("/groups/marseille/requests")
    assert "Camille" in requests.html.select_one("#people").text
    form = requests.forms[next(k for k, f in requests.forms.items()
                           if "manage" in (f.action or ""))]
    response = form.submit("action", value="approve").follow()
    assert "Camille is now a member." in response.text
    assert _state(dbsession, group, camille) == ("member", "member")
    assert [m.recipients for m in outbox] == [["camille@example.org"]]
    assert "Welcome to Marseille" in outbox[0].subject


def test_rejected_request_and_withdrawn_request(make_member, make_group, login, dbsession,
                                                 outbox):
    admin = make_member("admin1")
    camille, dominique = make_member("camille"), make_member("dominique")
    group = make_group("Marseille", status="private", admin=admin)
    _post(login(camille), "marseille", "membership", action="join")
    dominique_browser = login(dominique)
    _post(dominique_browser, "marseille", "membership", action="join")
    _post(dominique_browser, "marseille", "membership", action="cancel")
    assert _state(dbsession, group, dominique) is None
    outbox.clear()
    _post(login(admin), "marseille", "manage", action="reject", user_id=str(camille.id))
    assert _state(dbsession, group, camille) is None
    assert [m.recipients for m in outbox] == [[camille.email]]
    assert "not approved" in outbox[0].body


def test_hidden_group_by_invitation_accepted(make_member, make_group, login, dbsession, outbox):
    admin = make_member("admin1", display_name="Alix")
    camille = make_member("camille", display_name="Camille", locale="fr")
    group = make_group("Bureau", status="hidden", admin=admin)
    browser = login(camille)
    browser.get("/groups/bureau", status=404)
    response = _post(login(admin), "bureau", "invite", username="Camille").follow()
    assert "Camille is invited." in response.text
    assert [m.recipients for m in outbox] == [[camille.email]]
    assert "Alix vous invite à rejoindre Bureau" in outbox[0].subject
    assert "/groups/bureau" in outbox[0].body
    outbox.clear()
    page = browser.get("/groups/bureau")
    assert page.html.select_one('button[value="accept"]') is not None
    _post(browser, "bureau", "membership", action="accept")
    assert _state(dbsession, group, camille) == ("member", "member")
    assert [m.recipients for m in outbox] == [[admin.email]]  # the inviter hears of it
    assert "Camille joined Bureau" in outbox[0].subject


def test_declined_invitation_leaves_no_trace(make_member, make_group, login, dbsession, outbox):
    admin, camille = make_member("admin1"), make_member("camille")
    group = make_group("Bureau", status="hidden", admin=admin)
    _post(login(admin), "bureau", "invite", username="camille")
    browser = login(camille)
    response = _post(browser, "bureau", "membership", action="decline")
    assert response.location.endswith("/groups")  # the group is out of sight again
    assert _state(dbsession, group, camille) is None
    browser.get("/groups/bureau", status=404)
    assert "declined" in outbox[-1].body and outbox[-1].recipients == [admin.email]


def test_nobody_joins_a_hidden_group_uninvited(make_member, make_group, login, dbsession):
    admin, camille = make_member("admin1"), make_member("camille")
    make_group("Bureau", status="hidden", admin=admin)
    browser = login(camille)
    token = browser.get("/groups").html.select_one('input[name="csrf_token"]')
    token = token["value"] if token else browser.get("/account").html.select_one(
        'input[name="csrf_token"]')["value"]
    browser.post("/groups/bureau/membership", {"action": "join", "csrf_token": token},
                 status=404)


@pytest.mark.parametrize("policy, allowed", [
    ("members", {"member", "moderator", "admin"}),
    ("moderators", {"moderator", "admin"}),
    ("admins", {"admin"}),
])
def test_who_may_invite_is_a_group_setting(make_member, make_group, login, dbsession, policy,
                                           allowed):
    admin, moderator, member = make_member("a1"), make_member("m1"), make_member("p1")
    group = make_group("Lille", admin=admin, members=[(moderator, "moderator"), member],
                       invite_policy=policy)
    for person, role in ((member, "member"), (moderator, "moderator"), (admin, "admin")):
        guest = make_member()
        browser = login(person)
        page = browser.get("/groups/lille/members")
        assert (page.html.select_one("#invite-form") is not None) == (role in allowed)
        token = page.html.select_one('input[name="csrf_token"]')["value"]
        response = browser.post("/groups/lille/invite", {"username": guest.username,
                                                         "csrf_token": token},
                                expect_errors=True)
        assert response.status_int == (303 if role in allowed else 403)
        assert (_state(dbsession, group, guest) is not None) == (role in allowed)


def test_roles_promote_demote_and_the_last_admin(make_member, make_group, login, dbsession):
    admin, camille = make_member("admin1"), make_member("camille", display_name="Camille")
    group = make_group("Lille", admin=admin, members=[camille])
    browser = login(admin)
    # The last admin may neither leave nor step down.
    response = _post(browser, "lille", "membership", action="leave").follow()
    assert "last admin" in response.text
    response = _post(browser, "lille", "manage", action="demote",
                     user_id=str(admin.id)).follow()
    assert "at least one admin" in response.text
    assert _state(dbsession, group, admin) == ("member", "admin")
    _post(browser, "lille", "manage", action="promote", user_id=str(camille.id))
    assert _state(dbsession, group, camille) == ("member", "moderator")
    _post(browser, "lille", "manage", action="promote", user_id=str(camille.id))
    assert _state(dbsession, group, camille) == ("member", "admin")
    # With another admin, the first may now leave.
    _post(browser, "lille", "membership", action="leave")
    assert _state(dbsession, group, admin) is None
    camille_browser = login(camille)
    _post(camille_browser, "lille", "manage", action="promote", user_id=str(camille.id))
    assert _state(dbsession, group, camille) == ("member", "admin")


def test_moderators_act_on_members_only_and_cannot_change_roles(make_member, make_group, login,
                                                                 dbsession):
    admin, moderator, camille = make_member("a1"), make_member("m1"), make_member("camille")
    group = make_group("Lille", admin=admin, members=[(moderator, "moderator"), camille])
    browser = login(moderator)
    token = browser.get("/groups/lille").html.select_one('input[name="csrf_token"]')["value"]
    for action, user in (("promote", camille), ("ban", admin), ("remove", admin)):
        browser.post("/groups/lille/manage", {"action": action, "user_id": str(user.id),
                                              "csrf_token": token}, status=403)
    assert _state(dbsession, group, admin) == ("member", "admin")
    browser.post("/groups/lille/manage", {"action": "remove", "user_id": str(camille.id),
                                          "csrf_token": token}, status=303)
    assert _state(dbsession, group, camille) is None
    # A plain member may do none of it.
    plain = make_member()
    make_group.join(group, plain)
    plain_browser = login(plain)
    plain_browser.post("/groups/lille/manage", {"action": "remove", "user_id": str(admin.id),
                                                "csrf_token": plain_browser.get(
                                                    "/groups/lille").html.select_one(
                                                    'input[name="csrf_token"]')["value"]},
                       status=403)


def test_ban_and_unban(make_member, make_group, login, dbsession):
    admin, camille = make_member("admin1"), make_member("camille")
    group = make_group("Marseille", status="private", admin=admin, members=[camille])
    browser = login(admin)
    _post(browser, "marseille", "manage", action="ban", user_id=str(camille.id))
    assert _state(dbsession, group, camille) == ("banned", "member")
    assert dbsession.get(Group, group.id).member_count == 1
    camille_browser = login(camille)
    camille_browser.get("/groups/marseille/members", status=404)
    response = _post(camille_browser, "marseille", "membership", action="join").follow()
    assert "You may not join this group." in response.text
    banned = browser.get("/groups/marseille/banned")
    assert camille.display_name in banned.html.select_one("#people").text
    _post(browser, "marseille", "manage", action="unban", user_id=str(camille.id))
    assert _state(dbsession, group, camille) is None


def test_invitation_of_someone_asking_makes_them_a_member(make_member, make_group, login,
                                                          dbsession):
    admin, camille = make_member("admin1"), make_member("camille")
    group = make_group("Marseille", status="private", admin=admin)
    _post(login(camille), "marseille", "membership", action="join")
    response = _post(login(admin), "marseille", "invite", username="camille").follow()
    assert "is now a member" in response.text
    assert _state(dbsession, group, camille) == ("member", "member")


def test_my_groups_lists_memberships_and_invitations(make_member, make_group, login):
    camille, admin = make_member("camille"), make_member("admin1")
    make_group("Lille", admin=admin, members=[camille])
    other = make_group("Bureau", status="hidden", admin=admin)
    make_group.join(other, camille, state="invited", invited_by_id=admin.id)
    make_group("Brest", admin=admin)
    make_group("Cellule", status="hidden", admin=admin, members=[camille])
    page = login(camille).get("/groups/mine", {"sort": "name"})
    names = [a.text for a in page.html.select(".groups__name")]
    assert names == ["Cellule", "Lille"]
    assert "Bureau" in page.html.select_one("#invitations").text


def test_no_mail_names_a_group_to_someone_who_may_not_see_it(make_member, make_group, login,
                                                             dbsession, outbox):
    admin = make_member("admin1")
    camille = make_member("camille")
    banned, invited = make_member("banned"), make_member("invited")
    group = make_group("Marseille", status="private", admin=admin, members=[make_member()])
    make_group.join(group, banned, state="banned")
    make_group.join(group, invited, state="invited", invited_by_id=admin.id)
    _post(login(camille), "marseille", "membership", action="join")
    # Only the admins and moderators hear of the request: not members, invited or banned.
    assert [m.recipients for m in outbox] == [[admin.email]]
    outbox.clear()
    # The group goes hidden before the answer: the refusal then names nothing.
    group.status = "hidden"
    dbsession.flush()
    _post(login(admin), "marseille", "manage", action="reject", user_id=str(camille.id))
    assert _state(dbsession, group, camille) is None
    assert outbox == []


def test_suspended_members_are_not_listed(make_member, make_group, login):
    admin = make_member("admin1")
    make_group("Lille", admin=admin, members=[make_member("gone", display_name="Gone Away",
                                                         status="suspended")])
    assert "Gone Away" not in login(admin).get("/groups/lille/members").text


def test_invitations_requests_and_creations_have_rate_limits(
        cortege_settings, cortege_engine, connection, make_member, make_group):
    from pyramid_mailer.interfaces import IMailer

    from core.testing import TEST_PASSWORD
    from tests.plugins.groups.sample_content import app_with_content, browser

    app = app_with_content({**cortege_settings, "groups.invite_rate": "2/hour",
                            "groups.request_rate": "1/hour", "groups.create_rate": "1/day"},
                           cortege_engine)
    outbox = app.registry.getUtility(IMailer).outbox
    outbox.clear()
    admin, camille = make_member("admin1"), make_member("camille")
    make_group("Lille", admin=admin)
    make_group("Brest", status="private", admin=admin)
    make_group("Metz", status="private", admin=admin)
    web = browser(app, connection, admin, TEST_PASSWORD)
    for number in range(3):
        guest = make_member()
        response = _post(web, "lille", "invite", username=guest.username).follow()
    assert "Try again in" in response.text
    assert len(outbox) == 2
    camille_web = browser(app, connection, camille, TEST_PASSWORD)
    _post(camille_web, "brest", "membership", action="join")
    response = _post(camille_web, "metz", "membership", action="join").follow()
    assert "Try again in" in response.text
    for name, status in (("Un", 303), ("Deux", 429)):
        form = camille_web.get("/groups/new").forms["group-form"]
        form["name"] = name
        assert form.submit(expect_errors=True).status_int == status
