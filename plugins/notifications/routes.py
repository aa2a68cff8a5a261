"""What the notifications plugin adds to the site: its routes, pages, regions and services."""

from __future__ import annotations

from core.security import ACCOUNT
from plugins.notifications import _, services
from plugins.notifications.views import bell, erase, export


def includeme(config):
    config.include("plugins.notifications.types")
    config.add_route("notifications_index", "/notifications")
    config.add_route("notifications_count", "/notifications/count.json")
    config.add_route("notifications_read_all", "/notifications/read")
    config.add_route("notifications_open", r"/notifications/{id:\d+}", ids="id")
    config.add_route("notifications_read_one", r"/notifications/{id:\d+}/read", ids="id")
    config.add_route("notifications_preferences", "/account/notifications")
    config.add_route("notifications_unsubscribe",
                     "/notifications/unsubscribe/{user_id}/{type_name}/{signature}")
    config.add_region_item("core.header", "notifications.bell",
                           template="notifications/bell.jinja2", view=bell, order=50)
    config.add_nav_item("user", "notifications", _("Notification settings"),
                        "notifications_preferences", permission=ACCOUNT, order=40, icon="bell")
    config.add_job_task(services.CHUNK_TASK, services.deliver)
    config.add_job_task(services.DIGEST_TASK, services.send_digest)
    config.add_periodic_task("notifications.digests", services.schedule_digests, minute="5")
    config.add_periodic_task("notifications.forget_old", services.forget_old, minute="17",
                             hour="3")
    config.add_personal_data_provider("notifications", export=export, erase=erase)
    config.include("plugins.notifications.sources")
    from plugins.notifications.seed import seed_notifications

    config.add_seeder("notifications", seed_notifications,
                      options={"notifications": (0, "how many notifications to add in bulk")})
    config.scan(".views")
