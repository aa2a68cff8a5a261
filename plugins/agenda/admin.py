"""The admin panel where admins name the kinds of events (/admin/agenda)."""

from __future__ import annotations

import re

from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.view import view_config
from sqlalchemy import func, select

from core.admin.views import admin_panels
from plugins.agenda import _
from plugins.agenda.forms import TypeForm
from plugins.agenda.models import Event, EventType
from plugins.agenda.services import fold, type_name

MANAGE = "agenda.manage"


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:30] or "type"


def _back(request, message):
    request.session.flash(request.localizer.translate(message))
    return HTTPSeeOther(request.route_url("agenda_admin"))


@view_config(route_name="agenda_admin", renderer="agenda/admin.jinja2", permission=MANAGE)
def types_panel(request):
    db = request.dbsession
    form = TypeForm(request)
    if request.method == "POST":
        if form.validate():
            base = slug = slugify(form.name.data)
            number = 1
            while db.scalar(select(EventType.id).where(EventType.slug == slug)) is not None:
                number += 1
                slug = f"{base}-{number}"
            last = db.scalar(select(func.max(EventType.position))) or 0
            db.add(EventType(slug=slug, name=form.name.data.strip(), position=last + 1))
            return _back(request, _("The type is added."))
        request.response.status_int = 400
    types = list(db.scalars(select(EventType).order_by(EventType.position, EventType.id)))
    used = dict(db.execute(select(Event.type_id, func.count()).group_by(Event.type_id)).all())
    return {"panels": admin_panels(request), "types": types, "used": used, "form": form,
            "type_name": type_name}


@view_config(route_name="agenda_admin_type", request_method="POST", permission=MANAGE)
def type_action(request):
    db = request.dbsession
    item = db.get(EventType, int(request.matchdict["id"]))
    if item is None:
        raise HTTPNotFound()
    action = request.matchdict["action"]
    if action == "rename":
        form = TypeForm(request)
        if not form.validate():
            return _back(request, _("Give the type a name of at most 80 characters."))
        item.name = form.name.data.strip()
        return _back(request, _("The type is renamed."))
    if action == "delete":
        if db.scalar(select(Event.id).where(Event.type_id == item.id).limit(1)) is not None:
            return _back(request, _("Events have this type: rename it instead of deleting it."))
        db.delete(item)
        return _back(request, _("The type is deleted."))
    if action in ("up", "down"):
        types = list(db.scalars(select(EventType).order_by(EventType.position, EventType.id)))
        index = types.index(item)
        other = index + (-1 if action == "up" else 1)
        if 0 <= other < len(types):
            types[index], types[other] = types[other], types[index]
            for position, each in enumerate(types, start=1):
                each.position = position
        return _back(request, _("The order is saved."))
    raise HTTPNotFound()


def includeme(config):
    config.add_route("agenda_admin", "/admin/agenda")
    config.add_route("agenda_admin_type", r"/admin/agenda/types/{id:\d+}/{action}", ids="id")
    config.add_admin_panel("agenda", _("Event types"), "agenda_admin", permission=MANAGE,
                           order=160)
    config.scan(".admin")
