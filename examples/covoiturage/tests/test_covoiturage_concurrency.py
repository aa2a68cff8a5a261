"""Members asking for the last seats at the same moment: the car never takes more passengers
than it has seats (requests in threads, on a database that commits)."""

from __future__ import annotations

from plugins.agenda.testing import new_event
from sqlalchemy import func, select

from covoiturage.models import CovoiturageOffer, CovoiturageSeat


def test_no_car_is_overbooked(committed_site):
    driver = committed_site.make_user()
    with committed_site.session() as session:
        event = new_event(session, driver, visibility="members")
        offer = CovoiturageOffer(event_id=event.id, driver_id=driver.id, seats=3,
                                 leaves_from="Lille", seats_taken=0)
        session.add(offer)
        session.commit()
    passengers = [committed_site.make_user() for _ in range(8)]
    browsers = [committed_site.login(passenger) for passenger in passengers]

    def ask(browser):
        page = browser.get(f"/covoiturage/event/{event.id}")
        token = page.html.find("input", {"name": "csrf_token"})["value"]
        return browser.post(f"/covoiturage/offer/{offer.id}/take", {"csrf_token": token},
                            expect_errors=True).status_int

    statuses = committed_site.at_once(ask, browsers)

    assert sorted(statuses) == [303] * 3 + [409] * 5
    with committed_site.session() as session:
        seats = session.scalar(select(func.count()).select_from(CovoiturageSeat)
                               .where(CovoiturageSeat.offer_id == offer.id))
        taken = session.scalar(select(CovoiturageOffer.seats_taken)
                               .where(CovoiturageOffer.id == offer.id))
    assert seats == taken == 3
