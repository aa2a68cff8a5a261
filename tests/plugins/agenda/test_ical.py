"""iCalendar: one event, the site's feed by type, the private feed; each parsed back."""

import datetime as dt

import icalendar
from sqlalchemy import select

from core.db import utcnow
from plugins.agenda.models import GOING, MEMBERS, PUBLIC, FeedKey, Rsvp


def parse(response):
    assert response.content_type == "text/calendar"
    return icalendar.Calendar.from_ical(response.body)


def events_of(response):
    return {str(item["summary"]): item for item in parse(response).walk("VEVENT")}


def test_one_event_with_its_time_zone(testapp, make_event):
    start = dt.datetime(2031, 7, 14, 8, 0, tzinfo=dt.UTC)  # 10:00 in Paris
    event = make_event(title="Fête", visibility=PUBLIC, starts_at=start, venue="Mairie",
                       address="1 place de l'Hôtel-de-Ville", postcode="69001",
                       description="Bring *friends*")
    calendar = parse(testapp.get(f"/agenda/{event.id}.ics"))
    (item,) = calendar.walk("VEVENT")
    assert item["summary"] == "Fête"
    begins = item.decoded("dtstart")
    assert begins == start and str(begins.tzinfo) == "Europe/Paris" and begins.hour == 10
    assert "1 place de l'Hôtel-de-Ville" in str(item["location"])
    assert f"/agenda/{event.id}" in str(item["url"])
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]


def test_site_feed_by_type_without_past_beyond_reach(testapp, make_event):
    make_event(title="Leaflets", type="leafleting", visibility=PUBLIC)
    make_event(title="Meeting", visibility=PUBLIC)
    make_event(title="Last week", visibility=PUBLIC, starts_at=utcnow() - dt.timedelta(days=7))
    make_event(title="Long ago", visibility=PUBLIC, starts_at=utcnow() - dt.timedelta(days=40))
    make_event(title="Too far", visibility=PUBLIC, starts_at=utcnow() + dt.timedelta(days=400))
    assert sorted(events_of(testapp.get("/agenda.ics"))) == ["Last week", "Leaflets", "Meeting"]
    assert sorted(events_of(testapp.get("/agenda.ics?type=leafleting"))) == ["Leaflets"]


def test_address_kept_for_attendees_in_pages_and_feeds(testapp, login, make_user, make_event,
                                                       dbsession):
    event = make_event(title="Door-to-door", visibility=PUBLIC, venue="Café du coin",
                       address="12 rue Secrète", city="Lille", address_for_attendees=True,
                       online_url="https://meet.example.org/secret-room")
    page = testapp.get(f"/agenda/{event.id}")
    assert "12 rue Secrète" not in page.text and "secret-room" not in page.text
    assert str(events_of(testapp.get("/agenda.ics"))["Door-to-door"]["location"]) == "Lille"
    assert "12 rue Secrète" not in testapp.get(f"/agenda/{event.id}.ics").text
    assert "secret-room" not in testapp.get("/agenda.ics").text
    member = make_user()
    browser = login(member)
    assert "12 rue Secrète" not in browser.get(f"/agenda/{event.id}").text
    dbsession.add(Rsvp(event_id=event.id, user_id=member.id, status=GOING))
    dbsession.flush()
    page = browser.get(f"/agenda/{event.id}")
    assert "12 rue Secrète" in page.html.select_one("#where").text
    assert page.html.select_one("#online a")["href"] == "https://meet.example.org/secret-room"
    assert "12 rue Secrète" in str(
        events_of(browser.get(f"/agenda/{event.id}.ics"))["Door-to-door"]["location"])


def test_private_feed_shows_what_its_owner_goes_to_and_can_be_reset(testapp, login, make_user,
                                                                   make_event, dbsession):
    member = make_user()
    going = make_event(title="I go", visibility=MEMBERS)
    make_event(title="I do not go", visibility=MEMBERS)
    make_event(member, title="I organise", visibility=MEMBERS)
    dbsession.add(Rsvp(event_id=going.id, user_id=member.id, status=GOING))
    dbsession.flush()
    browser = login(member)
    page = browser.get("/agenda/feed")
    url = page.html.select_one("#feed-url")["value"]
    assert url == browser.get("/agenda/feed").html.select_one("#feed-url")["value"]  # stable
    # A calendar application asks without a session.
    assert sorted(events_of(testapp.get(url))) == ["I go", "I organise"]
    page.forms["feed-reset"].submit(status=303)
    testapp.get(url, status=404)
    new_url = browser.get("/agenda/feed").html.select_one("#feed-url")["value"]
    assert new_url != url and sorted(events_of(testapp.get(new_url))) == ["I go", "I organise"]
    # Forged and malformed tokens are 404s.
    user_id = member.id
    testapp.get(f"/agenda/feed/{user_id}-{'0' * 40}.ics", status=404)
    testapp.get("/agenda/feed/nonsense.ics", status=404)
    assert dbsession.scalar(select(FeedKey.user_id).where(FeedKey.user_id == user_id))


def test_private_feed_stops_with_a_suspended_member(testapp, login, make_user, make_event,
                                                   dbsession):
    member = make_user()
    url = login(member).get("/agenda/feed").html.select_one("#feed-url")["value"]
    testapp.get(url)
    member.status = "suspended"
    dbsession.flush()
    testapp.get(url, status=404)


def test_line_breaks_and_controls_in_stored_text_never_break_a_calendar(testapp, make_event):
    """A title stored with CR/LF (by an older version, an import, a direct write) still gives
    a calendar that parses, with the title on one line."""
    event = make_event(title="Rally\r\nEND:VEVENT\rX", visibility=PUBLIC, city="Lyon\nNord",
                       description="Line one\r\nline two\rline three\x0b\x1b")
    for url in (f"/agenda/{event.id}.ics", "/agenda.ics"):
        item = events_of(testapp.get(url))["Rally END:VEVENT X"]
        assert str(item["location"]) == "Lyon Nord"
        assert str(item["description"]).startswith("Line one\nline two\nline three\n")


def test_odd_dates_in_feed_filters_are_ignored(testapp, make_event):
    make_event(title="Meeting", visibility=PUBLIC)
    for query in ("from=0001-01-01", "to=9999-12-31", "from=9999-12-31&to=0001-01-01",
                  "from=2024-02-30", "to=%2B10000-01-01"):
        assert sorted(events_of(testapp.get(f"/agenda.ics?{query}"))) == ["Meeting"], query
