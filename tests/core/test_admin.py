"""The admin area: members (search, filters, pages, actions), permissions and site settings."""

from __future__ import annotations

import pytest

from core.accounts.services import AccountService
from core.sitesettings import load_site_settings
from core.testing import TEST_PASSWORD

ADMIN_PAGES = ("/admin", "/admin/members", "/admin/permissions", "/admin/settings",
               "/admin/plugins", "/admin/members/{admin_id}/delete")


@pytest.fixture
def admin(make_user):
    return make_user("chief", display_name="Louise Michel", role="admin")


@pytest.fixture
def admin_app(login, admin):
    return login(admin)


def member_ids(page) -> list[int]:
    return [int(row["id"].removeprefix("member-")) for row in page.html.select("tbody tr[id]")]


def flash(page) -> str:
    return " ".join(p.get_text(" ", strip=True) for p in page.html.select(".flash"))


def act(admin_app, user, action, **fields):
    """Submit a row's action form from the member list; returns the page it leads back to."""
    page = admin_app.get("/admin/members")
    form = page.forms[f"{action}-{user.id}"]
    for name, value in fields.items():
        form[name] = value
    response = form.submit()
    assert response.status_int == 303
    return response.follow()


# Who may enter -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_only_admins_enter(path, testapp, make_user, login, admin, admin_app):
    path = path.format(admin_id=admin.id)
    response = testapp.get(path)
    assert response.status_int == 303 and "/login?next=" in response.location
    for role in ("member", "moderator"):
        assert login(make_user(role=role)).get(path, status=403).status_int == 403
    page = admin_app.get(path)
    for title in ("Members", "Site settings", "Permissions", "Plugins"):
        assert page.html.select_one(".admin__menu").find("a", string=title) is not None


def test_moderators_cannot_act_on_members(make_user, login, dbsession):
    target = make_user(status="awaiting_approval")
    moderator = login(make_user(role="moderator"))
    token = moderator.get("/").html.select_one("input[name=csrf_token]")["value"]
    for action in ("approve", "suspend", "role", "delete"):
        moderator.post(f"/admin/members/{target.id}/{action}",
                       {"csrf_token": token, "role": "admin"}, status=403)
    dbsession.refresh(target)
    assert (target.status, target.role) == ("awaiting_approval", "member")


def test_actions_need_the_csrf_token(admin_app, make_user, dbsession):
    target = make_user()
    admin_app.post(f"/admin/members/{target.id}/suspend", {}, status=400)
    dbsession.refresh(target)
    assert target.status == "active"


# The member list ---------------------------------------------------------------------------


def test_search_by_name_username_and_email(admin_app, make_user):
    rosa = make_user("rosa", display_name="Élodie Rosa", email="red.rose@example.org")
    jean = make_user("jjaures", display_name="Jean Jaurès", email="jean@example.net")
    make_user("other", display_name="Someone Else")

    def found(query):
        return member_ids(admin_app.get("/admin/members", {"q": query}))

    assert found("ROSA") == [rosa.id]  # username and display name, any letter case
    assert found("jaurès") == [jean.id]
    assert found("élodie") == found("ÉLODIE") == [rosa.id]  # beyond ASCII too
    assert found("Red.Rose@") == [rosa.id]  # email
    assert found("example.net") == [jean.id]
    assert found("%") == [] and found("_") == []  # wildcards are plain characters
    page = admin_app.get("/admin/members", {"q": "nobody-like-this"})
    assert "No member matches." in page.text
    assert page.forms["member-search"]["q"].value == "nobody-like-this"


def test_filters_by_status_and_role(admin_app, admin, make_user):
    waiting = make_user(status="awaiting_approval")
    suspended = make_user(status="suspended", role="moderator")
    moderator = make_user(role="moderator")
    gone = make_user(status="deleted")
    everyone = member_ids(admin_app.get("/admin/members"))
    assert gone.id not in everyone and {waiting.id, suspended.id, moderator.id} <= set(everyone)
    assert everyone == sorted(everyone, reverse=True)  # newest first

    def listed(**params):
        return member_ids(admin_app.get("/admin/members", params))

    assert listed(status="awaiting_approval") == [waiting.id]
    assert listed(status="deleted") == [gone.id]
    assert listed(role="moderator") == [moderator.id, suspended.id]
    assert listed(role="moderator", status="active") == [moderator.id]
    assert listed(role="admin") == [admin.id]
    assert listed(status="nonsense") == everyone  # an unknown filter is ignored
    page = admin_app.get("/admin/members", {"status": "suspended"})
    assert page.forms["member-search"]["status"].value == "suspended"


def test_pages_of_fifty_with_a_bounded_number_of_queries(admin_app, admin, make_user,
                                                         max_queries):
    with max_queries(6):
        admin_app.get("/admin/members")
    members = [make_user(f"member-{number:02}") for number in range(60)]
    with max_queries(6):
        page = admin_app.get("/admin/members")
    ids = member_ids(page)
    assert ids == [member.id for member in reversed(members)][:50]
    assert "Newest members" not in page.text
    older = page.click(linkid="older-members")
    assert f"before={ids[-1]}" in older.request.url
    assert member_ids(older) == [member.id for member in reversed(members[:10])] + [admin.id]
    assert "older-members" not in older.text and "Newest members" in older.text
    for before in ("99999999999999999999", "-3", "x"):  # the first page again, never an error
        assert member_ids(admin_app.get("/admin/members", {"before": before})) == ids

    # The search and the filters carry over to the next page.
    page = admin_app.get("/admin/members", {"q": "member-", "role": "member"})
    assert len(member_ids(page)) == 50
    older = page.click(linkid="older-members")
    assert member_ids(older) == [member.id for member in reversed(members[:10])]
    assert older.forms["member-search"]["q"].value == "member-"


# Actions -----------------------------------------------------------------------------------


def test_approve_opens_the_account_and_mails_the_member_in_their_language(
        admin_app, make_user, dbsession, outbox):
    waiting = make_user("berthe", display_name="Berthe", status="awaiting_approval",
                        locale="fr")
    page = act(admin_app, waiting, "approve")
    assert "The account of Berthe is open" in flash(page)
    dbsession.refresh(waiting)
    assert waiting.status == "active"
    [message] = outbox
    assert message.recipients == [waiting.email]
    assert "Votre compte est ouvert" in message.subject
    assert "Bonjour Berthe" in message.body and "http://localhost/login" in message.body

    # Approving twice says why nothing happened, and mails nobody.
    token = page.html.select_one("input[name=csrf_token]")["value"]
    response = admin_app.post(f"/admin/members/{waiting.id}/approve", {"csrf_token": token})
    assert "not awaiting approval" in flash(response.follow())
    assert len(outbox) == 1


def test_suspended_member_is_logged_out_and_cannot_log_in(admin_app, make_user, login,
                                                          make_testapp, dbsession):
    member = make_user("olympe", display_name="Olympe de Gouges")
    browser = login(member)
    assert "Welcome, Olympe de Gouges" in browser.get("/").text

    page = act(admin_app, member, "suspend")
    assert "Olympe de Gouges is suspended" in flash(page)
    assert f"reinstate-{member.id}" in page.forms
    dbsession.refresh(member)
    assert member.status == "suspended"

    home = browser.get("/")  # the open session no longer works
    assert "Welcome" not in home.text
    assert home.html.select_one(".user-nav").find("a", string="Log in") is not None

    form = make_testapp().get("/login").forms["login-form"]
    form["login"], form["password"] = "olympe", TEST_PASSWORD
    refused = form.submit()
    assert refused.status_int == 200 and "This account is suspended" in refused.text

    page = act(admin_app, member, "reinstate")
    assert "Olympe de Gouges may log in again." in flash(page)
    assert "Welcome, Olympe de Gouges" in login(member).get("/").text


def test_change_role(admin_app, make_user, login, dbsession):
    member = make_user("flora", display_name="Flora Tristan")
    page = act(admin_app, member, "role", role="moderator")
    assert "Flora Tristan is now: Moderator." in flash(page)
    dbsession.refresh(member)
    assert member.role == "moderator"
    assert login(member).get("/admin", status=403).status_int == 403

    act(admin_app, member, "role", role="admin")
    dbsession.refresh(member)
    assert member.role == "admin"
    assert "Members" in login(member).get("/admin").text

    token = page.html.select_one("input[name=csrf_token]")["value"]
    response = admin_app.post(f"/admin/members/{member.id}/role",
                              {"csrf_token": token, "role": "emperor"})
    assert "Choose a role from the list." in flash(response.follow())
    dbsession.refresh(member)
    assert member.role == "admin"


def test_the_last_admin_cannot_leave_the_site_without_one(admin_app, admin, make_user,
                                                          dbsession):
    for action, fields in (("role", {"role": "member"}), ("suspend", {})):
        page = act(admin_app, admin, action, **fields)
        assert "Louise Michel is the site's only administrator" in flash(page)
    page = admin_app.get(f"/admin/members/{admin.id}/delete")
    response = page.forms[f"delete-{admin.id}"].submit()
    assert "only administrator" in flash(response.follow())
    dbsession.refresh(admin)
    assert (admin.role, admin.status) == ("admin", "active")

    # A suspended admin does not count: the site still needs this one.
    make_user(role="admin", status="suspended")
    assert "only administrator" in flash(act(admin_app, admin, "role", role="moderator"))

    # With another active admin, stepping down is allowed.
    make_user(role="admin")
    form = admin_app.get("/admin/members").forms[f"role-{admin.id}"]
    form["role"] = "moderator"
    response = form.submit()
    assert response.location == "http://localhost/"  # the admin area is closed to them now
    assert "Louise Michel is now: Moderator." in flash(response.follow())
    dbsession.refresh(admin)
    assert admin.role == "moderator"


@pytest.mark.skipif(not hasattr(AccountService, "delete_account"),
                    reason="deleting accounts is not available")
def test_delete_asks_for_confirmation_then_erases(admin_app, make_user, dbsession):
    member = make_user("rosa", display_name="Rosa Luxemburg", status="suspended")
    page = admin_app.get("/admin/members", {"status": "suspended"})
    confirm = page.click(href=f"/admin/members/{member.id}/delete")
    assert "Delete the account of Rosa Luxemburg?" in confirm.text
    dbsession.refresh(member)
    assert member.status == "suspended"  # nothing happens before the confirmation

    back = confirm.forms[f"delete-{member.id}"].submit()
    assert back.status_int == 303 and back.location.endswith("/admin/members?status=suspended")
    assert "The account of rosa is deleted." in flash(back.follow())
    dbsession.refresh(member)
    assert member.status == "deleted" and member.email != "rosa@example.org"
    assert member.id not in member_ids(admin_app.get("/admin/members"))
    admin_app.get("/admin/members/999999/delete", status=404)
    admin_app.get("/admin/members/99999999999999999999/delete", status=404)
    admin_app.get(f"/admin/members/{member.id}/unknown", status=404)


def test_actions_go_back_to_the_page_they_came_from(admin_app, make_user):
    member = make_user("louise", status="awaiting_approval")
    page = admin_app.get("/admin/members", {"status": "awaiting_approval"})
    response = page.forms[f"approve-{member.id}"].submit()
    assert response.location.endswith("/admin/members?status=awaiting_approval")
    form = admin_app.get("/admin/members").forms[f"suspend-{member.id}"]
    form["next"] = "https://elsewhere.example/"
    assert form.submit().location == "http://localhost/admin/members"


# Permissions -------------------------------------------------------------------------------


def held(page, permission) -> dict[str, str]:
    headings = [th.get_text(strip=True) for th in page.html.select("thead th")][2:]
    cells = page.html.select_one(f'tr[id="permission-{permission}"]').select("td")[1:]
    return dict(zip(headings, (cell.get_text(strip=True) for cell in cells)))


def test_permissions_page_shows_core_permissions(admin_app):
    page = admin_app.get("/admin/permissions")
    assert held(page, "admin.access") == {
        "Strangers": "No", "Member": "No", "Moderator": "No", "Administrator": "Yes"}
    assert held(page, "account") == {
        "Strangers": "No", "Member": "Yes", "Moderator": "Yes", "Administrator": "Yes"}
    assert held(page, "view")["Strangers"] == "Yes"  # a public site


class TestWithNotesPlugin:
    @pytest.fixture
    def cortege_plugins(self):
        return ["notes"]

    def test_plugin_permissions_are_listed(self, admin_app):
        page = admin_app.get("/admin/permissions")
        row = page.html.select_one('tr[id="permission-notes.write"]')
        assert "Write notes" in row.get_text() and row.select("td")[0].get_text() == "notes"
        assert held(page, "notes.write") == {
            "Strangers": "No", "Member": "Yes", "Moderator": "Yes", "Administrator": "Yes"}

    def test_members_only_site_shows_strangers_only_the_landing_page(self, admin_app, testapp,
                                                                     make_user, login):
        assert testapp.get("/notes").status_int == 200
        form = admin_app.get("/admin/settings").forms["settings-form"]
        form["visibility"] = "members"
        form.submit().follow()
        response = testapp.get("/notes")
        assert response.status_int == 303 and "/login" in response.location
        assert "Log in" in testapp.get("/").text
        assert login(make_user()).get("/notes").status_int == 200
        page = admin_app.get("/admin/permissions")
        assert held(page, "view") == {
            "Strangers": "No", "Member": "Yes", "Moderator": "Yes", "Administrator": "Yes"}


# Site settings -----------------------------------------------------------------------------


def test_settings_round_trip(admin_app, testapp, dbsession):
    form = admin_app.get("/admin/settings").forms["settings-form"]
    assert form["site_name"].value == "Cortège" and form["registration"].value == "open"
    form["site_name"] = "  Le Réseau  "
    form["tagline"] = "Ensemble, plus loin"
    form["privacy_page"] = "We keep **little**.\n\n<script>alert(1)</script>"
    form["registration"] = "approval"
    form["visibility"] = "members"
    form["members_may_invite"] = True
    page = form.submit().follow()
    assert "The site settings are saved." in flash(page)

    settings = load_site_settings(dbsession, "Cortège")
    assert (settings.site_name, settings.tagline, settings.registration, settings.visibility,
            settings.members_may_invite) == (
        "Le Réseau", "Ensemble, plus loin", "approval", "members", True)
    form = page.forms["settings-form"]
    assert form["site_name"].value == "Le Réseau" and form["registration"].value == "approval"
    assert form["members_may_invite"].checked

    privacy = testapp.get("/privacy")
    assert "Le Réseau" in privacy.html.select_one(".brand").text
    prose = privacy.html.select_one(".prose")
    assert prose.strong.text == "little" and prose.script is None
    assert "&lt;script&gt;" in str(prose)  # shown as text, never run


def test_closing_registration_from_the_admin(admin_app, testapp):
    assert testapp.get("/register").status_int == 200
    form = admin_app.get("/admin/settings").forms["settings-form"]
    form["registration"] = "closed"
    form.submit()
    assert testapp.get("/register", status=403).status_int == 403


def test_settings_errors_keep_what_was_typed(admin_app, dbsession):
    form = admin_app.get("/admin/settings").forms["settings-form"]
    form["site_name"] = "   "
    form["tagline"] = "x" * 201
    form["privacy_page"] = "Kept as typed"
    form["registration"] = "closed"
    page = form.submit()
    assert page.status_int == 200
    assert "The settings are not saved" in page.text
    errors = [p.get_text(strip=True) for p in page.html.select(".field__error")]
    assert errors == ["Enter the site's name.", "Use at most 200 characters."]
    form = page.forms["settings-form"]
    assert form["privacy_page"].value == "Kept as typed" and form["registration"].value == "closed"
    assert load_site_settings(dbsession, "Cortège").registration == "open"

    form.fields["registration"][0].force_value("anarchy")
    page = form.submit()
    assert page.html.select_one("#registration-error") is not None
    assert load_site_settings(dbsession, "Cortège").registration == "open"


def test_admin_pages_in_french(make_user, login):
    admin = make_user(role="admin", locale="fr")
    browser = login(admin)
    page = browser.get("/admin/members")
    assert page.html.h1.text == "Membres"
    assert browser.get("/admin/settings").html.h1.text == "Réglages du site"
    form = browser.get("/admin/settings").forms["settings-form"]
    form["site_name"] = ""
    assert "Indiquez le nom du site." in form.submit().text


def test_a_panel_can_open_the_admin_area_to_moderators(cortege_settings, cortege_engine,
                                                       connection, make_user):
    import webtest
    from pyramid.response import Response

    from core import make_config

    config = make_config(cortege_settings, engine=cortege_engine)
    config.declare_permission("reports.review", "Review reports", roles=("moderator",))
    config.add_route("admin_reports", "/admin/reports")
    config.add_view(lambda request: Response("Reports"), route_name="admin_reports",
                    permission="reports.review")
    config.add_admin_panel("reports", "Reports", "admin_reports", permission="reports.review")
    app = config.make_wsgi_app()

    def browser_of(user):
        browser = webtest.TestApp(app, extra_environ={
            "cortege.test_connection": connection, "HTTP_HOST": "localhost"})
        form = browser.get("/login").forms["login-form"]
        form["login"], form["password"] = user.username, TEST_PASSWORD
        assert form.submit().status_int == 303
        return browser

    moderator = browser_of(make_user(role="moderator"))
    page = moderator.get("/admin")
    assert [a.text for a in page.html.select(".admin__menu a")] == ["Overview", "Reports"]
    moderator.get("/admin/members", status=403)
    browser_of(make_user()).get("/admin", status=403)
