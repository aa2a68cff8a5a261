"""The fields asked at registration join the core's registration form."""

from sqlalchemy import select

from core.accounts.models import User
from plugins.profiles.models import MEMBERS, PUBLIC, Profile, Value


def test_registration_asks_the_chosen_fields_and_stores_them(testapp, make_field, dbsession):
    city = make_field("City", "city", at_registration=True, required=True,
                      default_visibility=PUBLIC)
    causes = make_field("Causes", "multichoice", options=["Climate", "Housing"],
                        at_registration=True, political=True)
    phone = make_field("Phone", "phone")  # not asked at registration
    page = testapp.get("/register")
    form = page.forms["register-form"]
    assert f"profiles_profile_{city.id}" in form.fields
    assert f"profiles_profile_{phone.id}" not in form.fields
    form["email"] = "new@example.org"
    form["display_name"] = "Nouvelle Militante"
    form["username"] = "nouvelle"
    form["password"] = "a long and unusual passphrase 42"
    response = form.submit()
    assert response.status_int == 200  # the city is required
    assert "This field is required." in response.text
    form = response.forms["register-form"]
    form["password"] = "a long and unusual passphrase 42"
    form[f"profiles_profile_{city.id}"] = "Besançon"
    form.set(f"profiles_profile_{causes.id}", True, index=1)
    assert form.submit().status_int == 303
    user = dbsession.scalars(select(User).where(User.username_key == "nouvelle")).one()
    assert dbsession.get(Profile, user.id).sort_name == "nouvelle militante"
    values = dict(dbsession.execute(select(Value.value, Value.visibility)
                                    .where(Value.user_id == user.id)).all())
    assert values == {"Besançon": PUBLIC, "Housing": MEMBERS}


def test_without_fields_registration_still_makes_a_profile(plugin_request, make_user, dbsession):
    from core.extensions import registered

    request = plugin_request()
    (extension,) = [e for e in registered(request.registry, "cortege registration extensions")
                    if e.name == "profiles"]
    assert extension.fields(request) == {}
    user = make_user("solo")
    extension.save(request, user, {})
    request.dbsession.flush()
    assert dbsession.get(Profile, user.id) is not None
