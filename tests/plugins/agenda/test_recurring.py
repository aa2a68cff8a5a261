"""Recurring events: weekly, fortnightly, monthly; local hours kept across daylight saving;
one occurrence or the rest of the series edited or cancelled."""

import datetime as dt
import zoneinfo

from sqlalchemy import select

from plugins.agenda.models import CANCELLED, GOING, SCHEDULED, Event, Rsvp
from plugins.agenda.services import occurrences, recurrence_rule

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def publish(browser, **values):
    form = browser.get("/agenda/new").forms["event-form"]
    fields = {"title": "Welcome evening", "start_time": "19:00", "end_time": "21:00",
              "timezone": "Europe/Paris", "city": "Rennes", **values}
    for name, value in fields.items():
        form[name] = value
    return form.submit(status=303)


def series(dbsession, title="Welcome evening"):
    dbsession.expire_all()
    return list(dbsession.scalars(select(Event).where(Event.title.startswith(title))
                                  .order_by(Event.starts_at)))


def test_weekly_series_keeps_its_local_hour_across_the_clock_change(login, make_user,
                                                                    dbsession):
    # Late March: Paris moves from UTC+1 to UTC+2 in the middle of the series.
    year = dt.date.today().year + 1
    first = dt.date(year, 3, 15)
    publish(login(make_user()), start_date=first.isoformat(), repeat="weekly",
            repeat_count="4")
    events = series(dbsession)
    assert len(events) == 4
    assert len({event.series_id for event in events}) == 1
    local = [event.starts_at.astimezone(PARIS) for event in events]
    assert [moment.hour for moment in local] == [19, 19, 19, 19]
    assert [moment.date() for moment in local] == [first + dt.timedelta(weeks=n)
                                                  for n in range(4)]
    assert {event.starts_at.utcoffset() for event in events} == {dt.timedelta(0)}
    assert sorted({event.starts_at.hour for event in events}) == [17, 18]  # in UTC
    assert all(e.ends_at - e.starts_at == dt.timedelta(hours=2) for e in events)


def test_rules_for_each_kind_of_repetition():
    start = dt.datetime(2027, 1, 12, 18, 30)  # the second Tuesday of January
    biweekly = occurrences(recurrence_rule("biweekly", start, None, 3), start, 10)
    assert [d.date() for d in biweekly] == [dt.date(2027, 1, 12), dt.date(2027, 1, 26),
                                            dt.date(2027, 2, 9)]
    by_date = occurrences(recurrence_rule("monthly_date", start, dt.date(2027, 4, 30), None),
                          start, 10)
    assert [d.date() for d in by_date] == [dt.date(2027, m, 12) for m in (1, 2, 3, 4)]
    by_weekday = occurrences(recurrence_rule("monthly_weekday", start, None, 3), start, 10)
    assert [d.date() for d in by_weekday] == [dt.date(2027, 1, 12), dt.date(2027, 2, 9),
                                              dt.date(2027, 3, 9)]
    last_friday = dt.datetime(2027, 1, 29, 18)
    rule = recurrence_rule("monthly_weekday", last_friday, None, 2)
    assert [d.date() for d in occurrences(rule, last_friday, 5)] == [
        dt.date(2027, 1, 29), dt.date(2027, 2, 26)]
    assert len(occurrences(recurrence_rule("weekly", start, None, 500), start, 104)) == 104


def test_a_series_needs_an_end_within_the_limit(login, make_user):
    browser = login(make_user())
    page = browser.get("/agenda/new").forms["event-form"]
    for name, value in {"title": "T", "start_date": "2030-01-01", "start_time": "10:00",
                        "timezone": "Europe/Paris", "city": "Lyon", "repeat": "weekly"}.items():
        page[name] = value
    errors = [p.text for p in page.submit(status=400).html.select(".field__error")]
    assert errors == ["Say until when, or how many times."]
    page["repeat_count"] = "500"
    errors = [p.text for p in page.submit(status=400).html.select(".field__error")]
    assert errors == ["At most 104 times."]


def test_edit_one_occurrence_or_the_following_ones(login, make_user, dbsession):
    organiser = make_user()
    browser = login(organiser)
    start = dt.date.today() + dt.timedelta(days=7)
    publish(browser, start_date=start.isoformat(), repeat="weekly", repeat_count="4")
    events = series(dbsession)
    # Only the second one moves to another room.
    form = browser.get(f"/agenda/{events[1].id}/edit").forms["event-form"]
    form["venue"] = "Room B"
    form["scope"] = "one"
    form.submit(status=303)
    assert [e.venue for e in series(dbsession)] == ["", "Room B", "", ""]
    # From the third on: a new title and an hour later.
    form = browser.get(f"/agenda/{events[2].id}/edit").forms["event-form"]
    form["title"] = "Welcome evening (new time)"
    form["start_time"] = "20:00"
    form["end_time"] = "22:00"
    form["scope"] = "series"
    form.submit(status=303)
    events = series(dbsession)
    assert [e.title for e in events] == ["Welcome evening"] * 2 + [
        "Welcome evening (new time)"] * 2
    assert [e.starts_at.astimezone(PARIS).hour for e in events] == [19, 19, 20, 20]
    assert [e.starts_at.astimezone(PARIS).date() for e in events] == [
        start + dt.timedelta(weeks=n) for n in range(4)]


def test_cancel_the_rest_of_a_series_and_tell_attendees(login, make_user, dbsession, outbox):
    organiser, member = make_user(), make_user("member")
    browser = login(organiser)
    start = dt.date.today() + dt.timedelta(days=3)
    publish(browser, start_date=start.isoformat(), repeat="weekly", repeat_count="3")
    events = series(dbsession)
    for event in events:
        dbsession.add(Rsvp(event_id=event.id, user_id=member.id, status=GOING))
        event.seats_taken = 1
    dbsession.flush()
    form = browser.get(f"/agenda/{events[1].id}/cancel").forms["cancel-form"]
    form["scope"] = "series"
    form.submit(status=303)
    assert [e.status for e in series(dbsession)] == [SCHEDULED, CANCELLED, CANCELLED]
    assert len(outbox) == 2 and all(m.recipients == ["member@example.org"] for m in outbox)
