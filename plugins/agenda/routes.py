"""What the agenda adds to the site: its service, routes, regions, tabs, widget, data and events."""

from core.content import Comments
from core.extensions import plugin_enabled
from core.security import ACCOUNT
from plugins.agenda import _
from plugins.agenda.interfaces import IAgendaService
from plugins.agenda.models import Event
from plugins.agenda.services import CREATE, MANAGE
from plugins.agenda.views import (
    erase_agenda,
    event_organiser,
    event_text,
    event_url,
    export_agenda,
    forget_group,
    group_agenda_tab,
    member_events_tab,
    upcoming_widget,
)


def includeme(config):
    from plugins.agenda import admin, seed
    from plugins.agenda.services import (
        CONTENT_TYPE,
        agenda_service_factory,
        visible_condition,
    )
    from plugins.groups.events import IGroupDeleted
    from plugins.groups.interfaces import groups_enabled

    config.register_service_factory(agenda_service_factory, IAgendaService)
    config.include("plugins.agenda.events")
    config.add_content_type(CONTENT_TYPE, _("Event"), Event, visible=visible_condition,
                            url=event_url, label=lambda event: event.title,
                            owner="organiser_id", created="created_at", updated="updated_at",
                            text=event_text,
                            comments=Comments(group="group_id", moderators=event_organiser))
    config.include("plugins.agenda.notices")
    config.declare_permission(CREATE, _("Publish events in the agenda"), roles=("member",))
    config.declare_permission(MANAGE, _("Edit and cancel any event; manage event types"),
                              roles=())
    config.add_route("agenda", "/agenda")
    config.add_route("agenda_ics", "/agenda.ics")
    config.add_route("agenda_new", "/agenda/new")
    config.add_route("agenda_mine", "/agenda/mine")
    config.add_route("agenda_month", "/agenda/month")
    config.add_route("agenda_week", "/agenda/week")
    config.add_route("agenda_feed_settings", "/agenda/feed")
    config.add_route("agenda_private_feed", "/agenda/feed/{token}.ics")
    config.add_route("agenda_event", r"/agenda/{id:\d+}", ids="id")
    config.add_route("agenda_event_ics", r"/agenda/{id:\d+}.ics", ids="id")
    config.add_route("agenda_edit", r"/agenda/{id:\d+}/edit", ids="id")
    config.add_route("agenda_cancel", r"/agenda/{id:\d+}/cancel", ids="id")
    config.add_route("agenda_rsvp", r"/agenda/{id:\d+}/rsvp", ids="id")
    config.add_route("agenda_checkin", r"/agenda/{id:\d+}/checkin", ids="id")
    config.add_route("agenda_message", r"/agenda/{id:\d+}/message", ids="id")
    config.add_route("agenda_attendees", r"/agenda/{id:\d+}/attendees.csv", ids="id")
    config.add_region("agenda.event.aside", _("Beside an event, below its description"))
    config.add_region("agenda.event.after_rsvp", _("Below the answer to an event"))
    config.add_nav_item("main", "agenda", _("Agenda"), "agenda", order=30)
    config.add_nav_item("user", "my-agenda", _("My agenda"), "agenda_mine",
                        permission=ACCOUNT, order=30, icon="calendar")
    config.add_dashboard_widget("agenda", _("My next events"), "agenda/widget.jinja2",
                                upcoming_widget, permission=ACCOUNT, order=30)
    config.add_personal_data_provider("agenda", export=export_agenda, erase=erase_agenda)
    if plugin_enabled(config.registry, "profiles"):
        config.add_profile_tab("events", _("Events"), member_events_tab,
                               "agenda/member_tab.jinja2", order=30)
    if groups_enabled(config.registry) and hasattr(config, "add_group_tab"):
        config.add_group_tab("agenda", _("Agenda"), group_agenda_tab, order=30,
                             renderer="agenda/group_tab.jinja2")
    if groups_enabled(config.registry):
        config.add_event_subscriber(IGroupDeleted, forget_group, name="agenda.forget_group",
                                    sync=True)
    config.include(admin)
    config.include(seed)
    config.scan(".views")
    config.include("plugins.agenda.home")
