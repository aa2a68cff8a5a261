"""The bundled kinds of content the search finds, each declared with the events that change
it (``config.add_search_index``, see ``plugins.search.indexes``).

The search plugin declares the bundled kinds here, so that the other bundled plugins need
not know of it; a third party's plugin declares its own kinds in its ``includeme``.
"""

from __future__ import annotations

from sqlalchemy import select

from core.extensions import plugin_enabled


def _profiles(config):
    from core.accounts.events import IMemberEvent
    from plugins.profiles.events import IProfileUpdated

    config.add_search_index("profiles.profile", names=True,
                            events={IMemberEvent: "user_id", IProfileUpdated: "user_id"})


def _groups(config):
    from plugins.groups.events import IGroupCreated, IGroupDeleted, IGroupUpdated

    config.add_search_index("groups.group", names=True,
                            events={IGroupCreated: "group_id", IGroupUpdated: "group_id",
                                    IGroupDeleted: "group_id"})


def posts_of_topic(request, event):
    """A topic's replies carry its title: they follow it when it changes."""
    from plugins.forums.models import Post

    return request.dbsession.scalars(select(Post.id).where(Post.topic_id == event.topic_id))


def _forums(config):
    from plugins.forums import events

    config.add_search_index("forums.forum", events={events.ITopicCreated: "forum_id"})
    config.add_search_index("forums.topic", events={
        events.ITopicCreated: "topic_id", events.ITopicEdited: "topic_id",
        events.ITopicDeleted: "topic_id", events.ITopicMoved: "topic_id",
        events.IPostCreated: "topic_id", events.IPostEdited: "topic_id"})
    # A topic's opening post is found as the topic itself.
    config.add_search_index("forums.post", where=lambda Post: Post.is_first.is_(False),
                            events={events.IPostCreated: "post_id",
                                    events.IPostEdited: "post_id",
                                    events.IPostDeleted: "post_id",
                                    events.ITopicEdited: posts_of_topic})


def _agenda(config):
    from plugins.agenda import events

    config.add_search_index("agenda.event", events={
        events.IEventPublished: "event_id", events.IEventChanged: "event_id",
        events.IEventCancelled: "event_id", events.IEventDeleted: "event_id"})


def _petitions(config):
    from plugins.petitions import events

    config.add_search_index("petitions.petition", events={
        events.IPetitionLaunched: "petition_id", events.IPetitionClosed: "petition_id"})


def _polls(config):
    from plugins.polls import events

    config.add_search_index("polls.poll", events={
        events.IPollOpened: "poll_id", events.IPollClosed: "poll_id"})


BUNDLED = {"profiles": _profiles, "groups": _groups, "forums": _forums, "agenda": _agenda,
           "petitions": _petitions, "polls": _polls}


def includeme(config):
    for name, declare in BUNDLED.items():
        if plugin_enabled(config.registry, name):
            declare(config)
