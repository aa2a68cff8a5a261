"""The profiles' kind of content, ``profiles.profile``: a member's page, and its one rule.

The rows are the members themselves (``core.accounts.models.User``): every active member has
a page, with or without a profile row. A profile is seen by whoever may see the site (anyone
on a public site, members on a members-only site) while its member's account is active;
suspended, deleted and unconfirmed accounts have none. The directory, its counts, the member
pages, the members of a group's tab and mail about a member all follow it.

What a page shows of each answer is decided apart, per value (``visibility.Viewer``), so that
what search indexes of a profile (``text``) is only the name and the username, which everyone
allowed by the condition sees.
"""

from __future__ import annotations

from sqlalchemy import false

from core.accounts.models import User
from plugins.profiles import _

NAME = "profiles.profile"


def active_members(dbsession):
    """``User.status == 'active'``; on SQLite written so that its planner, which has no
    statistics, does not drive lists by the index on status (nearly every member is active)
    rather than by the order they ask for."""
    if dbsession.get_bind().dialect.name == "sqlite":
        return (User.status + "") == "active"
    return User.status == "active"


def visible(request, viewer):
    if viewer is None and request.site_settings.visibility != "public":
        return false()
    return active_members(request.dbsession)


def url(request, user) -> str:
    return request.route_url("profiles_member", username=user.username)


def label(user) -> str:
    return user.display_name


def text(user) -> str:
    return f"{user.display_name}\n{user.username}"


def includeme(config):
    config.add_content_type(NAME, _("Profile"), User, visible=visible, url=url, label=label,
                            owner="id", created="created_at", text=text)
