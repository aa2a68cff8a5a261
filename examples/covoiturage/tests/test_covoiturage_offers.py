"""Cars to an event: the box on the event page, offering, taking and giving back seats, and
who may see any of it (the agenda decides who sees the event)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from covoiturage.models import CovoiturageOffer, CovoiturageSeat


def post(browser, path, status=303, **values):
    """A form's POST, with the CSRF token of the browser's session."""
    field = browser.get("/").html.find("input", {"name": "csrf_token"})
    token = field["value"] if field else ""
    return browser.post(path, {"csrf_token": token, **values}, status=status)


def test_the_event_page_shows_the_box(login, make_user, make_event, make_offer):
    event = make_event()
    make_offer(event, seats=3)
    make_offer(event, seats=2)
    page = login(make_user()).get(f"/agenda/{event.id}")
    box = page.html.select_one("#event-aside #covoiturage-box")
    assert "2 cars offered, 5 free seats." in " ".join(box.text.split())
    assert box.a["href"].endswith(f"/covoiturage/event/{event.id}")


def test_the_box_speaks_french(login, make_user, make_event):
    event = make_event()
    page = login(make_user(locale="fr")).get(f"/agenda/{event.id}")
    box = page.html.select_one("#covoiturage-box")
    assert "Covoiturage" in box.text and "Aucune voiture proposée" in box.text


def test_a_member_offers_a_car_and_another_takes_a_seat(login, make_user, make_event,
                                                        dbsession):
    event = make_event()
    louise = make_user("louise", display_name="Louise")
    driver = login(louise)
    form = driver.get(f"/covoiturage/event/{event.id}").forms["offer-form"]
    form["leaves_from"], form["seats"], form["note"] = "Gare Part-Dieu", "2", "Leaving at 5"
    page = form.submit().follow()
    assert "Your car is offered." in page.text
    assert "offer-form" not in page.forms  # one car per driver and event
    offer = dbsession.scalars(select(CovoiturageOffer)).one()
    assert (offer.driver_id, offer.seats, offer.seats_taken) == (louise.id, 2, 0)
    assert (offer.leaves_from, offer.note) == ("Gare Part-Dieu", "Leaving at 5")

    rosa = login(make_user("rosa"))
    page = post(rosa, f"/covoiturage/offer/{offer.id}/take").follow()
    assert "Your seat is kept for you." in page.text
    assert page.html.select_one(f"#offer-{offer.id} .covoiturage-seats").text == "1 free of 2"
    assert "Give my seat back" in page.html.select_one(f"#offer-{offer.id}").text
    post(rosa, f"/covoiturage/offer/{offer.id}/take", status=409)  # once is enough
    page = post(rosa, f"/covoiturage/offer/{offer.id}/leave").follow()
    assert page.html.select_one(f"#offer-{offer.id} .covoiturage-seats").text == "2 free of 2"


def test_a_full_car_refuses_with_a_reason(login, make_user, make_event, make_offer, take_seat):
    event = make_event()
    offer = make_offer(event, seats=1)
    take_seat(offer, make_user())
    page = post(login(make_user()), f"/covoiturage/offer/{offer.id}/take", status=409)
    assert "This car is full." in page.text


def test_the_driver_takes_no_seat_and_withdraws(login, make_user, make_event, make_offer,
                                                take_seat, dbsession):
    event = make_event()
    louise = make_user()
    offer = make_offer(event, driver=louise, seats=3)
    take_seat(offer, make_user())
    driver = login(louise)
    assert "You drive this car." in post(driver, f"/covoiturage/offer/{offer.id}/take",
                                         status=400).text
    post(login(make_user()), f"/covoiturage/offer/{offer.id}/withdraw", status=404)
    post(driver, f"/covoiturage/offer/{offer.id}/withdraw")
    assert dbsession.scalars(select(CovoiturageOffer)).all() == []
    assert dbsession.scalars(select(CovoiturageSeat)).all() == []


def test_too_many_seats_is_refused_on_the_form(login, make_user, make_event, dbsession):
    event = make_event()
    form = login(make_user()).get(f"/covoiturage/event/{event.id}").forms["offer-form"]
    form["leaves_from"], form["seats"] = "Lyon", "40"
    page = form.submit(status=400)
    assert "Offer between 1 and 8 seats." in page.text
    assert dbsession.scalars(select(CovoiturageOffer)).all() == []


def test_a_stranger_reads_a_public_event_s_cars_but_is_asked_to_log_in(testapp, make_event,
                                                                       make_offer):
    event = make_event(visibility="public")
    offer = make_offer(event)
    page = testapp.get(f"/covoiturage/event/{event.id}")
    assert f"offer-{offer.id}" in page.text and "Log in to offer or take a seat." in page.text
    assert "offer-form" not in page.forms


@pytest.fixture
def group_event(make_group, make_user, add_member, make_event):
    """An event of a private group, a car offered to it, a member, a removed member."""
    organiser, member, removed = make_user(), make_user(), make_user()
    group = make_group(status="private", admin=organiser)
    add_member(group, member)
    add_member(group, removed)
    event = make_event(organiser, visibility="group", group_id=group.id)
    return event, organiser, member, removed, group


def test_who_sees_a_private_group_s_cars(group_event, make_offer, login, make_user, testapp,
                                         dbsession):
    event, organiser, member, removed, _group = group_event
    offer = make_offer(event, driver=organiser)
    page = login(member).get(f"/covoiturage/event/{event.id}")
    assert f"offer-{offer.id}" in page.text
    assert login(member).get(f"/agenda/{event.id}").html.select_one("#covoiturage-box")
    from sqlalchemy import text

    dbsession.execute(text("DELETE FROM groups_membership WHERE user_id = :id"),
                      {"id": removed.id})
    dbsession.flush()
    for browser in (testapp, login(make_user()), login(removed)):
        browser.get(f"/covoiturage/event/{event.id}", status=404)
        post(browser, f"/covoiturage/offer/{offer.id}/take",
             status=404 if browser is not testapp else 403)
    assert dbsession.scalars(select(CovoiturageSeat)).all() == []


def test_an_unknown_event_or_car_is_a_404(login, make_user):
    browser = login(make_user())
    browser.get("/covoiturage/event/999999", status=404)
    post(browser, "/covoiturage/offer/999999/take", status=404)
    browser.get("/covoiturage/event/99999999999999999999", status=404)
