"""The carpooling's rules, whoever calls them: a view, a job, another plugin."""

from __future__ import annotations

from core.accounts.models import User
from core.errors import Conflict, NotFound
from plugins.agenda.interfaces import IAgendaService
from sqlalchemy import and_, delete, select, update
from zope.interface import implementer

from covoiturage import _
from covoiturage.events import OfferMade, SeatTaken
from covoiturage.interfaces import CovoiturageError, ICovoiturageService
from covoiturage.models import CovoiturageOffer, CovoiturageSeat

OFFERS = CovoiturageOffer.__table__


@implementer(ICovoiturageService)
class CovoiturageService:
    def __init__(self, request):
        self.request = request
        self.db = request.dbsession
        self.agenda = request.find_service(IAgendaService)

    # Reading -----------------------------------------------------------------------------

    def event(self, event_id, viewer):
        return self.agenda.get(event_id, viewer)

    def offers(self, event, viewer):
        if self.event(event.id, viewer) is None:
            return []
        mine = and_(CovoiturageSeat.offer_id == CovoiturageOffer.id,
                    CovoiturageSeat.passenger_id == (viewer.id if viewer else None))
        rows = self.db.execute(
            select(CovoiturageOffer, User.display_name, CovoiturageSeat.id)
            .join(User, User.id == CovoiturageOffer.driver_id)
            .outerjoin(CovoiturageSeat, mine)
            .where(CovoiturageOffer.event_id == event.id)
            .order_by(CovoiturageOffer.id))
        return [(offer, driver, seat_id is not None) for offer, driver, seat_id in rows]

    def _visible_offer(self, offer, viewer):
        """The offer's event, or NotFound: an event hidden from ``viewer`` has no cars."""
        event = self.event(offer.event_id, viewer)
        if event is None:
            raise NotFound(_("This car does not exist, or you may not see it."))
        return event

    # Changing ----------------------------------------------------------------------------

    def offer(self, actor, event, leaves_from, seats, note=""):
        if self.event(event.id, actor) is None:
            raise NotFound(_("This event does not exist, or you may not see it."))
        most = self.request.registry.settings["covoiturage.most_seats"]
        if not 1 <= seats <= most:
            raise CovoiturageError(_("Offer between 1 and ${most} seats.",
                                     mapping={"most": most}), field="seats")
        taken = self.db.scalar(select(CovoiturageOffer.id).where(
            CovoiturageOffer.event_id == event.id, CovoiturageOffer.driver_id == actor.id))
        if taken is not None:
            raise Conflict(_("You already offer a car to this event."))
        offer = CovoiturageOffer(event_id=event.id, driver_id=actor.id, seats=seats,
                                 leaves_from=leaves_from, note=note, seats_taken=0)
        self.db.add(offer)
        self.db.flush()
        self.request.publish(OfferMade(actor_id=actor.id, offer_id=offer.id,
                                       event_id=event.id))
        return offer

    def withdraw(self, actor, offer):
        self._visible_offer(offer, actor)
        if offer.driver_id != actor.id:
            raise NotFound(_("This car does not exist, or you may not see it."))
        self.db.execute(delete(CovoiturageSeat).where(CovoiturageSeat.offer_id == offer.id))
        self.db.delete(offer)
        self.db.flush()

    def take_seat(self, actor, offer):
        self._visible_offer(offer, actor)
        if offer.driver_id == actor.id:
            raise CovoiturageError(_("You drive this car."))
        if self.db.scalar(select(CovoiturageSeat.id).where(
                CovoiturageSeat.offer_id == offer.id, CovoiturageSeat.passenger_id == actor.id)):
            raise Conflict(_("You already have a seat in this car."))
        # One statement takes the seat only if one is left: two members asking at the same
        # moment for the last seat cannot both have it.
        result = self.db.execute(
            update(OFFERS).where(OFFERS.c.id == offer.id, OFFERS.c.seats_taken < OFFERS.c.seats)
            .values(seats_taken=OFFERS.c.seats_taken + 1))
        self.db.expire(offer, ["seats_taken"])
        if result.rowcount != 1:
            raise Conflict(_("This car is full."))
        self.db.add(CovoiturageSeat(offer_id=offer.id, passenger_id=actor.id))
        self.db.flush()
        self.request.publish(SeatTaken(actor_id=actor.id, offer_id=offer.id,
                                       event_id=offer.event_id))

    def leave_seat(self, actor, offer):
        self._visible_offer(offer, actor)
        self._give_back(select(CovoiturageSeat.id).where(
            CovoiturageSeat.offer_id == offer.id, CovoiturageSeat.passenger_id == actor.id))
        self.db.expire(offer, ["seats_taken"])

    def _give_back(self, seat_ids) -> None:
        """Delete the seats ``seat_ids`` selects, and free each in its car."""
        seats = self.db.execute(select(CovoiturageSeat.id, CovoiturageSeat.offer_id)
                                .where(CovoiturageSeat.id.in_(seat_ids))).all()
        for seat_id, offer_id in seats:
            self.db.execute(delete(CovoiturageSeat).where(CovoiturageSeat.id == seat_id))
            self.db.execute(update(OFFERS).where(OFFERS.c.id == offer_id)
                            .values(seats_taken=OFFERS.c.seats_taken - 1))

    # Personal data -----------------------------------------------------------------------

    def export(self, user):
        offers = self.db.scalars(select(CovoiturageOffer).where(
            CovoiturageOffer.driver_id == user.id).order_by(CovoiturageOffer.id))
        seats = self.db.scalars(select(CovoiturageSeat).where(
            CovoiturageSeat.passenger_id == user.id).order_by(CovoiturageSeat.id))
        return {
            "offers": [{"event_id": offer.event_id, "leaves_from": offer.leaves_from,
                        "note": offer.note, "seats": offer.seats,
                        "created_at": offer.created_at.isoformat()} for offer in offers],
            "seats": [{"offer_id": seat.offer_id, "created_at": seat.created_at.isoformat()}
                      for seat in seats],
        }

    def erase(self, user):
        self._give_back(select(CovoiturageSeat.id).where(CovoiturageSeat.passenger_id == user.id))
        driven = select(CovoiturageOffer.id).where(CovoiturageOffer.driver_id == user.id)
        self.db.execute(delete(CovoiturageSeat).where(CovoiturageSeat.offer_id.in_(driven)))
        self.db.execute(delete(CovoiturageOffer).where(CovoiturageOffer.driver_id == user.id))


def covoiturage_service_factory(context, request) -> CovoiturageService:
    return CovoiturageService(request)
