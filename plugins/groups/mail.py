"""The mail groups send, written by subscribers of the groups' events (after the commit, in a
worker), each to whoever should hear of it *when it runs*.

Every message is about the group (``about=("groups.group", id)``) and addressed to a member
(``user_id``): it is dropped when it leaves if the recipient may no longer know of the group
(a request declined by a group that turned hidden names nothing), or their account changed.
Each subscriber also checks that what it tells is still true (a request withdrawn before its
mail was written is not announced to the admins).

- ``groups.mail_join_request``: a request to join goes to the group's admins and moderators
  (``GroupService.managers``: active accounts, chosen with the group's visibility rule);
- ``groups.mail_request_answer``: the person who asked hears of the answer;
- ``groups.mail_invitation``: the invited person gets the invitation;
- ``groups.mail_invitation_answer``: the inviter hears of the answer, while still a member.
"""

from __future__ import annotations

from core.accounts.models import User
from core.mail import recipient_locale
from plugins.groups import _
from plugins.groups.content import NAME
from plugins.groups.events import (
    IInvitationAccepted,
    IInvitationAnswered,
    IJoinRequested,
    IMemberInvited,
    IRequestAccepted,
    IRequestAnswered,
)
from plugins.groups.interfaces import IGroupService
from plugins.groups.models import INVITED, REQUESTED


def _send(request, user, group, subject, template: str, **values) -> None:
    """One message to ``user`` about ``group``, in their language (else the site's)."""
    locale = recipient_locale(request.registry.settings, user)
    request.send_mail(user.email, subject, template, {"user": user, "group": group, **values},
                      locale=locale, user_id=user.id, about=(NAME, group.id))


def _found(request, event):
    """(service, group, person) of a membership event, or None when either is gone."""
    service = request.find_service(IGroupService)
    group = service.get(event.group_id)
    person = request.dbsession.get(User, event.user_id)
    if group is None or person is None:
        return None
    return service, group, person


def _state(service, group, person) -> str | None:
    membership = service.membership(group, person)
    return membership.state if membership is not None else None


def mail_join_request(request, event) -> None:
    found = _found(request, event)
    if found is None or not found[2].can_log_in:
        return  # gone, or suspended: the requests list does not show them either
    service, group, person = found
    if _state(service, group, person) != REQUESTED:
        return  # withdrawn or answered meanwhile
    url = request.route_url("groups_people", slug=group.slug, list="requests")
    for manager in service.managers(group):
        _send(request, manager, group,
              _("${name} asks to join ${group}",
                mapping={"name": person.display_name, "group": group.name}),
              "groups/mail/request.txt.jinja2", person=person, url=url)


def mail_request_answer(request, event) -> None:
    found = _found(request, event)
    if found is None or not found[2].can_log_in:
        return
    service, group, person = found
    if IRequestAccepted.providedBy(event):
        if service.role(group, person) is None:
            return  # no longer a member: the welcome would be wrong
        _send(request, person, group, _("Welcome to ${group}", mapping={"group": group.name}),
              "groups/mail/approved.txt.jinja2",
              url=request.route_url("groups_group", slug=group.slug))
    else:
        _send(request, person, group,
              _("Your request to join ${group}", mapping={"group": group.name}),
              "groups/mail/rejected.txt.jinja2")


def mail_invitation(request, event) -> None:
    found = _found(request, event)
    if found is None or not found[2].can_log_in:
        return
    service, group, person = found
    membership = service.membership(group, person)
    if membership is None or membership.state != INVITED or membership.invited_by_id is None:
        return  # answered or withdrawn meanwhile, or the inviter left the site
    inviter = request.dbsession.get(User, membership.invited_by_id)
    _send(request, person, group,
          _("${name} invites you to ${group}",
            mapping={"name": inviter.display_name, "group": group.name}),
          "groups/mail/invited.txt.jinja2", person=inviter,
          url=request.route_url("groups_group", slug=group.slug))


def mail_invitation_answer(request, event) -> None:
    found = _found(request, event)
    if found is None or event.inviter_id is None:
        return
    service, group, person = found
    inviter = request.dbsession.get(User, event.inviter_id)
    if inviter is None or not inviter.can_log_in or service.role(group, inviter) is None:
        return  # the inviter hears of it only while a member
    mapping = {"name": person.display_name, "group": group.name}
    if IInvitationAccepted.providedBy(event):
        subject, template = (_("${name} joined ${group}", mapping=mapping),
                             "groups/mail/accepted.txt.jinja2")
    else:
        subject, template = (_("${name} declined to join ${group}", mapping=mapping),
                             "groups/mail/declined.txt.jinja2")
    _send(request, inviter, group, subject, template, person=person,
          url=request.route_url("groups_group", slug=group.slug))


def includeme(config):
    config.add_event_subscriber(IJoinRequested, mail_join_request,
                                name="groups.mail_join_request")
    config.add_event_subscriber(IRequestAnswered, mail_request_answer,
                                name="groups.mail_request_answer")
    config.add_event_subscriber(IMemberInvited, mail_invitation, name="groups.mail_invitation")
    config.add_event_subscriber(IInvitationAnswered, mail_invitation_answer,
                                name="groups.mail_invitation_answer")
