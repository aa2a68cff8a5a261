"""The agenda beside other pages: the profiles tab, the dashboard widget, "my agenda"."""

import pytest

from plugins.agenda.models import GOING, MEMBERS, PUBLIC, Rsvp


class TestWithProfiles:
    @pytest.fixture
    def cortege_plugins(self):
        return ["agenda", "profiles"]

    def test_member_page_lists_the_events_they_organise_as_the_viewer_sees_them(
            self, testapp, login, make_user, make_event):
        camille = make_user("camille")
        make_event(camille, title="Open march", visibility=PUBLIC)
        make_event(camille, title="Strategy meeting", visibility=MEMBERS)
        page = testapp.get("/members/camille")
        assert "Events" in [a.text for a in page.html.select(".profile__tabs a")]
        titles = [a.text for a in testapp.get("/members/camille/events").html.select(
            ".agenda__title a")]
        assert titles == ["Open march"]
        titles = [a.text for a in login(make_user()).get("/members/camille/events").html.select(
            ".agenda__title a")]
        assert titles == ["Open march", "Strategy meeting"]

    def test_event_page_links_organisers_to_their_profiles(self, testapp, make_user,
                                                           make_event):
        event = make_event(make_user("camille", display_name="Camille Martin"),
                           visibility=PUBLIC)
        link = testapp.get(f"/agenda/{event.id}").html.select_one("#organisers a")
        assert link.text == "Camille Martin" and link["href"].endswith("/members/camille")


def test_without_profiles_there_is_no_events_tab(testapp, make_user):
    make_user("camille")
    testapp.get("/members/camille", status=404)


def test_my_agenda_and_the_dashboard_show_what_i_go_to(login, make_user, make_event,
                                                      dbsession):
    member = make_user()
    going = make_event(title="I go")
    make_event(title="Not me")
    make_event(member, title="Mine")
    dbsession.add(Rsvp(event_id=going.id, user_id=member.id, status=GOING))
    dbsession.flush()
    browser = login(member)
    titles = [a.text for a in browser.get("/agenda/mine").html.select(".agenda__title a")]
    assert sorted(titles) == ["I go", "Mine"]
    widget = browser.get("/").html.select_one(".agenda-widget")
    assert sorted(a.text for a in widget.select("a")) == ["I go", "Mine"]
    page = browser.get("/agenda")
    badge = page.html.select_one(f"#event-{going.id} .badge")
    assert badge.text == "You are going"


class TestRegions:
    """Another plugin adds a box to an event's page through its regions."""

    @pytest.fixture
    def cortege_plugins(self):
        return ["agenda", "notes", "stickers"]

    def test_a_box_beside_the_event(self, testapp, make_event, login, make_user):
        event = make_event(visibility=PUBLIC)
        page = testapp.get(f"/agenda/{event.id}")
        assert page.html.select_one("#event-aside p.sticker").text == "Stuck here"
        admin = login(make_user(role="admin")).get("/admin/plugins")
        for name in ("agenda.event.aside", "agenda.event.after_rsvp",
                     "agenda.event.aside: sticker"):
            assert name in admin.text


def test_without_boxes_the_aside_is_not_there(testapp, make_event):
    event = make_event(visibility=PUBLIC)
    assert testapp.get(f"/agenda/{event.id}").html.select_one("#event-aside") is None
