"""The member's offers and seats in their export; deleting the account frees their seats and
takes back their cars."""

from __future__ import annotations

import json

from core.testing import TEST_PASSWORD
from sqlalchemy import select

from covoiturage.models import CovoiturageOffer, CovoiturageSeat


def delete_account(browser):
    form = browser.get("/account").forms["delete-form"]
    form["password"], form["confirm"] = TEST_PASSWORD, True
    assert form.submit().status_int == 303


def test_export(login, make_user, make_event, make_offer, take_seat):
    louise = make_user()
    event = make_event()
    make_offer(event, driver=louise, seats=4, leaves_from="Lyon")
    other = make_offer(make_event(), seats=2)
    take_seat(other, louise)
    data = json.loads(login(louise).get("/account/export.json").text)["covoiturage"]
    assert [(o["event_id"], o["leaves_from"], o["seats"]) for o in data["offers"]] == [
        (event.id, "Lyon", 4)]
    assert [seat["offer_id"] for seat in data["seats"]] == [other.id]


def test_a_passenger_s_deletion_frees_their_seat(login, make_user, make_event, make_offer,
                                                 take_seat, dbsession):
    louise, rosa = make_user(), make_user()
    offer = make_offer(make_event(), seats=2)
    take_seat(offer, louise)
    take_seat(offer, rosa)
    delete_account(login(louise))
    dbsession.refresh(offer)
    assert offer.seats_taken == 1
    assert dbsession.scalars(select(CovoiturageSeat.passenger_id)).all() == [rosa.id]


def test_a_driver_s_deletion_takes_back_their_car(login, make_user, make_event, make_offer,
                                                  take_seat, dbsession):
    louise = make_user()
    offer = make_offer(make_event(), driver=louise)
    take_seat(offer, make_user())
    delete_account(login(louise))
    assert dbsession.scalars(select(CovoiturageOffer)).all() == []
    assert dbsession.scalars(select(CovoiturageSeat)).all() == []
