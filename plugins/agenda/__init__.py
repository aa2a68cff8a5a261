"""Agenda: events with RSVPs, waitlists, recurring series and iCalendar feeds.

With the groups plugin on, groups hold events and get an Agenda tab; with profiles on,
member pages get an Events tab.

Page regions (``config.add_region_item``, see ``core.regions``), on an event's page:

``agenda.event.aside``      below the event's description; context ``event`` (an ``Event``
                            the viewer may see)
``agenda.event.after_rsvp`` below the answer form; context ``event`` and ``rsvp`` (the
                            viewer's ``Rsvp``, or None)

Spine: content type ``agenda.event``, domain events in ``plugins.agenda.events``, mail
subscribers, jobs and the periodic reminders in ``plugins.agenda.notices``, test fixtures in
``plugins.agenda.testing``.
"""

from pyramid.i18n import TranslationStringFactory

from core.plugin import Plugin, Setting, asint, aspositiveint

_ = TranslationStringFactory("agenda")

plugin = Plugin(
    name="agenda",
    package=__name__,
    title=_("Agenda"),
    description=_("Events, RSVPs with waitlists, recurring events and calendar feeds."),
    version="1.0",
    optional=("profiles", "groups"),
    settings={
        "page_size": Setting(20, aspositiveint, "Events per page of the agenda."),
        "feed_days": Setting(
            365, aspositiveint,
            "How many days ahead the iCalendar feeds reach (they keep the last 30 days too)."),
        "feed_limit": Setting(300, aspositiveint, "Most events in one iCalendar feed."),
        "reminder_hours": Setting(
            24, asint, "Hours before an event when the worker reminds the people going "
            "(it looks every five minutes; `cortege agenda remind INI` does it by hand); "
            "0 sends no reminder."),
        "mail_chunk": Setting(
            200, aspositiveint, "Mails one job writes when many people are written to at "
            "once (attendees of a big event): more people make more jobs, never a slow one."),
        "max_occurrences": Setting(
            104, aspositiveint, "Most occurrences a recurring event may have."),
    },
    includeme="plugins.agenda.routes:includeme",
)
