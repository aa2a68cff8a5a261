"""With groups on, every group has a Tools tab listing the tools groups can run."""

import pytest


@pytest.fixture
def cortege_plugins():
    return ["profiles", "groups", "tools"]


@pytest.fixture
def app(app_with_tools):
    return app_with_tools


def test_the_tab_lists_group_tools_with_the_groups_own_links(make_group, add_member, make_user,
                                                             login):
    member = make_user("camille")
    group = make_group("Section de Lyon", slug="lyon", status="private")
    add_member(group, member)
    page = login(member).get("/groups/lyon/tools")
    tools = page.html.select(".tools-list__tool")
    assert [tool["id"] for tool in tools] == ["tool-banners"]  # leaflets has no group instances
    assert tools[0].a["href"] == "http://localhost/tools/banners/group/lyon"
    assert group.slug == "lyon"


def test_outsiders_get_no_tab_of_a_private_group(make_group, make_user, login, testapp):
    make_group("Section de Lyon", slug="lyon", status="private")
    testapp.get("/groups/lyon/tools", status=404)
    login(make_user("outsider")).get("/groups/lyon/tools", status=404)
