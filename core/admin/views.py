"""Admin pages of the core: the panel menu and the plugins page."""

from __future__ import annotations

from pyramid.view import view_config

from core.extensions import registered
from core.loader import PLUGIN_GROUP, installed
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
                (category.removeprefix("cortege "), intr["introspectable"].title)
            )
    rows = []
    for name, entry_point in installed(PLUGIN_GROUP).items():
        plugin = enabled.get(name)
        if plugin is None:
            try:
                plugin = entry_point.load()
            except Exception:
                plugin = None
        settings = {}
        if name in enabled:
            settings = {
                f"{name}.{key}": registry.settings.get(f"{name}.{key}")
                for key in plugin.settings
            }
        rows.append({
            "name": name,
            "enabled": name in enabled,
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
                    rows.append((category.removeprefix("cortege "), intr["introspectable"].title))
    return sorted(rows)
