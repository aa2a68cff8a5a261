"""What happens in the social layer, as domain events (see ``core.events``): ids, never rows.

Published by the social service in the transaction that makes the change, and declared with
``config.add_domain_event`` by the social plugin. Other plugins (notifications, search)
subscribe to them through these interfaces when the social plugin is on.

``ConnectionRequested``  ``actor_id`` asked ``other_id`` to connect
``ConnectionAccepted``   ``actor_id`` accepted the request of ``other_id``
``MemberFollowed``       ``actor_id`` follows a member or a group (``subject_kind``,
                         ``"member"`` or ``"group"``, and ``subject_id``)
``StatusPosted``         ``actor_id`` posted the status update ``status_id`` (on their
                         profile, or in ``group_id``)
``EntryModerated``       a moderator (``actor_id``) hid or deleted (``outcome``) the entry
                         ``entry_id`` of ``owner_id``
"""

from __future__ import annotations

from dataclasses import dataclass

from zope.interface import Attribute, implementer

from core.events import DomainEvent, IDomainEvent


class IConnectionRequested(IDomainEvent):
    other_id = Attribute("The member asked to connect")
    connection_id = Attribute("The connection's id")


class IConnectionAccepted(IDomainEvent):
    other_id = Attribute("The member whose request was accepted")
    connection_id = Attribute("The connection's id")


class IMemberFollowed(IDomainEvent):
    subject_kind = Attribute('"member" or "group"')
    subject_id = Attribute("The followed member's or group's id")


class IStatusPosted(IDomainEvent):
    status_id = Attribute("The status update's id")
    group_id = Attribute("The group it was posted to, or None for the author's profile")


class IEntryModerated(IDomainEvent):
    entry_id = Attribute("The activity entry's id")
    owner_id = Attribute("The member whose entry it was")
    outcome = Attribute('"hidden" or "deleted"')


@implementer(IConnectionRequested)
@dataclass(frozen=True, kw_only=True)
class ConnectionRequested(DomainEvent):
    name = "social.connection_requested"
    other_id: int
    connection_id: int


@implementer(IConnectionAccepted)
@dataclass(frozen=True, kw_only=True)
class ConnectionAccepted(DomainEvent):
    name = "social.connection_accepted"
    other_id: int
    connection_id: int


@implementer(IMemberFollowed)
@dataclass(frozen=True, kw_only=True)
class MemberFollowed(DomainEvent):
    name = "social.followed"
    subject_kind: str
    subject_id: int


@implementer(IStatusPosted)
@dataclass(frozen=True, kw_only=True)
class StatusPosted(DomainEvent):
    name = "social.status_posted"
    status_id: int
    group_id: int | None = None


@implementer(IEntryModerated)
@dataclass(frozen=True, kw_only=True)
class EntryModerated(DomainEvent):
    name = "social.entry_moderated"
    entry_id: int
    owner_id: int
    outcome: str


EVENTS = (ConnectionRequested, ConnectionAccepted, MemberFollowed, StatusPosted, EntryModerated)
