"""Editing a profile: every field type, clear messages, each member's visibility choice."""

import datetime as dt

import pytest
from sqlalchemy import select

from plugins.profiles.models import MEMBERS, PRIVATE, PUBLIC, Value


@pytest.fixture
def fields(make_field):
    return {
        "city": make_field("City", "city", required=True, default_visibility=PUBLIC),
        "bio": make_field("About me", "textarea"),
        "party": make_field("Party", "choice", options=["None", "Left", "Greens"],
                            political=True, member_chooses_visibility=False),
        "causes": make_field("Causes", "multichoice", options=["Climate", "Housing", "Health"]),
        "volunteer": make_field("Volunteer", "checkbox"),
        "since": make_field("Active since", "date"),
        "site": make_field("Website", "url"),
        "hours": make_field("Hours", "number"),
        "phone": make_field("Phone", "phone", default_visibility=PRIVATE),
        "postcode": make_field("Postcode", "postcode"),
    }


def stored(dbsession, user):
    rows = dbsession.execute(select(Value.field_id, Value.value, Value.visibility)
                             .where(Value.user_id == user.id).order_by(Value.id)).all()
    return rows


def test_member_fills_every_type(login, make_member, fields, dbsession):
    camille = make_member("camille")
    browser = login(camille)
    form = browser.get("/members/camille/edit").forms["profile-form"]
    f = {name: field.form_name for name, field in fields.items()}
    form[f["city"]] = "Saint-Étienne"
    form[f"visibility_{fields['city'].id}"] = MEMBERS
    form[f["bio"]] = "Tenant *organiser*"
    form[f["party"]] = "Greens"
    assert f"visibility_{fields['party'].id}" not in form.fields  # members may not choose
    form.set(f["causes"], True, index=0)
    form.set(f["causes"], True, index=2)
    form[f["volunteer"]] = True
    form[f["since"]] = "2019-03-08"
    form[f["site"]] = "https://example.org/camille"
    form[f["hours"]] = "12.50"
    form[f["phone"]] = "+33 6 12 34 56 78"
    form[f["postcode"]] = "42000"
    response = form.submit()
    assert response.status_int == 303
    assert response.location.endswith("/members/camille")
    values = {(field_id, value): visibility for field_id, value, visibility in stored(dbsession, camille)}
    assert values[(fields["city"].id, "Saint-Étienne")] == MEMBERS  # her choice
    assert values[(fields["party"].id, "Greens")] == MEMBERS  # political: members by default
    assert values[(fields["phone"].id, "+33 6 12 34 56 78")] == PRIVATE
    assert (fields["causes"].id, "Climate") in values and (fields["causes"].id, "Health") in values
    assert (fields["hours"].id, "12.5") in values
    page = browser.get("/members/camille")
    assert "March 8, 2019" in page.text and "12.5" in page.text
    assert page.html.select_one(f"#field-{fields['bio'].id} em").text == "organiser"
    assert page.html.select_one(f'#field-{fields["site"].id} a')["rel"] == ["nofollow", "ugc",
                                                                          "noopener"]
    # The form shows what was saved, and saving again keeps the visibility she chose.
    again = browser.get("/members/camille/edit").forms["profile-form"]
    assert again[f["city"]].value == "Saint-Étienne"
    assert again[f"visibility_{fields['city'].id}"].value == MEMBERS
    again[f["bio"]] = ""
    again.submit(status=303)
    values = {(a, b): c for a, b, c in stored(dbsession, camille)}
    assert values[(fields["city"].id, "Saint-Étienne")] == MEMBERS
    assert not any(field_id == fields["bio"].id for field_id, _value in values)


def test_clear_messages_and_nothing_saved(login, make_member, fields, dbsession):
    camille = make_member("camille")
    browser = login(camille)
    form = browser.get("/members/camille/edit").forms["profile-form"]
    form[fields["site"].form_name] = "javascript:alert(1)"
    form[fields["phone"].form_name] = "call me"
    form[fields["postcode"].form_name] = "!!"
    form[fields["hours"].form_name] = "many"
    response = form.submit(status=400)
    errors = [p.text for p in response.html.select(".field__error")]
    assert "Give an address starting with http:// or https://." in errors
    assert "Give a phone number with digits, spaces and an optional + in front." in errors
    assert "Give a postcode of letters and digits, such as 75011." in errors
    assert "This field is required." in errors  # the city
    assert "Not a valid decimal value." in errors
    assert response.html.select_one(".alert").text.startswith("Some answers need correcting")
    assert stored(dbsession, camille) == []


def test_messages_in_french(login, make_member, fields):
    browser = login(make_member("camille", locale="fr"))
    form = browser.get("/members/camille/edit").forms["profile-form"]
    form[fields["phone"].form_name] = "appelez-moi"
    response = form.submit(status=400)
    errors = [p.text for p in response.html.select(".field__error")]
    assert "Indiquez un numéro de téléphone fait de chiffres et d'espaces, éventuellement " \
           "précédé d'un +." in errors
    assert "Ce champ est requis." in errors
    assert "Modifier le profil de Camille" in response.text


def test_only_the_member_and_admins_edit(login, make_member, testapp, fields):
    make_member("camille")
    other = login(make_member("other"))
    other.get("/members/camille/edit", status=403)
    other.post("/members/camille/avatar", {"remove": "1"}, status=403, xhr=False,
               expect_errors=True)
    assert "/login" in testapp.get("/members/camille/edit", status=303).location
    admin = login(make_member("boss", role="admin"))
    form = admin.get("/members/camille/edit").forms["profile-form"]
    form[fields["city"].form_name] = "Lille"
    form.submit(status=303)
    assert "Lille" in admin.get("/members/camille").text
    assert "Edit the profile" not in other.get("/members/camille").text


def test_last_active_is_written_at_most_once_per_interval(login, make_member, dbsession,
                                                          query_counter):
    from plugins.profiles.models import Profile

    camille = make_member("camille")
    profile = dbsession.get(Profile, camille.id)
    profile.last_active_at = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    dbsession.flush()
    browser = login(camille)
    query_counter.statements.clear()
    browser.get("/members")
    writes = [s for s in query_counter.statements if s.lstrip().upper().startswith("UPDATE")]
    assert len(writes) == 1
    dbsession.expire_all()
    assert dbsession.get(Profile, camille.id).last_active_at.year >= 2026
    query_counter.statements.clear()
    for _ in range(3):
        browser.get("/members")
    assert not [s for s in query_counter.statements if s.lstrip().upper().startswith(
        ("UPDATE", "INSERT"))]
