"""With groups on, every group has a Tools tab listing the tools groups can run."""

import pytest


@pytest.fixture
def cortege_plugins():
    return ["profiles", "groups", "tools"]


@pytest.fixture
def app(app_with_tools):
    return app_with_tools


def test_the_tab_lists_group_tools_with_the_groups_own_links(make_group, make_member, login):
    member = make_member("camille")
    group = make_group("Section de Lyon", slug="lyon", status="private", members=[member])
    page = login(member).get("/groups/lyon/tools")
    tools = page.html.select(".tools-list__tool")
    assert [tool["id"] for tool in tools] == ["tool-banners"]  # leaflets has no group instances
    assert tools[0].a["href"] == "http://localhost/tools/banners/group/lyon"
    assert group.slug == "lyon"


def test_outsiders_get_no_tab_of_a_private_group(make_group, make_member, login, testapp):
    make_group("Section de Lyon", slug="lyon", status="private")
    testapp.get("/groups/lyon/tools", status=404)
    login(make_member("outsider")).get("/groups/lyon/tools", status=404)
