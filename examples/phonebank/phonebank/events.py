"""What happens in the phone bank, as domain events (see ``core.events``): ids, never rows.

Each is published by ``PhonebankService`` in the transaction that makes the change, with the
member who acted as ``actor_id``:

``CampaignCreated``  a group's organiser opened a campaign
``CallLogged``       a caller logged a call (its outcome is on the call's row)
``CampaignClosed``   an organiser closed a campaign

Another plugin listens with ``config.add_event_subscriber(ICallLogged, subscriber,
name="<its plugin>.<what it does>")``. The phone bank itself subscribes to
``CampaignCreated`` (``phonebank.tell_callees``: mail the members who agreed to be called
that the group starts calling) and to the groups' ``GroupDeleted`` (its campaigns go with the
group).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.events import DomainEvent, IDomainEvent
from zope.interface import Attribute, implementer


class ICampaignEvent(IDomainEvent):
    """Something that happened to a campaign."""

    campaign_id = Attribute("The campaign's id")


class ICampaignCreated(ICampaignEvent):
    group_id = Attribute("The group that runs it")


class ICallLogged(ICampaignEvent):
    call_id = Attribute("The call's id")


class ICampaignClosed(ICampaignEvent):
    """The campaign logs no more calls."""


@implementer(ICampaignCreated)
@dataclass(frozen=True, kw_only=True)
class CampaignCreated(DomainEvent):
    name = "phonebank.campaign_created"
    campaign_id: int
    group_id: int


@implementer(ICallLogged)
@dataclass(frozen=True, kw_only=True)
class CallLogged(DomainEvent):
    name = "phonebank.call_logged"
    campaign_id: int
    call_id: int


@implementer(ICampaignClosed)
@dataclass(frozen=True, kw_only=True)
class CampaignClosed(DomainEvent):
    name = "phonebank.campaign_closed"
    campaign_id: int


EVENTS = (CampaignCreated, CallLogged, CampaignClosed)
