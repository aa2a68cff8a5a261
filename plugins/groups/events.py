"""What happens to groups, as domain events (see ``core.events``): ids, not ORM objects.

``GroupDeleted`` is published by the group service inside the transaction that deletes the
group, before the group's row goes. Each plugin that keeps rows belonging to a group
subscribes synchronously in its ``includeme`` and deletes them (with what depends on them) in
the same transaction, so that a deleted group leaves nothing behind, or nothing is deleted
at all::

    from plugins.groups.events import IGroupDeleted

    def forget_group(request, event):
        ...delete the rows whose group_id is event.group_id...

    config.add_event_subscriber(IGroupDeleted, forget_group, name="notes.forget_group",
                                sync=True)
"""

from __future__ import annotations

from dataclasses import dataclass

from zope.interface import Attribute, implementer

from core.events import DomainEvent, IDomainEvent


class IGroupEvent(IDomainEvent):
    """Something that happened to a group."""

    group_id = Attribute("The group's id")


class IGroupDeleted(IGroupEvent):
    """A group is being deleted: its content must go with it, in this transaction."""


@implementer(IGroupDeleted)
@dataclass(frozen=True, kw_only=True)
class GroupDeleted(DomainEvent):
    name = "groups.deleted"
    group_id: int


EVENTS = (GroupDeleted,)


def includeme(config):
    for event_class in EVENTS:
        config.add_domain_event(event_class)
