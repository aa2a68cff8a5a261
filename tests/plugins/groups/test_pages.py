"""A group's page and members tab, creating, editing and deleting groups, pictures, the tab
directive, group principals, the members' "Groups" tab, personal data and the seeder."""

from __future__ import annotations

import io
import os

import pytest
from PIL import Image
from sqlalchemy import select

from core.cli import main as cortege
from core.extensions import registered
from plugins.groups.interfaces import IGroupService
from plugins.groups.models import Group, Membership
from tests.plugins.profiles.test_seed import scalar as _scalar
from tests.plugins.profiles.test_seed import write_ini


@pytest.fixture
def cortege_settings(cortege_settings, tmp_path_factory):
    folder = tmp_path_factory.getbasetemp() / "group-pictures"
    return {**cortege_settings, "profiles.avatar_directory": str(folder / "avatars"),
            "groups.cover_directory": str(folder / "covers")}


@pytest.mark.parametrize("members", [2, 40])
def test_group_page_and_members_tab_queries_do_not_grow(login, make_member, make_group,
                                                        max_queries, members):
    admin = make_member("admin1")
    group = make_group("Lille", admin=admin,
                       members=[make_member() for _ in range(members)])
    for _ in range(3):
        make_group.join(group, make_member(), state="requested")
    browser = login(admin)
    with max_queries(9):
        page = browser.get("/groups/lille")
    assert page.html.select_one("#member-count").text == f"{members + 1} members"
    with max_queries(10):
        tab = browser.get("/groups/lille/members")
    assert len(tab.html.select("#people li")) == min(members + 1, 30)
    with max_queries(10):
        requests = browser.get("/groups/lille/requests")
    assert len(requests.html.select("#people li")) == 3
    assert "Requests (3)" in page.text


def test_members_tab_pages_by_key(login, make_member, make_group, app):
    admin = make_member("admin1")
    make_group("Lille", admin=admin, members=[make_member() for _ in range(34)])
    browser = login(admin)
    first = browser.get("/groups/lille/members")
    second = browser.get(first.html.select_one('a[rel="next"]')["href"])
    names = [a.text for a in first.html.select("#people li > div > a")] + [
        a.text for a in second.html.select("#people li > div > a")]
    assert len(names) == len(set(names)) == 35
    assert second.html.select_one('a[rel="next"]') is None


def test_create_edit_and_delete_a_group(login, make_member, dbsession, group_type):
    camille = make_member("camille")
    browser = login(camille)
    form = browser.get("/groups/new").forms["group-form"]
    form["name"] = "Comité de quartier"
    form["type_id"] = str(group_type("local-section").id)
    form["status"] = "private"
    form["city"] = "Lyon"
    form["description"] = "We *meet* on Mondays <script>alert(1)</script>"
    response = form.submit()
    assert response.location.endswith("/groups/comite-de-quartier")
    page = response.follow()
    assert page.html.select_one(".group__name").text == "Comité de quartier"
    assert page.html.select_one("#group-about em").text == "meet"
    assert "<script>alert" not in page.text
    group = dbsession.scalars(select(Group).where(Group.slug == "comite-de-quartier")).one()
    assert (group.status, group.member_count, group.city) == ("private", 1, "Lyon")
    assert dbsession.get(Membership, (group.id, camille.id)).role == "admin"
    # A taken or malformed address is refused with a sentence, nothing saved.
    form = browser.get("/groups/new").forms["group-form"]
    form["name"] = "Autre"
    form["slug"] = "comite-de-quartier"
    response = form.submit(status=400)
    assert "Another group already has this address" in response.text
    form["slug"] = "Bad Slug!"
    assert "lower-case letters" in form.submit(status=400).text
    form = browser.get("/groups/comite-de-quartier/edit").forms["group-form"]
    form["slug"] = "comite-lyon"
    form["invite_policy"] = "admins"
    assert form.submit().location.endswith("/groups/comite-lyon")
    delete = browser.get("/groups/comite-lyon/delete").forms["delete-form"]
    delete["confirm"] = "wrong"
    assert "Type the group's address" in delete.submit(status=400).text
    delete["confirm"] = "comite-lyon"
    assert delete.submit().location.endswith("/groups")
    dbsession.expire_all()
    assert dbsession.scalar(select(Group).where(Group.slug == "comite-lyon")) is None
    assert dbsession.scalar(select(Membership).where(Membership.user_id == camille.id)) is None


def test_only_group_admins_and_site_admins_edit(login, make_member, make_group):
    admin, member = make_member("admin1"), make_member("plain")
    site_admin = make_member("boss", role="admin")
    make_group("Lille", admin=admin, members=[member])
    login(member).get("/groups/lille/edit", status=403)
    login(member).get("/groups/lille/delete", status=403)
    login(site_admin).get("/groups/lille/edit", status=200)


def test_creation_may_be_kept_to_site_admins(cortege_settings, make_member, login,
                                             cortege_engine, connection):
    from core.testing import TEST_PASSWORD
    from tests.plugins.groups.sample_content import app_with_content, browser

    app = app_with_content({**cortege_settings, "groups.creators": "admins"}, cortege_engine)
    member = browser(app, connection, make_member("camille"), TEST_PASSWORD)
    assert "Create a group" not in member.get("/groups").text
    member.get("/groups/new", status=403)
    boss = browser(app, connection, make_member("boss", role="admin"), TEST_PASSWORD)
    boss.get("/groups/new", status=200)


def _image(kind="PNG", size=(900, 400)):
    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 200)).save(out, kind)
    return out.getvalue()


def test_avatar_and_cover(login, make_member, make_group, cortege_settings, dbsession):
    admin = make_member("admin1")
    group = make_group("Lille", admin=admin)
    browser = login(admin)
    for kind in ("avatar", "cover"):
        form = browser.get("/groups/lille/edit").forms[
            next(k for k, f in browser.get("/groups/lille/edit").forms.items()
             if f.fields.get("kind") and f["kind"].value == kind)]
        form["image"] = ("picture.png", _image())
        form.submit().follow()
    dbsession.expire_all()
    group = dbsession.get(Group, group.id)
    assert group.avatar and group.cover
    page = browser.get("/groups/lille")
    avatar_url = page.html.select_one("img.group-avatar")["src"]
    cover_url = page.html.select_one("img.group__cover")["src"]
    assert avatar_url.endswith(f"{group.avatar}-128.jpg")
    cover = browser.get(cover_url)
    assert cover.headers["X-Content-Type-Options"] == "nosniff"
    assert Image.open(io.BytesIO(cover.body)).size == (1200, 300)
    assert Image.open(io.BytesIO(browser.get(avatar_url).body)).size == (128, 128)
    # Not an image: refused with profiles' sentence.
    forms = browser.get("/groups/lille/edit").forms
    form = forms[next(k for k, f in forms.items() if f.fields.get("kind"))]
    form["image"] = ("evil.png", b"<svg onload=alert(1)>")
    assert "not an image we can read" in form.submit().follow().text
    browser.get("/group-covers/..%2Fsecret-cover.jpg", status=404)
    covers = cortege_settings["groups.cover_directory"]
    assert f"{group.cover}-cover.jpg" in os.listdir(covers)
    delete = browser.get("/groups/lille/delete").forms["delete-form"]
    delete["confirm"] = "lille"
    delete.submit()
    assert f"{group.cover}-cover.jpg" not in os.listdir(covers)


def test_tab_names_that_would_hide_pages_are_refused(cortege_settings, cortege_engine):
    from core import make_config

    config = make_config(cortege_settings, engine=cortege_engine)
    with pytest.raises(ValueError, match="cannot be named 'members'"):
        config.add_group_tab("members", "Members", lambda request, group: {})


def test_group_principals(make_member, make_group, plugin_request):
    admin, moderator, member = make_member("a1"), make_member("m1"), make_member("p1")
    asking = make_member("asking")
    group = make_group("Lille", admin=admin, members=[(moderator, "moderator"), member])
    make_group.join(group, asking, state="requested")
    request = plugin_request()
    finders = registered(request.registry, "cortege principal finders")
    found = {user.username: {p for f in finders for p in f(request, user)}
             for user in (admin, moderator, member, asking)}
    prefix = f"group:{group.id}:"
    assert found["a1"] == {prefix + "member", prefix + "moderator", prefix + "admin"}
    assert found["m1"] == {prefix + "member", prefix + "moderator"}
    assert found["p1"] == {prefix + "member"}
    assert found["asking"] == set()
    service = request.find_service(IGroupService)
    assert service.role(group, moderator) == "moderator"
    assert service.role(group, asking) is None
    ids = set(request.dbsession.scalars(service.member_ids(group)))
    assert ids == {admin.id, moderator.id, member.id}


def test_member_groups_tab_shows_private_and_hidden_groups_only_to_fellow_members(
        make_member, make_group, login, testapp):
    camille, friend, moderator, stranger_member = (
        make_member("camille"), make_member("friend"), make_member("modo"), make_member("other"))
    make_group("Lille", admin=camille)
    for name, status in (("Bureau secret", "hidden"), ("Cercle privé", "private")):
        make_group(name, status=status, admin=camille, members=[friend, (moderator, "moderator")])
    names = {"stranger": testapp, "non-member": login(stranger_member), "member": login(friend),
             "moderator": login(moderator), "camille": login(camille)}
    for viewer, browser in names.items():
        page = browser.get("/members/camille/groups")
        shown = [a.text for a in page.html.select(".groups__name")]
        if viewer in ("stranger", "non-member"):
            assert shown == ["Lille"], viewer
        else:
            assert sorted(shown) == ["Bureau secret", "Cercle privé", "Lille"], viewer
    # The member's own pages (my groups, the dashboard) list every group of theirs.
    assert "Cercle privé" in names["camille"].get("/groups/mine").text
    assert "Cercle privé" in names["camille"].get("/").text


def test_personal_data_export_and_erase(make_member, make_group, plugin_request, dbsession):
    camille, other = make_member("camille"), make_member("other")
    lille = make_group("Lille", admin=camille, members=[other])
    brest = make_group("Brest", admin=other)
    make_group.join(brest, camille, state="invited", invited_by_id=other.id)
    request = plugin_request()
    provider = next(p for p in registered(request.registry, "cortege personal data providers")
                    if p.name == "groups")
    data = provider.export(request, camille)
    assert [(m["slug"], m["state"], m["role"]) for m in data["memberships"]] == [
        ("lille", "member", "admin"), ("brest", "invited", None)]
    provider.erase(request, camille)
    dbsession.expire_all()
    assert dbsession.scalar(select(Membership).where(Membership.user_id == camille.id)) is None
    # Lille keeps an admin: its longest-standing member takes the role.
    assert dbsession.get(Membership, (lille.id, other.id)).role == "admin"
    assert dbsession.get(Group, lille.id).member_count == 1
    assert provider.export(request, camille) == {"memberships": [], "groups_created": []}


def test_seed_demo_groups_of_every_type_and_status_and_volume(tmp_path, scratch_database_url):
    ini = write_ini(tmp_path / "site.ini", scratch_database_url, tmp_path / "uploads",
                    plugins="profiles groups")
    assert cortege(["db", "upgrade", str(ini)]) == 0
    assert cortege(["seed", str(ini), "--members", "50", "--groups", "200",
                    "--group-members", "5"]) == 0
    url = scratch_database_url
    assert _scalar(url, "SELECT count(*) FROM groups_group") == 12 + 200
    assert _scalar(url, "SELECT count(DISTINCT status || type_id) FROM groups_group "
                        "WHERE id <= 12") == 12
    assert _scalar(url, "SELECT count(*) FROM groups_membership WHERE group_id > 12") == 1000
    # Every group has an admin, and its count matches its members.
    assert _scalar(url, "SELECT count(*) FROM groups_group g WHERE NOT EXISTS (SELECT 1 FROM "
                        "groups_membership m WHERE m.group_id = g.id AND m.role = 'admin' "
                        "AND m.state = 'member')") == 0
    assert _scalar(url, "SELECT count(*) FROM groups_group g WHERE member_count != (SELECT "
                        "count(*) FROM groups_membership m WHERE m.group_id = g.id "
                        "AND m.state = 'member')") == 0


def test_dashboard_widget_lists_my_groups_and_invitations(make_member, make_group, login,
                                                          max_queries):
    camille, admin = make_member("camille"), make_member("admin1")
    for number in range(7):
        make_group(f"Groupe {number}", admin=admin, members=[camille])
    hidden = make_group("Bureau", status="hidden", admin=admin)
    make_group.join(hidden, camille, state="invited", invited_by_id=admin.id)
    browser = login(camille)
    browser.get("/")
    with max_queries(12):
        home = browser.get("/")
    widget = home.html.select_one("#my-groups-widget")
    assert len(widget.select("li")) == 5
    assert "Bureau" not in widget.text
    assert "1 invitation waits for your answer" in home.text
    assert "All my groups" in home.text
