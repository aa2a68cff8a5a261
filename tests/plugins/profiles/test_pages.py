"""The member page: fields by group, avatar, tabs other plugins add, and what is a 404."""

import webtest

from core import make_config
from plugins.profiles.models import PUBLIC


def test_member_page_shows_name_and_fields_by_group(testapp, make_member, make_field, answer):
    camille = make_member("camille", display_name="Camille Martin")
    city = make_field("City", "city", default_visibility=PUBLIC)
    bio = make_field("About me", "textarea", group="Story", default_visibility=PUBLIC)
    answer(camille, city, "Lyon")
    answer(camille, bio, "I **organise** <script>alert(1)</script>")
    page = testapp.get("/members/camille")
    assert page.html.select_one("h1.profile__name").text == "Camille Martin"
    groups = [h2.text for h2 in page.html.select(".profile__group h2")]
    assert groups == ["About", "Story"]
    assert page.html.select_one(f"#field-{city.id} dd").text == "Lyon"
    bio_html = str(page.html.select_one(f"#field-{bio.id} dd"))
    assert "<strong>organise</strong>" in bio_html and "<script>" not in bio_html
    # No picture: the initials on a colour.
    assert page.html.select_one("svg.avatar text").text == "CM"


def test_username_in_any_case_and_unknown_or_suspended_members(testapp, make_member):
    make_member("camille")
    make_member("gone", status="suspended")
    assert testapp.get("/members/CAMILLE").status_int == 200
    testapp.get("/members/nobody", status=404)
    testapp.get("/members/gone", status=404)
    testapp.get("/members/camille/no-such-tab", status=404)


def test_my_profile_link_leads_to_own_page(login, make_member, testapp):
    camille = make_member("camille")
    browser = login(camille)
    response = browser.get("/members/me", status=303)
    assert response.location.endswith("/members/camille")
    assert testapp.get("/members/me").status_int == 303  # strangers are sent to log in
    assert "/login" in testapp.get("/members/me").location


def tab_view(request, member):
    if member.username == "hidden":
        return None
    return {"count": 3}


def test_tabs_from_another_plugin(cortege_settings, cortege_engine, connection, make_member):
    config = make_config(cortege_settings, engine=cortege_engine)
    config.add_profile_tab("badges", "Badges", tab_view,
                           "tests.plugins.profiles:templates/tab.jinja2", order=5)
    config.add_profile_tab("secret", "Secret", tab_view,
                           "tests.plugins.profiles:templates/tab.jinja2",
                           visible=lambda request, member: request.user is not None)
    config.commit()
    app = config.make_wsgi_app()
    browser = webtest.TestApp(app, extra_environ={"cortege.test_connection": connection,
                                                  "HTTP_HOST": "localhost"})
    make_member("camille", display_name="Camille Martin")
    make_member("hidden")
    page = browser.get("/members/camille")
    tabs = [a.text for a in page.html.select(".profile__tabs a")]
    assert tabs == ["About", "Badges"]  # "Secret" is only listed for members
    tab = browser.get("/members/camille/badges")
    assert tab.html.select_one(".tab-body").text == "Camille Martin has 3 badges."
    assert tab.html.select_one('.profile__tabs a[aria-current="page"]').text == "Badges"
    browser.get("/members/camille/secret", status=404)
    browser.get("/members/hidden/badges", status=404)  # the tab's view said no


def test_tab_names_that_would_hide_pages_are_refused(cortege_settings, cortege_engine):
    import pytest

    config = make_config(cortege_settings, engine=cortege_engine)
    with pytest.raises(ValueError, match="cannot be named 'edit'"):
        config.add_profile_tab("edit", "Edit", tab_view, "x.jinja2")


def test_field_types_from_another_plugin(cortege_settings, cortege_engine, connection,
                                         make_member, make_field, answer, dbsession):
    from plugins.profiles.fieldtypes import FieldType

    class Colour(FieldType):
        name = "colour"
        title = "Favourite colour"

        def display(self, request, strings):
            return f"colour {strings[0]}"

    config = make_config(cortege_settings, engine=cortege_engine)
    config.add_profile_field_type(Colour())
    config.commit()
    browser = webtest.TestApp(config.make_wsgi_app(), extra_environ={
        "cortege.test_connection": connection, "HTTP_HOST": "localhost"})
    camille = make_member("camille")
    colour = make_field("Colour", "colour", default_visibility=PUBLIC)
    answer(camille, colour, "red")
    assert browser.get("/members/camille").html.select_one(
        f"#field-{colour.id} dd").text == "colour red"


def test_fields_of_a_type_no_longer_offered_are_left_out(testapp, make_member, make_field,
                                                         answer):
    camille = make_member("camille")
    gone = make_field("Colour", "colour", default_visibility=PUBLIC)  # no plugin offers it
    answer(camille, gone, "red")
    page = testapp.get("/members/camille")
    assert "red" not in page.text and page.status_int == 200
