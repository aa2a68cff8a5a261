"""What the groups plugin tells other plugins: small typed records, ids and not ORM objects.

``GroupDeleted`` is published by the group service inside the transaction that deletes the
group, before the group's row goes. Each plugin that keeps rows belonging to a group
subscribes in its ``includeme`` and deletes them (with what depends on them) in the same
transaction, so that a deleted group leaves nothing behind, or nothing is deleted at all::

    from plugins.groups.events import IGroupDeleted

    def forget_group(event):
        request = get_current_request()  # the request deleting the group
        ...delete the rows whose group_id is event.group_id...

    config.add_subscriber(forget_group, IGroupDeleted)

Subscribers run synchronously, in the request that deletes the group; they reach its
database session through ``pyramid.threadlocal.get_current_request()``.
"""

from __future__ import annotations

from dataclasses import dataclass

from zope.interface import Attribute, Interface, implementer


class IGroupDeleted(Interface):
    """A group is being deleted: its content must go with it, in this transaction."""

    group_id = Attribute("The id of the group being deleted.")
    actor_id = Attribute("The id of the member deleting it, or None (a command, a cascade).")


@implementer(IGroupDeleted)
@dataclass(frozen=True)
class GroupDeleted:
    group_id: int
    actor_id: int | None
