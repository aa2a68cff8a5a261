"""Events of groups: visibility following the group's status, the Agenda tab, publishing for a
group, group events in "my agenda" and the private feed; and nothing leaks without groups."""

import icalendar
import pytest
from sqlalchemy import select

from plugins.agenda.models import GROUP, MEMBERS, PUBLIC, Event


def titles(page):
    return sorted(a.text for a in page.html.select(".agenda__title a"))


def feed_titles(response):
    calendar = icalendar.Calendar.from_ical(response.body)
    return sorted(str(item["summary"]) for item in calendar.walk("VEVENT"))


class TestWithGroups:
    @pytest.fixture
    def cortege_plugins(self):
        return ["profiles", "groups", "agenda"]

    @pytest.fixture
    def world(self, make_user, make_group, make_event):
        insider, outsider = make_user("insider"), make_user("outsider")
        groups = {status: make_group(f"Group {status}", status=status, slug=status,
                                     members=[insider]) for status in
                  ("public", "private", "hidden")}
        events = {}
        for status, group in groups.items():
            for level in (PUBLIC, MEMBERS, GROUP):
                title = f"{status} {level}"
                events[title] = make_event(title=title, visibility=level, group_id=group.id)
        return {"insider": insider, "outsider": outsider, "groups": groups, "events": events}

    def test_who_sees_which_group_event_on_pages_and_feeds(self, world, testapp, login):
        stranger_sees = ["private public", "public group", "public public"]
        outsider_sees = ["private members", "private public", "public group",
                         "public members", "public public"]
        insider_sees = sorted(world["events"])
        for browser, expected in ((testapp, stranger_sees),
                                  (login(world["outsider"]), outsider_sees),
                                  (login(world["insider"]), insider_sees)):
            assert titles(browser.get("/agenda")) == expected
            assert feed_titles(browser.get("/agenda.ics")) == expected
            for title, event in world["events"].items():
                status = 200 if title in expected else 404
                browser.get(f"/agenda/{event.id}", status=status)
                browser.get(f"/agenda/{event.id}.ics", status=status)

    def test_agenda_tab_and_group_feed_follow_the_group(self, world, testapp, login):
        page = testapp.get("/groups/public/agenda")
        assert titles(page) == ["public group", "public public"]
        testapp.get("/groups/hidden/agenda", status=404)
        testapp.get("/agenda.ics?group=hidden", status=404)
        testapp.get("/agenda?group=hidden", status=404)
        assert feed_titles(testapp.get("/agenda.ics?group=private")) == ["private public"]
        insider = login(world["insider"])
        page = insider.get("/groups/hidden/agenda")
        assert titles(page) == ["hidden group", "hidden members", "hidden public"]
        assert page.html.select_one('a[href*="/agenda/new?group=hidden"]') is not None
        assert feed_titles(insider.get("/agenda.ics?group=private")) == [
            "private group", "private members", "private public"]

    def test_members_publish_for_their_group_only(self, world, login, dbsession):
        insider = login(world["insider"])
        form = insider.get("/agenda/new?group=private").forms["event-form"]
        assert form["visibility"].value == GROUP
        for name, value in {"title": "Section assembly", "start_date": "2031-05-01",
                            "start_time": "18:00", "timezone": "Europe/Paris",
                            "city": "Lille"}.items():
            form[name] = value
        form.submit(status=303)
        event = dbsession.scalar(select(Event).where(Event.title == "Section assembly"))
        assert event.group_id == world["groups"]["private"].id and event.visibility == GROUP
        outsider = login(world["outsider"])
        outsider.get("/agenda/new?group=private", status=403)
        outsider.get("/agenda/new?group=hidden", status=404)
        outsider.get(f"/agenda/{event.id}", status=404)

    def test_my_agenda_and_private_feed_hold_my_groups_events(self, world, testapp, login):
        insider = login(world["insider"])
        assert len(titles(insider.get("/agenda/mine"))) == 9
        url = insider.get("/agenda/feed").html.select_one("#feed-url")["value"]
        assert feed_titles(testapp.get(url)) == sorted(world["events"])
        outsider = login(world["outsider"])
        url = outsider.get("/agenda/feed").html.select_one("#feed-url")["value"]
        assert feed_titles(testapp.get(url)) == []

    def test_answering_an_event_one_may_not_see_is_a_404(self, world, login):
        outsider = login(world["outsider"])
        csrf = outsider.get("/agenda").html.select_one('input[name="csrf_token"]')["value"]
        hidden = world["events"]["hidden public"]
        outsider.post(f"/agenda/{hidden.id}/rsvp", {"csrf_token": csrf, "status": "going"},
                      status=404)


def test_without_groups_group_events_stay_out_of_sight(testapp, login, make_user, make_event):
    organiser = make_user()
    event = make_event(organiser, title="Of a group", visibility=PUBLIC, group_id=999)
    testapp.get(f"/agenda/{event.id}", status=404)
    assert titles(login(make_user()).get("/agenda")) == []
    assert titles(login(organiser).get("/agenda")) == ["Of a group"]


class TestQueriesWithGroups:
    @pytest.fixture
    def cortege_plugins(self):
        return ["profiles", "groups", "agenda"]

    def test_pages_and_feeds_stay_within_a_fixed_number_of_queries(
            self, make_user, make_group, make_event, login, testapp, max_queries, dbsession):
        from plugins.agenda.models import Rsvp

        member = make_user()
        group = make_group("Lille", status="private", slug="lille", members=[member])
        events = [make_event(title=f"Event {n}", visibility=GROUP if n % 2 else PUBLIC,
                             group_id=group.id if n % 2 else None, address="1 rue X",
                             address_for_attendees=bool(n % 3)) for n in range(30)]
        for event in events[:10]:
            dbsession.add(Rsvp(event_id=event.id, user_id=member.id, status="going"))
        dbsession.flush()
        browser = login(member)
        url = browser.get("/agenda/feed").html.select_one("#feed-url")["value"]
        for path, limit in (("/agenda", 6), (f"/agenda/{events[1].id}", 8),
                            ("/agenda.ics", 5), (f"/agenda/{events[1].id}.ics", 5),
                            ("/groups/lille/agenda", 7), ("/agenda/mine", 6)):
            with max_queries(limit):
                browser.get(path)
        with max_queries(6):
            assert len(feed_titles(testapp.get(url))) == 15 + 5
