"""Admins define field groups and fields at /admin/profiles."""

import pytest
from sqlalchemy import select

from plugins.profiles.models import MEMBERS, PRIVATE, PUBLIC, Field, FieldGroup, Value


@pytest.fixture
def admin(login, make_member):
    return login(make_member("boss", role="admin"))


def test_only_admins_enter(login, make_member, admin, testapp):
    login(make_member("camille")).get("/admin/profiles", status=403)
    assert "/login" in testapp.get("/admin/profiles", status=303).location
    assert "Profile fields" in admin.get("/admin").text


def test_admin_builds_groups_and_fields(admin, dbsession, testapp):
    form = admin.get("/admin/profiles").forms["group-form"]
    form["name"] = "Commitments"
    form.submit().follow()
    group = dbsession.scalars(select(FieldGroup).where(FieldGroup.name == "Commitments")).one()
    form = admin.get("/admin/profiles/fields/new", {"group": group.id}).forms["field-form"]
    form["name"] = "Party"
    form["type"] = "choice"
    form["political"] = True
    form["default_visibility"] = PUBLIC
    response = form.submit(status=400)
    errors = [p.text for p in response.html.select(".field__error")]
    assert errors == [("A field that reveals political commitment cannot be public by default; "
                       "choose members or only the member.")]
    form = response.forms["field-form"]
    form["default_visibility"] = MEMBERS
    response = form.submit(status=400)
    assert "Give at least one choice, one per line." in response.text
    form = response.forms["field-form"]
    form["options"] = "Left\n\nGreens\nLeft\n  Centre  "
    form.submit(status=303)
    field = dbsession.scalars(select(Field).where(Field.name == "Party")).one()
    assert field.options == ["Left", "Greens", "Centre"] and field.political
    assert field.default_visibility == MEMBERS and field.group_id == group.id
    listing = admin.get("/admin/profiles")
    assert listing.html.select_one(f"#field-{field.id}").th.text.startswith("Party")


def test_changing_a_default_changes_who_sees_existing_answers(admin, make_member, make_field,
                                                              answer, dbsession):
    camille = make_member("camille")
    city = make_field("City", "city", default_visibility=PUBLIC)
    other = make_member("dominique")
    answer(camille, city, "Lyon")  # no choice of her own: the default
    answer(other, city, "Nantes", visibility=PUBLIC)  # chose public herself
    form = admin.get(f"/admin/profiles/fields/{city.id}").forms["field-form"]
    assert form["name"].value == "City"
    form["default_visibility"] = PRIVATE
    form.submit(status=303)

    def visibility(user):
        dbsession.expire_all()
        return dbsession.scalar(select(Value.visibility).where(Value.user_id == user.id))

    assert visibility(camille) == PRIVATE and visibility(other) == PUBLIC
    form = admin.get(f"/admin/profiles/fields/{city.id}").forms["field-form"]
    form["member_chooses_visibility"] = False
    form.submit(status=303)
    assert visibility(other) == PRIVATE  # members no longer choose: the default for all


def test_reorder_and_delete(admin, make_field, make_member, answer, dbsession):
    first = make_field("First")
    second = make_field("Second")
    answer(make_member("camille"), second, "gone soon")
    first_id, second_id, group_id = first.id, second.id, first.group_id
    admin.post(f"/admin/profiles/fields/{second_id}/up",
               {"csrf_token": csrf(admin)}, status=303)
    dbsession.expire_all()
    assert dbsession.get(Field, second_id).position < dbsession.get(Field, first_id).position
    admin.post(f"/admin/profiles/fields/{second_id}/delete", {"csrf_token": csrf(admin)},
               status=303)
    dbsession.expire_all()
    assert dbsession.get(Field, second_id) is None
    assert dbsession.scalars(select(Value).where(Value.field_id == second_id)).all() == []
    admin.post(f"/admin/profiles/groups/{group_id}/delete", {"csrf_token": csrf(admin)},
               status=303)
    dbsession.expire_all()
    assert dbsession.get(FieldGroup, group_id) is None
    admin.post("/admin/profiles/fields/999999/delete", {"csrf_token": csrf(admin)}, status=404)


def test_without_csrf_token_nothing_changes(admin, make_field, dbsession):
    field = make_field("Kept")
    admin.post(f"/admin/profiles/fields/{field.id}/delete", status=400)
    dbsession.expire_all()
    assert dbsession.get(Field, field.id) is not None


def csrf(browser):
    return browser.get("/admin/profiles").forms["group-form"]["csrf_token"].value


def test_panel_in_french(login, make_member, make_field):
    field = make_field("Ville", "city", default_visibility=PUBLIC)
    admin = login(make_member("patronne", role="admin", locale="fr"))
    row = admin.get("/admin/profiles").html.select_one(f"#field-{field.id}")
    assert "Ville" in row.text and "Tout le monde" in row.text and "au choix des membres" in row.text
