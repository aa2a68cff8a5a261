"""What happens to polls, as domain events (see ``core.events``): ids, never rows.

``PollOpened``  a poll takes ballots: published when a member creates a poll that opens at
                once (they are the actor), else by the periodic task ``polls.publish_due``
                when its opening time comes (no actor)
``PollClosed``  a poll takes no more ballots: published when an organiser closes it early,
                else by the periodic task when its closing time comes; its results may show
``VoteCast``    a member cast their ballot (``actor_id``)

``VoteCast`` says who voted, which the poll's page says too (the turnout, and the
participation record every poll keeps), never what they chose; a ballot changed later
publishes nothing, so that the events tell no more than that record about a secret ballot.
"""

from __future__ import annotations

from dataclasses import dataclass

from zope.interface import Attribute, implementer

from core.events import DomainEvent, IDomainEvent


class IPollEvent(IDomainEvent):
    """Something that happened to a poll."""

    poll_id = Attribute("The poll's id")


class IPollOpened(IPollEvent):
    group_id = Attribute("The group whose members it consults, or None")


class IPollClosed(IPollEvent):
    group_id = Attribute("The group whose members it consulted, or None")


class IVoteCast(IPollEvent):
    """A member voted (``actor_id``)."""


@implementer(IPollOpened)
@dataclass(frozen=True, kw_only=True)
class PollOpened(DomainEvent):
    name = "polls.poll_opened"
    poll_id: int
    group_id: int | None = None


@implementer(IPollClosed)
@dataclass(frozen=True, kw_only=True)
class PollClosed(DomainEvent):
    name = "polls.poll_closed"
    poll_id: int
    group_id: int | None = None


@implementer(IVoteCast)
@dataclass(frozen=True, kw_only=True)
class VoteCast(DomainEvent):
    name = "polls.vote_cast"
    poll_id: int


EVENTS = (PollOpened, PollClosed, VoteCast)
