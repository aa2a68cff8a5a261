"""The carpooling's domain events, and the mail a driver receives when a seat is taken."""

from __future__ import annotations

from dataclasses import dataclass

from core.accounts.models import User
from core.events import DomainEvent, IDomainEvent
from zope.interface import Attribute, implementer

from covoiturage import _
from covoiturage.models import CovoiturageOffer


class IOfferMade(IDomainEvent):
    offer_id = Attribute("The new offer's id")
    event_id = Attribute("The agenda event it goes to")


class ISeatTaken(IDomainEvent):
    offer_id = Attribute("The car's offer")
    event_id = Attribute("The agenda event it goes to")


@implementer(IOfferMade)
@dataclass(frozen=True, kw_only=True)
class OfferMade(DomainEvent):
    name = "covoiturage.offer_made"
    offer_id: int
    event_id: int


@implementer(ISeatTaken)
@dataclass(frozen=True, kw_only=True)
class SeatTaken(DomainEvent):
    name = "covoiturage.seat_taken"
    offer_id: int
    event_id: int


def tell_the_driver(request, event) -> None:
    """After the commit, in a worker: the driver hears who takes a seat. The mail is about the
    agenda's event, so it is dropped if the driver may no longer see it when it leaves."""
    offer = request.dbsession.get(CovoiturageOffer, event.offer_id)
    passenger = request.dbsession.get(User, event.actor_id) if event.actor_id else None
    if offer is None or passenger is None:
        return
    driver = request.dbsession.get(User, offer.driver_id)
    request.send_mail(
        driver.email,
        _("${name} takes a seat in your car", mapping={"name": passenger.display_name}),
        "covoiturage/mail/seat_taken.txt.jinja2",
        {"offer": offer, "passenger": passenger}, locale=driver.locale,
        user_id=driver.id, about=("agenda.event", offer.event_id))


def includeme(config):
    config.add_domain_event(OfferMade)
    config.add_domain_event(SeatTaken)
    config.add_event_subscriber(ISeatTaken, tell_the_driver,
                                name="covoiturage.tell_the_driver")
