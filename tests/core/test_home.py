"""The visitor's home page: public events, public groups and open petitions that a visitor
may see, and nothing else; the site's figures; Join as the main action; bounded queries."""

from __future__ import annotations

import pytest

from plugins.agenda.models import GROUP, MEMBERS, PUBLIC


@pytest.fixture
def world(make_user, make_group, make_event, make_petition):
    organiser = make_user()
    public = make_group("Open section", "public", admin=organiser)
    private = make_group("Closed circle", "private", admin=organiser)
    hidden = make_group("Hidden cell", "hidden", admin=organiser)
    make_event(organiser, title="Public march", visibility=PUBLIC)
    make_event(organiser, title="Members meeting", visibility=MEMBERS)
    make_event(organiser, title="Public event of a hidden group", visibility=PUBLIC,
               group_id=hidden.id)
    # The content of a public group is everyone's, whatever level the event was given.
    make_event(organiser, title="Event of the open section", visibility=GROUP,
               group_id=public.id)
    make_event(organiser, title="Event of the closed circle", visibility=PUBLIC,
               group_id=private.id)
    make_petition("Save the river")
    make_petition("Secret petition of the hidden cell", group=hidden)
    return {"public": public, "private": private, "hidden": hidden}


def test_a_visitor_sees_only_public_content(testapp, world):
    page = testapp.get("/")
    events = [a.text for a in page.html.select("#home-events .card__title a")]
    assert events == ["Public march", "Event of the open section"]
    groups = [a.text for a in page.html.select("#home-groups .card__title a")]
    assert groups == ["Open section"]  # a private group exists for visitors, but is not offered
    petitions = [a.text for a in page.html.select("#home-petitions .card__title a")]
    assert petitions == ["Save the river"]
    for secret in ("Hidden cell", "Secret petition", "closed circle", "Members meeting"):
        assert secret not in page.text


def test_figures_count_what_a_visitor_may_see(testapp, world):
    figures = {dt.text: dd.text for dt, dd in zip(
        testapp.get("/").html.select("#figures dt"), testapp.get("/").html.select("#figures dd"),
        strict=True)}
    assert figures["Groups"] == "2"  # public and private are listed; hidden is not
    # The two events a visitor sees start in three days: this month or the next.
    assert figures["Events this month"] in ("0", "2")
    assert int(figures["Members"]) >= 1


def test_join_is_the_main_action(testapp):
    hero = testapp.get("/").html.select_one(".hero")
    first = hero.select_one(".hero__actions .button")
    assert first["href"].endswith("/register") and "button--secondary" not in first["class"]


def test_a_member_gets_their_dashboard_instead(testapp, world, make_user, login):
    page = login(make_user()).get("/")
    assert page.html.select_one("#home-events") is None
    assert page.html.select_one(".dashboard") is not None


def test_the_home_page_has_a_bounded_number_of_queries(testapp, world, make_event, make_group,
                                                       max_queries):
    for n in range(10):
        make_event(title=f"More {n}", visibility=PUBLIC)
        make_group(f"More groups {n}")
    testapp.get("/")  # warm caches (site settings)
    with max_queries(12):
        testapp.get("/")
