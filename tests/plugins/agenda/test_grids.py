"""Month and week views: events on the day they happen in the reader's time zone."""

import datetime as dt

from plugins.agenda.models import MEMBERS, PUBLIC


def day_titles(page, day):
    cell = page.html.select_one(f"#day-{day}")
    return [a.text.split(" ", 1)[-1] if a.select_one(".muted") else a.text
            for a in cell.select("li a")]


def test_month_grid_places_events_by_the_readers_day(testapp, login, make_user, make_event,
                                                    max_queries):
    # 23:30 UTC on 14 March is already the 15th in Paris (the site's default zone).
    make_event(title="Late", visibility=PUBLIC,
               starts_at=dt.datetime(2031, 3, 14, 23, 30, tzinfo=dt.UTC))
    make_event(title="Members", visibility=MEMBERS,
               starts_at=dt.datetime(2031, 3, 20, 9, 0, tzinfo=dt.UTC))
    make_event(title="April", visibility=PUBLIC,
               starts_at=dt.datetime(2031, 4, 2, 9, 0, tzinfo=dt.UTC))
    with max_queries(5):
        page = testapp.get("/agenda/month?month=2031-03")
    assert page.html.select_one("h1").text == "March 2031"
    assert day_titles(page, "2031-03-15") == ["Late"]
    assert day_titles(page, "2031-03-14") == []
    assert day_titles(page, "2031-03-20") == []  # members only
    assert page.html.select_one("#day-2031-04-02") is None
    assert "month=2031-04" in page.html.select_one("#next")["href"]
    assert "month=2031-02" in page.html.select_one("#previous")["href"]
    # A member in New York sees the late event on the 14th, and the members' one.
    browser = login(make_user(timezone="America/New_York"))
    page = browser.get("/agenda/month?month=2031-03")
    assert day_titles(page, "2031-03-14") == ["Late"]
    assert day_titles(page, "2031-03-20") == ["Members"]
    # Bad months fall back to the current one.
    assert testapp.get("/agenda/month?month=2031-13").status_int == 200


def test_week_view_and_filters(testapp, make_event):
    make_event(title="Leaflets", type="leafleting", visibility=PUBLIC,
               starts_at=dt.datetime(2031, 3, 19, 9, 0, tzinfo=dt.UTC))
    make_event(title="Meeting", visibility=PUBLIC,
               starts_at=dt.datetime(2031, 3, 21, 17, 0, tzinfo=dt.UTC))
    page = testapp.get("/agenda/week?week=2031-03-20")
    assert len(page.html.select("#grid td")) == 7
    assert page.html.select_one("#day-2031-03-17") is not None  # weeks start on Monday
    assert day_titles(page, "2031-03-19") == ["Leaflets"]
    assert "week=2031-03-24" in page.html.select_one("#next")["href"]
    page = testapp.get("/agenda/week?week=2031-03-20&type=leafleting")
    assert day_titles(page, "2031-03-21") == []
    assert "type=leafleting" in page.html.select_one("#next")["href"]
