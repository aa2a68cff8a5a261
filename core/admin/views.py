"""Admin pages of the core: the panel menu and the plugins page."""

from __future__ import annotations

from pyramid.view import view_config

from core.extensions import registered
from core.errors import StartupError
from core.interfaces import IPlugin
from core.loader import PLUGIN_GROUP, installed, load_entry_point
from core.security import ADMIN


def admin_panels(request) -> list:
    return [
        panel
        for panel in registered(request.registry, "cortege admin panels")
        if request.has_permission(panel.permission)
    ]


@view_config(route_name="admin", renderer="admin/index.jinja2", permission=ADMIN)
def admin_index(request):
    return {"panels": admin_panels(request)}


def _describe(category: str, intr) -> tuple[str, str]:
    key = intr.discriminator
    key = " ".join(key) if isinstance(key, tuple) else str(key)
    title = str(intr.title)
    return category.removeprefix("cortege "), key if title == key else f"{key} ({title})"


def plugin_rows(registry) -> list[dict]:
    """Every installed plugin: enabled or not, version, settings in effect, registrations."""
    enabled = {plugin.name: plugin for plugin in registry["cortege.plugins"]}
    introspector = registry.introspector
    registrations: dict[str, list] = {}
    for category in introspector.categories():
        if not category.startswith("cortege "):
            continue
        for intr in introspector.get_category(category):
            registrations.setdefault(intr["introspectable"]["plugin"], []).append(
                _describe(category, intr["introspectable"])
            )
    rows = []
    for name, entry_point in installed(PLUGIN_GROUP).items():
        plugin = enabled.get(name)
        problem = None
        if plugin is None:
            try:
                plugin = load_entry_point(entry_point, "plugin", IPlugin)
            except StartupError as exc:
                plugin, problem = None, exc.message
        settings = {}
        if name in enabled:
            settings = {
                f"{name}.{key}": registry.settings.get(f"{name}.{key}")
                for key in plugin.settings
            }
        rows.append({
            "name": name,
            "enabled": name in enabled,
            "problem": problem,
            "plugin": plugin,
            "settings": settings,
            "registrations": sorted(registrations.get(name, [])),
        })
    return rows


@view_config(route_name="admin_plugins", renderer="admin/plugins.jinja2", permission=ADMIN)
def admin_plugins(request):
    return {"panels": admin_panels(request), "rows": plugin_rows(request.registry),
            "core_registrations": plugin_rows_core(request.registry)}


def plugin_rows_core(registry) -> list:
    rows = []
    for category in registry.introspector.categories():
        if category.startswith("cortege "):
            for intr in registry.introspector.get_category(category):
                if intr["introspectable"]["plugin"] == "core":
                    rows.append(_describe(category, intr["introspectable"]))
    return sorted(rows)
