"""The admin area: a menu of panels that the core and plugins register."""

from core.i18n import _


def includeme(config):
    config.add_route("admin", "/admin")
    config.add_route("admin_plugins", "/admin/plugins")
    config.add_admin_panel("plugins", _("Plugins"), "admin_plugins", order=900)
    config.add_nav_item(
        "user", "admin", _("Administration"), "admin", permission="admin.access", order=900
    )
    config.scan("core.admin.views")
