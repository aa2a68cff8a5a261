"""The admin panel where site admins define group types (/admin/groups)."""

from __future__ import annotations

from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.view import view_config

from core.admin.views import admin_panels
from plugins.groups import _
from plugins.groups.forms import TypeForm
from plugins.groups.interfaces import GroupError, IGroupService
from plugins.groups.models import GroupType

MANAGE_TYPES = "groups.types"


def _service(request):
    return request.find_service(IGroupService)


def _back(request, message):
    request.session.flash(request.localizer.translate(message))
    return HTTPSeeOther(request.route_url("groups_admin"))


def _type(request) -> GroupType:
    group_type = request.dbsession.get(GroupType, int(request.matchdict["id"]))
    if group_type is None:
        raise HTTPNotFound()
    return group_type


@view_config(route_name="groups_admin", renderer="groups/admin.jinja2", permission=MANAGE_TYPES)
def types_panel(request):
    service = _service(request)
    form = TypeForm(request)
    error = None
    if request.method == "POST":
        if form.validate():
            try:
                service.add_type(form.name.data, form.description.data or "",
                                 actor=request.user)
            except GroupError as exc:
                error = exc.message
            else:
                return _back(request, _("The type is added."))
        request.response.status_int = 400
    return {"panels": admin_panels(request), "types": service.types(), "form": form,
            "error": request.localizer.translate(error) if error else None}


@view_config(route_name="groups_admin_type", renderer="groups/admin_type.jinja2",
             permission=MANAGE_TYPES)
def edit_type(request):
    group_type = _type(request)
    form = TypeForm(request, obj=group_type)
    error = None
    if request.method == "POST":
        if form.validate():
            try:
                _service(request).update_type(group_type, form.name.data,
                                              form.description.data or "", actor=request.user)
            except GroupError as exc:
                error = exc.message
            else:
                return _back(request, _("The type is saved."))
        request.response.status_int = 400
    return {"panels": admin_panels(request), "type": group_type, "form": form,
            "error": request.localizer.translate(error) if error else None}


@view_config(route_name="groups_admin_type_delete", request_method="POST",
             permission=MANAGE_TYPES)
def delete_type(request):
    _service(request).delete_type(_type(request), actor=request.user)
    return _back(request, _("The type is deleted; its groups keep no type."))


def includeme(config):
    config.declare_permission(MANAGE_TYPES, _("Define the types of groups"), roles=())
    config.add_route("groups_admin", "/admin/groups")
    config.add_route("groups_admin_type", r"/admin/groups/types/{id:\d+}", ids="id")
    config.add_route("groups_admin_type_delete", r"/admin/groups/types/{id:\d+}/delete", ids="id")
    config.add_admin_panel("groups", _("Group types"), "groups_admin",
                           permission=MANAGE_TYPES, order=40)
    config.scan(".admin")
