"""What the forums add to the site: their service, routes, regions, tabs, data and events."""

from core.extensions import plugin_enabled
from plugins.forums import _
from plugins.forums.interfaces import IForumService
from plugins.forums.services import MANAGE, MODERATE, POST
from plugins.forums.views import (
    erase_forums,
    export_forums,
    forget_group,
    group_forum_tab,
    member_replies_tab,
    member_topics_tab,
)
from plugins.groups.events import IGroupDeleted
from plugins.groups.interfaces import groups_enabled


def includeme(config):
    from plugins.forums import admin, content, events, notify, seed
    from plugins.forums.services import forum_service_factory

    config.register_service_factory(forum_service_factory, IForumService)
    config.declare_permission(POST, _("Start topics and reply in the site's forums"),
                              roles=("member",))
    config.declare_permission(MODERATE, _("Moderate the site's forums"), roles=("moderator",))
    config.declare_permission(MANAGE, _("Manage forum categories and forums"), roles=())
    config.include(events)
    config.include(content)
    config.include(notify)
    config.add_route("forums_index", "/forums")
    config.add_route("forums_search", "/forums/search")
    config.add_route("forums_reports", "/forums/reports")
    config.add_route("forums_report_resolve", r"/forums/reports/{id:\d+}/{outcome}", ids="id")
    config.add_route("forums_unsubscribe", "/forums/unsubscribe/{token}")
    config.add_route("forums_post", r"/forums/post/{id:\d+}", ids="id")
    config.add_route("forums_post_edit", r"/forums/post/{id:\d+}/edit", ids="id")
    config.add_route("forums_post_delete", r"/forums/post/{id:\d+}/delete", ids="id")
    config.add_route("forums_post_report", r"/forums/post/{id:\d+}/report", ids="id")
    config.add_route("forums_post_hide", r"/forums/post/{id:\d+}/{action}", ids="id")
    config.add_route("forums_reply", r"/forums/topic/{id:\d+}/reply", ids="id")
    config.add_route("forums_topic_subscription", r"/forums/topic/{id:\d+}/subscription", ids="id")
    config.add_route("forums_topic_moderate", r"/forums/topic/{id:\d+}/{action}", ids="id")
    config.add_route("forums_forum", "/forums/{forum}")
    config.add_route("forums_new_topic", "/forums/{forum}/new")
    config.add_route("forums_forum_subscription", "/forums/{forum}/subscription")
    config.add_route("forums_topic", r"/forums/{forum}/{id:\d+}-{slug}", ids="id")
    config.add_nav_item("main", "forums", _("Forums"), "forums_index", order=20)
    config.add_region("forums.index.header", _("Forums: above the list of forums"))
    config.add_region("forums.forum.header", _("Forums: above a forum's topics"))
    config.add_region("forums.topic.footer", _("Forums: below a topic's posts"))
    config.add_personal_data_provider("forums", export=export_forums, erase=erase_forums)
    if plugin_enabled(config.registry, "profiles"):
        config.add_profile_tab("topics", _("Topics"), member_topics_tab,
                               "forums/member_topics.jinja2", order=40)
        config.add_profile_tab("replies", _("Replies"), member_replies_tab,
                               "forums/member_replies.jinja2", order=41)
    if groups_enabled(config.registry) and hasattr(config, "add_group_tab"):
        config.add_group_tab("forum", _("Forum"), group_forum_tab, order=20,
                             renderer="forums/group_tab.jinja2")
    if groups_enabled(config.registry):
        config.add_event_subscriber(IGroupDeleted, forget_group, name="forums.forget_group",
                                    sync=True)
    config.include(admin)
    config.include(seed)
    config.scan(".views")
