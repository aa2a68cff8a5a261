"""What other plugins may ask of the forums, and the mistakes it reports."""

from zope.interface import Interface


class IForumService(Interface):
    """Forums, topics and posts as a given viewer (a User or None) may see them."""

    def visible(group_column, viewer):
        """The condition on a ``group_id`` column selecting forum content ``viewer`` may see."""

    def topic(topic_id, viewer):
        """The topic if ``viewer`` may see it, else None."""

    def topics_by(member, viewer, after=None, limit=20):
        """A page of the topics ``member`` started that ``viewer`` may see."""

    def replies_by(member, viewer, after=None, limit=20):
        """A page of the replies ``member`` wrote that ``viewer`` may see."""

    def search(viewer, text, after=None, limit=20):
        """A page of posts matching every word of ``text`` that ``viewer`` may see."""

    def export(user):
        """The member's posts, subscriptions and reports as JSON-ready data."""

    def erase(user):
        """Forget the member's subscriptions, read marks and reports; posts stay."""


class ForumError(ValueError):
    """An action refused: ``message`` says why in words the member can act on."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message
