"""The streams (the site's, the dashboard's, a member's tab, a group's tab), status updates,
and the plugin's setup.

Views parse, call the service with ``request.user`` and show its refusals; every list is a
keyset page (``before=<entry id>``) with a plain "load more" link.
"""

from __future__ import annotations

from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.view import view_config

from core.errors import RateLimited
from core.input import parse_id
from core.security import ACCOUNT, VIEW
from plugins.groups.interfaces import group_service
from plugins.social import _
from plugins.social.interfaces import ISocialService, SocialError
from plugins.social.models import Status
from plugins.social.services import CONTENT_TYPE, Page
from plugins.social.verbs import FAMILIES, verbs_of


def social(request):
    return request.find_service(ISocialService)


def _family(request):
    family = request.GET.get("kind", "")
    return family if family in FAMILIES else ""


def stream_values(request, route, route_kw=None, **scope) -> dict:
    """A page of a stream and the links around it: filters by kind and "load more"."""
    family = _family(request)
    size = request.registry.settings["social.page_size"]
    page = social(request).stream(request.user, verbs=verbs_of(family),
                                  before=parse_id(request.GET.get("before")), limit=size,
                                  **scope)
    route_kw = route_kw or {}
    query = {"kind": family} if family else {}
    next_url = (request.route_url(route, **route_kw, _query={**query,
                                                             "before": page.next_before})
                if page.next_before else None)
    filters = [("", _("Everything"), request.route_url(route, **route_kw))] + [
        (name, title, request.route_url(route, **route_kw, _query={"kind": name}))
        for name, title in FAMILIES.items()]
    return {"page": page, "next_url": next_url, "family": family, "filters": filters,
            "first_url": request.route_url(route, **route_kw, _query=query)
            if request.GET.get("before") else None}


@view_config(route_name="social_site", renderer="social/site.jinja2", permission=VIEW)
def site_stream(request):
    return stream_values(request, "social_site") | {"group": None, "feed_url": feed_url(
        request, "social_site_feed")}


def feed_url(request, route, **kw):
    """The address of a public stream's feed, when strangers may see that stream."""
    if request.site_settings.visibility != "public":
        return None
    return request.route_url(route, **kw)


@view_config(route_name="social_post", request_method="POST", permission=ACCOUNT)
def post_status(request):
    slug = request.POST.get("group", "")
    group = None
    back = request.route_url("social_site")
    if slug:
        groups = group_service(request)
        group = groups.find(slug, request.user) if groups is not None else None
        if group is None:
            raise HTTPNotFound()
        back = request.route_url("groups_tab", slug=group.slug, tab="activity")
    elif request.POST.get("to") == "profile":
        back = request.route_url("profiles_tab", username=request.user.username,
                                 tab="activity")
    elif request.POST.get("to") == "home":
        back = request.route_url("home")
    try:
        social(request).post_status(request.user, request.POST.get("body", ""), group)
    except (SocialError, RateLimited) as exc:
        request.session.flash(request.localizer.translate(exc.message))
        return HTTPSeeOther(back)
    request.session.flash(request.localizer.translate(_("Your status update is posted.")))
    return HTTPSeeOther(back)


def _status_or_404(request) -> Status:
    from core.content import get_visible

    status = get_visible(request, CONTENT_TYPE, request.matchdict["id"], request.user)
    if status is None:
        raise HTTPNotFound()
    return status


@view_config(route_name="social_status", renderer="social/status.jinja2", permission=VIEW)
def status_page(request):
    status = _status_or_404(request)
    service = social(request)
    entry = service.status_entry(status.id)
    shown = service.shown([entry]) if entry is not None and not entry.hidden else []
    page = Page(shown, None, service.reactions_of(request.user, [entry.id] if shown else []),
                service.moderation_of(request.user, [entry] if shown else []))
    return {"status": status, "shown": shown[0] if shown else None, "page": page}


# -- tabs, the dashboard, the group's home ---------------------------------------------------


def profile_activity_tab(request, member):
    values = stream_values(request, "profiles_tab",
                           {"username": member.username, "tab": "activity"}, member=member)
    return values | {"may_post": request.user is not None and request.user.id == member.id,
                     "feed_url": feed_url(request, "social_member_feed",
                                          username=member.username)}


def group_activity_tab(request, group):
    values = stream_values(request, "groups_tab", {"slug": group.slug, "tab": "activity"},
                           group=group)
    groups = group_service(request)
    public = groups.can_see_content(group, None)
    return values | {"may_post": request.user is not None
                     and groups.role(group, request.user) is not None,
                     "feed_url": feed_url(request, "social_group_feed", slug=group.slug)
                     if public else None}


def group_home(request, group):
    """On a group's page, its stream comes first: the group's default view."""
    values = group_activity_tab(request, group)
    values["next_url"] = values["next_url"] and request.route_url(
        "groups_tab", slug=group.slug, tab="activity",
        _query={"before": values["page"].next_before})
    return values


def dashboard_widget(request):
    size = request.registry.settings["social.page_size"]
    service = social(request)
    page = service.stream(request.user, personal=True, limit=size)
    return {"page": page, "next_url": request.route_url(
        "social_mine", _query={"before": page.next_before}) if page.next_before else None,
        "new": service.new_count(request.user)}


@view_config(route_name="social_mine", renderer="social/mine.jinja2", permission=ACCOUNT)
def my_stream(request):
    return stream_values(request, "social_mine", personal=True) | {
        "group": None, "new": social(request).new_count(request.user)}


@view_config(route_name="social_seen", request_method="POST", permission=ACCOUNT)
def mark_seen(request):
    upto = parse_id(request.POST.get("upto"))
    if upto is None:
        raise HTTPNotFound()
    social(request).mark_seen(request.user, upto)
    from core.accounts.views import safe_next

    return HTTPSeeOther(safe_next(request, request.route_url("social_mine")))


# -- setup -----------------------------------------------------------------------------------


def export_social(request, user):
    return social(request).export(user)


def erase_social(request, user):
    social(request).erase(user)


def blocked_among(request, actor, user_ids):
    """Members a text names who blocked its author or whom its author blocked: no plugin's
    mention reaches them."""
    if actor is None or not user_ids:
        return set()
    from plugins.social.services import blocked_select

    blocked = set(request.dbsession.scalars(blocked_select(actor.id)))
    return blocked & set(user_ids)


def group_home_item(request, group, **_context):
    return group_home(request, group)


def status_label(status) -> str:
    from core.text import plain_text

    text = plain_text(status.body)
    return text if len(text) <= 80 else text[:79].rstrip() + "…"
