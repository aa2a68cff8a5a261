"""The bell, the notification centre, preferences and the unsubscribe link."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from pyramid.httpexceptions import HTTPBadRequest, HTTPNotFound, HTTPSeeOther
from pyramid.view import view_config

from core.db import try_write_at_commit
from core.input import parse_id
from core.security import ACCOUNT, PUBLIC
from plugins.notifications import _, services
from plugins.notifications.types import (
    CHANNELS,
    DAILY,
    EMAIL,
    IN_APP,
    OFF,
    WEEKLY,
    notification_types,
)

CHANNEL_TITLES = {
    IN_APP: _("In the notification centre"),
    EMAIL: _("By email at once"),
    DAILY: _("In a daily digest"),
    WEEKLY: _("In a weekly digest"),
    OFF: _("Off"),
}


def bell(request, **context):
    """The header's bell, for members: a link to the centre. It costs every page nothing;
    its script asks ``count.json`` for the unread count as the page loads, then every minute.
    Without the script the bell is a plain link and the centre shows what is unread."""
    if request.user is None:
        return None
    return {"most": services.MOST_UNREAD}


def _local_day(request, when: dt.datetime) -> dt.date:
    return when.astimezone(request.timezone).date()


@view_config(route_name="notifications_index", renderer="notifications/index.jinja2",
             permission=ACCOUNT)
def index(request):
    size = request.registry.settings["notifications.page_size"]
    items, next_before = services.entries(request, request.user, parse_id(request.GET.get("before")),
                                          size)
    days = [(day, list(group)) for day, group in
            groupby(items, key=lambda item: _local_day(request, item["created_at"]))]
    return {"days": days, "next_before": next_before,
            "today": _local_day(request, dt.datetime.now(dt.UTC))}


@view_config(route_name="notifications_count", renderer="json", permission=ACCOUNT)
def count(request):
    request.response.headers["Cache-Control"] = "no-store"
    return {"unread": services.unread_count(request, request.user)}


@view_config(route_name="notifications_open", permission=ACCOUNT, request_method="GET")
def open_one(request):
    """Go to its subject and mark it read, as a read mark is (a throttled write at commit,
    given up when the database is busy); 404 when the subject is out of sight."""
    row = services.get_own(request, request.user, request.matchdict["id"])
    if row is None:
        raise HTTPNotFound()
    described = services.describe(request, request.user, [row])
    if not described:
        raise HTTPNotFound()
    if row.read_at is None:
        user = request.user
        try_write_at_commit(request, lambda: services.mark_read(request, user, row.id),
                            "notification read")
    return HTTPSeeOther(described[0]["url"])


@view_config(route_name="notifications_read_one", permission=ACCOUNT, request_method="POST")
def read_one(request):
    if services.get_own(request, request.user, request.matchdict["id"]) is None:
        raise HTTPNotFound()
    services.mark_read(request, request.user, request.matchdict["id"])
    return HTTPSeeOther(request.route_url("notifications_index",
                                          _anchor=f"notification-{request.matchdict['id']}"))


@view_config(route_name="notifications_read_all", permission=ACCOUNT, request_method="POST")
def read_all(request):
    services.mark_read(request, request.user)
    request.session.flash(request.localizer.translate(_("Every notification is marked read.")))
    return HTTPSeeOther(request.route_url("notifications_index"))


@view_config(route_name="notifications_preferences",
             renderer="notifications/preferences.jinja2", permission=ACCOUNT)
def preferences(request):
    chosen = services.channels_of(request, request.user)
    if request.method == "POST":
        for ntype in notification_types(request.registry):
            channel = request.POST.get(f"type:{ntype.name}")
            if channel is not None and channel not in CHANNELS:
                request.response.status = 400
                break
            if channel is not None and channel != chosen[ntype.name]:
                services.set_channel(request, request.user.id, ntype.name, channel)
        else:
            request.session.flash(request.localizer.translate(_("Your choices are saved.")))
            return HTTPSeeOther(request.route_url("notifications_preferences"))
    return {"types": notification_types(request.registry), "chosen": chosen,
            "channels": [(name, CHANNEL_TITLES[name]) for name in CHANNELS]}


@view_config(route_name="notifications_unsubscribe", renderer="notifications/unsubscribe.jinja2",
             permission=PUBLIC, require_csrf=False)
def unsubscribe(request):
    """The link of every mail (RFC 8058): a GET shows a button, a POST (the button, or the
    mail client's one click, both with the body ``List-Unsubscribe=One-Click``) stops that
    mail. No CSRF token: the signature is the credential, and it names one member and one
    type."""
    if request.method == "POST" and request.POST.get("List-Unsubscribe") != "One-Click":
        # RFC 8058's body, which the button sends too; anything else is not this form.
        raise HTTPBadRequest()
    user_id = parse_id(request.matchdict["user_id"])
    type_name = request.matchdict["type_name"]
    signature = request.matchdict["signature"]
    if not services.valid_link(request, user_id, type_name, signature):
        raise HTTPNotFound()
    ntype = None if type_name == "digest" else \
        services.notification_type(request.registry, type_name)
    if type_name != "digest" and ntype is None:
        raise HTTPNotFound()
    done = False
    if request.method == "POST":
        done = services.unsubscribe(request, user_id, type_name, signature) is not None
    return {"ntype": ntype, "done": done, "digest": type_name == "digest"}


def export(request, user):
    return services.export_for(request, user)


def erase(request, user):
    services.erase_for(request, user)
