"""The group types panel: seeded types, adding, renaming, deleting; admins only."""

from __future__ import annotations

from sqlalchemy import select

from plugins.groups.models import Group, GroupType


def test_seeded_types_and_their_french_names(make_member, login):
    admin = make_member("boss", role="admin", locale="fr")
    page = login(admin).get("/admin/groups")
    names = [row.select_one("td").text for row in page.html.select("#types tbody tr")]
    assert names == ["Section locale", "Groupe de veille", "Groupe thématique",
                     "Groupe de blogueurs"]


def test_admins_add_rename_and_delete_types(make_member, make_group, login, dbsession,
                                            testapp):
    admin = make_member("boss", role="admin")
    browser = login(admin)
    form = browser.get("/admin/groups").forms["type-form"]
    form["name"] = "Groupe de travail"
    form.submit().follow()
    added = dbsession.scalars(select(GroupType).where(GroupType.key == "groupe-de-travail")).one()
    form = browser.get("/admin/groups").forms["type-form"]
    form["name"] = "Groupe de travail"
    assert "already exists" in form.submit(status=400).text
    form = browser.get(f"/admin/groups/types/{added.id}").forms["type-form"]
    form["name"] = "Commission"
    form.submit().follow()
    dbsession.expire_all()
    assert dbsession.get(GroupType, added.id).name == "Commission"
    assert "Commission" in testapp.get("/groups").text  # the directory's type filter
    group = make_group("Lille", admin=make_member(), type_id=added.id)
    token = browser.get("/admin/groups").html.select_one('input[name="csrf_token"]')["value"]
    type_id = added.id
    browser.post(f"/admin/groups/types/{type_id}/delete", {"csrf_token": token}, status=303)
    dbsession.expire_all()
    assert dbsession.get(GroupType, type_id) is None
    assert dbsession.get(Group, group.id).type_id is None


def test_members_and_moderators_may_not_define_types(make_member, login, testapp):
    for role in ("member", "moderator"):
        login(make_member(role=role)).get("/admin/groups", status=403)
    assert testapp.get("/admin/groups").status_int == 303  # strangers are sent to log in


def test_type_names_with_percent_signs_and_braces_show_as_written(make_member, login):
    browser = login(make_member("boss", role="admin"))
    form = browser.get("/admin/groups").forms["type-form"]
    form["name"], form["description"] = "100% militants %(name)s {0}", "Half %s, half {{ 7*7 }}"
    form.submit().follow()
    row = browser.get("/admin/groups").html.select("#types tbody tr")[-1]
    assert [cell.text for cell in row.select("td")[:2]] == [
        "100% militants %(name)s {0}", "Half %s, half {{ 7*7 }}"]
