"""The /tools page, and the Tools tab of groups when the groups plugin is on."""

from __future__ import annotations

from pyramid.view import view_config

from core.security import VIEW
from plugins.tools.hub import group_tools, militant_tools


@view_config(route_name="tools", renderer="tools/index.jinja2", permission=VIEW)
def tools_index(request):
    return {"tools": militant_tools(request)}


def group_tab(request, group) -> dict:
    """The Tools tab of a group: the tools it can run, each linking to the group's instance."""
    tools = group_tools(request)
    return {"tools": tools,
            "tool_urls": {tool.name: tool.group_url(request, group) for tool in tools}}
