"""Who sees which event, from the outside: a stranger, a member, an admin, on every surface."""

import icalendar

from plugins.agenda.models import MEMBERS, PUBLIC


def feed_titles(response):
    calendar = icalendar.Calendar.from_ical(response.body)
    return sorted(str(item["summary"]) for item in calendar.walk("VEVENT"))


def test_public_and_members_events_as_stranger_and_member(testapp, login, make_user,
                                                        make_event):
    public = make_event(title="Open march", visibility=PUBLIC)
    members = make_event(title="Strategy meeting", visibility=MEMBERS)
    # A stranger sees the public event on every surface, the members' one on none.
    assert [a.text for a in testapp.get("/agenda").html.select(".agenda__title a")] == [
        "Open march"]
    testapp.get(f"/agenda/{public.id}")
    testapp.get(f"/agenda/{members.id}", status=404)
    testapp.get(f"/agenda/{members.id}.ics", status=404)
    assert feed_titles(testapp.get("/agenda.ics")) == ["Open march"]
    assert "Strategy meeting" not in testapp.get("/agenda.ics").text
    # A member sees both.
    browser = login(make_user())
    assert len(browser.get("/agenda").html.select(".agenda__title a")) == 2
    browser.get(f"/agenda/{members.id}")
    assert feed_titles(browser.get("/agenda.ics")) == ["Open march", "Strategy meeting"]


def test_members_only_site_hides_the_agenda_from_strangers(testapp, make_event, dbsession):
    from core.sitesettings import load_site_settings, save_site_settings

    event = make_event(title="Open march", visibility=PUBLIC)
    settings = load_site_settings(dbsession, "Cortège")
    settings.visibility = "members"
    save_site_settings(dbsession, settings)
    assert "/login" in testapp.get("/agenda").location
    assert "/login" in testapp.get(f"/agenda/{event.id}").location
    assert "/login" in testapp.get("/agenda.ics").location


def test_stranger_cannot_reach_organiser_pages(testapp, make_event):
    event = make_event(visibility=PUBLIC)
    for path in ("edit", "cancel", "attendees.csv"):
        assert "/login" in testapp.get(f"/agenda/{event.id}/{path}").location
