"""What the messages plugin adds to the site: its routes, pages, regions and services."""

from __future__ import annotations

from core.extensions import plugin_enabled
from core.security import ACCOUNT
from plugins.messages import _
from plugins.messages.models import Conversation
from plugins.messages.services import (
    CONTENT_TYPE,
    MODERATE,
    NEW_MESSAGE,
    REPORT_OUTCOME,
    IMessageService,
    message_service_factory,
    visible_conversations,
)
from plugins.messages.views import (
    conversation_label,
    conversation_url,
    erase,
    export,
    group_button,
    write_button,
)


def includeme(config):
    config.register_service_factory(message_service_factory, IMessageService)
    config.declare_permission(MODERATE, _("Read reported messages and take them down"),
                              roles=("moderator",))
    config.add_route("messages_inbox", "/messages")
    config.add_route("messages_new", "/messages/new")
    config.add_route("messages_settings", "/messages/settings")
    config.add_route("messages_reports", "/messages/reports")
    config.add_route("messages_resolve", r"/messages/reports/{id:\d+}", ids="id")
    config.add_route("messages_group", "/messages/group/{slug}")
    config.add_route("messages_show", r"/messages/{id:\d+}", ids="id")
    config.add_route("messages_reply", r"/messages/{id:\d+}/reply", ids="id")
    config.add_route("messages_archive", r"/messages/{id:\d+}/archive", ids="id")
    config.add_route("messages_delete", r"/messages/{id:\d+}/delete", ids="id")
    config.add_route("messages_report", r"/messages/message/{id:\d+}/report", ids="id")
    config.add_content_type(CONTENT_TYPE, _("Conversation"), Conversation,
                            visible=visible_conversations, url=conversation_url,
                            label=conversation_label, created="created_at")
    config.add_nav_item("user", "messages", _("Messages"), "messages_inbox",
                        permission=ACCOUNT, order=30, icon="message-square")
    config.add_nav_item("user", "messages_reports", _("Reported messages"), "messages_reports",
                        permission=MODERATE, order=35, icon="flag")
    if plugin_enabled(config.registry, "profiles"):
        config.add_region_item("profiles.profile.header", "messages.write",
                               template="messages/write_button.jinja2", view=write_button)
    if plugin_enabled(config.registry, "groups"):
        config.add_region_item("groups.group.header", "messages.group",
                               template="messages/group_button.jinja2", view=group_button)
    if plugin_enabled(config.registry, "notifications"):
        config.add_notification_type(NEW_MESSAGE, _("New private messages"), "email",
                                     message=_("${actor} wrote to you"), order=15)
        config.add_notification_type(REPORT_OUTCOME, _("What became of my reports"), "in_app",
                                     message=_("The moderators handled a message you reported"),
                                     order=91)
    config.add_personal_data_provider("messages", export=export, erase=erase)
    from plugins.messages.seed import seed_messages

    config.add_seeder("messages", seed_messages,
                      options={"messages": (0, "how many messages to add in bulk")})
    config.scan(".views")
