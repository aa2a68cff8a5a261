"""What the carpooling adds to the site: its service, pages, box, data and events."""

from covoiturage import _
from covoiturage.interfaces import ICovoiturageService
from covoiturage.services import covoiturage_service_factory
from covoiturage.views import USE, erase_covoiturage, event_box, export_covoiturage


def includeme(config):
    config.register_service_factory(covoiturage_service_factory, ICovoiturageService)
    config.declare_permission(USE, _("Offer and take seats in cars to events"),
                              roles=("member",))
    config.add_route("covoiturage_event", r"/covoiturage/event/{id:\d+}", ids="id")
    config.add_route("covoiturage_take", r"/covoiturage/offer/{id:\d+}/take", ids="id")
    config.add_route("covoiturage_leave", r"/covoiturage/offer/{id:\d+}/leave", ids="id")
    config.add_route("covoiturage_withdraw", r"/covoiturage/offer/{id:\d+}/withdraw", ids="id")
    # The box on every event page, for whoever sees the event (the page is a 404 otherwise).
    config.add_region_item("agenda.event.aside", "covoiturage",
                           template="covoiturage/box.jinja2", view=event_box, order=50)
    config.add_personal_data_provider("covoiturage", export=export_covoiturage,
                                      erase=erase_covoiturage)
    config.include("covoiturage.events")
    config.scan("covoiturage.views")
