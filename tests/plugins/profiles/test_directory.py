"""The member directory: keyset pages in each order, search, filters, a bounded number of
queries whatever the number of members."""

import datetime as dt

import pytest
from sqlalchemy import insert

from core.accounts.models import User
from plugins.profiles.fieldtypes import fold
from plugins.profiles.models import PUBLIC, Profile, Value

MEMBERS_COUNT = 130
START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
NAMES = ["Élise", "camille", "Zoé", "Anaïs", "bruno", "Yanis", "Hugo", "Inès"]


@pytest.fixture
def crowd(dbsession, make_field):
    """Many members inserted in bulk, with a city each and a shown-on-card field."""
    city = make_field("City", "city", default_visibility=PUBLIC, in_directory=True)
    motto = make_field("Motto", "text", default_visibility=PUBLIC, in_directory=True)
    users = [{
        "username": f"crowd{n}", "username_key": f"crowd{n}", "email": f"crowd{n}@example.org",
        "email_key": f"crowd{n}@example.org", "display_name": f"{NAMES[n % 8]} {n:03d}",
        "password_hash": None, "role": "member", "status": "active",
        "created_at": START + dt.timedelta(hours=n % 50),  # many ties: the id breaks them
    } for n in range(MEMBERS_COUNT)]
    dbsession.execute(insert(User.__table__), users)
    ids = dict(dbsession.query(User.username, User.id).filter(User.username.like("crowd%")))
    dbsession.execute(insert(Profile.__table__), [{
        "user_id": ids[u["username"]], "sort_name": fold(u["display_name"]),
        "last_active_at": START + dt.timedelta(minutes=n % 7), "updated_at": START,
    } for n, u in enumerate(users)])
    values = []
    for n, u in enumerate(users):
        town = "Lyon" if n % 3 == 0 else "Saint-Étienne"
        values.append({"user_id": ids[u["username"]], "field_id": city.id, "value": town,
                       "search": fold(town), "visibility": PUBLIC})
        values.append({"user_id": ids[u["username"]], "field_id": motto.id,
                       "value": f"motto {n}", "search": f"motto {n}", "visibility": PUBLIC})
    dbsession.execute(insert(Value.__table__), values)
    dbsession.flush()
    return {"city": city, "ids": ids}


def walk(browser, url, params):
    """Follow the "next page" links; the names of every page, in order."""
    names, pages = [], 0
    page = browser.get(url, params)
    while True:
        pages += 1
        names.extend(a.text for a in page.html.select(".directory__name"))
        link = page.html.select_one("a.pager__next")
        if link is None:
            return names, pages
        page = browser.get(link["href"])


@pytest.mark.parametrize("sort", ["name", "newest", "active"])
def test_every_member_once_in_order(crowd, make_member, login, sort):
    browser = login(make_member("viewer", display_name="Viewer"))
    names, pages = walk(browser, "/members", {"sort": sort})
    assert len(names) == len(set(names)) == MEMBERS_COUNT + 1
    assert pages == 6  # 24 a page
    if sort == "name":
        assert [fold(name) for name in names] == sorted(fold(name) for name in names)


def test_search_and_filter_walk_the_pages(crowd, testapp):
    names, _pages = walk(testapp, "/members", {"q": "etienne"})  # accents do not matter
    assert len(names) == len([n for n in range(MEMBERS_COUNT) if n % 3])
    page = testapp.get("/members", {f"f{crowd['city'].id}": "lyon", "q": "élise"})
    expected = len([n for n in range(MEMBERS_COUNT) if n % 24 == 0])  # Élise and Lyon
    assert page.html.select_one(".directory__count").text == f"{expected} members found"
    assert all(name.startswith("Élise") for name in
               (a.text for a in page.html.select(".directory__name")))
    page = testapp.get("/members", {"q": "crowd10"})  # usernames too
    assert {a.text for a in page.html.select(".directory__name")} >= {"Zoé 010", "Zoé 106"}


def test_cards_show_the_card_fields(crowd, testapp):
    page = testapp.get("/members", {"q": "motto 42"})
    (card,) = page.html.select(".directory__card")
    assert "Lyon" in card.text and "motto 42" in card.text


@pytest.mark.parametrize("who", ["stranger", "member"])
def test_pages_stay_within_a_fixed_number_of_queries(crowd, testapp, make_member, login,
                                                      max_queries, who):
    browser = testapp if who == "stranger" else login(make_member("viewer"))
    browser.get("/members")  # the first visit records the member's activity
    second = browser.get("/members").html.select_one("a.pager__next")["href"]
    with max_queries(6):
        browser.get("/members", {"q": "lyon", f"f{crowd['city'].id}": "Lyon", "sort": "newest"})
    with max_queries(5):
        browser.get(second)
    with max_queries(5):
        browser.get("/members/crowd77")


def test_counts_stop_at_a_limit(crowd, testapp, monkeypatch):
    from plugins.profiles import services, views

    monkeypatch.setattr(services, "COUNT_LIMIT", 5)
    monkeypatch.setattr(views, "COUNT_LIMIT", 5)
    page = testapp.get("/members", {"q": "lyon"})
    assert page.html.select_one(".directory__count").text == "More than 5 members found"
