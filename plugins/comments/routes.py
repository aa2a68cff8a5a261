"""What the comments plugin adds to the site: its routes, pages, regions and services."""

from __future__ import annotations

from core.extensions import plugin_enabled
from plugins.comments import _
from plugins.comments.interfaces import ICommentService
from plugins.comments.views import (
    BOXES,
    add_comments_box,
    erase_comments,
    export_comments,
    sweep,
)


def includeme(config):
    from plugins.comments import content, events
    from plugins.comments.services import MODERATE, POST, comment_service_factory

    config.register_service_factory(comment_service_factory, ICommentService)
    config.include(events)
    config.include(content)
    config.declare_permission(POST, _("Comment on what the site publishes"), roles=("member",))
    config.declare_permission(MODERATE, _("Moderate every comment"), roles=("moderator",))
    config.add_directive("add_comments_box", add_comments_box, action_wrap=False)
    config.add_route("comments_comment", r"/comment/{id:\d+}", ids="id")
    config.add_route("comments_edit", r"/comment/{id:\d+}/edit", ids="id")
    config.add_route("comments_delete", r"/comment/{id:\d+}/delete", ids="id")
    config.add_route("comments_report", r"/comment/{id:\d+}/report", ids="id")
    config.add_route("comments_moderate", r"/comment/{id:\d+}/{action}",
                     ids="id")
    config.add_route("comments_thread", r"/comments/{kind}/{id:\d+}", ids="id")
    config.add_route("comments_switch", r"/comments/{kind}/{id:\d+}/{action}",
                     ids="id")
    for plugin, region, kind_name, key in BOXES:
        if plugin_enabled(config.registry, plugin):
            config.add_comments_box(region, kind_name, key)
    config.add_periodic_task("comments.sweep", sweep, minute="17", hour="4")
    config.add_personal_data_provider("comments", export=export_comments, erase=erase_comments)
    config.scan(".views")
