"""The bundled sources: domain events of the core and of each bundled plugin that is on,
turned into notifications. Each subscriber runs in a worker and names the recipients; the
jobs of ``notify`` keep those who may see the subject then."""

from __future__ import annotations

from sqlalchemy import select

from core.extensions import plugin_enabled
from core.mentions import IMemberMentioned
from plugins.notifications import _
from plugins.notifications.services import notify
from plugins.notifications.types import EMAIL, IN_APP, OFF

GROUP = "groups.group"


def mentioned(request, event):
    notify(request, "core.mentioned", [event.user_id], (event.content_type, event.content_id),
           event.actor_id)


# -- forums --------------------------------------------------------------------------------


def topic_replied(request, event):
    from plugins.forums.models import Topic

    if getattr(event, "is_first", False):
        return
    author_id = request.dbsession.scalar(select(Topic.author_id).where(Topic.id == event.topic_id))
    if author_id is not None:
        notify(request, "forums.reply", [author_id], ("forums.post", event.post_id),
               event.actor_id)


# -- groups --------------------------------------------------------------------------------


def _group(request, group_id):
    from plugins.groups.interfaces import group_service

    return group_service(request).get(group_id)


def invited(request, event):
    notify(request, "groups.invitation", [event.user_id], (GROUP, event.group_id), event.actor_id)


def join_requested(request, event):
    from plugins.groups.interfaces import group_service

    group = _group(request, event.group_id)
    if group is not None:
        managers = [user.id for user in group_service(request).managers(group)]
        notify(request, "groups.join_request", managers, (GROUP, group.id), event.actor_id)


def request_accepted(request, event):
    notify(request, "groups.request_accepted", [event.user_id], (GROUP, event.group_id),
           event.actor_id)


def role_changed(request, event):
    notify(request, "groups.role_changed", [event.user_id], (GROUP, event.group_id),
           event.actor_id)


def _members(request, group_id):
    from plugins.groups.interfaces import group_service

    group = _group(request, group_id) if group_id else None
    if group is None:
        return []
    return request.dbsession.scalars(group_service(request).member_ids(group)).all()


# -- agenda --------------------------------------------------------------------------------


def _attendees(request, event_id):
    from plugins.agenda.models import GOING, WAITLIST, Rsvp

    return request.dbsession.scalars(select(Rsvp.user_id).where(
        Rsvp.event_id == event_id, Rsvp.status.in_((GOING, WAITLIST)))).all()


def event_changed(request, event):
    notify(request, "agenda.event_changed", _attendees(request, event.event_id),
           ("agenda.event", event.event_id), event.actor_id)


def event_cancelled(request, event):
    notify(request, "agenda.event_cancelled", _attendees(request, event.event_id),
           ("agenda.event", event.event_id), event.actor_id)


def waitlist_promoted(request, event):
    notify(request, "agenda.waitlist_promoted", [event.user_id],
           ("agenda.event", event.event_id), event.actor_id)


def event_published(request, event):
    if event.group_id:
        notify(request, "agenda.group_event", _members(request, event.group_id),
               ("agenda.event", event.event_id), event.actor_id)


# -- polls and petitions -------------------------------------------------------------------


def poll_opened(request, event):
    if event.group_id:
        notify(request, "polls.opened", _members(request, event.group_id),
               ("polls.poll", event.poll_id), event.actor_id)


def goal_reached(request, event):
    from plugins.petitions.models import Signature

    signers = request.dbsession.scalars(select(Signature.user_id).where(
        Signature.petition_id == event.petition_id, Signature.user_id.is_not(None),
        Signature.confirmed_at.is_not(None))).all()
    notify(request, "petitions.goal_reached", signers, ("petitions.petition", event.petition_id))


# -- the social layer ----------------------------------------------------------------------


def connection_requested(request, event):
    notify(request, "social.connection_requested", [event.other_id],
           ("profiles.profile", event.actor_id), event.actor_id)


def entry_moderated(request, event):
    # The moderator is not named.
    notify(request, "social.moderated", [event.owner_id], ("profiles.profile", event.owner_id))


# -- comments ------------------------------------------------------------------------------


def commented(request, event):
    """The content's owner and those who commented on it before hear of a new comment, with
    the content as the subject: the jobs keep only those who may still see it."""
    from plugins.comments.interfaces import ICommentService

    participants = request.find_service(ICommentService).participant_ids(
        event.kind, event.content_id)
    notify(request, "comments.comment", participants, (event.kind, event.content_id),
           event.actor_id)


def includeme(config):
    registry = config.registry
    add_type, subscribe = config.add_notification_type, config.add_event_subscriber
    add_type("core.mentioned", _("Someone mentions me"), EMAIL,
             _("${actor} mentioned you in “${subject}”"), order=10)
    subscribe(IMemberMentioned, mentioned, name="notifications.mentioned")
    if plugin_enabled(registry, "forums"):
        from plugins.forums.events import IPostCreated

        add_type("forums.reply", _("Replies to my topics"), IN_APP,
                 _("${actor} replied to your topic “${subject}”"), order=20)
        subscribe(IPostCreated, topic_replied, name="notifications.topic_replied")
    if plugin_enabled(registry, "groups"):
        from plugins.groups import events as groups

        add_type("groups.invitation", _("Invitations to a group"), EMAIL,
                 _("${actor} invited you to join “${subject}”"), order=30)
        add_type("groups.join_request", _("Requests to join a group I run"), EMAIL,
                 _("${actor} asks to join “${subject}”"), order=31)
        add_type("groups.request_accepted", _("My requests to join accepted"), IN_APP,
                 _("You are now a member of “${subject}”"), order=32)
        add_type("groups.role_changed", _("My role in a group changed"), IN_APP,
                 _("${actor} changed your role in “${subject}”"), order=33)
        subscribe(groups.IMemberInvited, invited, name="notifications.invited")
        subscribe(groups.IJoinRequested, join_requested, name="notifications.join_requested")
        subscribe(groups.IRequestAccepted, request_accepted,
                  name="notifications.request_accepted")
        subscribe(groups.IRoleChanged, role_changed, name="notifications.role_changed")
    if plugin_enabled(registry, "agenda"):
        from plugins.agenda import events as agenda

        add_type("agenda.event_changed", _("Changes to events I attend"), IN_APP,
                 _("“${subject}” changed"), order=40)
        add_type("agenda.event_cancelled", _("Events I attend cancelled"), IN_APP,
                 _("“${subject}” is cancelled"), order=41)
        add_type("agenda.waitlist_promoted", _("A place for me at an event"), IN_APP,
                 _("A place came free for you at “${subject}”"), order=42)
        subscribe(agenda.IEventChanged, event_changed, name="notifications.event_changed")
        subscribe(agenda.IEventCancelled, event_cancelled, name="notifications.event_cancelled")
        subscribe(agenda.IWaitlistPromoted, waitlist_promoted,
                  name="notifications.waitlist_promoted")
        if plugin_enabled(registry, "groups"):
            add_type("agenda.group_event", _("New events in my groups"), IN_APP,
                     _("New event in your group: “${subject}”"), order=43)
            subscribe(agenda.IEventPublished, event_published,
                      name="notifications.event_published")
    if plugin_enabled(registry, "polls") and plugin_enabled(registry, "groups"):
        from plugins.polls.events import IPollOpened

        add_type("polls.opened", _("Polls opened in my groups"), IN_APP,
                 _("A poll is open in your group: “${subject}”"), order=50)
        subscribe(IPollOpened, poll_opened, name="notifications.poll_opened")
    if plugin_enabled(registry, "petitions"):
        from plugins.petitions.events import IGoalReached

        add_type("petitions.goal_reached", _("Petitions I signed reach their goal"), OFF,
                 _("“${subject}” reached its goal"), order=60)
        subscribe(IGoalReached, goal_reached, name="notifications.goal_reached")
    if plugin_enabled(registry, "social"):
        from plugins.social.events import IConnectionRequested, IEntryModerated

        add_type("social.connection_requested", _("Requests to connect"), EMAIL,
                 _("${actor} asks to connect with you"), order=70)
        add_type("social.moderated", _("Moderation of what I posted"), IN_APP,
                 _("A moderator took one of your posts out of view"), order=90)
        subscribe(IConnectionRequested, connection_requested,
                  name="notifications.connection_requested")
        subscribe(IEntryModerated, entry_moderated, name="notifications.entry_moderated")
    if plugin_enabled(registry, "comments"):
        from plugins.comments.events import ICommentPosted

        add_type("comments.comment", _("Comments on what I published or commented on"),
                 IN_APP, _("${actor} commented on “${subject}”"), order=80)
        subscribe(ICommentPosted, commented, name="notifications.commented")
