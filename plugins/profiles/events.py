"""What happens to profiles, as domain events (see ``core.events``).

``profiles.updated`` (``ProfileUpdated``: ``user_id``, the member whose profile changed) is
published by the profile service when a member's answers or picture change, by the member or
by an admin (``actor_id``): what search and activity streams need to read the profile again.
"""

from __future__ import annotations

from dataclasses import dataclass

from zope.interface import Attribute, implementer

from core.events import DomainEvent, IDomainEvent


class IProfileUpdated(IDomainEvent):
    """A member's answers or picture changed."""

    user_id = Attribute("The member whose profile it is")


@implementer(IProfileUpdated)
@dataclass(frozen=True, kw_only=True)
class ProfileUpdated(DomainEvent):
    name = "profiles.updated"
    user_id: int


def includeme(config):
    config.add_domain_event(ProfileUpdated)
