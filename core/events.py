"""Domain events: what happened, told to every plugin that wants to know.

An event is a small frozen dataclass declared by the plugin that owns it, with an interface,
carrying ids and the acting member's id (never ORM objects)::

    class ITopicCreated(IDomainEvent):
        topic_id = Attribute("...")

    @implementer(ITopicCreated)
    @dataclass(frozen=True, kw_only=True)
    class TopicCreated(DomainEvent):
        name = "forums.topic_created"
        topic_id: int

    config.add_domain_event(TopicCreated)

A service publishes it with ``publish(request, TopicCreated(actor_id=..., topic_id=...))``
(or ``request.publish(...)``) in the transaction that makes the change. Publishing

1. calls the synchronous subscribers at once, inside the transaction (cascades: a group
   deleted takes its content with it; they may refuse the change by raising);
2. writes the event to the ``events`` table (the outbox), and one job per subscriber, in the
   same transaction, keyed ``event:<id>:<subscriber>`` so that a delivery happens once;
3. after commit, the jobs go to the workers, which call each subscriber with a request of
   their own (see ``core.jobs``). A failing subscriber is tried again with a growing delay;
   it never blocks nor rolls back the request that published.

Subscribers register with ``config.add_event_subscriber(ITopicCreated, subscriber,
name="search.index_topic")``, ``sync=True`` for the synchronous kind; ``subscriber(request,
event)``. They are listed on /admin/plugins. A subscriber is delivered each event at least
once: when it writes to the database, its writes and the job's "done" commit together, so
they happen once; what it sends outside (mail) it sends through jobs of its own.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any, ClassVar

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import Mapped, mapped_column
from zope.interface import Attribute, Interface, implementer

from core.db import Base, UTCDateTime, utcnow
from core.extensions import plugin_of, register_item, registered, registered_map

EVENTS = "cortege domain events"
SUBSCRIBERS = "cortege event subscribers"
DELIVER_TASK = "cortege.deliver_event"


class IDomainEvent(Interface):
    """Something that happened, as ids."""

    name = Attribute("The event's name, '<plugin>.<what happened>'")
    actor_id = Attribute("Id of the member who acted, or None (the system, a visitor)")


@implementer(IDomainEvent)
@dataclass(frozen=True, kw_only=True)
class DomainEvent:
    """Base of every event: subclasses add their ids as fields."""

    name: ClassVar[str] = ""
    actor_id: int | None = None

    def payload(self) -> dict:
        return dataclasses.asdict(self)


class StoredEvent(Base):
    """The outbox: every event published, in the transaction of the change."""

    __tablename__ = "events"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict] = mapped_column(JSON)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


@dataclass(frozen=True)
class EventType:
    name: str
    event_class: type
    plugin: str = "core"


@dataclass(frozen=True)
class Subscriber:
    name: str
    interface: Any
    subscriber: Any
    sync: bool = False
    max_attempts: int = 8
    plugin: str = "core"


def add_domain_event(config, event_class) -> None:
    """Declare an event class (a ``DomainEvent`` subclass with a unique ``name``)."""
    name = getattr(event_class, "name", "")
    if not name or not IDomainEvent.implementedBy(event_class):
        raise ValueError(f"{event_class!r} must subclass core.events.DomainEvent and set name")
    register_item(config, EVENTS, name, EventType(name, event_class, plugin_of(config)))


def add_event_subscriber(config, interface, subscriber, name: str, sync: bool = False,
                         max_attempts: int = 8) -> None:
    """Call ``subscriber(request, event)`` for each event providing ``interface``: after
    commit in a worker, or at once inside the transaction when ``sync``."""
    item = Subscriber(name, interface, config.maybe_dotted(subscriber), sync, max_attempts,
                      plugin_of(config))
    register_item(config, SUBSCRIBERS, name, item,
                  title=f"{name} ({getattr(interface, '__name__', interface)})")


def subscribers_of(registry, event) -> list[Subscriber]:
    return [item for item in registered(registry, SUBSCRIBERS) if item.interface.providedBy(event)]


def publish(request, event: DomainEvent) -> int:
    """Record ``event`` in the current transaction and schedule its delivery; returns its id."""
    from core.jobs import defer

    declared = registered_map(request.registry, EVENTS).get(event.name)
    if declared is None or declared.event_class is not type(event):
        raise LookupError(f"The event {event.name!r} is not declared; call "
                          "config.add_domain_event with its class.")
    subscribers = subscribers_of(request.registry, event)
    for item in subscribers:
        if item.sync:
            item.subscriber(request, event)
    dbsession = request.dbsession
    stored = StoredEvent(name=event.name, payload=event.payload(), actor_id=event.actor_id,
                         created_at=utcnow())
    dbsession.add(stored)
    dbsession.flush()
    for item in subscribers:
        if not item.sync:
            defer(request, DELIVER_TASK, {"event_id": stored.id, "subscriber": item.name},
                  key=f"event:{stored.id}:{item.name}", max_attempts=item.max_attempts,
                  summary=f"{event.name} → {item.name}")
    return stored.id


def load(request, event_id: int) -> DomainEvent | None:
    """The event of the outbox row ``event_id``, as its class, or None."""
    stored = request.dbsession.get(StoredEvent, event_id)
    if stored is None:
        return None
    declared = registered_map(request.registry, EVENTS).get(stored.name)
    if declared is None:
        return None
    fields = {field.name for field in dataclasses.fields(declared.event_class)}
    return declared.event_class(**{k: v for k, v in stored.payload.items() if k in fields})


def deliver(request, event_id: int, subscriber: str) -> None:
    """The job that hands one event to one subscriber."""
    from core.jobs import JobRefused

    item = registered_map(request.registry, SUBSCRIBERS).get(subscriber)
    if item is None:
        raise JobRefused(f"no subscriber is called {subscriber!r} (is its plugin switched off?)")
    event = load(request, event_id)
    if event is None:
        raise JobRefused(f"event {event_id} is gone or its kind is no longer declared")
    item.subscriber(request, event)


def includeme(config):
    config.add_directive("add_domain_event", add_domain_event, action_wrap=False)
    config.add_directive("add_event_subscriber", add_event_subscriber, action_wrap=False)
    config.add_request_method(publish, "publish")
    config.add_job_task(DELIVER_TASK, deliver)
