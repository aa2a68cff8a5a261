"""The agenda on the visitor's home page: the next public events as cards, and the number of
events this month among the figures. Both go through the content contract, as the agenda does."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from core.security import VIEW
from plugins.agenda import _
from plugins.agenda.models import Event
from plugins.agenda.services import type_name

HOME_EVENTS = 6


def upcoming(request):
    from plugins.agenda.views import agenda

    events = agenda(request).listing(request.user, limit=HOME_EVENTS).events
    return {"events": events, "type_name": type_name}


def this_month(request):
    from plugins.agenda.views import agenda

    service = agenda(request)
    today = dt.datetime.now(request.timezone).date()
    first = dt.datetime.combine(today.replace(day=1), dt.time(), request.timezone)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    count = service.db.scalar(select(func.count()).select_from(Event).where(
        service.condition(request.user), Event.starts_at >= first, Event.starts_at < following))
    return {"label": _("Events this month"), "count": count}


def includeme(config):
    config.add_region_item("core.home", "agenda.upcoming", "agenda/home.jinja2", upcoming,
                           order=10, permission=VIEW)
    config.add_region_item("core.home.figures", "agenda.this_month", "core/figure.jinja2",
                           this_month, order=30, permission=VIEW)
