"""Who sees which value: the one place every query about field values takes its filter from.

A value is seen by everyone (public), by logged-in members (members), or only by its owner
and those holding ``profiles.see_all`` (admins). A future "connections" level adds one more
branch here and nowhere else.
"""

from __future__ import annotations

from sqlalchemy import or_, true

from plugins.profiles.models import MEMBERS, PRIVATE, PUBLIC, Value

SEE_ALL = "profiles.see_all"


class Viewer:
    """The person looking: nobody, a member, or someone who sees every value."""

    def __init__(self, user=None, sees_all: bool = False):
        self.user = user
        self.sees_all = sees_all

    @classmethod
    def of(cls, request) -> Viewer:
        from core.security import RootFactory

        user = request.user
        sees_all = user is not None and bool(request.has_permission(SEE_ALL, RootFactory(request)))
        return cls(user, sees_all)

    @property
    def is_member(self) -> bool:
        return self.user is not None

    def levels(self) -> tuple[str, ...]:
        if self.sees_all:
            return (PUBLIC, MEMBERS, PRIVATE)
        return (PUBLIC, MEMBERS) if self.user is not None else (PUBLIC,)

    def clause(self, value=Value):
        """The SQL condition on ``value`` (the Value entity or an alias) for this viewer."""
        if self.sees_all:
            return true()
        condition = value.visibility.in_(self.levels())
        if self.user is not None:
            condition = or_(condition, value.user_id == self.user.id)
        return condition
