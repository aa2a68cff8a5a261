"""The carpooling's pages: the box beside an event, the event's cars, and the forms' posts."""

from __future__ import annotations

from core.errors import ActionError
from core.security import VIEW
from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.view import view_config

from covoiturage import _
from covoiturage.forms import OfferForm
from covoiturage.interfaces import ICovoiturageService
from covoiturage.models import CovoiturageOffer

USE = "covoiturage.use"


def covoiturage(request):
    return request.find_service(ICovoiturageService)


def _flash(request, message):
    request.session.flash(request.localizer.translate(message))


def event_box(request, event):
    """Beside an event (the agenda's ``agenda.event.aside`` region): its cars, in short."""
    offers = covoiturage(request).offers(event, request.user)
    return {"event": event, "offers": offers,
            "free": sum(offer.seats - offer.seats_taken for offer, _driver, _mine in offers)}


def _event_or_404(request):
    event = covoiturage(request).event(request.matchdict["id"], request.user)
    if event is None:
        raise HTTPNotFound()
    return event


def _offer_or_404(request):
    offer = request.dbsession.get(CovoiturageOffer, request.matchdict["id"])
    if offer is None or covoiturage(request).event(offer.event_id, request.user) is None:
        raise HTTPNotFound()
    return offer


@view_config(route_name="covoiturage_event", renderer="covoiturage/event.jinja2",
             permission=VIEW)
def event_page(request, form=None):
    event = _event_or_404(request)
    offers = covoiturage(request).offers(event, request.user)
    driving = request.user is not None and any(
        offer.driver_id == request.user.id for offer, _driver, _mine in offers)
    return {"event": event, "offers": offers, "driving": driving,
            "form": form or OfferForm(request)}


@view_config(route_name="covoiturage_event", request_method="POST",
             renderer="covoiturage/event.jinja2", permission=USE)
def offer(request):
    event = _event_or_404(request)
    form = OfferForm(request)
    if not form.validate():
        return event_page(request, form)
    try:
        covoiturage(request).offer(request.user, event, form.leaves_from.data,
                                   form.seats.data, form.note.data or "")
    except ActionError as exc:
        if exc.field in form:
            form.add_error(exc.field, exc.message)
            request.response.status = exc.status
            return event_page(request, form)
        raise
    _flash(request, _("Your car is offered."))
    return HTTPSeeOther(request.route_url("covoiturage_event", id=event.id))


def _act(request, action, done):
    offer = _offer_or_404(request)
    event_id = offer.event_id
    getattr(covoiturage(request), action)(request.user, offer)
    _flash(request, done)
    return HTTPSeeOther(request.route_url("covoiturage_event", id=event_id))


@view_config(route_name="covoiturage_take", request_method="POST", permission=USE)
def take_seat(request):
    return _act(request, "take_seat", _("Your seat is kept for you."))


@view_config(route_name="covoiturage_leave", request_method="POST", permission=USE)
def leave_seat(request):
    return _act(request, "leave_seat", _("Your seat is given back."))


@view_config(route_name="covoiturage_withdraw", request_method="POST", permission=USE)
def withdraw(request):
    return _act(request, "withdraw", _("Your offer is withdrawn."))


def export_covoiturage(request, user):
    return covoiturage(request).export(user)


def erase_covoiturage(request, user):
    covoiturage(request).erase(user)
