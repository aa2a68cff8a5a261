"""Follows, connections and blocks as pages: the buttons on a member's and a group's page,
the member's network page and settings, and the profile tab listing whom they follow."""

from __future__ import annotations

from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.view import view_config
from sqlalchemy import select

from core.accounts.models import User
from core.errors import RateLimited
from core.input import parse_id
from core.security import ACCOUNT
from plugins.groups.interfaces import group_service
from plugins.social import _
from plugins.social.interfaces import ISocialService, SocialError
from plugins.social.services import FOLLOWS_VISIBILITY

MEMBER_ACTIONS = {
    "follow": ("follow_member", _("You follow ${name}.")),
    "unfollow": (None, _("You no longer follow ${name}.")),
    "connect": ("request_connection", _("Your request is sent to ${name}.")),
    "accept": ("accept", _("You are now connected with ${name}.")),
    "decline": ("decline", _("You declined the request of ${name}.")),
    "withdraw": ("withdraw", _("Your request to ${name} is withdrawn.")),
    "disconnect": ("disconnect", _("You are no longer connected with ${name}.")),
    "block": ("block", _("You blocked ${name}.")),
    "unblock": ("unblock", _("You unblocked ${name}.")),
}
FOLLOWS_LABELS = {"everyone": _("Everyone"), "members": _("Members"),
                  "connections": _("My connections")}


def social(request):
    return request.find_service(ISocialService)


def _member_or_404(request) -> User:
    from core.content import get_visible

    member = request.dbsession.scalar(select(User).where(
        User.username == request.matchdict["username"]))
    if member is None or get_visible(request, "profiles.profile", member.id,
                                     request.user) is None:
        raise HTTPNotFound()
    return member


def _back(request, default):
    from core.accounts.views import safe_next

    return safe_next(request) if request.POST.get("next") else default


@view_config(route_name="social_member", request_method="POST", permission=ACCOUNT)
def member_action(request):
    member = _member_or_404(request)
    action = request.POST.get("action")
    if action not in MEMBER_ACTIONS:
        raise HTTPNotFound()
    method, message = MEMBER_ACTIONS[action]
    service = social(request)
    try:
        if action == "unfollow":
            service.unfollow(request.user, "member", member.id)
        else:
            getattr(service, method)(request.user, member)
    except (SocialError, RateLimited) as exc:
        message = exc.message
    else:
        message = _(message, mapping={"name": member.display_name})
    request.session.flash(request.localizer.translate(message))
    return HTTPSeeOther(_back(request, request.route_url("profiles_member",
                                                         username=member.username)))


@view_config(route_name="social_group", request_method="POST", permission=ACCOUNT)
def group_action(request):
    groups = group_service(request)
    group = groups.find(request.matchdict["slug"], request.user) if groups else None
    if group is None:
        raise HTTPNotFound()
    service = social(request)
    try:
        if request.POST.get("action") == "unfollow":
            service.unfollow(request.user, "group", group.id)
            message = _("You no longer follow this group.")
        else:
            service.follow_group(request.user, group)
            message = _("You follow this group: its public activity comes to your stream.")
    except (SocialError, RateLimited) as exc:
        message = exc.message
    request.session.flash(request.localizer.translate(message))
    return HTTPSeeOther(request.route_url("groups_group", slug=group.slug))


@view_config(route_name="social_network", renderer="social/network.jinja2", permission=ACCOUNT)
def network(request):
    service = social(request)
    me = request.user
    from plugins.social.models import Block, Connection

    sent = select(Connection.addressee_id).where(Connection.requester_id == me.id,
                                                 Connection.state == "pending")
    blocked = select(Block.blocked_id).where(Block.user_id == me.id)
    connections, next_after = service.people(service.connection_ids(me.id),
                                             parse_id(request.GET.get("after")))
    return {
        "pending": service.pending_for(me),
        "sent": service.people(sent)[0],
        "connections": connections,
        "next_url": request.route_url("social_network", _query={"after": next_after})
        if next_after else None,
        "blocked": service.people(blocked)[0],
    }


@view_config(route_name="social_settings", renderer="social/settings.jinja2",
             permission=ACCOUNT)
def settings(request):
    service = social(request)
    error = None
    if request.method == "POST":
        try:
            service.save_preferences(request.user, {
                "share_rsvps": request.POST.get("share_rsvps") == "1",
                "announce_arrival": request.POST.get("announce_arrival") == "1",
                "follows_visibility": request.POST.get("follows_visibility"),
            })
        except SocialError as exc:
            request.response.status_int = 400
            error = request.localizer.translate(exc.message)
        else:
            request.session.flash(request.localizer.translate(_("Your choices are saved.")))
            return HTTPSeeOther(request.route_url("social_settings"))
    return {"prefs": service.preferences(request.user), "error": error,
            "levels": [(level, FOLLOWS_LABELS[level]) for level in FOLLOWS_VISIBILITY]}


# -- boxes on other plugins' pages ------------------------------------------------------------


def member_buttons(request, member, **_context):
    """Follow, connect and block, on a member's page, for other members."""
    viewer = request.user
    if viewer is None or viewer.id == member.id:
        return None
    service = social(request)
    return {"member": member, "follows": service.follows(viewer, "member", member.id),
            "connection": service.connection(viewer, member),
            "has_blocked": service.has_blocked(viewer, member),
            "blocked": service.blocked(viewer.id, member.id)}


def group_button(request, group, **_context):
    if request.user is None:
        return None
    return {"follows": social(request).follows(request.user, "group", group.id)}


def network_tab_visible(request, member):
    return social(request).may_see_follows(member, request.user)


def network_tab(request, member):
    service = social(request)
    if not service.may_see_follows(member, request.user):
        return None
    following = service.people(service.following_ids(member.id))[0]
    followers = service.people(service.follower_ids("member", member.id))[0]
    connections = service.people(service.connection_ids(member.id))[0]
    return {"following": following, "followers": followers, "connections": connections}


def includeme(config):
    config.add_route("social_member", "/activity/members/{username}")
    config.add_route("social_group", "/activity/groups/{slug}")
    config.add_route("social_network", "/activity/network")
    config.add_route("social_settings", "/activity/settings")
    config.add_region_item("profiles.profile.header", "social.buttons",
                           template="social/member_buttons.jinja2", view=member_buttons)
    config.add_profile_tab("network", _("Network"), network_tab, "social/network_tab.jinja2",
                           order=90, visible=network_tab_visible)
    config.add_nav_item("user", "network", _("My network"), "social_network",
                        permission=ACCOUNT, order=30, icon="share-2")
    config.add_nav_item("user", "social-settings", _("Activity settings"), "social_settings",
                        permission=ACCOUNT, order=31, icon="sparkles")
    from core.extensions import plugin_enabled

    if plugin_enabled(config.registry, "groups"):
        config.add_region_item("groups.group.header", "social.follow",
                               template="social/group_button.jinja2", view=group_button)
    config.scan(".network")
