"""The /tools page, and the Tools tab of groups when the groups plugin is on."""

from __future__ import annotations

from pyramid.view import view_config

from plugins.tools import _
from plugins.tools.hub import group_tools, militant_tools


def groups_enabled(registry) -> bool:
    return "groups" in {plugin.name for plugin in registry.get("cortege.plugins", ())}


@view_config(route_name="tools", renderer="tools/index.jinja2")
def tools_index(request):
    return {"tools": militant_tools(request)}


def group_tab(request, group) -> dict:
    """The Tools tab of a group: the tools it can run, each linking to the group's instance."""
    return {"group": group,
            "tools": [(tool, tool.group_url(request, group)) for tool in group_tools(request)]}


def includeme(config):
    config.include("plugins.tools.hub")
    config.add_route("tools", "/tools")
    config.add_nav_item("main", "tools", _("Tools"), "tools", order=60)
    config.scan(".views")
