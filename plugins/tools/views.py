"""The /tools page, and the Tools tab of groups when the groups plugin is on."""

from __future__ import annotations

from pyramid.view import view_config

from core.security import VIEW
from plugins.groups.interfaces import groups_enabled
from plugins.tools import _
from plugins.tools.hub import group_tools, militant_tools


@view_config(route_name="tools", renderer="tools/index.jinja2", permission=VIEW)
def tools_index(request):
    return {"tools": militant_tools(request)}


def group_tab(request, group) -> dict:
    """The Tools tab of a group: the tools it can run, each linking to the group's instance."""
    tools = group_tools(request)
    return {"tools": tools,
            "tool_urls": {tool.name: tool.group_url(request, group) for tool in tools}}


def includeme(config):
    config.include("plugins.tools.hub")
    config.add_route("tools", "/tools")
    config.add_nav_item("main", "tools", _("Tools"), "tools", order=60)
    if groups_enabled(config.registry) and hasattr(config, "add_group_tab"):
        config.add_group_tab("tools", _("Tools"), group_tab, order=50,
                             renderer="tools/group_tab.jinja2")
    config.scan(".views")
