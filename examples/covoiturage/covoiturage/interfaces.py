"""What other plugins may ask of the carpooling, and the mistakes it reports.

Every method takes the member who reads (``viewer``) or acts (``actor``), and asks the agenda
whether they may see the event: an event hidden from them has no carpooling for them either.
"""

from core.errors import ActionError
from zope.interface import Interface


class ICovoiturageService(Interface):
    def event(event_id, viewer):
        """The agenda's event if ``viewer`` may see it, else None (``IAgendaService.get``)."""

    def offers(event, viewer):
        """(offer, driver's display name, whether ``viewer`` has a seat in it) for each car
        to ``event``, in the order they were offered; empty if ``viewer`` may not see it."""

    def offer(actor, event, leaves_from, seats, note=""):
        """Offer ``seats`` seats in ``actor``'s car to ``event``; one car per driver and event.
        Publishes ``covoiturage.offer_made``."""

    def withdraw(actor, offer):
        """The driver takes back their offer; the passengers lose their seats."""

    def take_seat(actor, offer):
        """A seat for ``actor`` in ``offer``'s car, if one is left: a full car refuses, even
        when several members ask at the same moment. Publishes ``covoiturage.seat_taken``."""

    def leave_seat(actor, offer):
        """``actor`` gives their seat back."""

    def export(user):
        """The member's offers and seats, JSON-ready."""

    def erase(user):
        """Remove the member's offers and seats, giving the seats back."""


class CovoiturageError(ActionError):
    """A carpooling action refused, with the sentence that says why."""
