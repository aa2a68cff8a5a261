"""Search shows nobody a result, a count or a snippet of what they may not see: the content
contract's condition of each kind runs in the query itself, so the index never decides."""

from __future__ import annotations

import pytest

from plugins.groups.interfaces import IGroupService
from tests.plugins.search.conftest import counts, found
from tests.plugins.viewers import browser_of, viewers_of

QUERY = "zanzibar"
SECRET = "quokka"  # only in the content's body: a snippet that leaks shows it


@pytest.fixture
def cell(make_group, make_user, group_forum, make_topic, make_post, indexed, dbsession,
         add_member):
    """A private group whose forum has a topic and a reply that only its members may see."""

    def build(status="private"):
        admin = make_user()
        group = make_group("Cellule des quais", status=status, admin=admin)
        forum = group_forum(group)
        topic = make_topic(forum, admin, "Zanzibar plans", f"Meet at the {SECRET} dock.")
        reply = make_post(topic, admin, f"Zanzibar: bring the {SECRET} flag.")
        people = viewers_of(group, make_user, add_member, dbsession)
        people["admin_of_group"] = admin
        indexed(topic, reply, group)
        return group, people

    return build


def _groups(request, *rows):
    """The group service of a request, and ``rows`` as its session holds them."""
    return (request.find_service(IGroupService),
            *(request.dbsession.get(type(row), row.id) for row in rows))


def _page(person, login, make_testapp, **params):
    return browser_of(person, login, make_testapp).get("/search", params={"q": QUERY, **params})


@pytest.mark.parametrize("status", ["private", "hidden"])
def test_a_groups_content_is_found_by_its_members_only(cell, login, make_testapp, status):
    _group, people = cell(status)
    for name in ("member", "admin_of_group", "admin"):
        page = _page(people[name], login, make_testapp)
        assert counts(page) == {"all": "2", "forums.topic": "1", "forums.post": "1"}, name
        assert SECRET in page.text
    for name in ("stranger", "outsider", "suspended", "banned"):
        for params in ({}, {"kind": "forums.topic"}, {"kind": "forums.post"}):
            page = _page(people[name], login, make_testapp, **params)
            assert found(page) == [] and counts(page) == {}, (name, params)
            assert SECRET not in page.text


def test_a_hidden_group_is_not_found_by_name_by_outsiders(cell, login, make_testapp):
    _group, people = cell("hidden")
    for name, expected in (("member", ["Cellule des quais"]), ("outsider", []),
                           ("stranger", [])):
        page = browser_of(people[name], login, make_testapp).get(
            "/search", params={"q": "cellule quais"})
        assert found(page) == expected, name


def test_a_removed_member_no_longer_finds_the_groups_content(cell, login, make_testapp,
                                                             search_request):
    group, people = cell("private")
    browser = login(people["member"])
    assert counts(browser.get("/search", params={"q": QUERY}))["all"] == "2"
    groups, group, member, admin = _groups(search_request, group, people["member"],
                                           people["admin_of_group"])
    groups.remove(group, member, actor=admin)
    search_request.dbsession.flush()
    page = browser.get("/search", params={"q": QUERY})
    assert found(page) == [] and counts(page) == {} and SECRET not in page.text


def test_a_group_turning_hidden_hides_itself_and_its_content_at_once(cell, login,
                                                                     make_testapp,
                                                                     search_request):
    group, people = cell("public")
    outsider = login(people["outsider"])
    assert counts(outsider.get("/search", params={"q": QUERY}))["all"] == "2"
    assert found(outsider.get("/search", params={"q": "cellule"})) == ["Cellule des quais"]
    groups, group, admin = _groups(search_request, group, people["admin_of_group"])
    groups.update(group, {"name": group.name, "description": group.description,
                          "status": "hidden"}, actor=admin)
    search_request.dbsession.flush()
    assert found(outsider.get("/search", params={"q": "cellule"})) == []
    page = outsider.get("/search", params={"q": QUERY})
    assert found(page) == [] and counts(page) == {} and SECRET not in page.text
    assert counts(login(people["member"]).get("/search", params={"q": QUERY}))["all"] == "2"


def test_a_members_only_site_shows_strangers_nothing(cell, make_testapp, make_user, indexed,
                                                     dbsession):
    cell("public")
    indexed(make_user(display_name="Zanzibar Jones"))
    assert counts(make_testapp().get("/search", params={"q": QUERY}))["all"] == "3"
    _set_visibility(dbsession, "members")
    assert make_testapp().get("/search", params={"q": QUERY}).status_int == 303


def _set_visibility(dbsession, value):
    import json

    from core.sitesettings import SiteSetting

    row = dbsession.get(SiteSetting, "visibility")
    if row is None:
        dbsession.add(SiteSetting(key="visibility", value=json.dumps(value)))
    else:
        row.value = json.dumps(value)
    dbsession.flush()
