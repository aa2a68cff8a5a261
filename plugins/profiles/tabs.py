"""Profile tabs: pages that plugins add beside a member's profile (groups, forums, agenda...).

``config.add_profile_tab(name, title, view, renderer=None, order=100, permission=None,
visible=None)`` adds ``/members/{username}/{name}``; the groups' ``add_group_tab`` takes the
same arguments. ``view(request, member)`` returns the template values, or None when the
viewer may not see the tab (the page then answers 404). The template is ``renderer`` when
given, else ``<plugin>/profile_<name>.jinja2``. ``visible(request, member)``, when given,
decides whether the tab is listed, so that nobody is shown a tab leading to a refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.extensions import plugin_of, register_item, registered

CATEGORY = "profiles tabs"
RESERVED = frozenset({"edit", "avatar"})


@dataclass(frozen=True)
class ProfileTab:
    name: str
    title: Any
    view: Callable
    renderer: str | None = None
    order: int = 100
    permission: str | None = None
    visible: Callable | None = None
    plugin: str = "core"

    def template(self) -> str:
        return self.renderer or f"{self.plugin}/profile_{self.name}.jinja2"

    def shown_to(self, request, member) -> bool:
        if self.permission and not request.has_permission(self.permission):
            return False
        return self.visible is None or bool(self.visible(request, member))


def add_profile_tab(config, name, title, view, renderer=None, order=100, permission=None,
                    visible=None):
    """Add a tab to every member's profile page."""
    if name in RESERVED or "/" in name:
        raise ValueError(f"a profile tab cannot be named {name!r}; choose another name")
    resolve = config.maybe_dotted
    tab = ProfileTab(name, title, resolve(view), renderer, order, permission,
                     resolve(visible) if visible else None, plugin_of(config))
    register_item(config, CATEGORY, name, tab, title=str(title), order=order)


def profile_tabs(request, member) -> list[ProfileTab]:
    return [tab for tab in registered(request.registry, CATEGORY) if tab.shown_to(request, member)]


def find_tab(request, name):
    for tab in registered(request.registry, CATEGORY):
        if tab.name == name:
            return tab
    return None


def includeme(config):
    config.add_directive("add_profile_tab", add_profile_tab, action_wrap=False)
