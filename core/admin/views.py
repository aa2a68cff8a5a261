"""Admin pages of the core: the panel menu, members, permissions, site settings, plugins."""

from __future__ import annotations

from dataclasses import fields

from pyramid.authorization import ACLHelper, Authenticated, Everyone
from pyramid.httpexceptions import HTTPForbidden, HTTPNotFound, HTTPSeeOther
from pyramid.view import view_config

from core.accounts.interfaces import AccountError, IAccountService
from core.accounts.models import STATUSES
from core.accounts.views import safe_next
from core.admin.forms import ROLE_NAMES, STATUS_NAMES, SiteSettingsForm
from core.errors import StartupError
from core.extensions import ADMIN_PANELS, PERMISSIONS, registered
from core.i18n import _
from core.input import parse_id
from core.interfaces import IPlugin
from core.loader import PLUGIN_GROUP, installed, load_entry_point
from core.security import ADMIN, ROLES, VIEW, role_principals, site_acl
from core.sitesettings import SiteSettings, save_site_settings

MEMBERS_PER_PAGE = 50


def admin_panels(request) -> list:
    return [
        panel
        for panel in registered(request.registry, ADMIN_PANELS)
        if request.has_permission(panel.permission)
    ]


@view_config(route_name="admin", renderer="admin/index.jinja2", permission=VIEW)
def admin_index(request):
    """Open to whoever may see one panel at least: a plugin may give moderators one."""
    panels = admin_panels(request)
    if not panels:
        raise HTTPForbidden()
    return {"panels": panels}


def _describe(category: str, intr, translate=str) -> tuple[str, str]:
    key = intr.discriminator
    key = " ".join(key) if isinstance(key, tuple) else str(key)
    # The item keeps the title as a translation string; the introspectable, as plain text.
    title = translate(getattr(intr.get("item"), "title", None) or intr.title)
    return category.removeprefix("cortege "), key if title == key else f"{key} ({title})"


def plugin_rows(registry, translate=str) -> list[dict]:
    """Every installed plugin: enabled or not, version, settings in effect, registrations."""
    enabled = {plugin.name: plugin for plugin in registry["cortege.plugins"]}
    introspector = registry.introspector
    registrations: dict[str, list] = {}
    for category in introspector.categories():
        if not category.startswith("cortege "):
            continue
        for intr in introspector.get_category(category):
            registrations.setdefault(intr["introspectable"]["plugin"], []).append(
                _describe(category, intr["introspectable"], translate)
            )
    rows = []
    for name, entry_point in installed(PLUGIN_GROUP).items():
        plugin = enabled.get(name)
        problem = None
        if plugin is None:
            try:
                plugin = load_entry_point(entry_point, "plugin", IPlugin)
            except StartupError as exc:
                plugin, problem = None, exc.message
        settings = {}
        if name in enabled:
            settings = {
                f"{name}.{key}": registry.settings.get(f"{name}.{key}")
                for key in plugin.settings
            }
        rows.append({
            "name": name,
            "enabled": name in enabled,
            "problem": problem,
            "plugin": plugin,
            "settings": settings,
            "registrations": sorted(registrations.get(name, [])),
        })
    return rows


@view_config(route_name="admin_plugins", renderer="admin/plugins.jinja2", permission=ADMIN)
def admin_plugins(request):
    translate = request.localizer.translate
    return {"panels": admin_panels(request), "rows": plugin_rows(request.registry, translate),
            "core_registrations": plugin_rows_core(request.registry, translate)}


def plugin_rows_core(registry, translate=str) -> list:
    rows = []
    for category in registry.introspector.categories():
        if category.startswith("cortege "):
            for intr in registry.introspector.get_category(category):
                if intr["introspectable"]["plugin"] == "core":
                    rows.append(_describe(category, intr["introspectable"], translate))
    return sorted(rows)


# Members ------------------------------------------------------------------------------------


def member_filters(request) -> dict:
    """The list's search and filters from the query string; unknown values are ignored."""
    status = request.GET.get("status", "")
    role = request.GET.get("role", "")
    return {
        "q": request.GET.get("q", "").strip()[:100],
        "status": status if status in STATUSES else "",
        "role": role if role in ROLES else "",
    }


@view_config(route_name="admin_members", renderer="admin/members.jinja2", permission=ADMIN)
def admin_members(request):
    filters = member_filters(request)
    before = parse_id(request.GET.get("before", ""))
    accounts = request.find_service(IAccountService)
    members = accounts.search(
        filters["q"], filters["status"] or None, filters["role"] or None, before=before,
        limit=MEMBERS_PER_PAGE + 1,
    )
    query = {key: value for key, value in filters.items() if value}
    older = None
    if len(members) > MEMBERS_PER_PAGE:
        members = members[:MEMBERS_PER_PAGE]
        older = request.route_url("admin_members", _query={**query, "before": members[-1].id})
    return {
        "panels": admin_panels(request),
        "members": members,
        "filters": filters,
        "older": older,
        "newest": None if before is None else request.route_url("admin_members", _query=query),
        "roles": ROLE_NAMES,
        "statuses": STATUS_NAMES,
    }


def _name(user) -> str:
    return user.display_name or user.username


def _approve(request, accounts, user):
    accounts.approve(user, actor=request.user)
    return _("The account of ${name} is open; they have been told by email.",
             mapping={"name": _name(user)})


def _suspend(request, accounts, user):
    accounts.suspend(user, actor=request.user)
    return _("${name} is suspended and logged out everywhere.", mapping={"name": _name(user)})


def _reinstate(request, accounts, user):
    accounts.reinstate(user, actor=request.user)
    return _("${name} may log in again.", mapping={"name": _name(user)})


def _change_role(request, accounts, user):
    role = request.POST.get("role", "")
    accounts.set_role(user, role, actor=request.user)
    return _("${name} is now: ${role}.", mapping={
        "name": _name(user), "role": request.localizer.translate(ROLE_NAMES[role])})


def _delete(request, accounts, user):
    accounts.ensure_admin_remains(user)
    accounts.delete_account(user, actor=request.user)
    return _("The account of ${name} is deleted.", mapping={"name": user.username})


MEMBER_ACTIONS = {
    "approve": _approve,
    "suspend": _suspend,
    "reinstate": _reinstate,
    "role": _change_role,
    "delete": _delete,
}


def _member(request):
    user = request.find_service(IAccountService).get(request.matchdict["user_id"])
    if user is None:
        raise HTTPNotFound()
    return user


@view_config(route_name="admin_member_action", request_method="POST", permission=ADMIN)
def admin_member_action(request):
    action = MEMBER_ACTIONS.get(request.matchdict["action"])
    if action is None:
        raise HTTPNotFound()
    user = _member(request)
    try:
        message = action(request, request.find_service(IAccountService), user)
    except AccountError as error:
        message = error.message
    request.session.flash(request.localizer.translate(message))
    if user.id == request.user.id and not (user.is_admin and user.can_log_in):
        return HTTPSeeOther(request.route_url("home"))  # the admin area is closed to them now
    return HTTPSeeOther(safe_next(request, request.route_path("admin_members")))


@view_config(route_name="admin_member_action", request_method="GET", match_param="action=delete",
             renderer="admin/delete_member.jinja2", permission=ADMIN)
def admin_confirm_delete(request):
    """Deleting cannot be undone: the admin confirms on a page of its own."""
    return {"panels": admin_panels(request), "member": _member(request),
            "next": safe_next(request, request.route_path("admin_members"))}


# Permissions --------------------------------------------------------------------------------


class _SiteContext:
    def __init__(self, acl):
        self.__acl__ = acl


def permission_rows(request) -> tuple[list, list[dict]]:
    """Every declared permission and, for strangers and each role, whether they hold it."""
    context = _SiteContext(site_acl(request))
    helper = ACLHelper()
    audiences = [(_("Strangers"), [Everyone])] + [
        (ROLE_NAMES[role], [Everyone, Authenticated, *role_principals(role)]) for role in ROLES
    ]
    rows = []
    for permission in registered(request.registry, PERMISSIONS):
        rows.append({
            "permission": permission,
            "held": [bool(helper.permits(context, principals, permission.name))
                     for _title, principals in audiences],
        })
    return [title for title, _principals in audiences], rows


@view_config(route_name="admin_permissions", renderer="admin/permissions.jinja2", permission=ADMIN)
def admin_permissions(request):
    audiences, rows = permission_rows(request)
    return {"panels": admin_panels(request), "audiences": audiences, "rows": rows}


# Site settings ------------------------------------------------------------------------------


@view_config(route_name="admin_settings", renderer="admin/settings.jinja2", permission=ADMIN)
def admin_settings(request):
    form = SiteSettingsForm(request, obj=request.site_settings)
    if request.method == "POST" and form.validate():
        values = {field.name: form[field.name].data for field in fields(SiteSettings)}
        save_site_settings(request.dbsession, SiteSettings(**values))
        request.session.flash(request.localizer.translate(_("The site settings are saved.")))
        return HTTPSeeOther(request.route_url("admin_settings"))
    return {"panels": admin_panels(request), "form": form}


# The job queue ---------------------------------------------------------------------------

QUEUE_PAGE = 50


@view_config(route_name="admin_queue", renderer="admin/queue.jinja2", permission=ADMIN)
def admin_queue(request):
    """What the workers have to do, and what they could not do: dead jobs (tried too often)
    and refused ones (a recipient the mail server refuses), each with a button to try again;
    then the jobs waiting for a new attempt after a failure."""
    from sqlalchemy import select

    from core.jobs import FAILED_STATUSES, PENDING, Job, queue_counts

    dbsession = request.dbsession
    failed = dbsession.scalars(
        select(Job).where(Job.status.in_(FAILED_STATUSES)).order_by(Job.id.desc())
        .limit(QUEUE_PAGE)).all()
    retrying = dbsession.scalars(
        select(Job).where(Job.status == PENDING, Job.attempts > 0).order_by(Job.id.desc())
        .limit(QUEUE_PAGE)).all()
    return {"panels": admin_panels(request), "counts": queue_counts(dbsession),
            "failed": failed, "retrying": retrying}


@view_config(route_name="admin_queue_retry", request_method="POST", permission=ADMIN)
def admin_queue_retry(request):
    from core.jobs import retry

    if not retry(request, request.matchdict["id"]):
        raise HTTPNotFound()
    request.session.flash(request.localizer.translate(_("The job will be tried again.")))
    return HTTPSeeOther(request.route_url("admin_queue"))
