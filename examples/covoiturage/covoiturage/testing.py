"""Test fixtures of the carpooling, for its tests and for any other plugin's (``pytest11``
entry point ``cortege_covoiturage`` of this distribution: installed with it, nothing to
import):

``make_offer``  ``make_offer(event, driver=None, seats=3, leaves_from="Place Bellecour",
                **columns)``: a car offered to ``event`` (an agenda ``Event``, from the
                agenda's ``make_event``), by a new member unless told, flushed
``take_seat``   ``take_seat(offer, passenger)``: a seat row, counted in
                ``offer.seats_taken``, flushed
"""

from __future__ import annotations

import pytest


@pytest.fixture
def make_offer(dbsession, make_user):
    from covoiturage.models import CovoiturageOffer

    def factory(event, driver=None, seats=3, leaves_from="Place Bellecour", **columns):
        driver = driver or make_user()
        row = CovoiturageOffer(event_id=event.id, driver_id=driver.id, seats=seats,
                               leaves_from=leaves_from, **{"seats_taken": 0, **columns})
        dbsession.add(row)
        dbsession.flush()
        return row

    return factory


@pytest.fixture
def take_seat(dbsession):
    from covoiturage.models import CovoiturageSeat

    def factory(offer, passenger):
        dbsession.add(CovoiturageSeat(offer_id=offer.id, passenger_id=passenger.id))
        offer.seats_taken += 1
        dbsession.flush()

    return factory
