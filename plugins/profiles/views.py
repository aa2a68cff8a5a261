"""Member pages, the directory, editing one's profile and avatar; and the plugin's setup."""

from __future__ import annotations

import os

from markupsafe import Markup
from pyramid.httpexceptions import HTTPForbidden, HTTPNotFound, HTTPSeeOther
from pyramid.renderers import render
from pyramid.response import FileResponse
from pyramid.view import view_config

from core.security import ACCOUNT, VIEW
from plugins.profiles import _, avatars
from plugins.profiles.forms import AvatarForm, form_values, profile_form
from plugins.profiles.interfaces import AvatarError, IProfileService
from plugins.profiles.services import COUNT_LIMIT
from plugins.profiles.tabs import find_tab, profile_tabs

MANAGE = "profiles.manage"
FILTER_PREFIX = "f"


def profiles(request):
    return request.find_service(IProfileService)


def _member_or_404(request):
    member = profiles(request).member(request.matchdict["username"])
    if member is None:
        raise HTTPNotFound()
    return member


def may_edit(request, member) -> bool:
    return profiles(request).may_edit(request.user, member)


def _page(request, member, tab_name: str, content) -> dict:
    service = profiles(request)
    return {
        "member": member,
        "profile": service.profile(member),
        "avatar": service.avatar(member, 256),
        "tabs": profile_tabs(request, member),
        "current_tab": tab_name,
        "content": content,
        "may_edit": may_edit(request, member),
    }


@view_config(route_name="profiles_member", renderer="profiles/member.jinja2", permission=VIEW)
def member_page(request):
    member = _member_or_404(request)
    return _page(request, member, "", None) | {"sections": profiles(request).sections(member)}


@view_config(route_name="profiles_tab", renderer="profiles/member.jinja2", permission=VIEW)
def member_tab(request):
    member = _member_or_404(request)
    tab = find_tab(request, request.matchdict["tab"])
    if tab is None or not tab.shown_to(request, member):
        raise HTTPNotFound()
    values = tab.view(request, member)
    if values is None:
        raise HTTPNotFound()
    content = Markup(render(tab.template(), {"member": member, **values}, request=request))
    return _page(request, member, tab.name, content) | {"sections": []}


@view_config(route_name="profiles_me", permission=ACCOUNT)
def my_profile(request):
    return HTTPSeeOther(request.route_url("profiles_member", username=request.user.username))


def read_filters(request, service) -> dict:
    """{field id: raw value} from ``f<field id>=...`` in the query string."""
    filters = {}
    for field in service.filter_fields():
        raw = request.GET.get(f"{FILTER_PREFIX}{field.id}", "").strip()
        if raw:
            filters[field.id] = raw[:100]
    return filters


@view_config(route_name="profiles_directory", renderer="profiles/directory.jinja2",
             permission=VIEW)
def directory(request):
    service = profiles(request)
    query = request.GET.get("q", "").strip()[:100]
    sort = request.GET.get("sort", "name")
    filters = read_filters(request, service)
    page = service.directory(query, filters, sort, request.GET.get("after"))
    searching = bool(query or filters)
    params = {"q": query, "sort": page.sort,
              **{f"{FILTER_PREFIX}{key}": value for key, value in filters.items()}}
    params = {key: value for key, value in params.items() if value}
    next_url = None
    if page.next_cursor:
        next_url = request.route_url("profiles_directory",
                                     _query={**params, "after": page.next_cursor})
    return {
        "page": page,
        "query": query,
        "filters": filters,
        "filter_fields": service.filter_fields(),
        "sorts": service.sorts(),
        "count": page.count if page.count is not None or not searching
        else service.count(query, filters),
        "count_limit": COUNT_LIMIT,
        "next_url": next_url,
        "first_url": request.route_url("profiles_directory", _query=params)
        if request.GET.get("after") else None,
        "avatar": service.avatar,
        "filter_prefix": FILTER_PREFIX,
    }


def _editable_member(request):
    member = _member_or_404(request)
    if not may_edit(request, member):
        raise HTTPForbidden()
    return member


@view_config(route_name="profiles_edit", renderer="profiles/edit.jinja2", permission=ACCOUNT)
def edit_profile(request):
    member = _editable_member(request)
    service = profiles(request)
    fields = service.fields
    existing = service.own_values(member)
    form = profile_form(request, service, fields, existing)
    if request.method == "POST" and form.validate():
        values, visibilities = form_values(form, fields)
        service.save_values(member, values, visibilities, existing, actor=request.user)
        request.session.flash(request.localizer.translate(_("The profile is saved.")))
        return HTTPSeeOther(request.route_url("profiles_member", username=member.username))
    if request.method == "POST":
        request.response.status_int = 400
    return {"member": member, "form": form, "groups": service.groups,
            "fields": {field.id for field in fields}, "avatar": service.avatar(member, 128),
            "avatar_form": AvatarForm(request), "avatar_error": None}


@view_config(route_name="profiles_avatar", request_method="POST",
             renderer="profiles/edit.jinja2", permission=ACCOUNT)
def change_avatar(request):
    member = _editable_member(request)
    service = profiles(request)
    if request.POST.get("remove"):
        service.remove_avatar(member, actor=request.user)
        request.session.flash(request.localizer.translate(_("The picture is removed.")))
        return HTTPSeeOther(request.route_url("profiles_edit", username=member.username))
    upload = request.POST.get("image")
    error = None
    if not hasattr(upload, "file"):
        error = _("Choose an image to send.")
    else:
        try:
            service.set_avatar(member, upload, actor=request.user)
        except AvatarError as exc:
            error = exc.message
    if error is None:
        request.session.flash(request.localizer.translate(_("The picture is saved.")))
        return HTTPSeeOther(request.route_url("profiles_edit", username=member.username))
    request.response.status_int = 400
    fields = service.fields
    return {"member": member, "groups": service.groups, "fields": {f.id for f in fields},
            "form": profile_form(request, service, fields, service.own_values(member)),
            "avatar": service.avatar(member, 128), "avatar_form": AvatarForm(request),
            "avatar_error": request.localizer.translate(error)}


@view_config(route_name="profiles_avatar_file", permission=VIEW)
def avatar_file(request):
    name = request.matchdict["name"]
    if not avatars.FILE_NAME.match(name):
        raise HTTPNotFound()
    path = os.path.join(avatars.avatar_directory(request.registry.settings), name)
    if not os.path.isfile(path):
        raise HTTPNotFound()
    response = FileResponse(path, request=request, content_type="image/jpeg")
    response.cache_control.max_age = 365 * 24 * 3600  # a new picture gets a new name
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def export_profile(request, user):
    return profiles(request).export(user)


def erase_profile(request, user):
    profiles(request).erase(user)
