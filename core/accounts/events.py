"""What happens to accounts, as domain events (see ``core.events``)."""

from __future__ import annotations

from dataclasses import dataclass

from zope.interface import Attribute, implementer

from core.events import DomainEvent, IDomainEvent


class IMemberEvent(IDomainEvent):
    """Something that happened to a member's account."""

    user_id = Attribute("The member's id")


class IMemberRegistered(IMemberEvent):
    """Someone registered (their address is not confirmed yet)."""


class IMemberActivated(IMemberEvent):
    """An account opened: address confirmed (and approved, where the site asks for it)."""


class IMemberSuspended(IMemberEvent):
    """An admin suspended the account."""


class IMemberReinstated(IMemberEvent):
    """An admin lifted the suspension."""


class IMemberRoleChanged(IMemberEvent):
    """The member's site role changed."""

    role = Attribute("The new role: member, moderator or admin")


class IMemberDeleted(IMemberEvent):
    """The account was deleted (by the member or an admin); its personal data is gone."""


@implementer(IMemberRegistered)
@dataclass(frozen=True, kw_only=True)
class MemberRegistered(DomainEvent):
    name = "accounts.registered"
    user_id: int


@implementer(IMemberActivated)
@dataclass(frozen=True, kw_only=True)
class MemberActivated(DomainEvent):
    name = "accounts.activated"
    user_id: int


@implementer(IMemberSuspended)
@dataclass(frozen=True, kw_only=True)
class MemberSuspended(DomainEvent):
    name = "accounts.suspended"
    user_id: int


@implementer(IMemberReinstated)
@dataclass(frozen=True, kw_only=True)
class MemberReinstated(DomainEvent):
    name = "accounts.reinstated"
    user_id: int


@implementer(IMemberRoleChanged)
@dataclass(frozen=True, kw_only=True)
class MemberRoleChanged(DomainEvent):
    name = "accounts.role_changed"
    user_id: int
    role: str


@implementer(IMemberDeleted)
@dataclass(frozen=True, kw_only=True)
class MemberDeleted(DomainEvent):
    name = "accounts.deleted"
    user_id: int


EVENTS = (MemberRegistered, MemberActivated, MemberSuspended, MemberReinstated,
          MemberRoleChanged, MemberDeleted)


def includeme(config):
    for event_class in EVENTS:
        config.add_domain_event(event_class)
