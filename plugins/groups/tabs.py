"""Group tabs: pages that plugins add beside a group's page (agenda, forums, tools...).

``config.add_group_tab(name, title, view, renderer=None, order=100, permission=None,
visible=None)`` adds ``/groups/{slug}/{name}``; the profiles' ``add_profile_tab`` takes the
same arguments. ``view(request, group)`` returns the template values, or None to answer 404.
The template is ``renderer`` when given, else the dict's ``"renderer"`` value, else
``<plugin>/group_<name>.jinja2``; a view may also return ready HTML (a Markup string). A tab
is listed, and its view called, only for a viewer who may see the group's content, holds
``permission`` when one is given, and for whom ``visible(request, group)``, when given, is
true. A bloggers' group, say, has a planet tab that other groups don't.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.extensions import plugin_of, register_item, registered

CATEGORY = "groups tabs"
# Names the groups plugin uses itself beside /groups/{slug}/.
RESERVED = frozenset({
    "members", "edit", "delete", "join", "leave", "invite", "requests", "invitations",
    "banned", "manage", "accept", "decline", "image", "cancel",
})


@dataclass(frozen=True)
class GroupTab:
    name: str
    title: Any
    view: Callable
    order: int = 100
    permission: str | None = None
    renderer: str | None = None
    plugin: str = "core"
    visible: Callable | None = None

    def template(self, values) -> str:
        if self.renderer:
            return self.renderer
        if isinstance(values, dict) and values.get("renderer"):
            return values["renderer"]
        return f"{self.plugin}/group_{self.name}.jinja2"

    def shown_to(self, request, group=None) -> bool:
        if self.permission and not request.has_permission(self.permission):
            return False
        return group is None or self.visible is None or bool(self.visible(request, group))


def add_group_tab(config, name, title, view, renderer=None, order=100, permission=None,
                  visible=None):
    """Add a tab to every group's page."""
    if not name or name in RESERVED or "/" in name:
        raise ValueError(f"a group tab cannot be named {name!r}; choose another name")
    resolve = config.maybe_dotted
    tab = GroupTab(name, title, resolve(view), order, permission, renderer, plugin_of(config),
                   resolve(visible) if visible else None)
    register_item(config, CATEGORY, name, tab, title=str(title), order=order)


def group_tabs(request, group=None) -> list[GroupTab]:
    return [tab for tab in registered(request.registry, CATEGORY)
            if tab.shown_to(request, group)]


def find_tab(request, name) -> GroupTab | None:
    for tab in registered(request.registry, CATEGORY):
        if tab.name == name:
            return tab
    return None


def includeme(config):
    config.add_directive("add_group_tab", add_group_tab, action_wrap=False)
