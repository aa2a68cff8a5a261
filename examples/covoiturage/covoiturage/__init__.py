"""Carpooling to events: members going to an event offer the free seats of their car, and
others take one.

Its box shows on every event page (the agenda's ``agenda.event.aside`` region) for whoever may
see the event, and links to the event's carpooling page. Who may see an event is asked of the
agenda's service (``IAgendaService.get(event_id, viewer)``): an event a member may not see has
no carpooling for them either (404). A car never takes more passengers than it has seats, even
when many ask at the same moment.
"""

from core.plugin import Plugin, Setting, aspositiveint
from pyramid.i18n import TranslationStringFactory

_ = TranslationStringFactory("covoiturage")

plugin = Plugin(
    name="covoiturage",
    package=__name__,
    title=_("Carpooling"),
    description=_("Members going to an event offer the free seats of their car."),
    version="1.0.0",
    requires=("agenda",),
    settings={
        "most_seats": Setting(8, aspositiveint, "Most seats one car may offer."),
    },
    includeme="covoiturage.routes:includeme",
)
