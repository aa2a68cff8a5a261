"""Activity entries from every plugin's domain events: one subscriber per source event, run
after the source's commit (in a worker), each writing at most one entry.

Each subscriber only records what happened; who may see it is decided when a stream is read
(see ``plugins.social.services``). Plugins that are off are not subscribed to.
"""

from __future__ import annotations

from core.extensions import plugin_enabled
from plugins.social.interfaces import ISocialService
from plugins.social.models import Preferences


def social(request):
    return request.find_service(ISocialService)


def _group_of(request, kind_name, subject_id):
    from core.content import content_type

    kind = content_type(request.registry, kind_name)
    row = request.dbsession.get(kind.model, subject_id)
    if row is None:
        return None, None
    return row, getattr(row, "group_id", None)


def _owner(kind_name, row, request):
    from core.content import content_type

    owner = content_type(request.registry, kind_name).owner
    return getattr(row, owner, None) if owner else None


def recorder(verb, kind_name, id_field, actor_field="actor_id", once=False, when=None):
    """A subscriber recording ``verb`` on the ``kind_name`` row whose id is the event's
    ``id_field``, done by the event's ``actor_field`` (or the row's owner)."""

    def subscriber(request, event):
        if when is not None and not when(request, event):
            return
        subject_id = getattr(event, id_field)
        row, group_id = _group_of(request, kind_name, subject_id)
        if row is None:
            return
        actor_id = getattr(event, actor_field, None) or _owner(kind_name, row, request)
        if once:
            social(request).record_once(verb, actor_id, kind_name, subject_id, group_id)
        else:
            social(request).record(verb, actor_id, kind_name, subject_id, group_id)

    return subscriber


def record_joined(request, event):
    from sqlalchemy import select

    from plugins.social.models import Entry

    found = request.dbsession.execute(select(Entry.id).where(
        Entry.verb == "groups.joined", Entry.actor_id == event.user_id,
        Entry.subject_id == event.group_id)).first()
    if found is None:
        social(request).record("groups.joined", event.user_id, "groups.group", event.group_id,
                               event.group_id)


def _shares_rsvps(request, event) -> bool:
    if event.status != "going":
        return False
    prefs = request.dbsession.get(Preferences, event.user_id)
    return prefs is not None and prefs.share_rsvps


def _is_reply(request, event) -> bool:
    return not event.is_first


def mention_in_post(request, event):
    """``@username`` in a topic or a reply brings it to the personal streams of the members
    named who may see it."""
    from sqlalchemy import select

    from core.accounts.models import User
    from plugins.forums.models import Post
    from plugins.social.models import Entry

    post = request.dbsession.get(Post, event.post_id)
    actor = request.dbsession.get(User, event.actor_id) if event.actor_id else None
    if post is None or actor is None:
        return
    entry = request.dbsession.scalars(select(Entry).where(
        Entry.subject_kind == ("forums.topic" if post.is_first else "forums.post"),
        Entry.subject_id == (post.topic_id if post.is_first else post.id))).first()
    # The forums tell the members named (``publish_mentions``); the social layer adds the
    # post to the personal streams of those who may see it.
    social(request).mention(actor, "forums.post", post.id, post.body, entry, publish=False)


def forget_group(request, event):
    social(request).forget_group(event.group_id)


def forget_subject(kind_name, id_field):
    def subscriber(request, event):
        social(request).forget_subject(kind_name, getattr(event, id_field))
    return subscriber


def includeme(config):
    registry = config.registry
    add = config.add_event_subscriber
    if plugin_enabled(registry, "groups"):
        from plugins.groups.events import IGroupDeleted, IMemberJoined

        add(IMemberJoined, record_joined, name="social.record_joined")
        add(IGroupDeleted, forget_group, name="social.forget_group", sync=True)
    if plugin_enabled(registry, "forums"):
        from plugins.forums.events import IPostCreated, IPostDeleted, ITopicCreated, ITopicDeleted

        add(ITopicCreated, recorder("forums.topic", "forums.topic", "topic_id"),
            name="social.record_topic")
        add(IPostCreated, recorder("forums.reply", "forums.post", "post_id", when=_is_reply),
            name="social.record_reply")
        add(IPostCreated, mention_in_post, name="social.mention_in_post")
        add(ITopicDeleted, forget_subject("forums.topic", "topic_id"),
            name="social.forget_topic")
        add(IPostDeleted, forget_subject("forums.post", "post_id"), name="social.forget_post")
    if plugin_enabled(registry, "agenda"):
        from plugins.agenda.events import (
            IEventChanged,
            IEventDeleted,
            IEventPublished,
            IRsvpAnswered,
        )

        add(IEventPublished, recorder("agenda.published", "agenda.event", "event_id"),
            name="social.record_event_published")
        add(IEventChanged, recorder("agenda.changed", "agenda.event", "event_id"),
            name="social.record_event_changed")
        add(IRsvpAnswered, recorder("agenda.going", "agenda.event", "event_id", "user_id",
                                    once=True, when=_shares_rsvps),
            name="social.record_going")
        add(IEventDeleted, forget_subject("agenda.event", "event_id"),
            name="social.forget_event")
    if plugin_enabled(registry, "petitions"):
        from plugins.petitions.events import IGoalReached, IPetitionLaunched

        add(IPetitionLaunched, recorder("petitions.launched", "petitions.petition",
                                        "petition_id"), name="social.record_petition")
        add(IGoalReached, recorder("petitions.goal", "petitions.petition", "petition_id",
                                   actor_field="", once=True), name="social.record_goal")
    if plugin_enabled(registry, "polls"):
        from plugins.polls.events import IPollClosed, IPollOpened

        add(IPollOpened, recorder("polls.opened", "polls.poll", "poll_id", once=True),
            name="social.record_poll_opened")
        add(IPollClosed, recorder("polls.closed", "polls.poll", "poll_id", once=True),
            name="social.record_poll_closed")
