"""/tools with two tools declared: who sees which, their order, icons and group links."""

import pytest


@pytest.fixture
def app(app_with_tools):
    return app_with_tools


def tool_ids(page):
    return [li["id"] for li in page.html.select(".tools-list__tool")]


def test_a_stranger_sees_only_the_tools_open_to_everyone(testapp):
    page = testapp.get("/tools")
    assert tool_ids(page) == ["tool-banners"]
    assert page.html.select_one("#tool-banners a")["href"] == "http://localhost/tools/banners"
    assert "Paint banners together." in page.text
    assert "Leaflets" not in page.text


def test_a_member_without_the_permission_does_not_see_the_tool(login, make_user):
    page = login(make_user()).get("/tools")
    assert tool_ids(page) == ["tool-banners"]


def test_tools_follow_their_order_for_whoever_may_use_them(login, make_user):
    page = login(make_user(role="moderator")).get("/tools")
    assert tool_ids(page) == ["tool-leaflets", "tool-banners"]
    icons = [img["src"] for img in page.html.select(".tools-list__icon")]
    assert icons[0].startswith("http://localhost/static/tools/icons/tool.svg")
    assert icons[1].startswith("http://localhost/static/tools/icons/megaphone.svg")


def test_an_icon_is_served(testapp):
    src = testapp.get("/tools").html.select_one(".tools-list__icon")["src"]
    response = testapp.get(src)
    assert response.content_type == "image/svg+xml"
    assert b"<svg" in response.body


def test_the_group_url_of_a_tool(testapp):
    from pyramid.testing import DummyRequest

    from core.extensions import registered_map
    from plugins.tools.hub import CATEGORY, MilitantTool

    registry = testapp.app.registry
    tools = registered_map(registry, CATEGORY)
    assert tools["banners"].group_instances and not tools["leaflets"].group_instances

    class Group:
        slug = "lyon"

    request = DummyRequest()
    request.registry = registry
    assert (tools["banners"].group_url(request, Group())
            == "http://example.com/tools/banners/group/lyon")
    plain = MilitantTool("leaflets", "L", "D", "tool", "leaflets")
    assert plain.group_url(request, Group()) == "http://example.com/tools/leaflets?group=lyon"
