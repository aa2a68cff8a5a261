"""The regions of a group's page and of a member's page: another plugin's boxes show there, the
group's home only to those who may see the group's content."""

from __future__ import annotations

from markupsafe import Markup, escape

from core import make_config
from core.testing import TEST_PASSWORD
from tests.plugins.groups.sample_content import browser

_APPS: dict = {}


def box(region):
    def view(request, **context):
        about = context.get("group") or context.get("member")
        name = getattr(about, "name", None) or about.display_name
        return Markup('<p class="box">') + escape(f"{region} of {name}") + Markup("</p>")

    return view


def app_with_boxes(settings, engine):
    key = tuple(sorted(settings.items()))
    if key not in _APPS:
        config = make_config(settings, engine=engine)
        for region in ("groups.group.header", "groups.group.home", "profiles.profile.header",
                       "profiles.profile.sidebar"):
            config.add_region_item(region, "box", view=box(region))
        config.commit()
        _APPS[key] = config.make_wsgi_app()
    return _APPS[key]


def boxes(page):
    return [p.text for p in page.html.select("p.box")]


def test_boxes_on_group_and_member_pages(make_member, make_group, cortege_settings,
                                         cortege_engine, connection):
    app = app_with_boxes(cortege_settings, cortege_engine)
    admin, outsider = make_member("admin1", display_name="Alix"), make_member("outsider")
    make_group("Brest", status="private", admin=admin)
    member = browser(app, connection, admin, TEST_PASSWORD)
    stranger = browser(app, connection, outsider, TEST_PASSWORD)
    assert boxes(member.get("/groups/brest")) == [
        "groups.group.header of Brest", "groups.group.home of Brest"]
    assert boxes(stranger.get("/groups/brest")) == ["groups.group.header of Brest"]
    page = stranger.get("/members/admin1")
    assert boxes(page) == ["profiles.profile.header of Alix", "profiles.profile.sidebar of Alix"]
    assert page.html.select_one("#profile-sidebar p.box") is not None


def test_regions_are_listed_for_admins(make_member, login):
    page = login(make_member("boss", role="admin")).get("/admin/plugins")
    for name in ("groups.group.header", "groups.group.home", "profiles.profile.header",
                 "profiles.profile.sidebar"):
        assert name in page.text
