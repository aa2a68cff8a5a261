"""What other plugins may ask of the agenda, and the mistakes it reports."""

from zope.interface import Interface


class IAgendaService(Interface):
    """Events as a given viewer (a User or None) may see them."""

    def condition(viewer=None):
        """The SQL condition selecting the events ``viewer`` may see."""

    def get(event_id, viewer=None):
        """The event if ``viewer`` may see it, else None."""

    def listing(viewer=None, **filters):
        """A page of upcoming events (``EventPage``: events, next_cursor) by start time."""

    def answer(event, user, status, guests=0, share_email=False):
        """Record an RSVP; a full event puts the member on its waitlist. Raises RsvpError.
        ``share_email``: the member lets the organisers see their email address."""

    def cancel(event, whole_series=False):
        """Cancel the event, or it and the rest of its series, and tell the attendees."""

    def export(user):
        """The member's events and answers as JSON-ready data."""

    def erase(user):
        """Remove the member's answers and events, freeing their places."""


class RsvpError(ValueError):
    """An answer refused: ``message`` says why in words the member can act on."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message
