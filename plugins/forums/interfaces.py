"""What other plugins may ask of the forums, and the mistakes it reports."""

from zope.interface import Interface

from core.errors import ActionError


class IForumService(Interface):
    """Forums, topics and posts as a given viewer (a User or None) may see them, and the
    changes an actor (a User or None) may make, with the rules checked by the service.

    What a viewer may see is the content types' conditions (``forums.forum``,
    ``forums.topic``, ``forums.post``, see ``core.content``); the methods below apply them.
    Methods that change something take the acting member first and raise ``ForumError``
    (or ``core.errors.NotFound``, ``Forbidden``, ``RateLimited``) when they may not, and
    publish the events of ``plugins.forums.events``.
    """

    def visible(group_column, viewer):
        """The building block of the conditions: a condition on a ``group_id`` column
        selecting site content and the content of groups ``viewer`` may see."""

    def topic(topic_id, viewer):
        """The topic if ``viewer`` may see it, else None."""

    def post(post_id, viewer):
        """The post if ``viewer`` may see it, else None."""

    def topics_by(member, viewer, after=None, limit=20):
        """A page of the topics ``member`` started that ``viewer`` may see."""

    def replies_by(member, viewer, after=None, limit=20):
        """A page of the replies ``member`` wrote that ``viewer`` may see."""

    def search(viewer, text, after=None, limit=20):
        """A page of posts matching every word of ``text`` that ``viewer`` may see."""

    def create_topic(actor, forum, title, body, subscribe=None):
        """Start a topic in ``forum`` as ``actor``; returns it."""

    def reply(actor, topic, body, subscribe=None):
        """Answer ``topic`` as ``actor``; returns the post."""

    def export(user):
        """The member's posts, subscriptions and reports as JSON-ready data."""

    def erase(user):
        """Forget the member's subscriptions, read marks and reports; posts stay."""


class ForumError(ActionError):
    """An action refused: ``message`` says why in words the member can act on."""
