"""What members do to an entry: favourite it, react ("I'm in", applause), report it; what
its author and the moderators do: delete or hide it; the moderators' queue of reports; and a
member's favourites tab. Every form works without JavaScript and comes back where it was."""

from __future__ import annotations

from pyramid.httpexceptions import HTTPForbidden, HTTPNotFound, HTTPSeeOther
from pyramid.view import view_config

from core.errors import RateLimited
from core.input import parse_id
from core.security import ACCOUNT
from plugins.social import _
from plugins.social.interfaces import ISocialService, SocialError
from plugins.social.services import MODERATE


def social(request):
    return request.find_service(ISocialService)


def _entry_or_404(request):
    entry = social(request).visible_entry(request.matchdict["id"], request.user)
    if entry is None:
        raise HTTPNotFound()
    return entry


def _back(request, entry=None):
    from core.accounts.views import safe_next

    default = request.route_url("social_site")
    target = safe_next(request, default)
    if entry is not None and target != default and "#" not in target:
        target += f"#entry-{entry.id}"
    return HTTPSeeOther(target)


def _flash(request, message):
    request.session.flash(request.localizer.translate(message))


@view_config(route_name="social_react", request_method="POST", permission=ACCOUNT)
def react(request):
    entry = _entry_or_404(request)
    try:
        social(request).react(request.user, entry, request.POST.get("kind", ""))
    except (SocialError, RateLimited) as exc:
        _flash(request, exc.message)
    return _back(request, entry)


@view_config(route_name="social_report", renderer="social/report.jinja2", permission=ACCOUNT)
def report(request):
    entry = _entry_or_404(request)
    if request.method == "POST":
        try:
            social(request).report(request.user, entry, request.POST.get("reason", ""))
        except RateLimited as exc:
            _flash(request, exc.message)
        else:
            _flash(request, _("Thank you: the moderators will look at it."))
        return _back(request)
    shown = social(request).shown([entry])
    return {"entry": entry, "shown": shown[0] if shown else None,
            "next": request.params.get("next", "")}


@view_config(route_name="social_moderate", request_method="POST", permission=ACCOUNT)
def moderate(request):
    service = social(request)
    entry_id = parse_id(request.matchdict["id"])
    from plugins.social.models import Entry

    entry = service.dbsession.get(Entry, entry_id) if entry_id else None
    # A moderator acts on hidden entries too, but only on those they may see otherwise.
    if entry is None or not service.dbsession.execute(
            service.visible_query(request.user, entry.id)).first():
        raise HTTPNotFound()
    action = request.matchdict["action"]
    if action == "delete":
        service.delete(request.user, entry)
        _flash(request, _("It is deleted."))
        return _back(request)
    if action == "hide":
        service.hide(request.user, entry)
        _flash(request, _("It is hidden."))
    elif action == "dismiss":
        service.dismiss(request.user, entry)
        _flash(request, _("The reports are dismissed."))
    else:
        raise HTTPNotFound()
    return _back(request)


@view_config(route_name="social_reports", renderer="social/reports.jinja2", permission=ACCOUNT)
def reports(request):
    service = social(request)
    page = service.reported(request.user, parse_id(request.GET.get("before")))
    if not service.site_moderator(request.user) and not page.items \
            and not service.dbsession.execute(
                service.moderated_group_ids(request.user)).first():
        raise HTTPForbidden()
    return {"page": page, "next_url": request.route_url(
        "social_reports", _query={"before": page.next_before}) if page.next_before else None}


def favourites_tab(request, member):
    from plugins.social.views import stream_values

    if request.user is None or request.user.id != member.id:
        return None
    return stream_values(request, "profiles_tab",
                         {"username": member.username, "tab": "favourites"},
                         favourites_of=member) | {"may_post": False, "feed_url": None}


def favourites_visible(request, member):
    return request.user is not None and request.user.id == member.id


def includeme(config):
    config.declare_permission(MODERATE, _("Hide and delete any activity entry"),
                              roles=("moderator",))
    config.add_route("social_react", r"/activity/entry/{id:\d+}/react", ids="id")
    config.add_route("social_report", r"/activity/entry/{id:\d+}/report", ids="id")
    config.add_route("social_moderate", r"/activity/entry/{id:\d+}/{action}", ids="id")
    config.add_route("social_reports", "/activity/reports")
    config.add_profile_tab("favourites", _("Favourites"), favourites_tab,
                           "social/profile_tab.jinja2", order=91, visible=favourites_visible)
    config.scan(".entries")
