"""The agenda's pages: the list, an event, its form, RSVPs, feeds; and the plugin's setup."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io

import nh3
from babel import dates as babel_dates
from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.response import Response
from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.view import view_config
from sqlalchemy import and_, select

from core.accounts import username_key
from core.accounts.models import User
from core.extensions import plugin_enabled
from core.input import parse_date, parse_id, parse_month
from core.security import ACCOUNT, VIEW
from core.text import render_markdown, spreadsheet_safe
from plugins.agenda import _
from plugins.agenda.forms import EventForm, MessageForm, RsvpForm, event_form_data
from plugins.agenda.ical import calendar_response, day_bounds
from plugins.agenda.interfaces import AgendaError, IAgendaService
from plugins.agenda.models import GOING, GROUP, WAITLIST, Event
from plugins.agenda.services import CREATE, audience, group_service, type_name


def agenda(request):
    return request.find_service(IAgendaService)


def _event_or_404(request):
    event = agenda(request).get(int(request.matchdict["id"]), request.user)
    if event is None:
        raise HTTPNotFound()
    return event


def _organised_or_403(request):
    event = _event_or_404(request)
    agenda(request).require_organiser(request.user, event)
    return event


def _refused(form, error: AgendaError) -> None:
    """Show a refusal next to the field it names (the title when it names none)."""
    form.add_error(error.field if error.field in form else "title", error.message)


def _flash(request, message):
    request.session.flash(request.localizer.translate(message))


def read_filters(request) -> dict:
    """The agenda's filters from the query string; unknown values are ignored."""
    service = agenda(request)
    params = {}
    filters = {}
    slug = request.GET.get("type", "").strip()[:40]
    if slug:
        found = service.type_by_slug(slug)
        if found is not None:
            filters["type_id"], params["type"] = found.id, slug
    for name in ("city", "postcode"):
        value = request.GET.get(name, "").strip()[:100]
        if value:
            filters[name] = params[name] = value
    timezone = request.timezone.key
    start, end = parse_date(request.GET.get("from")), parse_date(request.GET.get("to"))
    if start:
        filters["start"], params["from"] = day_bounds(start, timezone)[0], start.isoformat()
    if end:
        filters["end"], params["to"] = day_bounds(end, timezone)[1], end.isoformat()
    groups = group_service(request)
    slug = request.GET.get("group", "").strip()[:100]
    if groups is not None and slug:
        group = groups.find(slug, request.user)
        if group is None:
            raise HTTPNotFound()
        filters["group_id"], params["group"] = group.id, slug
    return {"filters": filters, "params": params}


@view_config(route_name="agenda", renderer="agenda/list.jinja2", permission=VIEW)
def agenda_list(request):
    service = agenda(request)
    read = read_filters(request)
    page = service.listing(request.user, after=request.GET.get("after"),
                           limit=request.registry.settings["agenda.page_size"],
                           **read["filters"])
    params = read["params"]
    return {
        "page": page,
        "params": params,
        "types": service.types(),
        "type_name": type_name,
        "rsvps": service.rsvps_of(request.user, page.events),
        "next_url": request.route_url("agenda", _query={**params, "after": page.next_cursor})
        if page.next_cursor else None,
        "feed_url": request.route_url("agenda_ics", _query=params),
        "may_create": bool(request.has_permission(CREATE)),
    }


@view_config(route_name="agenda_mine", renderer="agenda/mine.jinja2", permission=ACCOUNT)
def my_agenda(request):
    service = agenda(request)
    page = service.listing(request.user, ids=service.mine_condition(request.user),
                           after=request.GET.get("after"),
                           limit=request.registry.settings["agenda.page_size"])
    return {
        "page": page,
        "type_name": type_name,
        "rsvps": service.rsvps_of(request.user, page.events),
        "next_url": request.route_url("agenda_mine", _query={"after": page.next_cursor})
        if page.next_cursor else None,
    }


def _group_names(request, events) -> dict:
    groups = group_service(request)
    if groups is None:
        return {}
    names = {}
    for group_id in {event.group_id for event in events if event.group_id}:
        group = groups.get(group_id)
        if group is not None:
            names[group_id] = group
    return names


@view_config(route_name="agenda_event", renderer="agenda/event.jinja2", permission=VIEW)
def event_page(request):
    service = agenda(request)
    event = _event_or_404(request)
    user = request.user
    rsvp = service.rsvps_of(user, [event]).get(event.id)
    organiser = service.is_organiser(event, user)
    attendees = service.attendees(event) if organiser or event.show_attendees else []
    if not organiser:
        attendees = [(r, u) for r, u in attendees if r.status == GOING]
    group = _group_names(request, [event]).get(event.group_id)
    return {
        "event": event,
        "audience": audience(event, group),
        "description": render_markdown(event.description),
        "type_name": type_name(request, event.type),
        "rsvp": rsvp,
        "position": service.waitlist_position(rsvp) if rsvp and rsvp.status == WAITLIST else None,
        "closed": service.may_answer(event),
        "organiser": organiser,
        "attendees": attendees,
        "exact_place": service.address_shown(event, user, rsvp),
        "cohosts": service.cohosts(event),
        "group": group,
        "series_count": len(service.series_events(event)) if event.series_id else 0,
        "rsvp_form": RsvpForm(request, data={"status": rsvp.status if rsvp else "going",
                                             "guests": rsvp.guests if rsvp else 0,
                                             "share_email": rsvp.share_email if rsvp else False}),
        "started": event.ends_at <= dt.datetime.now(dt.UTC),
        "profiles_on": plugin_enabled(request.registry, "profiles"),
    }


@view_config(route_name="agenda_rsvp", request_method="POST", permission=ACCOUNT)
def rsvp(request):
    event = _event_or_404(request)
    form = RsvpForm(request)
    back = HTTPSeeOther(request.route_url("agenda_event", id=event.id, _anchor="rsvp"))
    if request.POST.get("sharing_only"):
        # Whether the organisers see one's address may change at any time, answers closed or not.
        if agenda(request).set_sharing(request.user, event, form.share_email.data) is not None:
            _flash(request, _("The organisers see your email address.") if form.share_email.data
                   else _("The organisers no longer see your email address."))
        return back
    if not form.validate():
        _flash(request, _("Choose whether you are going, with 0 to 9 guests."))
        return back
    try:
        answer = agenda(request).answer(request.user, event, form.status.data,
                                        form.guests.data or 0, form.share_email.data)
    except AgendaError as exc:
        _flash(request, exc.message)
        return back
    if answer.status == GOING:
        _flash(request, _("You are going. See you there!"))
    elif answer.status == WAITLIST:
        _flash(request, _("The event is full: you are on the waitlist, and we will write to "
                          "you if a place opens."))
    else:
        _flash(request, _("Your answer is saved: not going."))
    return back


def _cohost_users(request, form):
    names = form.cohost_names()
    if not names:
        return []
    users = list(request.dbsession.scalars(select(User).where(
        User.username_key.in_([username_key(name) for name in names]),
        User.status == "active")))
    found = {user.username_key for user in users}
    missing = [name for name in names if username_key(name) not in found]
    if missing:
        form.add_error("cohosts", _("No member is called ${names}.",
                                    mapping={"names": ", ".join(missing)}))
        return None
    return users


@view_config(route_name="agenda_new", renderer="agenda/form.jinja2", permission=CREATE)
def new_event(request):
    service = agenda(request)
    settings = request.registry.settings
    group = service.publishing_group(request.user,
                                     request.params.get("group", "").strip()[:100])
    form = EventForm(request, service.types(), group=group,
                     max_occurrences=settings["agenda.max_occurrences"],
                     data={"timezone": request.timezone.key,
                           "visibility": GROUP if group is not None else "members"})
    if request.method == "POST" and form.validate():
        cohosts = _cohost_users(request, form)
        if cohosts is not None:
            values = form.values()
            values["group_id"] = group.id if group is not None else None
            try:
                event = service.create(request.user, values, repeat=form.repeat.data or None,
                                       until=form.repeat_until.data,
                                       count=form.repeat_count.data, cohosts=cohosts)
            except AgendaError as exc:
                _refused(form, exc)
            else:
                _flash(request, _("The event is published."))
                return HTTPSeeOther(request.route_url("agenda_event", id=event.id))
    if request.method == "POST":
        request.response.status_int = 400
    return {"form": form, "event": None, "group": group}


@view_config(route_name="agenda_edit", renderer="agenda/form.jinja2", permission=ACCOUNT)
def edit_event(request):
    service = agenda(request)
    event = _organised_or_403(request)
    group = _group_names(request, [event]).get(event.group_id)
    data = event_form_data(event, service.cohosts(event))
    form = EventForm(request, service.types(), group=group if event.group_id else None,
                     editing=True, series=event.series_id is not None, data=data)
    if request.method == "POST" and form.validate():
        cohosts = _cohost_users(request, form)
        if cohosts is not None:
            whole = event.series_id is not None and form.scope.data == "series"
            try:
                service.update(request.user, event, form.values(), whole_series=whole,
                               cohosts=cohosts)
            except AgendaError as exc:
                _refused(form, exc)
            else:
                _flash(request, _("The event is saved."))
                return HTTPSeeOther(request.route_url("agenda_event", id=event.id))
    if request.method == "POST":
        request.response.status_int = 400
    return {"form": form, "event": event, "group": group}


@view_config(route_name="agenda_cancel", renderer="agenda/cancel.jinja2", permission=ACCOUNT)
def cancel_event(request):
    event = _organised_or_403(request)
    if request.method == "POST":
        whole = event.series_id is not None and request.POST.get("scope") == "series"
        agenda(request).cancel(request.user, event, whole_series=whole)
        _flash(request, _("The event is cancelled; the people who were coming are told."))
        return HTTPSeeOther(request.route_url("agenda_event", id=event.id))
    return {"event": event}


@view_config(route_name="agenda_attendees", permission=ACCOUNT)
def attendees_csv(request):
    event = _organised_or_403(request)
    translate = request.localizer.translate
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([translate(_("Name")), translate(_("Username")),
                     translate(_("Email (if shared)")), translate(_("Answer")),
                     translate(_("Guests")), translate(_("Checked in"))])
    labels = {GOING: translate(_("Going")), WAITLIST: translate(_("Waitlist"))}
    for rsvp, user in agenda(request).attendees(event):
        # An address only where its owner agreed; the others are written to through the site.
        email = spreadsheet_safe(user.email) if rsvp.share_email else ""
        writer.writerow([spreadsheet_safe(user.display_name), user.username, email,
                         labels[rsvp.status], rsvp.guests, "✓" if rsvp.checked_in_at else ""])
    response = Response(body=out.getvalue().encode("utf-8-sig"), content_type="text/csv",
                        charset="utf-8")
    response.content_disposition = f'attachment; filename="event-{event.id}-attendees.csv"'
    return response


@view_config(route_name="agenda_checkin", request_method="POST", permission=ACCOUNT)
def check_in(request):
    event = _organised_or_403(request)
    rsvp_id = parse_id(request.POST.get("rsvp"))
    if rsvp_id is None:
        raise HTTPNotFound()
    agenda(request).check_in(request.user, event, rsvp_id, request.POST.get("present") == "1")
    return HTTPSeeOther(request.route_url("agenda_event", id=event.id, _anchor="attendees"))


@view_config(route_name="agenda_message", renderer="agenda/message.jinja2", permission=ACCOUNT)
def message_attendees(request):
    """Organisers write to the people going (and, if they choose, those waiting)."""
    event = _organised_or_403(request)
    form = MessageForm(request)
    if request.method == "POST" and form.validate():
        count = agenda(request).message_attendees(request.user, event,
                                                  form.subject.data.strip(),
                                                  form.body.data.strip(), form.waitlist.data)
        _flash(request, _("Your message is being sent to ${count} people.",
                          mapping={"count": count}))
        return HTTPSeeOther(request.route_url("agenda_event", id=event.id))
    if request.method == "POST":
        request.response.status_int = 400
    return {"event": event, "form": form}


# Month and week grids

GRID_LIMIT = 400


def _grid(request, first: dt.date, days: int, route: str, previous: dict, following: dict,
          title: str) -> dict:
    """Events of ``days`` days from ``first`` (in the viewer's time zone), by day."""
    service = agenda(request)
    read = read_filters(request)
    filters = {key: value for key, value in read["filters"].items()
               if key not in ("start", "end")}
    zone_name = request.timezone.key
    start = day_bounds(first, zone_name)[0]
    end = day_bounds(first + dt.timedelta(days=days - 1), zone_name)[1]
    page = service.listing(request.user, start=start, end=end, limit=GRID_LIMIT, **filters)
    by_day: dict[dt.date, list] = {}
    for event in page.events:
        by_day.setdefault(event.starts_at.astimezone(request.timezone).date(), []).append(event)
    grid_start = first - dt.timedelta(days=first.weekday())
    grid_days = (first + dt.timedelta(days=days) - grid_start).days
    weeks = []
    for offset in range(0, grid_days + (-grid_days % 7), 7):
        weeks.append([grid_start + dt.timedelta(days=offset + n) for n in range(7)])
    params = {key: value for key, value in read["params"].items() if key not in ("from", "to")}
    return {
        "title": title, "weeks": weeks, "by_day": by_day, "first": first, "days": days,
        "last": first + dt.timedelta(days=days - 1), "today": dt.datetime.now(
            request.timezone).date(),
        "truncated": page.next_cursor is not None, "type_name": type_name,
        "day_names": [babel_dates.get_day_names("abbreviated", locale=request.locale_name)[n]
                      for n in range(7)],
        "previous_url": request.route_url(route, _query={**params, **previous}),
        "next_url": request.route_url(route, _query={**params, **following}),
        "list_url": request.route_url("agenda", _query=params),
        "view": route,
        "params": params,
    }


@view_config(route_name="agenda_month", renderer="agenda/grid.jinja2", permission=VIEW)
def month_view(request):
    today = dt.datetime.now(request.timezone).date()
    first = parse_month(request.GET.get("month")) or today.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    days = (following - first).days
    title = babel_dates.format_date(first, "LLLL y", locale=request.locale_name)
    return _grid(request, first, days, "agenda_month", {"month": f"{previous:%Y-%m}"},
                 {"month": f"{following:%Y-%m}"}, title.capitalize())


@view_config(route_name="agenda_week", renderer="agenda/grid.jinja2", permission=VIEW)
def week_view(request):
    today = dt.datetime.now(request.timezone).date()
    day = parse_date(request.GET.get("week")) or today
    first = day - dt.timedelta(days=day.weekday())
    title = request.localizer.translate(_("Week of ${date}", mapping={
        "date": babel_dates.format_date(first, "long", locale=request.locale_name)}))
    return _grid(request, first, 7, "agenda_week",
                 {"week": (first - dt.timedelta(days=7)).isoformat()},
                 {"week": (first + dt.timedelta(days=7)).isoformat()}, title)


# Calendars

@view_config(route_name="agenda_event_ics", permission=VIEW)
def event_ics(request):
    service = agenda(request)
    event = _event_or_404(request)
    rsvp = service.rsvps_of(request.user, [event]).get(event.id)
    exact = {event.id} if service.address_shown(event, request.user, rsvp) else set()
    return calendar_response(request, [event], event.title, exact, f"event-{event.id}.ics")


def _exact_places(service, user, events) -> set:
    rsvps = service.rsvps_of(user, events)
    return {event.id for event in events
            if not event.address_for_attendees
            or (event.id in rsvps and rsvps[event.id].status == GOING)
            or (user is not None and (user.is_admin or event.organiser_id == user.id))}


@view_config(route_name="agenda_ics", permission=VIEW)
def agenda_ics(request):
    """The site's feed, as the person asking sees it (calendar apps ask as strangers)."""
    service = agenda(request)
    read = read_filters(request)
    filters = read["filters"]
    conditions = []
    if "type_id" in filters:
        conditions.append(Event.type_id == filters["type_id"])
    if "group_id" in filters:
        conditions.append(Event.group_id == filters["group_id"])
    condition = and_(*conditions) if conditions else None
    events = service.feed_events(request.user, condition)
    name = request.site_settings.site_name
    return calendar_response(request, events, name, _exact_places(service, request.user, events))


@view_config(route_name="agenda_private_feed", permission=NO_PERMISSION_REQUIRED)
def private_feed(request):
    """A member's feed at a secret address: what they go to and their groups' events."""
    service = agenda(request)
    owner = service.feed_owner(request.matchdict["token"])
    if owner is None:
        raise HTTPNotFound()
    events = service.feed_events(owner, service.mine_condition(owner))
    name = f"{request.site_settings.site_name} · {owner.display_name}"
    return calendar_response(request, events, name, _exact_places(service, owner, events),
                             "my-agenda.ics")


@view_config(route_name="agenda_feed_settings", renderer="agenda/feed.jinja2",
             permission=ACCOUNT)
def feed_settings(request):
    service = agenda(request)
    if request.method == "POST":
        service.reset_feed_token(request.user)
        _flash(request, _("Your calendar has a new address; the old one no longer works."))
        return HTTPSeeOther(request.route_url("agenda_feed_settings"))
    token = service.feed_token(request.user)
    return {"feed_url": request.route_url("agenda_private_feed", token=token)}


# Other plugins' pages

def member_events_tab(request, member):
    """Profiles' Events tab: the upcoming events the member organises that the viewer sees."""
    service = agenda(request)
    page = service.listing(request.user, organiser_id=member.id, limit=20)
    return {"page": page, "type_name": type_name, "rsvps": service.rsvps_of(request.user,
                                                                          page.events)}


def group_agenda_tab(request, group):
    """Groups' Agenda tab: the group's upcoming events."""
    service = agenda(request)
    page = service.listing(request.user, group_id=group.id, after=request.GET.get("after"),
                           limit=request.registry.settings["agenda.page_size"])
    groups = group_service(request)
    return {"page": page, "group": group, "type_name": type_name,
            "rsvps": service.rsvps_of(request.user, page.events),
            "may_create": request.user is not None and (
                request.user.is_admin or groups.role(group, request.user) is not None)}


def upcoming_widget(request):
    service = agenda(request)
    page = service.listing(request.user, ids=service.mine_condition(request.user), limit=5)
    return {"agenda_events": page.events}


def export_agenda(request, user):
    return agenda(request).export(user)


def erase_agenda(request, user):
    agenda(request).erase(user)


def forget_group(request, event):
    """A group is being deleted: its events go with it, in the same transaction."""
    agenda(request).forget_group(event.group_id, event.actor_id)


def event_url(request, event) -> str:
    return request.route_url("agenda_event", id=event.id)


def event_organiser(request, event, actor) -> bool:
    return request.find_service(IAgendaService).is_organiser(event, actor)


def event_text(event) -> str:
    """What search indexes of an event: its title and its description as plain text."""
    description = nh3.clean(str(render_markdown(event.description)), tags=set())
    return f"{event.title}\n\n{html.unescape(description)}".strip()
