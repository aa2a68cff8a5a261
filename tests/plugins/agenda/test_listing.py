"""The agenda: upcoming events in order, filters, pages by key, a bounded number of queries."""

import datetime as dt

from core.db import utcnow
from plugins.agenda.models import PUBLIC


def titles(page):
    return [a.text for a in page.html.select(".agenda__title a")]


def test_upcoming_events_in_start_order_without_past_ones(testapp, make_event):
    now = utcnow()
    make_event(title="Later", visibility=PUBLIC, starts_at=now + dt.timedelta(days=5))
    make_event(title="Sooner", visibility=PUBLIC, starts_at=now + dt.timedelta(days=1))
    make_event(title="Past", visibility=PUBLIC, starts_at=now - dt.timedelta(days=1))
    assert titles(testapp.get("/agenda")) == ["Sooner", "Later"]


def test_filters_by_type_city_postcode_and_dates(testapp, make_event):
    now = utcnow()
    make_event(title="Leaflets Lyon", type="leafleting", city="Lyon", postcode="69001",
               visibility=PUBLIC, starts_at=now + dt.timedelta(days=2))
    make_event(title="Meeting Saint-Étienne", city="Saint-Étienne", postcode="42000",
               visibility=PUBLIC, starts_at=now + dt.timedelta(days=3))
    make_event(title="Meeting Lyon far", city="Lyon", postcode="69007", visibility=PUBLIC,
               starts_at=now + dt.timedelta(days=40))
    assert titles(testapp.get("/agenda?type=leafleting")) == ["Leaflets Lyon"]
    assert titles(testapp.get("/agenda?city=saint-etienne")) == ["Meeting Saint-Étienne"]
    assert titles(testapp.get("/agenda?postcode=690")) == ["Leaflets Lyon", "Meeting Lyon far"]
    until = (now + dt.timedelta(days=10)).date().isoformat()
    assert titles(testapp.get(f"/agenda?city=Lyon&to={until}")) == ["Leaflets Lyon"]
    since = (now + dt.timedelta(days=20)).date().isoformat()
    assert titles(testapp.get(f"/agenda?from={since}")) == ["Meeting Lyon far"]
    # Unknown or malformed filters are ignored rather than failing.
    assert len(titles(testapp.get("/agenda?type=nope&from=yesterday"))) == 3


def test_pages_by_key_keep_filters(testapp, make_event, app, max_queries):
    start = utcnow() + dt.timedelta(days=1)
    for number in range(25):
        make_event(title=f"Event {number:02d}", visibility=PUBLIC,
                   starts_at=start + dt.timedelta(hours=number // 2))
    with max_queries(6):
        first = testapp.get("/agenda?city=lyon")
    assert titles(first) == [f"Event {n:02d}" for n in range(20)]
    next_link = first.html.select_one("a.pager__next")["href"]
    assert "city=lyon" in next_link
    second = testapp.get(next_link)
    assert titles(second) == [f"Event {n:02d}" for n in range(20, 25)]
    assert second.html.select_one("a.pager__next") is None
    testapp.get("/agenda?after=garbage")  # a forged cursor is ignored


def test_member_list_stays_within_a_fixed_number_of_queries(login, make_user, make_event,
                                                           max_queries):
    member = make_user()
    for number in range(15):
        make_event(title=f"Event {number}")
    browser = login(member)
    with max_queries(10):
        page = browser.get("/agenda")
    assert len(titles(page)) == 15
