"""The ``add_militant_tool`` directive and the lists of tools that pages read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.extensions import plugin_of, register_item, registered

CATEGORY = "tools militant tools"
BUILTIN_ICONS = frozenset({"tool", "petition", "poll", "phone", "megaphone", "calendar"})


@dataclass(frozen=True)
class MilitantTool:
    name: str
    title: Any
    description: Any
    icon: str
    route_name: str
    permission: str | None = None
    group_instances: bool = False
    order: int = 100
    group_route_name: str | None = None
    plugin: str = "core"

    def icon_spec(self) -> str:
        """The asset spec of the tool's SVG icon."""
        if ":" in self.icon:
            return self.icon
        return f"plugins.tools:static/icons/{self.icon}.svg"

    def usable_by(self, request) -> bool:
        return self.permission is None or bool(request.has_permission(self.permission))

    def group_url(self, request, group) -> str:
        if self.group_route_name:
            return request.route_url(self.group_route_name, slug=group.slug)
        return request.route_url(self.route_name, _query={"group": group.slug})


def add_militant_tool(config, name, title, description, icon, route_name, permission,
                      group_instances=False, order=100, group_route_name=None):
    """Declare a militant tool: it shows on /tools and, if it says so, in groups' Tools tab."""
    if not name or "/" in name:
        raise ValueError(f"a militant tool cannot be named {name!r}")
    icon = icon or "tool"
    if ":" not in icon and icon not in BUILTIN_ICONS:
        raise ValueError(
            f"the icon of the tool {name!r} must be one of {', '.join(sorted(BUILTIN_ICONS))} "
            f"or the asset spec of an SVG file, not {icon!r}")
    tool = MilitantTool(name, title, description, icon, route_name, permission,
                        bool(group_instances), order, group_route_name, plugin_of(config))
    register_item(config, CATEGORY, name, tool, title=str(title), order=order)


def militant_tools(request) -> list[MilitantTool]:
    """The tools the viewer may use, in their order."""
    return [tool for tool in registered(request.registry, CATEGORY) if tool.usable_by(request)]


def group_tools(request) -> list[MilitantTool]:
    """The tools groups can run, that the viewer may use."""
    return [tool for tool in militant_tools(request) if tool.group_instances]


def includeme(config):
    config.add_directive("add_militant_tool", add_militant_tool, action_wrap=False)
