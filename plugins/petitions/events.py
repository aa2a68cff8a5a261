"""What happens to petitions, as domain events (see ``core.events``): ids, never rows.

Each is published by ``PetitionService`` in the transaction that makes the change:

``PetitionLaunched``     a petition opened (``group_id`` None for a petition of the site)
``PetitionSigned``       a signature was taken; it counts once confirmed
``SignatureConfirmed``   its signer followed the mailed link: the signature counts
``GoalReached``          the confirmed signatures reached the goal (once per petition)
``PetitionClosed``       an organiser closed the petition

``actor_id`` is the member who acted, or None: a visitor signing or confirming, or the site
(``GoalReached``). A signature's events carry the member who sent the form, who is not always
the signer (a member may sign with a friend's address, which the friend confirms): whoever
shows signers by name must read the signature's ``show_name``, as the pages do.

The plugin's own subscribers: ``petitions.check_goal`` (after ``SignatureConfirmed``: counts,
and publishes ``GoalReached`` the first time the goal is met) and ``petitions.goal_news``
(after ``GoalReached``: mails the signers who asked for news of the campaign, in jobs of
``CHUNK`` recipients).
"""

from __future__ import annotations

from dataclasses import dataclass

from zope.interface import Attribute, implementer

from core.events import DomainEvent, IDomainEvent


class IPetitionEvent(IDomainEvent):
    """Something that happened to a petition."""

    petition_id = Attribute("The petition's id")


class IPetitionLaunched(IPetitionEvent):
    group_id = Attribute("The group whose petition it is, or None")


class ISignatureEvent(IPetitionEvent):
    signature_id = Attribute("The signature's id")


class IPetitionSigned(ISignatureEvent):
    """A signature was taken, not yet confirmed."""


class ISignatureConfirmed(ISignatureEvent):
    """A signature now counts."""


class IGoalReached(IPetitionEvent):
    """The petition's confirmed signatures reached its goal."""


class IPetitionClosed(IPetitionEvent):
    """The petition takes no more signatures."""


@implementer(IPetitionLaunched)
@dataclass(frozen=True, kw_only=True)
class PetitionLaunched(DomainEvent):
    name = "petitions.petition_launched"
    petition_id: int
    group_id: int | None = None


@implementer(IPetitionSigned)
@dataclass(frozen=True, kw_only=True)
class PetitionSigned(DomainEvent):
    name = "petitions.petition_signed"
    petition_id: int
    signature_id: int


@implementer(ISignatureConfirmed)
@dataclass(frozen=True, kw_only=True)
class SignatureConfirmed(DomainEvent):
    name = "petitions.signature_confirmed"
    petition_id: int
    signature_id: int


@implementer(IGoalReached)
@dataclass(frozen=True, kw_only=True)
class GoalReached(DomainEvent):
    name = "petitions.goal_reached"
    petition_id: int


@implementer(IPetitionClosed)
@dataclass(frozen=True, kw_only=True)
class PetitionClosed(DomainEvent):
    name = "petitions.petition_closed"
    petition_id: int


EVENTS = (PetitionLaunched, PetitionSigned, SignatureConfirmed, GoalReached, PetitionClosed)
