"""What happens in the agenda, as domain events (see ``core.events``): ids, never ORM objects.

``AgendaService`` publishes each one in the transaction that makes the change, after a flush,
with the acting member's id (``actor_id``; None when the site acts on its own, e.g. a place
freed by an account's deletion). One event per agenda event concerned: editing or cancelling
"this event and the following ones" of a series publishes one per occurrence, each with its
``series_id``, so that a subscriber never has to look for the others.

| event | name | published when |
| --- | --- | --- |
| ``EventPublished`` | ``agenda.event_published`` | an event (each occurrence of a new series) is created |
| ``EventChanged`` | ``agenda.event_changed`` | an event's details change; ``fields`` names them |
| ``EventCancelled`` | ``agenda.event_cancelled`` | an event is cancelled |
| ``EventDeleted`` | ``agenda.event_deleted`` | an event is deleted (its group or its organiser's account went) |
| ``RsvpAnswered`` | ``agenda.rsvp_answered`` | a member answers; ``status`` is where the answer put them |
| ``WaitlistPromoted`` | ``agenda.waitlist_promoted`` | a freed place goes to someone waiting |
| ``CoHostAdded`` | ``agenda.cohost_added`` | a member becomes co-host of an event |
| ``CoHostRemoved`` | ``agenda.cohost_removed`` | a member stops being co-host of an event |

Subscribe to ``IAgendaEvent`` for all of them, or to one interface. The agenda's own
subscribers (``plugins.agenda.notices``) mail the people concerned.
"""

from __future__ import annotations

from dataclasses import dataclass

from zope.interface import Attribute, implementer

from core.events import DomainEvent, IDomainEvent


class IAgendaEvent(IDomainEvent):
    """Something that happened to an event of the agenda."""

    event_id = Attribute("The event's id (``agenda.event`` content)")


class IEventPublished(IAgendaEvent):
    """An event was created."""

    group_id = Attribute("Its group's id, or None")
    series_id = Attribute("Its series' id when it is an occurrence of a recurring event")


class IEventChanged(IAgendaEvent):
    """An event's details changed."""

    fields = Attribute("Names of the columns that changed (title, starts_at, venue...)")


class IEventCancelled(IAgendaEvent):
    """An event was cancelled."""


class IEventDeleted(IAgendaEvent):
    """An event was deleted (its row is gone when subscribers run)."""


class IRsvpAnswered(IAgendaEvent):
    """A member answered an event."""

    user_id = Attribute("Who answered (also the actor)")
    status = Attribute("going, waitlist or not_going: where the answer put them")


class IWaitlistPromoted(IAgendaEvent):
    """Someone waiting got a freed place."""

    user_id = Attribute("Who got the place")
    rsvp_id = Attribute("Their answer's id")


class ICoHostAdded(IAgendaEvent):
    user_id = Attribute("The new co-host")


class ICoHostRemoved(IAgendaEvent):
    user_id = Attribute("The former co-host")


@implementer(IEventPublished)
@dataclass(frozen=True, kw_only=True)
class EventPublished(DomainEvent):
    name = "agenda.event_published"
    event_id: int
    group_id: int | None = None
    series_id: int | None = None


@implementer(IEventChanged)
@dataclass(frozen=True, kw_only=True)
class EventChanged(DomainEvent):
    name = "agenda.event_changed"
    event_id: int
    fields: tuple[str, ...] = ()
    series_id: int | None = None


@implementer(IEventCancelled)
@dataclass(frozen=True, kw_only=True)
class EventCancelled(DomainEvent):
    name = "agenda.event_cancelled"
    event_id: int
    series_id: int | None = None


@implementer(IEventDeleted)
@dataclass(frozen=True, kw_only=True)
class EventDeleted(DomainEvent):
    name = "agenda.event_deleted"
    event_id: int
    group_id: int | None = None


@implementer(IRsvpAnswered)
@dataclass(frozen=True, kw_only=True)
class RsvpAnswered(DomainEvent):
    name = "agenda.rsvp_answered"
    event_id: int
    user_id: int
    status: str
    guests: int = 0


@implementer(IWaitlistPromoted)
@dataclass(frozen=True, kw_only=True)
class WaitlistPromoted(DomainEvent):
    name = "agenda.waitlist_promoted"
    event_id: int
    user_id: int
    rsvp_id: int


@implementer(ICoHostAdded)
@dataclass(frozen=True, kw_only=True)
class CoHostAdded(DomainEvent):
    name = "agenda.cohost_added"
    event_id: int
    user_id: int


@implementer(ICoHostRemoved)
@dataclass(frozen=True, kw_only=True)
class CoHostRemoved(DomainEvent):
    name = "agenda.cohost_removed"
    event_id: int
    user_id: int


EVENTS = (EventPublished, EventChanged, EventCancelled, EventDeleted, RsvpAnswered,
          WaitlistPromoted, CoHostAdded, CoHostRemoved)


def includeme(config):
    for event_class in EVENTS:
        config.add_domain_event(event_class)
