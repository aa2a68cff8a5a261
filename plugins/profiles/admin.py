"""The admin panel where admins define field groups and fields (/admin/profiles)."""

from __future__ import annotations

from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.view import view_config

from core.admin.views import admin_panels
from plugins.profiles import _
from plugins.profiles.forms import FieldForm, GroupForm
from plugins.profiles.interfaces import IProfileService
from plugins.profiles.models import Field, FieldGroup
from plugins.profiles.services import FieldError

MANAGE = "profiles.manage"
STEPS = {"up": -1, "down": 1}


def _service(request):
    return request.find_service(IProfileService)


def _back(request, message):
    request.session.flash(request.localizer.translate(message))
    return HTTPSeeOther(request.route_url("profiles_admin"))


def _get(request, model):
    item = request.dbsession.get(model, int(request.matchdict["id"]))
    if item is None:
        raise HTTPNotFound()
    return item


@view_config(route_name="profiles_admin", renderer="profiles/admin.jinja2", permission=MANAGE)
def fields_panel(request):
    service = _service(request)
    form = GroupForm(request)
    if request.method == "POST":
        if form.validate():
            service.add_group(form.name.data.strip(), (form.description.data or "").strip(),
                              actor=request.user)
            return _back(request, _("The group is added."))
        request.response.status_int = 400
    return {"panels": admin_panels(request), "groups": service.groups, "group_form": form,
            "types": service.types}


@view_config(route_name="profiles_admin_group", renderer="profiles/admin_group.jinja2",
             permission=MANAGE)
def edit_group(request):
    group = _get(request, FieldGroup)
    form = GroupForm(request, obj=group)
    if request.method == "POST":
        if form.validate():
            _service(request).update_group(group, form.name.data.strip(),
                                           (form.description.data or "").strip(),
                                           actor=request.user)
            return _back(request, _("The group is saved."))
        request.response.status_int = 400
    return {"panels": admin_panels(request), "group": group, "form": form}


def _reorder_or_delete(request, item, siblings, delete, deleted_message):
    """The POST buttons beside a group or a field: move up, move down, delete."""
    action = request.matchdict["action"]
    if action == "delete":
        delete(item, actor=request.user)
        return _back(request, deleted_message)
    if action in STEPS:
        _service(request).move(item, siblings, STEPS[action], actor=request.user)
        return _back(request, _("The order is saved."))
    raise HTTPNotFound()


@view_config(route_name="profiles_admin_group_action", request_method="POST", permission=MANAGE)
def group_action(request):
    service = _service(request)
    return _reorder_or_delete(request, _get(request, FieldGroup), service.groups,
                              service.delete_group, _("The group and its fields are deleted."))


def _field_page(request, form, field=None):
    return {"panels": admin_panels(request), "form": form, "field": field}


def _save_field(request, form, field=None):
    """Validate and save; on refusal, the form carries the messages."""
    service = _service(request)
    if not form.validate():
        return None
    values = form.values()
    group = request.dbsession.get(FieldGroup, form.group_id.data)
    try:
        if field is None:
            field = service.add_field(group, actor=request.user, **values)
        else:
            if group.id != field.group_id:
                values["group_id"] = group.id
            service.update_field(field, actor=request.user, **values)
    except FieldError as exc:
        form.add_error(exc.field, exc.message)
        return None
    return field


@view_config(route_name="profiles_admin_field_new", renderer="profiles/admin_field.jinja2",
             permission=MANAGE)
def new_field(request):
    service = _service(request)
    if not service.groups:
        return _back(request, _("Add a group first: every field belongs to a group."))
    form = FieldForm(request).prepare(request, service)
    if request.method == "GET":
        group = request.GET.get("group", "")
        form.group_id.data = int(group) if group.isdigit() else service.groups[0].id
        form.type.data = "text"
    elif _save_field(request, form) is not None:
        return _back(request, _("The field is added."))
    else:
        request.response.status_int = 400
    return _field_page(request, form)


@view_config(route_name="profiles_admin_field", renderer="profiles/admin_field.jinja2",
             permission=MANAGE)
def edit_field(request):
    field = _get(request, Field)
    service = _service(request)
    form = FieldForm(request, obj=field).prepare(request, service)
    if request.method == "GET":
        form.options.data = "\n".join(field.options or [])
    elif _save_field(request, form, field) is not None:
        return _back(request, _("The field is saved."))
    else:
        request.response.status_int = 400
    return _field_page(request, form, field)


@view_config(route_name="profiles_admin_field_action", request_method="POST", permission=MANAGE)
def field_action(request):
    field = _get(request, Field)
    service = _service(request)
    siblings = next(g.fields for g in service.groups if g.id == field.group_id)
    return _reorder_or_delete(request, field, siblings, service.delete_field,
                              _("The field and every answer to it are deleted."))


def includeme(config):
    config.add_route("profiles_admin", "/admin/profiles")
    config.add_route("profiles_admin_group", r"/admin/profiles/groups/{id:\d+}", ids="id")
    config.add_route("profiles_admin_group_action", r"/admin/profiles/groups/{id:\d+}/{action}",
                     ids="id")
    config.add_route("profiles_admin_field_new", "/admin/profiles/fields/new")
    config.add_route("profiles_admin_field", r"/admin/profiles/fields/{id:\d+}", ids="id")
    config.add_route("profiles_admin_field_action", r"/admin/profiles/fields/{id:\d+}/{action}",
                     ids="id")
    config.add_admin_panel("profiles", _("Profile fields"), "profiles_admin", permission=MANAGE,
                           order=150)
    config.scan(".admin")
