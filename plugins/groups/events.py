"""What happens to groups and memberships, as domain events (see ``core.events``).

Each event carries ids, never ORM objects, and the acting member's id (``actor_id``: who
created, changed, invited, answered...; None for the system). The group service publishes
them in the transaction that makes the change, once its rows are flushed.

Groups (``IGroupEvent``: ``group_id``):

- ``groups.created``; ``groups.updated`` (name, description, pictures...);
  ``groups.status_changed`` (``status``, ``previous_status``; it also provides
  ``IGroupUpdated``, so a save gives one event); ``groups.deleted``.

Memberships (``IMembershipEvent``: ``group_id`` and ``user_id``, the person concerned):

- becoming a member (``IMemberJoined``): ``groups.member_joined`` (a public group),
  ``groups.invitation_accepted`` (``inviter_id``), ``groups.request_accepted`` (the actor
  is the admin or moderator who accepted);
- ceasing to be one (``IMembershipEnded``): ``groups.member_left``,
  ``groups.member_removed``, ``groups.member_banned`` (also of someone who was not a member);
- ``groups.role_changed`` (``role``, ``previous_role``), ``groups.member_unbanned``;
- invitations: ``groups.member_invited`` (the actor invites), ``groups.invitation_declined``
  (``inviter_id``), ``groups.invitation_withdrawn``;
- requests to join a private group: ``groups.join_requested``, ``groups.request_declined``,
  ``groups.request_withdrawn``.

``GroupDeleted`` is published before the group's row goes. Each plugin that keeps rows
belonging to a group subscribes synchronously in its ``includeme`` and deletes them (with
what depends on them) in the same transaction, so that a deleted group leaves nothing
behind, or nothing is deleted at all::

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

# -- groups ------------------------------------------------------------------------------------


class IGroupEvent(IDomainEvent):
    """Something that happened to a group."""

    group_id = Attribute("The group's id")


class IGroupCreated(IGroupEvent):
    """A member created a group (and is its first admin)."""


class IGroupUpdated(IGroupEvent):
    """The group's settings or pictures changed."""


class IGroupStatusChanged(IGroupUpdated):
    """The group turned public, private or hidden: who sees its content changed."""

    status = Attribute("The new status")
    previous_status = Attribute("The status before")


class IGroupDeleted(IGroupEvent):
    """A group is being deleted: its content must go with it, in this transaction."""


@implementer(IGroupCreated)
@dataclass(frozen=True, kw_only=True)
class GroupCreated(DomainEvent):
    name = "groups.created"
    group_id: int


@implementer(IGroupUpdated)
@dataclass(frozen=True, kw_only=True)
class GroupUpdated(DomainEvent):
    name = "groups.updated"
    group_id: int


@implementer(IGroupStatusChanged)
@dataclass(frozen=True, kw_only=True)
class GroupStatusChanged(DomainEvent):
    name = "groups.status_changed"
    group_id: int
    status: str
    previous_status: str


@implementer(IGroupDeleted)
@dataclass(frozen=True, kw_only=True)
class GroupDeleted(DomainEvent):
    name = "groups.deleted"
    group_id: int


# -- memberships -------------------------------------------------------------------------------


class IMembershipEvent(IGroupEvent):
    """Something that happened to one person's place in a group."""

    user_id = Attribute("The person concerned")


class IMemberJoined(IMembershipEvent):
    """The person became a member (joined, accepted an invitation, had a request accepted)."""


class IMembershipEnded(IMembershipEvent):
    """The person is no longer a member (left, removed or banned)."""


class IMemberLeft(IMembershipEnded):
    """The member left the group."""


class IMemberRemoved(IMembershipEnded):
    """An admin or moderator removed the member."""


class IMemberBanned(IMembershipEnded):
    """An admin or moderator banned the person (a member or not)."""


class IMemberUnbanned(IMembershipEvent):
    """The ban was lifted; the person may join or ask again."""


class IRoleChanged(IMembershipEvent):
    """The member's role in the group changed."""

    role = Attribute("member, moderator or admin")
    previous_role = Attribute("The role before")


class IMemberInvited(IMembershipEvent):
    """The actor invited the person."""


class IInvitationAnswered(IMembershipEvent):
    """The invited person answered; the inviter may want to know."""

    inviter_id = Attribute("Who invited them, or None")


class IInvitationAccepted(IInvitationAnswered, IMemberJoined):
    """The invited person accepted and is a member."""


class IInvitationDeclined(IInvitationAnswered):
    """The invited person declined."""


class IInvitationWithdrawn(IMembershipEvent):
    """An admin or moderator withdrew the invitation."""


class IJoinRequested(IMembershipEvent):
    """The person asked to join a private group; its admins and moderators answer."""


class IRequestAnswered(IMembershipEvent):
    """An admin or moderator (the actor) answered the request; the person may want to know."""


class IRequestAccepted(IRequestAnswered, IMemberJoined):
    """An admin or moderator (the actor) accepted the request."""


class IRequestDeclined(IRequestAnswered):
    """An admin or moderator (the actor) declined the request."""


class IRequestWithdrawn(IMembershipEvent):
    """The person withdrew their request."""


@dataclass(frozen=True, kw_only=True)
class _Membership(DomainEvent):
    group_id: int
    user_id: int


@implementer(IMemberJoined)
@dataclass(frozen=True, kw_only=True)
class MemberJoined(_Membership):
    name = "groups.member_joined"


@implementer(IMemberLeft)
@dataclass(frozen=True, kw_only=True)
class MemberLeft(_Membership):
    name = "groups.member_left"


@implementer(IMemberRemoved)
@dataclass(frozen=True, kw_only=True)
class MemberRemoved(_Membership):
    name = "groups.member_removed"


@implementer(IMemberBanned)
@dataclass(frozen=True, kw_only=True)
class MemberBanned(_Membership):
    name = "groups.member_banned"


@implementer(IMemberUnbanned)
@dataclass(frozen=True, kw_only=True)
class MemberUnbanned(_Membership):
    name = "groups.member_unbanned"


@implementer(IRoleChanged)
@dataclass(frozen=True, kw_only=True)
class RoleChanged(_Membership):
    name = "groups.role_changed"
    role: str
    previous_role: str


@implementer(IMemberInvited)
@dataclass(frozen=True, kw_only=True)
class MemberInvited(_Membership):
    name = "groups.member_invited"


@implementer(IInvitationAccepted)
@dataclass(frozen=True, kw_only=True)
class InvitationAccepted(_Membership):
    name = "groups.invitation_accepted"
    inviter_id: int | None = None


@implementer(IInvitationDeclined)
@dataclass(frozen=True, kw_only=True)
class InvitationDeclined(_Membership):
    name = "groups.invitation_declined"
    inviter_id: int | None = None


@implementer(IInvitationWithdrawn)
@dataclass(frozen=True, kw_only=True)
class InvitationWithdrawn(_Membership):
    name = "groups.invitation_withdrawn"


@implementer(IJoinRequested)
@dataclass(frozen=True, kw_only=True)
class JoinRequested(_Membership):
    name = "groups.join_requested"


@implementer(IRequestAccepted)
@dataclass(frozen=True, kw_only=True)
class RequestAccepted(_Membership):
    name = "groups.request_accepted"


@implementer(IRequestDeclined)
@dataclass(frozen=True, kw_only=True)
class RequestDeclined(_Membership):
    name = "groups.request_declined"


@implementer(IRequestWithdrawn)
@dataclass(frozen=True, kw_only=True)
class RequestWithdrawn(_Membership):
    name = "groups.request_withdrawn"


EVENTS = (
    GroupCreated, GroupUpdated, GroupStatusChanged, GroupDeleted,
    MemberJoined, MemberLeft, MemberRemoved, MemberBanned, MemberUnbanned, RoleChanged,
    MemberInvited, InvitationAccepted, InvitationDeclined, InvitationWithdrawn,
    JoinRequested, RequestAccepted, RequestDeclined, RequestWithdrawn,
)


def includeme(config):
    for event_class in EVENTS:
        config.add_domain_event(event_class)
