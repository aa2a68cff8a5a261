"""Groups on the visitor's home page: the most active groups a visitor may see, as cards, and
how many there are among the figures. The directory's own queries, so the same privacy rule."""

from __future__ import annotations

from core.security import VIEW
from plugins.groups import _, images

HOME_GROUPS = 6


def active_groups(request):
    from plugins.groups.views import groups, type_title

    service = groups(request)
    # Public groups only: a visitor can join them at once. One bounded query.
    page, _sort = service.directory(request.user, sort="active", limit=HOME_GROUPS * 3)
    shown = [group for group in page.items if group.status == "public"][:HOME_GROUPS]
    return {"groups": shown, "type_title": lambda t: type_title(request, t),
            "avatar": lambda g: images.avatar(g, request, 64),
            "memberships": service.roles_of(request.user, [g.id for g in shown])}


def group_count(request):
    from plugins.groups.views import groups

    return {"label": _("Groups"), "count": groups(request).count(request.user)}


def includeme(config):
    config.add_region_item("core.home", "groups.active", "groups/home.jinja2", active_groups,
                           order=20, permission=VIEW)
    config.add_region_item("core.home.figures", "groups.count", "core/figure.jinja2",
                           group_count, order=20, permission=VIEW)
