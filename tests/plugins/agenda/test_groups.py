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
    def world(self, make_user, make_group, add_member, make_event):
        insider, outsider = make_user("insider"), make_user("outsider")
        groups = {status: make_group(f"Group {status}", status=status, slug=status)
                  for status in ("public", "private", "hidden")}
        for group in groups.values():
            add_member(group, insider)
        events = {}
        for status, group in groups.items():
            for level in (PUBLIC, MEMBERS, GROUP):
                title = f"{status} {level}"
                events[title] = make_event(title=title, visibility=level, group_id=group.id)
        return {"insider": insider, "outsider": outsider, "groups": groups, "events": events}

    def test_who_sees_which_group_event_on_pages_and_feeds(self, world, testapp, login):
        # An event of a private or hidden group is its members' only, whatever its level.
        stranger_sees = ["public group", "public public"]
        outsider_sees = ["public group", "public members", "public public"]
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
        assert feed_titles(testapp.get("/agenda.ics?group=private")) == []
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
            self, make_user, make_group, add_member, make_event, login, testapp, max_queries,
            dbsession):
        from plugins.agenda.models import Rsvp

        member = make_user()
        group = make_group("Lille", status="private", slug="lille")
        add_member(group, member)
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


class TestAudience:
    """An event made in a group is for the group's audience by default, the form says who
    will see it, and a private or hidden group's event never reaches beyond its members."""

    @pytest.fixture
    def cortege_plugins(self):
        return ["profiles", "groups", "agenda"]

    @pytest.fixture
    def cell(self, make_user, make_group, add_member, login, testapp):
        people = {name: make_user(name) for name in ("chief", "modo", "ana", "outsider")}
        group = make_group("Cell", status="private", slug="cell", admin=people["chief"])
        add_member(group, people["modo"], role="moderator")
        add_member(group, people["ana"])
        browsers = {"stranger": testapp, "non-member": login(people["outsider"]),
                    "member": login(people["ana"]), "moderator": login(people["modo"])}
        return group, people, browsers

    def _publish(self, browser, group_slug, title, level=None):
        form = browser.get(f"/agenda/new?group={group_slug}").forms["event-form"]
        for name, value in {"title": title, "start_date": "2031-05-01", "start_time": "18:00",
                            "timezone": "Europe/Paris", "city": "Lille"}.items():
            form[name] = value
        if level is not None:
            form["visibility"] = level
        return form.submit()

    def test_the_form_says_who_will_see_a_private_groups_event(self, cell, dbsession):
        _group, _people, browsers = cell
        page = browsers["member"].get("/agenda/new?group=cell")
        options = page.html.select("select[name=visibility] option")
        assert [(o["value"], o.text) for o in options] == [
            ("group", "Only the members of Cell")]
        assert "its events are seen only by its members" in page.text
        # A level that would show the event beyond the group is refused.
        form = page.forms["event-form"]
        for name, value in {"title": "Wider", "start_date": "2031-05-01",
                            "start_time": "18:00", "city": "Lille"}.items():
            form[name] = value
        form["visibility"].force_value("members")
        form.submit(status=400)
        assert dbsession.scalar(select(Event).where(Event.title == "Wider")) is None

    def test_a_public_groups_form_offers_the_site_or_its_members(self, make_user, make_group,
                                                                 add_member, login):
        member = make_user()
        add_member(make_group("Open", status="public", slug="open"), member)
        page = login(member).get("/agenda/new?group=open")
        options = page.html.select("select[name=visibility] option")
        assert [(o["value"], o.text) for o in options] == [
            ("group", "Everyone who may see the site"), ("members", "Logged-in members")]
        assert options[0].has_attr("selected")
        assert "If it becomes private or hidden, only its members" in page.text

    def test_a_private_groups_event_stays_with_its_members_everywhere(
            self, cell, make_event, dbsession, testapp):
        from plugins.agenda.models import Rsvp

        group, people, browsers = cell
        self._publish(browsers["member"], "cell", "Cell assembly").follow()
        made = dbsession.scalar(select(Event).where(Event.title == "Cell assembly"))
        # An event saved at the old default level ("members") of a private group.
        old = make_event(people["chief"], title="Cell picnic", visibility=MEMBERS,
                         group_id=group.id)
        # Someone who answered before the group went private keeps no window on it.
        dbsession.add(Rsvp(event_id=old.id, user_id=people["outsider"].id, status="going"))
        dbsession.flush()
        week = old.starts_at.date().isoformat()
        month = old.starts_at.strftime("%Y-%m")
        for viewer, browser in browsers.items():
            sees = viewer in ("member", "moderator")
            for event in (made, old):
                browser.get(f"/agenda/{event.id}", status=200 if sees else 404)
                browser.get(f"/agenda/{event.id}.ics", status=200 if sees else 404)
            pages = {"/agenda": "Cell picnic", f"/agenda/week?week={week}": "Cell picnic",
                     f"/agenda/month?month={month}": "Cell picnic",
                     "/members/chief/events": "Cell picnic",
                     "/members/ana/events": "Cell assembly"}
            for path, title in pages.items():
                assert (title in browser.get(path).text) == sees, (viewer, path)
            assert ("Cell picnic" in feed_titles(browser.get("/agenda.ics"))) == sees, viewer
            if viewer != "stranger":
                assert ("Cell picnic" in browser.get("/").text) == sees, viewer  # dashboard
                url = browser.get("/agenda/feed").html.select_one("#feed-url")["value"]
                assert ("Cell picnic" in feed_titles(testapp.get(url))) == sees, viewer
                assert ("Cell picnic" in browser.get("/agenda/mine").text) == sees, viewer
        page = browsers["member"].get(f"/agenda/{old.id}")
        assert page.html.select_one("#audience").text == "The members of the group"
