"""A members-only site shows strangers the landing, login, registration and privacy pages only."""

from __future__ import annotations

import pytest

from core.security import PUBLIC
from core.sitesettings import load_site_settings, save_site_settings
from tests.core.test_route_security import route_url, route_views


@pytest.fixture
def cortege_plugins():
    return ["notes"]


def members_only(dbsession):
    settings = load_site_settings(dbsession, "Cortège")
    settings.visibility = "members"
    save_site_settings(dbsession, settings)


def test_public_site_shows_pages_to_strangers(testapp):
    assert testapp.get("/notes").status_int == 200


def test_members_only_site(testapp, dbsession, make_user, login, registry):
    members_only(dbsession)
    for url in ("/", "/login", "/register", "/privacy", "/password/forgot"):
        assert testapp.get(url).status_int == 200, url
    page = testapp.get("/")
    for link in page.html.select('link[rel="stylesheet"]'):
        assert testapp.get(link["href"]).status_int == 200
    response = testapp.get("/notes")
    assert response.status_int == 303 and "/login" in response.location
    # Every page that is not one of the public ones sends strangers to log in.
    for name, items in route_views(registry).items():
        if all(permission == PUBLIC for _methods, permission in items):
            continue
        if not any(methods is None or "GET" in methods for methods, _p in items):
            continue
        url = route_url(registry, name, {"token": "x"})
        assert testapp.get(url, expect_errors=True).status_int in (303, 404), url
    member = login(make_user("louise"))
    assert member.get("/notes").status_int == 200
