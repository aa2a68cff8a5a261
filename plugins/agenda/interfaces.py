"""What other plugins may ask of the agenda, and the mistakes it reports.

Every method that changes something takes the acting member (``actor``: a ``User``, or None)
and checks what they may do, whoever calls it (a view, a job, a command): it refuses with an
``AgendaError`` (or ``core.errors.NotFound`` / ``Forbidden``) carrying a sentence for the
member. Each change publishes its domain event (``plugins.agenda.events``) in the same
transaction; mail about it leaves afterwards, from the workers, to the people who may see
the event when it is sent.
"""

from zope.interface import Interface

from core.errors import ActionError


class IAgendaService(Interface):
    """Events as a given viewer (a User or None) may see them."""

    def condition(viewer=None):
        """The SQL condition selecting the events ``viewer`` may see: the ``agenda.event``
        content type's condition (``core.content``), the one rule of every surface."""

    def get(event_id, viewer=None):
        """The event if ``viewer`` may see it, else None."""

    def listing(viewer=None, **filters):
        """A page of upcoming events (``EventPage``: events, next_cursor) by start time."""

    def recipients(statuses, events=None):
        """SELECT of (Rsvp, Event, User): the answers in ``statuses`` (to ``events``, events or
        ids) of active accounts that may see the event now. Mail about events goes to these,
        asked when it is sent."""

    def is_organiser(event, user):
        """Whether ``user`` organises ``event``: its organiser, a co-host, or a member holding
        ``agenda.manage`` (admins)."""

    def create(actor, values, repeat=None, until=None, count=None, cohosts=()):
        """Publish an event (or a series) organised by ``actor``; ``values["group_id"]``
        puts it in a group the actor belongs to."""

    def update(actor, event, values, whole_series=False, cohosts=None):
        """Change the event (or it and the following ones); organisers only."""

    def cancel(actor, event, whole_series=False):
        """Cancel the event, or it and the rest of its series; organisers only. The people
        going or waiting are told by mail, after the commit."""

    def answer(actor, event, status, guests=0, share_email=False):
        """Record ``actor``'s RSVP; a full event puts them on its waitlist. Raises RsvpError.
        ``share_email``: the member lets the organisers see their email address."""

    def message_attendees(actor, event, subject, body, waitlist=False):
        """Queue an organiser's message to the people going (and waiting); returns how many
        may receive it now."""

    def export(user):
        """The member's events and answers as JSON-ready data."""

    def erase(user):
        """Remove the member's answers and events, freeing their places."""


class AgendaError(ActionError):
    """An agenda action refused: ``message`` says why in words the member can act on."""


class RsvpError(AgendaError):
    """An answer refused."""
