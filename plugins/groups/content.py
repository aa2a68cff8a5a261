"""The groups' kind of content, ``groups.group``: a group's page, and its one visibility rule.

Who may know of a group (see its page, find it in the directory and its counts, get mail
about it) is ``IGroupService.visible(viewer)``: public and private groups for whoever may see
the site, hidden groups for their members and those invited to them, every group for site
admins; suspended and deleted members see what a stranger sees. What a group *holds* (its
members, and every other plugin's content of the group) follows the stricter
``IGroupService.content_visible_ids(viewer)``.
"""

from __future__ import annotations

from plugins.groups import _
from plugins.groups.interfaces import IGroupService
from plugins.groups.models import Group

NAME = "groups.group"


def visible(request, viewer):
    return request.find_service(IGroupService).visible(viewer)


def url(request, group) -> str:
    return request.route_url("groups_group", slug=group.slug)


def label(group) -> str:
    return group.name


def text(group) -> str:
    """What search indexes: the name and the description, as people read them on the page."""
    return "\n\n".join(part for part in (group.name, group.description) if part)


def includeme(config):
    config.add_content_type(NAME, _("Group"), Group, visible=visible, url=url, label=label,
                            owner="created_by_id", created="created_at", text=text)
