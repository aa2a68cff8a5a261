"""The admin panel where admins name the kinds of events (/admin/agenda)."""

from __future__ import annotations

from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.view import view_config
from sqlalchemy import func, select

from core.admin.views import admin_panels
from plugins.agenda import _
from plugins.agenda.forms import TypeForm
from plugins.agenda.interfaces import AgendaError, IAgendaService
from plugins.agenda.models import Event
from plugins.agenda.services import MANAGE, type_name


def _back(request, message):
    request.session.flash(request.localizer.translate(message))
    return HTTPSeeOther(request.route_url("agenda_admin"))


@view_config(route_name="agenda_admin", renderer="agenda/admin.jinja2", permission=MANAGE)
def types_panel(request):
    service = request.find_service(IAgendaService)
    form = TypeForm(request)
    if request.method == "POST":
        if form.validate():
            service.add_type(request.user, form.name.data)
            return _back(request, _("The type is added."))
        request.response.status_int = 400
    db = request.dbsession
    used = dict(db.execute(select(Event.type_id, func.count()).group_by(Event.type_id)).all())
    return {"panels": admin_panels(request), "types": service.types(), "used": used,
            "form": form, "type_name": type_name}


@view_config(route_name="agenda_admin_type", request_method="POST", permission=MANAGE)
def type_action(request):
    service = request.find_service(IAgendaService)
    type_id = int(request.matchdict["id"])
    action = request.matchdict["action"]
    try:
        if action == "rename":
            form = TypeForm(request)
            if not form.validate():
                return _back(request, _("Give the type a name of at most 80 characters."))
            service.rename_type(request.user, type_id, form.name.data)
            return _back(request, _("The type is renamed."))
        if action == "delete":
            service.delete_type(request.user, type_id)
            return _back(request, _("The type is deleted."))
        if action in ("up", "down"):
            service.move_type(request.user, type_id, up=action == "up")
            return _back(request, _("The order is saved."))
    except AgendaError as exc:
        return _back(request, exc.message)
    raise HTTPNotFound()


def includeme(config):
    config.add_route("agenda_admin", "/admin/agenda")
    config.add_route("agenda_admin_type", r"/admin/agenda/types/{id:\d+}/{action}", ids="id")
    config.add_admin_panel("agenda", _("Event types"), "agenda_admin", permission=MANAGE,
                           order=160)
    config.scan(".admin")
