"""The admin area: a menu of panels that the core and plugins register."""

from core.i18n import _


def includeme(config):
    config.add_route("admin", "/admin")
    config.add_route("admin_members", "/admin/members")
    config.add_route("admin_member_action", r"/admin/members/{user_id:\d+}/{action}", ids="user_id")
    config.add_route("admin_permissions", "/admin/permissions")
    config.add_route("admin_settings", "/admin/settings")
    config.add_route("admin_plugins", "/admin/plugins")
    config.add_route("admin_queue", "/admin/queue")
    config.add_route("admin_queue_retry", r"/admin/queue/{id:\d+}/retry", ids="id")
    config.add_admin_panel("members", _("Members"), "admin_members", order=100)
    config.add_admin_panel("settings", _("Site settings"), "admin_settings", order=200)
    config.add_admin_panel("queue", _("Jobs and mail"), "admin_queue", order=700)
    config.add_admin_panel("permissions", _("Permissions"), "admin_permissions", order=800)
    config.add_admin_panel("plugins", _("Plugins"), "admin_plugins", order=900)
    config.add_nav_item(
        "user", "admin", _("Administration"), "admin", permission="admin.access", order=900
    )
    config.scan("core.admin.views")
