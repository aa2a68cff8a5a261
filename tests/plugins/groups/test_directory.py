"""The directory: search, type filter, sorts, pages by key, and a bounded number of queries."""

from __future__ import annotations

import datetime as dt

import pytest

from core.db import utcnow


@pytest.fixture
def several(make_member, make_group, group_type):
    admin = make_member("admin1")
    now = utcnow()
    specs = [
        ("Écologie urbaine", "thematic-group", 3, 5, 1, "75011", "Paris"),
        ("Section de Lille", "local-section", 1, 30, 4, "59000", "Lille"),
        ("Veille logement", "watch-group", 2, 1, 9, "", ""),
        ("Atelier blog", "bloggers-group", 7, 2, 2, "", ""),
        ("Section de Brest", "local-section", 4, 10, 3, "29200", "Brest"),
    ]
    groups = {}
    for name, key, members, created_days, active_days, postcode, city in specs:
        groups[name] = make_group(
            name, admin=admin, type_id=group_type(key).id, postcode=postcode, city=city,
            created_at=now - dt.timedelta(days=created_days),
            last_active_at=now - dt.timedelta(days=active_days))
        groups[name].member_count = members
    return groups


def _names(page):
    return [a.text for a in page.html.select("#groups .groups__name")]


def test_sorts(testapp, several, dbsession):
    dbsession.flush()
    assert _names(testapp.get("/groups", {"sort": "name"})) == [
        "Atelier blog", "Écologie urbaine", "Section de Brest", "Section de Lille",
        "Veille logement"]
    assert _names(testapp.get("/groups", {"sort": "newest"}))[:2] == [
        "Veille logement", "Atelier blog"]
    assert _names(testapp.get("/groups", {"sort": "members"}))[0] == "Atelier blog"
    assert _names(testapp.get("/groups"))[0] == "Écologie urbaine"  # recently active first
    assert _names(testapp.get("/groups", {"sort": "nonsense"}))[0] == "Écologie urbaine"


def test_search_by_name_city_and_postcode_ignores_case_and_accents(testapp, several):
    assert _names(testapp.get("/groups", {"q": "ECOLOGIE"})) == ["Écologie urbaine"]
    assert _names(testapp.get("/groups", {"q": "brest"})) == ["Section de Brest"]
    assert _names(testapp.get("/groups", {"q": "59000"})) == ["Section de Lille"]
    page = testapp.get("/groups", {"q": "section"})
    assert page.html.select_one(".groups__count").text == "2 groups found"
    assert _names(testapp.get("/groups", {"q": "100%_"})) == []


def test_type_filter(testapp, several):
    page = testapp.get("/groups", {"type": "local-section", "sort": "name"})
    assert _names(page) == ["Section de Brest", "Section de Lille"]
    assert page.html.select_one(".groups__count").text == "2 groups found"
    options = [o.text for o in page.html.select("#type option")]
    assert options == ["Any type", "Local section", "Watch group", "Thematic group",
                       "Bloggers' group"]
    assert len(_names(testapp.get("/groups", {"type": "no-such-type"}))) == 5


def test_keyset_pages_walk_every_group_once(testapp, app, make_member, make_group):
    admin = make_member("admin1")
    for number in range(45):
        make_group(f"Groupe {number:02d}", admin=admin)
    size = app.registry.settings["groups.directory_page_size"]
    for sort in ("name", "newest", "active", "members"):
        seen, url, pages = [], "/groups", 0
        while url:
            page = testapp.get(url, {"sort": sort} if url == "/groups" else None)
            names = _names(page)
            assert len(names) <= size
            seen += names
            link = page.html.select_one('a[rel="next"]')
            url = link["href"] if link else None
            pages += 1
        assert sorted(seen) == [f"Groupe {n:02d}" for n in range(45)], sort
        assert pages == -(-45 // size)
    testapp.get("/groups", {"after": "not-a-cursor"})  # a broken cursor starts over
    testapp.get("/groups", {"after": "W1tdLDFd", "sort": "members"})


@pytest.mark.parametrize("groups_count", [3, 30])
def test_directory_queries_do_not_grow_with_groups(testapp, login, make_member, make_group,
                                                   max_queries, groups_count, group_type):
    admin = make_member("admin1")
    member = make_member("camille")
    for number in range(groups_count):
        make_group(f"Groupe {number}", admin=admin, members=[member],
                   type_id=group_type().id, status=("public", "private", "hidden")[number % 3])
    browser = login(member)
    # The member's session, principals, site settings, types, the page, the viewer's
    # memberships on it, the count; and the profile's "last active" write.
    with max_queries(8):
        browser.get("/groups", {"q": "groupe", "type": "local-section"})
    with max_queries(5):
        testapp.get("/groups")
    with max_queries(8):
        browser.get("/groups/mine")
    with max_queries(8):
        browser.get("/members/admin1/groups")
