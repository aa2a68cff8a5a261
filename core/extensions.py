"""Extension points: config directives that collect registrations from plugins.

Every registration goes through ``register_item``: it is a ``config.action`` with the
discriminator ``(category, key)``, so two plugins claiming the same key conflict at start-up
(naming both plugins), and it is an introspectable, visible in the debug toolbar and on the
admin plugins page. Each category is a module constant (``NAV_ITEMS``, ``PERSONAL_DATA_PROVIDERS``
...), named ``"<plugin> <things>"``. A plugin defines an extension point of its own the same
way, as the notes sample plugin does::

    BADGES = "notes badges"

    def add_note_badge(config, name, title):
        register_item(config, BADGES, name, {"name": name, "title": title})

    config.add_directive("add_note_badge", add_note_badge, action_wrap=False)

and reads what other plugins registered with ``registered(request.registry, BADGES)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core.configurator import plugin_of, registration_info

NAV_MENUS = ("main", "user", "admin")

# The core's extension categories (keys of ``registered``).
NAV_ITEMS = "cortege nav items"
DASHBOARD_WIDGETS = "cortege dashboard widgets"
ADMIN_PANELS = "cortege admin panels"
PERMISSIONS = "cortege permissions"
PERSONAL_DATA_PROVIDERS = "cortege personal data providers"
SEEDERS = "cortege seeders"
REGISTRATION_EXTENSIONS = "cortege registration extensions"
PRINCIPAL_FINDERS = "cortege principal finders"


def register_item(config, category: str, key: Any, item: Any, *, title: str | None = None,
                  order: int = 0) -> None:
    """Register ``item`` under ``category`` and ``key`` (conflict-checked, introspectable)."""
    plugin = plugin_of(config)
    intr = config.introspectable(category, key, title or str(key), category)
    intr["item"] = item
    intr["plugin"] = plugin

    def register():
        items = config.registry.setdefault("cortege.items", {}).setdefault(category, {})
        items[key] = (order, len(items), item)

    # Pyramid reports a conflict with the action's info: name the plugin and its line.
    saved = config.info
    config.info = registration_info(config)
    try:
        config.action(("cortege", category, key), register, introspectables=(intr,))
    finally:
        config.info = saved


def plugin_enabled(registry, name: str) -> bool:
    """Whether the plugin ``name`` is on: a plugin that integrates with another it can work
    without (listed in ``optional``) asks this before using it."""
    return any(plugin.name == name for plugin in registry.get("cortege.plugins", ()))


def registered(registry, category: str) -> list:
    """Items of ``category`` in their ``order``, then registration order."""
    items = registry.get("cortege.items", {}).get(category, {})
    return [item for _order, _seq, item in sorted(items.values(), key=lambda t: t[:2])]


def registered_map(registry, category: str) -> dict:
    items = registry.get("cortege.items", {}).get(category, {})
    return {key: value[2] for key, value in items.items()}


@dataclass(frozen=True)
class NavItem:
    menu: str
    name: str
    title: Any
    route_name: str
    permission: str | None = None
    order: int = 100
    plugin: str = "core"
    icon: str | None = None  # a name of the shipped icon set (core/static/icons)


@dataclass(frozen=True)
class DashboardWidget:
    name: str
    title: Any
    renderer: str
    view: Callable
    permission: str | None = None
    order: int = 100
    plugin: str = "core"


@dataclass(frozen=True)
class AdminPanel:
    name: str
    title: Any
    route_name: str
    permission: str = "admin.access"
    order: int = 100
    plugin: str = "core"


@dataclass(frozen=True)
class Permission:
    name: str
    title: Any
    roles: tuple[str, ...] = ("admin",)
    plugin: str = "core"


@dataclass(frozen=True)
class PersonalDataProvider:
    name: str
    export: Callable
    erase: Callable
    plugin: str = "core"


@dataclass(frozen=True)
class Seeder:
    name: str
    seed: Callable
    options: dict = field(default_factory=dict)
    plugin: str = "core"


@dataclass(frozen=True)
class RegistrationExtension:
    name: str
    # fields(request) -> {name: unbound WTForms field}; each shows on the form as
    # ``<extension name>_<name>`` and reaches ``save`` under its own name.
    fields: Callable
    # save(request, user, data: dict) once the account exists, in the same transaction; it may
    # raise core.accounts.interfaces.AccountError(field name, message) to refuse the whole form.
    save: Callable
    order: int = 100
    plugin: str = "core"


def add_registration_extension(config, name, fields, save, order=100):
    """Add fields to the registration form; ``save`` stores them for the new member."""
    resolve = config.maybe_dotted
    item = RegistrationExtension(name, resolve(fields), resolve(save), order, plugin_of(config))
    register_item(config, REGISTRATION_EXTENSIONS, name, item, order=order)


def add_nav_item(config, menu, name, title, route_name, permission=None, order=100, icon=None):
    """Add a link to the ``main``, ``user`` or ``admin`` menu; ``icon`` names one of the
    shipped icons (the account menu shows it on wide screens)."""
    if menu not in NAV_MENUS:
        raise ValueError(f"menu must be one of {', '.join(NAV_MENUS)}, not {menu!r}")
    if icon is not None:
        from core.rendering import icon_names

        if icon not in icon_names():
            raise ValueError(f"there is no icon named {icon!r}; the shipped icons are "
                             f"{', '.join(icon_names())}")
    item = NavItem(menu, name, title, route_name, permission, order, plugin_of(config), icon)
    register_item(config, NAV_ITEMS, (menu, name), item, title=str(title), order=order)


def add_dashboard_widget(config, name, title, renderer, view, permission=None, order=100):
    """Add a box to the member's home page; ``view(request)`` returns the template values."""
    item = DashboardWidget(name, title, renderer, view, permission, order, plugin_of(config))
    register_item(config, DASHBOARD_WIDGETS, name, item, title=str(title), order=order)


def add_admin_panel(config, name, title, route_name, permission="admin.access", order=100):
    """Add a page to the admin area's menu."""
    item = AdminPanel(name, title, route_name, permission, order, plugin_of(config))
    register_item(config, ADMIN_PANELS, name, item, title=str(title), order=order)


def declare_permission(config, name, title, roles=("admin",)):
    """Declare a permission and the site roles that hold it by default (admins hold all)."""
    item = Permission(name, title, tuple(roles), plugin_of(config))
    register_item(config, PERMISSIONS, name, item, title=str(title))


def add_personal_data_provider(config, name, export, erase):
    """``export(request, user)`` returns JSON-ready data; ``erase(request, user)`` removes it."""
    resolve = config.maybe_dotted
    item = PersonalDataProvider(name, resolve(export), resolve(erase), plugin_of(config))
    register_item(config, PERSONAL_DATA_PROVIDERS, name, item)


def add_seeder(config, name, seed, options=None):
    """``seed(context)`` fills the database; ``options`` maps option name to (default, help)."""
    item = Seeder(name, config.maybe_dotted(seed), dict(options or {}), plugin_of(config))
    register_item(config, SEEDERS, name, item)


def includeme(config):
    config.add_directive("add_nav_item", add_nav_item, action_wrap=False)
    config.add_directive("add_dashboard_widget", add_dashboard_widget, action_wrap=False)
    config.add_directive("add_admin_panel", add_admin_panel, action_wrap=False)
    config.add_directive("declare_permission", declare_permission, action_wrap=False)
    config.add_directive(
        "add_personal_data_provider", add_personal_data_provider, action_wrap=False
    )
    config.add_directive("add_seeder", add_seeder, action_wrap=False)
    config.add_directive(
        "add_registration_extension", add_registration_extension, action_wrap=False
    )
