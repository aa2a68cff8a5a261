"""What the social plugin adds to the site: its routes, pages, regions and services."""

from __future__ import annotations

from core.content import Comments
from core.security import ACCOUNT
from plugins.social import _
from plugins.social.interfaces import ISocialService
from plugins.social.models import Status
from plugins.social.services import CONTENT_TYPE
from plugins.social.views import (
    blocked_among,
    dashboard_widget,
    erase_social,
    export_social,
    group_activity_tab,
    group_home_item,
    profile_activity_tab,
    status_label,
)


def includeme(config):
    from core.extensions import plugin_enabled
    from plugins.social import events as social_events
    from plugins.social.services import social_service_factory, visible_statuses

    for event_class in social_events.EVENTS:
        config.add_domain_event(event_class)
    config.register_service_factory(social_service_factory, ISocialService)
    config.add_content_type(CONTENT_TYPE, _("Status update"), Status, visible=visible_statuses,
                            url=lambda request, status: request.route_url("social_status",
                                                                          id=status.id),
                            label=lambda status: status_label(status), owner="author_id",
                            created="created_at", text=lambda status: status.body,
                            comments=Comments(group="group_id"))
    config.include("plugins.social.subscribers")
    config.include("plugins.social.network")
    config.include("plugins.social.entries")
    config.include("plugins.social.feeds")
    config.include("plugins.social.seed")
    config.add_route("social_site", "/activity")
    config.add_route("social_mine", "/activity/mine")
    config.add_route("social_post", "/activity/post")
    config.add_route("social_seen", "/activity/seen")
    config.add_route("social_status", r"/activity/status/{id:\d+}", ids="id")
    config.add_region("social.status.after", _("Below a status update, on its own page"))
    config.add_nav_item("main", "activity", _("Activity"), "social_site", order=15)
    config.add_dashboard_widget("social", _("What's new"), "social/widget.jinja2",
                                dashboard_widget, permission=ACCOUNT, order=5)
    config.add_profile_tab("activity", _("Activity"), profile_activity_tab,
                           "social/profile_tab.jinja2", order=5)
    if plugin_enabled(config.registry, "groups"):
        config.add_group_tab("activity", _("Activity"), group_activity_tab, order=5,
                             renderer="social/group_tab.jinja2")
        config.add_region_item("groups.group.home", "social.activity",
                               template="social/group_home.jinja2", view=group_home_item,
                               order=10)
    config.add_personal_data_provider("social", export=export_social, erase=erase_social)
    config.add_mention_filter("social.blocks", blocked_among)
    config.scan(".views")
