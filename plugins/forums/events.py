"""What happens in the forums, as domain events (see ``core.events``): ids, never rows.

Every event carries the ``forum_id`` and the ``group_id`` of the forum (None for a site
forum), so that a subscriber can tell group content from site content without a query.
``ForumService`` publishes them in the transaction that makes the change, after a flush:

============================  ======================  =====================================
event                         name                    when
============================  ======================  =====================================
``TopicCreated``              forums.topic_created    a topic is started (with its opening
                                                      post, which also makes a
                                                      ``PostCreated``)
``TopicEdited``               forums.topic_edited     its title or opening text changes
``TopicDeleted``              forums.topic_deleted    deleted with its posts (no
                                                      ``PostDeleted`` for them)
``TopicHidden``               forums.topic_hidden     hidden by a moderator
``TopicShown``                forums.topic_shown      shown again
``TopicMoved``                forums.topic_moved      moved to another forum
                                                      (``from_forum_id``)
``TopicClosed``               forums.topic_closed     closed to new replies
``TopicReopened``             forums.topic_reopened   opened again
``PostCreated``               forums.post_created     a post is written (``is_first`` for
                                                      the opening post of a new topic)
``PostEdited``                forums.post_edited      a post's text changes
``PostDeleted``               forums.post_deleted     a reply is deleted
``PostHidden``                forums.post_hidden      a reply is hidden by a moderator
``PostShown``                 forums.post_shown       shown again
============================  ======================  =====================================

Interfaces make families: ``IForumEvent`` (all), ``ITopicEvent`` (all with a ``topic_id``),
``IPostEvent`` (all with a ``post_id``). The forums themselves subscribe to ``IPostCreated``
(``forums.notify_subscribers``, see ``plugins.forums.notify``) and to the groups'
``IGroupDeleted`` (``forums.forget_group``, synchronous).
"""

from __future__ import annotations

from dataclasses import dataclass

from zope.interface import Attribute, implementer

from core.events import DomainEvent, IDomainEvent


class IForumEvent(IDomainEvent):
    """Something that happened in a forum."""

    forum_id = Attribute("The forum's id")
    group_id = Attribute("The id of the forum's group, or None for a site forum")


class ITopicEvent(IForumEvent):
    topic_id = Attribute("The topic's id")


class IPostEvent(ITopicEvent):
    post_id = Attribute("The post's id")


class ITopicCreated(ITopicEvent):
    """A topic was started; ``post_id`` is its opening post."""


class ITopicEdited(ITopicEvent):
    """A topic's title or opening text changed."""


class ITopicDeleted(ITopicEvent):
    """A topic was deleted with its posts."""


class ITopicHidden(ITopicEvent):
    """A moderator hid a topic: only moderators see it now."""


class ITopicShown(ITopicEvent):
    """A moderator showed a hidden topic again."""


class ITopicMoved(ITopicEvent):
    """A topic moved to the forum ``forum_id`` from ``from_forum_id``."""

    from_forum_id = Attribute("The forum it left")


class ITopicClosed(ITopicEvent):
    """A topic was closed to new replies."""


class ITopicReopened(ITopicEvent):
    """A closed topic was opened again."""


class IPostCreated(IPostEvent):
    """A post was written: a reply, or the opening post of a new topic (``is_first``)."""

    is_first = Attribute("Whether it opens its topic")


class IPostEdited(IPostEvent):
    """A post's text changed."""


class IPostDeleted(IPostEvent):
    """A reply was deleted."""


class IPostHidden(IPostEvent):
    """A moderator hid a reply."""


class IPostShown(IPostEvent):
    """A moderator showed a hidden reply again."""


@dataclass(frozen=True, kw_only=True)
class _TopicEvent(DomainEvent):
    forum_id: int
    group_id: int | None = None
    topic_id: int


@dataclass(frozen=True, kw_only=True)
class _PostEvent(_TopicEvent):
    post_id: int


@implementer(ITopicCreated)
@dataclass(frozen=True, kw_only=True)
class TopicCreated(_PostEvent):
    name = "forums.topic_created"


@implementer(ITopicEdited)
@dataclass(frozen=True, kw_only=True)
class TopicEdited(_TopicEvent):
    name = "forums.topic_edited"


@implementer(ITopicDeleted)
@dataclass(frozen=True, kw_only=True)
class TopicDeleted(_TopicEvent):
    name = "forums.topic_deleted"


@implementer(ITopicHidden)
@dataclass(frozen=True, kw_only=True)
class TopicHidden(_TopicEvent):
    name = "forums.topic_hidden"


@implementer(ITopicShown)
@dataclass(frozen=True, kw_only=True)
class TopicShown(_TopicEvent):
    name = "forums.topic_shown"


@implementer(ITopicMoved)
@dataclass(frozen=True, kw_only=True)
class TopicMoved(_TopicEvent):
    name = "forums.topic_moved"
    from_forum_id: int


@implementer(ITopicClosed)
@dataclass(frozen=True, kw_only=True)
class TopicClosed(_TopicEvent):
    name = "forums.topic_closed"


@implementer(ITopicReopened)
@dataclass(frozen=True, kw_only=True)
class TopicReopened(_TopicEvent):
    name = "forums.topic_reopened"


@implementer(IPostCreated)
@dataclass(frozen=True, kw_only=True)
class PostCreated(_PostEvent):
    name = "forums.post_created"
    is_first: bool = False


@implementer(IPostEdited)
@dataclass(frozen=True, kw_only=True)
class PostEdited(_PostEvent):
    name = "forums.post_edited"


@implementer(IPostDeleted)
@dataclass(frozen=True, kw_only=True)
class PostDeleted(_PostEvent):
    name = "forums.post_deleted"


@implementer(IPostHidden)
@dataclass(frozen=True, kw_only=True)
class PostHidden(_PostEvent):
    name = "forums.post_hidden"


@implementer(IPostShown)
@dataclass(frozen=True, kw_only=True)
class PostShown(_PostEvent):
    name = "forums.post_shown"


EVENTS = (TopicCreated, TopicEdited, TopicDeleted, TopicHidden, TopicShown, TopicMoved,
          TopicClosed, TopicReopened, PostCreated, PostEdited, PostDeleted, PostHidden,
          PostShown)


def includeme(config):
    for event_class in EVENTS:
        config.add_domain_event(event_class)
