"""Who sees which value: the one place every query about field values takes its filter from.

A value is seen by everyone (public), by logged-in members (members), by the member's
connections (connected: asked of the social layer through ``ISocialService.connection_ids``;
nobody else while it is off), or only by its owner and those holding ``profiles.see_all``
(admins).
"""

from __future__ import annotations

from sqlalchemy import and_, or_, true

from plugins.profiles.models import CONNECTED, MEMBERS, PRIVATE, PUBLIC, Value

SEE_ALL = "profiles.see_all"


class Viewer:
    """The person looking: nobody, a member, or someone who sees every value."""

    def __init__(self, user=None, sees_all: bool = False, connections=None):
        self.user = user
        self.sees_all = sees_all
        self.connections = connections  # a SELECT of the user's connections' ids, or None

    @classmethod
    def of(cls, request) -> Viewer:
        from core.security import RootFactory

        user = request.user
        from plugins.social.interfaces import social_service

        sees_all = user is not None and bool(request.has_permission(SEE_ALL, RootFactory(request)))
        social = social_service(request) if user is not None else None
        return cls(user, sees_all, social.connection_ids(user.id) if social else None)

    @property
    def is_member(self) -> bool:
        return self.user is not None

    def levels(self) -> tuple[str, ...]:
        if self.sees_all:
            return (PUBLIC, MEMBERS, CONNECTED, PRIVATE)
        return (PUBLIC, MEMBERS) if self.user is not None else (PUBLIC,)

    def clause(self, value=Value):
        """The SQL condition on ``value`` (the Value entity or an alias) for this viewer."""
        if self.sees_all:
            return true()
        condition = value.visibility.in_(self.levels())
        if self.user is not None:
            condition = or_(condition, value.user_id == self.user.id)
        if self.connections is not None:
            condition = or_(condition, and_(value.visibility == CONNECTED,
                                            value.user_id.in_(self.connections)))
        return condition
