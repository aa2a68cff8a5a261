"""What other plugins may ask of the social layer (follows, connections, blocks).

Find the service with ``plugins.social.interfaces.social_service(request)``, which gives None
when the social plugin is off: plugins that work without it (messages, notifications) ask
first and treat "no social layer" as "nobody is connected, nobody is blocked".
"""

from __future__ import annotations

from zope.interface import Interface

from core.errors import ActionError
from core.extensions import plugin_enabled


class ISocialService(Interface):
    """Follows, connections and blocks between members, and who follows what."""

    def connected(user_id, other_id):
        """True when the two members are connected (a request made and accepted)."""

    def connection_ids(user_id):
        """A SELECT of the ids of ``user_id``'s connections."""

    def blocked(user_id, other_id):
        """True when either member blocked the other: no following, mentioning, connecting
        or messaging between them, and neither sees the other's status updates."""

    def blocked_ids(user_id):
        """A SELECT of the ids of members ``user_id`` blocked or who blocked them."""

    def follower_ids(subject_kind, subject_id):
        """A SELECT of the ids of members following a member (``"member"``) or a group
        (``"group"``)."""

    def record(verb, actor_id, subject_kind, subject_id, group_id=None):
        """Write an activity entry: ``actor_id`` did ``verb`` on the row ``subject_id`` of the
        content type ``subject_kind``, in ``group_id``. Streams show it to whoever may see
        that row and the group's content when they read it."""

    def mention(actor, kind, row_id, body, entry=None):
        """Publish ``core.mentioned`` for the members ``body`` names who may see the row
        (``kind``'s condition) and are not blocked either way; returns their ids."""


def social_enabled(registry) -> bool:
    return plugin_enabled(registry, "social")


def social_service(request):
    """The social service when the social plugin is on, else None."""
    return request.find_service(ISocialService) if social_enabled(request.registry) else None


class SocialError(ActionError):
    """A social action refused (400), with a sentence the member can act on."""
