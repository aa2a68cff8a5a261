"""The directory, a group's page with its tabs, membership actions, and the plugin's setup.

Every page finds its group with ``GroupService.find(slug, request.user)``, which answers None
for a group the viewer may not know about: such a group is 404 everywhere, never 403.
"""

from __future__ import annotations

import os

from markupsafe import Markup
from pyramid.httpexceptions import HTTPForbidden, HTTPNotFound, HTTPSeeOther
from pyramid.renderers import render
from pyramid.response import FileResponse
from pyramid.view import view_config

from core.errors import RateLimited
from core.security import ACCOUNT, VIEW
from core.text import render_markdown
from plugins.groups import _, images
from plugins.groups.forms import GroupForm
from plugins.groups.interfaces import GroupError, IGroupService
from plugins.groups.models import BANNED, INVITED, MEMBER, REQUESTED
from plugins.groups.services import SORTS
from plugins.groups.tabs import find_tab, group_tabs
from plugins.profiles.interfaces import AvatarError

PEOPLE_LISTS = {"members": MEMBER, "requests": REQUESTED, "invitations": INVITED,
                "banned": BANNED}
ROLE_MESSAGES = {
    "admin": lambda name: _("${name} is now an admin of the group.", mapping=name),
    "moderator": lambda name: _("${name} is now a moderator of the group.", mapping=name),
    "member": lambda name: _("${name} is now a plain member of the group.", mapping=name),
}
SORT_LABELS = {"active": _("Recently active"), "newest": _("Newest"),
               "name": _("Alphabetical"), "members": _("Most members")}


def groups(request):
    return request.find_service(IGroupService)


def _group_or_404(request):
    group = groups(request).find(request.matchdict["slug"], request.user)
    if group is None:
        raise HTTPNotFound()
    return group


def _flash(request, message):
    request.session.flash(request.localizer.translate(message))


def _back(request, group, message, route="groups_group", **kw):
    _flash(request, message)
    if group is None:
        return HTTPSeeOther(request.route_url("groups_directory"))
    return HTTPSeeOther(request.route_url(route, slug=group.slug, **kw))


def type_title(request, group_type) -> str:
    """Seeded type names are in the catalogue; names admins wrote show as written."""
    return request.localizer.translate(_(group_type.name)) if group_type else ""


# -- the directory -----------------------------------------------------------------------------


def _directory_values(request, only_member: bool) -> dict:
    service = groups(request)
    viewer = request.user
    query = request.GET.get("q", "").strip()[:100]
    types = service.types()
    type_key = request.GET.get("type", "")
    chosen = next((t for t in types if t.key == type_key), None)
    sort = request.GET.get("sort", "active")
    page, sort = service.directory(viewer, query, chosen.id if chosen else None, sort,
                                   request.GET.get("after"), only_member=only_member)
    memberships = service.roles_of(viewer, [g.id for g in page.items])
    route = "groups_mine" if only_member else "groups_directory"
    params = {key: value for key, value in
              {"q": query, "type": chosen.key if chosen else "", "sort": sort}.items() if value}
    searching = bool(query or chosen)
    return {
        "page": page,
        "query": query,
        "types": types,
        "chosen_type": chosen,
        "sort": sort,
        "sorts": [(key, SORT_LABELS[key]) for key in SORTS],
        "memberships": memberships,
        "count": service.count(viewer, query, chosen.id if chosen else None)
        if searching and not only_member else None,
        "next_url": request.route_url(route, _query={**params, "after": page.next_cursor})
        if page.next_cursor else None,
        "first_url": request.route_url(route, _query=params)
        if request.GET.get("after") else None,
        "route": route,
        "only_member": only_member,
        "invitations": [],
        "may_create": service.may_create(viewer),
        "type_title": lambda t: type_title(request, t),
        "avatar": lambda g: images.avatar(g, request, 64),
    }


@view_config(route_name="groups_directory", renderer="groups/directory.jinja2", permission=VIEW)
def directory(request):
    return _directory_values(request, only_member=False)


@view_config(route_name="groups_mine", renderer="groups/directory.jinja2", permission=ACCOUNT)
def my_groups(request):
    values = _directory_values(request, only_member=True)
    service = groups(request)
    values["invitations"] = service.invitations_for(request.user)
    return values


# -- a group's page ----------------------------------------------------------------------------


def _page(request, group, current: str, content=None) -> dict:
    service = groups(request)
    viewer = request.user
    membership = service.membership(group, viewer)
    sees_content = service.can_see_content(group, viewer)
    moderator = service.is_moderator(group, viewer)
    counts = service.state_counts(group) if moderator else {}
    return {
        "group": group,
        "type_title": type_title(request, group.type),
        "avatar": images.avatar(group, request, 128),
        "cover_url": images.cover_url(group, request),
        "membership": membership,
        "role": service.role(group, viewer),
        "sees_content": sees_content,
        "tabs": group_tabs(request, group) if sees_content else [],
        "current": current,
        "content": content,
        "is_manager": service.is_manager(group, viewer),
        "is_moderator": moderator,
        "may_invite": service.may_invite(group, viewer),
        "counts": counts,
        "description": render_markdown(group.description),
    }


@view_config(route_name="groups_group", renderer="groups/group.jinja2", permission=VIEW)
def group_page(request):
    group = _group_or_404(request)
    return _page(request, group, "")


@view_config(route_name="groups_people", renderer="groups/group.jinja2", permission=VIEW)
def people(request):
    group = _group_or_404(request)
    service = groups(request)
    name = request.matchdict["list"]
    if name == "members":
        if not service.can_see_content(group, request.user):
            raise HTTPNotFound()
    elif not service.is_moderator(group, request.user):
        raise HTTPNotFound()
    page = service.people(group, PEOPLE_LISTS[name], request.GET.get("after"),
                          viewer=request.user)
    values = _page(request, group, name)
    next_url = None
    if page.next_cursor:
        next_url = request.route_url("groups_people", slug=group.slug, list=name,
                                     _query={"after": page.next_cursor})
    content = Markup(render("groups/people.jinja2", {
        **values, "list": name, "page": page, "next_url": next_url,
        "avatar_of": lambda user, token: _member_avatar(request, user, token),
    }, request=request))
    values["content"] = content
    return values


def _member_avatar(request, user, token) -> dict:
    from plugins.profiles import avatars

    if token:
        return {"url": request.route_url("profiles_avatar_file",
                                         name=avatars.file_name(token, 64))}
    return {"initials": avatars.initials(user.display_name), "colour": avatars.colour(user.id)}


@view_config(route_name="groups_tab", renderer="groups/group.jinja2", permission=VIEW)
def group_tab(request):
    group = _group_or_404(request)
    tab = find_tab(request, request.matchdict["tab"])
    if tab is None or not tab.shown_to(request, group) \
            or not groups(request).can_see_content(group, request.user):
        raise HTTPNotFound()
    values = tab.view(request, group)
    if values is None:
        raise HTTPNotFound()
    if isinstance(values, str):
        content = Markup(values)
    else:
        content = Markup(render(tab.template(values), {"group": group, **values},
                                request=request))
    return _page(request, group, tab.name, content)


# -- membership --------------------------------------------------------------------------------
# The service decides who may do what; these views parse the form, call it with request.user
# and show its refusals (GroupError, RateLimited) in a flash message. NotFound and Forbidden
# go to the site's error page with their status.

REFUSALS = (GroupError, RateLimited)


@view_config(route_name="groups_membership", request_method="POST", permission=ACCOUNT)
def membership(request):
    group = _group_or_404(request)
    service = groups(request)
    action = request.POST.get("action")
    user = request.user
    try:
        if action == "join":
            state = service.join(group, actor=user)
            message = _("You joined the group.") if state == MEMBER else _(
                "Your request is sent; the group's admins will answer it.")
        elif action == "leave":
            service.leave(group, actor=user)
            message = _("You left the group.")
        elif action == "cancel":
            service.cancel_request(group, actor=user)
            message = _("Your request is withdrawn.")
        elif action == "accept":
            service.accept(group, actor=user)
            message = _("Welcome to the group.")
        elif action == "decline":
            service.decline(group, actor=user)
            message = _("The invitation is declined.")
        else:
            raise HTTPNotFound()
    except REFUSALS as exc:
        return _back(request, group, exc.message)
    if not service.may_know(group, user):
        return _back(request, None, message)
    return _back(request, group, message)


@view_config(route_name="groups_invite", request_method="POST", permission=ACCOUNT)
def invite(request):
    group = _group_or_404(request)
    service = groups(request)
    person = service.person_named(request.POST.get("username", ""))
    try:
        state = service.invite(group, person, actor=request.user)
    except REFUSALS as exc:
        return _back(request, group, exc.message, "groups_people", list="members")
    name = {"name": person.display_name}
    message = _("${name} is invited.", mapping=name) if state == INVITED \
        else _("${name} is now a member.", mapping=name)
    return _back(request, group, message, "groups_people", list="members")


MANAGE_ACTIONS = {
    # action: (the service's method, what to say, the list to go back to)
    "approve": ("approve", lambda name: _("${name} is now a member.", mapping=name),
                "requests"),
    "reject": ("reject", lambda name: _("The request of ${name} is declined.", mapping=name),
               "requests"),
    "uninvite": ("cancel_invitation",
                 lambda name: _("The invitation of ${name} is withdrawn.", mapping=name),
                 "invitations"),
    "promote": ("promote", None, "members"),
    "demote": ("demote", None, "members"),
    "remove": ("remove", lambda name: _("${name} is removed from the group.", mapping=name),
               "members"),
    "ban": ("ban", lambda name: _("${name} is banned from the group.", mapping=name),
            "members"),
    "unban": ("unban", lambda name: _("${name} is no longer banned.", mapping=name),
              "banned"),
}


@view_config(route_name="groups_manage", request_method="POST", permission=ACCOUNT)
def manage(request):
    group = _group_or_404(request)
    service = groups(request)
    action = MANAGE_ACTIONS.get(request.POST.get("action"))
    person = service.person(request.POST.get("user_id"))
    if action is None or person is None:
        raise HTTPNotFound()
    method, said, back = action
    name = {"name": person.display_name}
    try:
        role = getattr(service, method)(group, person, actor=request.user)
        message = ROLE_MESSAGES[role](name) if said is None else said(name)
    except REFUSALS as exc:
        message = exc.message
    return _back(request, group, message, "groups_people", list=back)


# -- creating, editing, deleting ---------------------------------------------------------------


def _form_error(request, exc) -> str:
    """The refusal's sentence for the form, the page answering with its status."""
    request.response.status_int = exc.status
    return request.localizer.translate(exc.message)


@view_config(route_name="groups_new", renderer="groups/edit.jinja2", permission=ACCOUNT)
def new_group(request):
    service = groups(request)
    if not service.may_create(request.user):
        raise HTTPForbidden()
    form = GroupForm(request).prepare(request, service.types())
    error = None
    if request.method == "POST":
        request.response.status_int = 400
        if form.validate():
            try:
                group = service.create(form.values(), actor=request.user)
            except REFUSALS as exc:
                error = _form_error(request, exc)
            else:
                return _back(request, group, _("The group is created."))
    return {"form": form, "group": None, "error": error}


def _managed_group(request):
    """The group, for pages only its admins reach (the service checks again when acting)."""
    group = _group_or_404(request)
    service = groups(request)
    if not service.is_manager(group, request.user):
        if not service.can_see_content(group, request.user):
            raise HTTPNotFound()
        raise HTTPForbidden()
    return group


@view_config(route_name="groups_edit", renderer="groups/edit.jinja2", permission=ACCOUNT)
def edit_group(request):
    group = _managed_group(request)
    service = groups(request)
    data = None if request.method == "POST" else {
        "name": group.name, "slug": group.slug, "description": group.description,
        "type_id": group.type_id or 0, "status": group.status,
        "invite_policy": group.invite_policy, "postcode": group.postcode, "city": group.city}
    form = GroupForm(request, data=data).prepare(request, service.types())
    error = None
    if request.method == "POST":
        request.response.status_int = 400
        if form.validate():
            try:
                service.update(group, form.values(), actor=request.user)
            except REFUSALS as exc:
                request.dbsession.refresh(group)
                error = _form_error(request, exc)
            else:
                return _back(request, group, _("The group is saved."))
    return {"form": form, "group": group,
            "avatar": images.avatar(group, request, 128),
            "cover_url": images.cover_url(group, request), "error": error}


@view_config(route_name="groups_image", request_method="POST", permission=ACCOUNT)
def change_image(request):
    group = _managed_group(request)
    service = groups(request)
    kind = request.POST.get("kind")
    if kind not in ("avatar", "cover"):
        raise HTTPNotFound()
    if request.POST.get("remove"):
        service.remove_image(group, kind, actor=request.user)
        return _back(request, group, _("The picture is removed."), "groups_edit")
    upload = request.POST.get("image")
    if not hasattr(upload, "file"):
        return _back(request, group, _("Choose an image to send."), "groups_edit")
    try:
        service.set_image(group, upload, kind, actor=request.user)
    except AvatarError as exc:
        return _back(request, group, exc.message, "groups_edit")
    return _back(request, group, _("The picture is saved."), "groups_edit")


@view_config(route_name="groups_cover_file", permission=VIEW)
def cover_file(request):
    name = request.matchdict["name"]
    path = os.path.join(images.cover_directory(request.registry.settings), name)
    if not images.COVER_NAME.match(name) or not os.path.isfile(path):
        raise HTTPNotFound()
    # A new picture gets a new name, so the file may be kept for a year.
    response = FileResponse(path, request=request, content_type="image/jpeg",
                            cache_max_age=365 * 24 * 3600)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@view_config(route_name="groups_delete", renderer="groups/delete.jinja2", permission=ACCOUNT)
def delete_group(request):
    group = _managed_group(request)
    if request.method == "POST":
        if request.POST.get("confirm") != group.slug:
            request.response.status_int = 400
            return {"group": group, "error": request.localizer.translate(
                _("Type the group's address to confirm."))}
        groups(request).delete(group, actor=request.user)
        return _back(request, None, _("The group is deleted."))
    return {"group": group, "error": None}


# -- the "Groups" tab on member pages ----------------------------------------------------------


def profile_groups_tab(request, member):
    page = groups(request).groups_of(member, request.user, request.GET.get("after"))
    next_url = None
    if page.next_cursor:
        next_url = request.route_url("profiles_tab", username=member.username, tab="groups",
                                     _query={"after": page.next_cursor})
    return {"page": page, "next_url": next_url,
            "avatar": lambda g: images.avatar(g, request, 64),
            "type_title": lambda t: type_title(request, t)}


# -- the member's dashboard -------------------------------------------------------------------


def dashboard_widget(request):
    service = groups(request)
    page, _sort = service.directory(request.user, sort="active", limit=5, only_member=True)
    return {"groups": page.items, "more": page.next_cursor is not None,
            "invitations": len(service.invitations_for(request.user))}


# -- setup -------------------------------------------------------------------------------------


def export_groups(request, user):
    return groups(request).export(user)


def erase_groups(request, user):
    groups(request).erase(user)


def find_principals(request, user):
    return groups(request).principals(user)
