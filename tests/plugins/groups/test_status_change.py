"""A group turned private or hidden hides its past content at once, on every surface; the
reverse shows it again. Another plugin's tab and site-wide list read the same rule."""

from __future__ import annotations

from core.testing import TEST_PASSWORD
from tests.plugins.groups.sample_content import app_with_content, browser


def _save_status(web, slug, status):
    form = web.get(f"/groups/{slug}/edit").forms["group-form"]
    form["status"] = status
    return form.submit()


def test_status_change_hides_past_content_at_once(make_member, make_group, cortege_settings,
                                                  cortege_engine, connection):
    admin = make_member("admin1")
    outsider = make_member("outsider")
    member = make_member("insider")
    make_group("Lille", admin=admin, members=[member], description="Our old minutes")
    app = app_with_content(cortege_settings, cortege_engine)
    manager = browser(app, connection, admin, TEST_PASSWORD)
    viewers = {
        "stranger": browser(app, connection),
        "outsider": browser(app, connection, outsider, TEST_PASSWORD),
        "member": browser(app, connection, member, TEST_PASSWORD),
    }

    slug = "lille"

    def seen(web) -> dict:
        tab = web.get(f"/groups/{slug}/notes", expect_errors=True)
        return {
            "feed": "Our old minutes" in web.get("/sample-feed").text,
            "tab": tab.status_int == 200 and "Our old minutes" in tab.text,
            "listed": "Lille" in web.get("/groups").text,
            "page": web.get(f"/groups/{slug}", expect_errors=True).status_int == 200,
        }

    for web in viewers.values():
        assert seen(web) == {"feed": True, "tab": True, "listed": True, "page": True}
    assert _save_status(manager, "lille", "private").status_int == 303
    for name in ("stranger", "outsider"):
        assert seen(viewers[name]) == {"feed": False, "tab": False, "listed": True,
                                       "page": True}, name
    hidden = _save_status(manager, "lille", "hidden")
    # A hidden group's address ends with random characters: the old one leads nowhere.
    slug = hidden.location.rsplit("/", 1)[1]
    assert slug.startswith("lille-") and len(slug) == len("lille-") + 10
    for web in viewers.values():
        web.get("/groups/lille", status=404)
    for name in ("stranger", "outsider"):
        assert seen(viewers[name]) == {"feed": False, "tab": False, "listed": False,
                                       "page": False}, name
    assert seen(viewers["member"]) == {"feed": True, "tab": True, "listed": True, "page": True}
    assert _save_status(manager, slug, "public").status_int == 303
    for web in viewers.values():
        assert seen(web) == {"feed": True, "tab": True, "listed": True, "page": True}


def test_members_only_site_shows_no_group_content_to_strangers(
        make_member, make_group, cortege_settings, cortege_engine, connection, dbsession):
    from core.sitesettings import load_site_settings, save_site_settings

    admin = make_member("admin1")
    make_group("Lille", admin=admin, description="Our old minutes")
    site = load_site_settings(dbsession, "Cortège")
    site.visibility = "members"
    save_site_settings(dbsession, site)
    dbsession.flush()
    app = app_with_content(cortege_settings, cortege_engine)
    stranger = browser(app, connection)
    assert "Our old minutes" not in stranger.get("/sample-feed").text
    assert stranger.get("/groups").status_int == 303  # sent to log in
    assert "Our old minutes" in browser(app, connection, admin, TEST_PASSWORD).get(
        "/sample-feed").text
