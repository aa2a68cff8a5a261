"""The agenda's rules: who sees which event, who may change it, RSVPs with capacity and
waitlist, series.

Views, jobs, commands and other plugins reach it with ``request.find_service(IAgendaService)``.
Methods that change something take the acting member and refuse what they may not do; each
change publishes its domain event (``plugins.agenda.events``). Mail about events is written
by ``plugins.agenda.notices``, after the commit.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import zoneinfo
from dataclasses import dataclass

from babel import dates as babel_dates
from dateutil import rrule
from pyramid.authorization import ACLHelper, Authenticated, Everyone
from sqlalchemy import and_, delete, false, func, or_, select, tuple_, union, update
from zope.interface import implementer

from core.accounts.models import User, admin_condition, may_receive_mail
from core.content import visible_condition as content_condition
from core.db import utcnow
from core.errors import Forbidden, NotFound
from core.events import publish
from core.pagination import decode_cursor, encode_cursor
from core.security import role_principals, site_acl
from core.text import fold
from plugins.agenda import _
from plugins.agenda.events import (
    CoHostAdded,
    CoHostRemoved,
    EventCancelled,
    EventChanged,
    EventDeleted,
    EventPublished,
    RsvpAnswered,
    WaitlistPromoted,
)
from plugins.agenda.interfaces import AgendaError, IAgendaService, RsvpError
from plugins.agenda.models import (
    CANCELLED,
    GOING,
    GROUP,
    MEMBERS,
    NOT_GOING,
    PUBLIC,
    SCHEDULED,
    WAITLIST,
    CoHost,
    Event,
    EventType,
    FeedKey,
    Rsvp,
    Series,
)
from plugins.groups.interfaces import group_service

CONTENT_TYPE = "agenda.event"
CREATE = "agenda.create"
MANAGE = "agenda.manage"

# The names of the types every site starts with, so that they are shown translated.
TYPE_NAMES = {
    "Meeting": _("Meeting"),
    "Leafleting": _("Leafleting"),
    "Door-to-door": _("Door-to-door"),
    "Demonstration": _("Demonstration"),
    "Phone bank": _("Phone bank"),
    "Training": _("Training"),
    "Public meeting": _("Public meeting"),
    "Social": _("Social"),
}
MAX_GUESTS = 9
FEED_PAST_DAYS = 30  # feeds keep the last month, so that a calendar keeps recent events


def type_name(request, event_type: EventType) -> str:
    message = TYPE_NAMES.get(event_type.name)
    return request.localizer.translate(message) if message else event_type.name


def visible_condition(request, viewer):
    """The one rule for every page, list, feed and mail: the events ``viewer`` may see; the
    condition of the ``agenda.event`` content type (``core.content``).

    Without a group, an event is for everyone who may see the site or for members. An event
    of a group is never seen beyond the group's content: everyone for a public group, its
    members for a private or hidden one, whatever level the event was given; within that,
    the level "members" keeps it from strangers. Organisers see their own events (within
    the same limit for group events), admins all. Suspended and deleted members see what a
    stranger sees; a stranger sees nothing of a site open to members only.

    ``viewer`` is a User, None (a stranger), or ``User`` itself: each user of the query the
    condition goes into, with ``Event`` in it too; ``recipients`` chooses mail that way.
    """
    if viewer is not None and viewer is not User and viewer.status != "active":
        viewer = None
    if viewer is None and request.site_settings.visibility != "public":
        return false()
    levels = (PUBLIC,) if viewer is None else (PUBLIC, MEMBERS)
    own_level = Event.visibility.in_(levels)
    if viewer is not None:
        own_level = or_(own_level, Event.organiser_id == viewer.id)
    # Written so that no index serves it: the database then walks the events in start order
    # and stops at the page's end, instead of gathering every event without a group first.
    no_group = func.coalesce(Event.group_id, 0) == 0
    groups = group_service(request)
    if groups is None:
        condition = and_(no_group, own_level)
        if viewer is not None:  # the groups plugin is off: organisers still see theirs
            condition = or_(condition, Event.organiser_id == viewer.id)
    else:
        condition = or_(
            and_(no_group, own_level),
            and_(Event.group_id.in_(groups.content_visible_ids(viewer)),
                 or_(Event.visibility == GROUP, own_level)),
        )
    if viewer is not None:
        condition = or_(admin_condition(viewer), condition)
    return condition


class _Site:
    def __init__(self, acl):
        self.__acl__ = acl


def holds(request, user, permission: str) -> bool:
    """Whether ``user`` holds the site permission ``permission`` by their role, as a page
    would check it for them (for a member who is not the request's: jobs, commands)."""
    if user is None or user.status != "active":
        return False
    principals = [Everyone, Authenticated, f"user:{user.id}", *role_principals(user.role)]
    return bool(ACLHelper().permits(_Site(site_acl(request)), principals, permission))


def zone(name: str | None) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def localise(naive: dt.datetime, timezone: str) -> dt.datetime:
    """A wall-clock time in ``timezone`` as an aware UTC time."""
    return naive.replace(tzinfo=zone(timezone)).astimezone(dt.UTC)


def local(value: dt.datetime, timezone: str) -> dt.datetime:
    """An aware time as a naive wall-clock time in ``timezone``."""
    return value.astimezone(zone(timezone)).replace(tzinfo=None)


def format_for(user, value: dt.datetime, default_timezone: str, locale: str) -> str:
    """``value`` for ``user`` (in mail): their time zone, their language, day and hour."""
    moment = value.astimezone(zone(getattr(user, "timezone", None) or default_timezone))
    day = babel_dates.format_date(moment, "full", locale=locale)
    return f"{day}, {babel_dates.format_time(moment, 'short', locale=locale)}"


REPEATS = ("weekly", "biweekly", "monthly_date", "monthly_weekday")


def recurrence_rule(repeat: str, start: dt.datetime, until: dt.date | None,
                    count: int | None) -> str:
    """An RRULE for ``repeat`` from the local ``start``, ending on ``until`` or after ``count``."""
    if repeat == "weekly":
        parts = ["FREQ=WEEKLY"]
    elif repeat == "biweekly":
        parts = ["FREQ=WEEKLY", "INTERVAL=2"]
    elif repeat == "monthly_date":
        parts = ["FREQ=MONTHLY", f"BYMONTHDAY={start.day}"]
    elif repeat == "monthly_weekday":
        nth = (start.day - 1) // 7 + 1
        day = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[start.weekday()]
        parts = ["FREQ=MONTHLY", f"BYDAY={-1 if nth == 5 else nth}{day}"]
    else:
        raise ValueError(f"unknown repeat {repeat!r}")
    if until is not None:
        parts.append(f"UNTIL={until:%Y%m%d}T235959")
    elif count:
        parts.append(f"COUNT={count}")
    return ";".join(parts)


def occurrences(rule: str, start: dt.datetime, limit: int) -> list[dt.datetime]:
    """Local wall-clock starts of a series (naive), at most ``limit``."""
    found = []
    for moment in rrule.rrulestr(rule, dtstart=start):
        if len(found) >= limit:
            break
        found.append(moment)
    return found


@dataclass
class EventPage:
    events: list
    next_cursor: str | None


def audience(event: Event, group) -> object:
    """Who sees ``event``, in words (a translation string), by the rule above."""
    if event.group_id is not None:
        if group is None or group.status != "public":
            return _("The members of the group")
        if event.visibility == MEMBERS:
            return _("Logged-in members, as long as the group stays public")
        return _("Everyone who may see the site, as long as the group stays public")
    if event.visibility == MEMBERS:
        return _("Logged-in members")
    return _("Everyone who may see the site")


def audience_levels(group) -> list[str]:
    """The levels an event may be given: for a group's event, no level reaches beyond the
    group's content, so a private or hidden group's events are for its members only."""
    if group is None:
        return [PUBLIC, MEMBERS]
    if group.status == "public":
        return [GROUP, MEMBERS]
    return [GROUP]


COPIED_FIELDS = ("title", "description", "type_id", "venue", "address", "postcode", "city",
                 "latitude", "longitude", "online_url", "visibility", "capacity",
                 "address_for_attendees", "show_attendees", "all_day")
# What ``EventChanged.fields`` may name.
TRACKED_FIELDS = (*COPIED_FIELDS, "timezone", "starts_at", "ends_at", "rsvp_deadline")


@implementer(IAgendaService)
class AgendaService:
    def __init__(self, request):
        self.request = request
        self.db = request.dbsession
        self.settings = request.registry.settings

    # Types

    def types(self) -> list[EventType]:
        return list(self.db.scalars(select(EventType).order_by(EventType.position,
                                                               EventType.id)))

    def type_by_slug(self, slug: str) -> EventType | None:
        return self.db.scalar(select(EventType).where(EventType.slug == slug))

    def _managed_type(self, actor, type_id: int | None = None) -> EventType | None:
        if not holds(self.request, actor, MANAGE):
            raise Forbidden(_("Only those who manage the agenda may change its types."))
        if type_id is None:
            return None
        item = self.db.get(EventType, type_id)
        if item is None:
            raise NotFound(_("There is no such type."))
        return item

    def add_type(self, actor, name: str) -> EventType:
        """A new type, last in the list, with an address of its own made from its name."""
        self._managed_type(actor)
        base = slug = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:30] or "type"
        number = 1
        while self.type_by_slug(slug) is not None:
            number += 1
            slug = f"{base}-{number}"
        last = self.db.scalar(select(func.max(EventType.position))) or 0
        item = EventType(slug=slug, name=name.strip(), position=last + 1)
        self.db.add(item)
        self.db.flush()
        return item

    def rename_type(self, actor, type_id: int, name: str) -> None:
        self._managed_type(actor, type_id).name = name.strip()

    def delete_type(self, actor, type_id: int) -> None:
        """Delete a type no event has (one in use is renamed instead)."""
        item = self._managed_type(actor, type_id)
        if self.db.scalar(select(Event.id).where(Event.type_id == item.id).limit(1)) is not None:
            raise AgendaError(_("Events have this type: rename it instead of deleting it."),
                              status=409)
        self.db.delete(item)
        self.db.flush()

    def move_type(self, actor, type_id: int, up: bool) -> None:
        """Move a type one place up or down the list."""
        item = self._managed_type(actor, type_id)
        types = self.types()
        index = types.index(item)
        other = index + (-1 if up else 1)
        if 0 <= other < len(types):
            types[index], types[other] = types[other], types[index]
            for position, each in enumerate(types, start=1):
                each.position = position

    # Seeing events

    def condition(self, viewer=None):
        return content_condition(self.request, CONTENT_TYPE, viewer)

    def get(self, event_id: int, viewer=None) -> Event | None:
        """The event if ``viewer`` may see it, else None (a 404 for them)."""
        return self.db.scalar(select(Event).where(Event.id == event_id,
                                                  self.condition(viewer)))

    def recipients(self, statuses, events=None):
        """SELECT of (Rsvp, Event, User): the answers in ``statuses`` (to ``events``, events
        or their ids, else to any event) of people who may see the event now, with the pages'
        rule, and whose account is active. Every mail about an event goes to these, asked
        when it is sent: someone removed from the event's group since they answered gets
        none."""
        query = (select(Rsvp, Event, User).join(Event, Event.id == Rsvp.event_id)
                 .join(User, User.id == Rsvp.user_id)
                 .where(Rsvp.status.in_(statuses), may_receive_mail(),
                        self.condition(User)))
        if events is not None:
            query = query.where(Rsvp.event_id.in_([getattr(event, "id", event)
                                                   for event in events]))
        return query

    def is_organiser(self, event: Event, user) -> bool:
        """Its organiser, a co-host, or a member who may manage every event (admins), with an
        active account."""
        if user is None or user.status != "active":
            return False
        if user.is_admin or event.organiser_id == user.id or holds(self.request, user, MANAGE):
            return True
        return self.db.scalar(select(CoHost.user_id).where(
            CoHost.event_id == event.id, CoHost.user_id == user.id)) is not None

    def require_organiser(self, actor, event: Event) -> None:
        """Refuse (403) unless ``actor`` organises ``event``."""
        if not self.is_organiser(event, actor):
            raise Forbidden(_("Only the organisers of this event may do this."))

    def _require_member(self, actor) -> None:
        if actor is None or actor.status != "active":
            raise Forbidden(_("Log in to do this."))

    def cohosts(self, event: Event) -> list[User]:
        return list(self.db.scalars(
            select(User).join(CoHost, CoHost.user_id == User.id)
            .where(CoHost.event_id == event.id).order_by(User.display_name)))

    def _set_cohosts(self, actor, event: Event, users) -> None:
        """Make ``users`` (but the organiser) the event's co-hosts, telling of each change."""
        wanted = {user.id for user in users if user.id != event.organiser_id}
        current = set(self.db.scalars(select(CoHost.user_id).where(CoHost.event_id == event.id)))
        gone = current - wanted
        if gone:
            self.db.execute(delete(CoHost).where(CoHost.event_id == event.id,
                                                 CoHost.user_id.in_(gone)))
        for user_id in sorted(wanted - current):
            self.db.add(CoHost(event_id=event.id, user_id=user_id))
        self.db.flush()
        actor_id = actor.id if actor is not None else None
        for user_id in sorted(wanted - current):
            publish(self.request, CoHostAdded(actor_id=actor_id, event_id=event.id,
                                              user_id=user_id))
        for user_id in sorted(gone):
            publish(self.request, CoHostRemoved(actor_id=actor_id, event_id=event.id,
                                                user_id=user_id))

    def listing(self, viewer=None, *, type_id=None, city=None, postcode=None, group_id=None,
                organiser_id=None, start=None, end=None, after=None, limit=20,
                ids=None) -> EventPage:
        """A page of events from ``start`` (default: now) in start order, by key."""
        query = select(Event).where(self.condition(viewer))
        query = query.where(Event.starts_at >= (start or utcnow()))
        if end is not None:
            query = query.where(Event.starts_at < end)
        if type_id is not None:
            query = query.where(Event.type_id == type_id)
        if city:
            query = query.where(Event.city_key == fold(city))
        if postcode:
            query = query.where(Event.postcode.startswith(postcode.strip(), autoescape=True))
        if group_id is not None:
            query = query.where(Event.group_id == group_id)
        if organiser_id is not None:
            query = query.where(Event.organiser_id == organiser_id)
        if ids is not None:
            query = query.where(ids)
        cursor = decode_cursor(after, "date")
        if cursor:
            query = query.where(tuple_(Event.starts_at, Event.id) > cursor)
        rows = list(self.db.scalars(query.order_by(Event.starts_at, Event.id).limit(limit + 1)))
        next_cursor = encode_cursor(rows[limit - 1].starts_at, rows[limit - 1].id) if len(rows) > limit else None
        return EventPage(rows[:limit], next_cursor)

    def mine_condition(self, user):
        """Events ``user`` answered going or waiting to, organises, or that their groups hold:
        one set of ids, each part read on its own index (answers by member, events by
        organiser, by group), so that a query starts from the member's answers and groups
        rather than from every event of the period."""
        parts = [select(Rsvp.event_id).where(Rsvp.user_id == user.id,
                                             Rsvp.status.in_((GOING, WAITLIST))),
                 select(Event.id).where(Event.organiser_id == user.id)]
        groups = group_service(self.request)
        if groups is not None:  # the groups the member belongs to, as the groups say
            parts.append(select(Event.id).where(
                Event.group_id.in_(groups.shown_memberships(user, user))))
        return Event.id.in_(union(*parts))

    def feed_events(self, viewer, condition=None) -> list[Event]:
        """What a feed shows ``viewer``: visible events within the configured reach."""
        days = self.settings["agenda.feed_days"]
        now = utcnow()
        query = select(Event).where(self.condition(viewer),
                                    Event.starts_at >= now - dt.timedelta(days=FEED_PAST_DAYS),
                                    Event.starts_at < now + dt.timedelta(days=days))
        if condition is not None:
            query = query.where(condition)
        query = query.order_by(Event.starts_at, Event.id).limit(self.settings["agenda.feed_limit"])
        return list(self.db.scalars(query))

    def rsvps_of(self, user, events) -> dict[int, Rsvp]:
        if user is None or not events:
            return {}
        rows = self.db.scalars(select(Rsvp).where(
            Rsvp.user_id == user.id, Rsvp.event_id.in_([event.id for event in events])))
        return {rsvp.event_id: rsvp for rsvp in rows}

    def address_shown(self, event: Event, user, rsvp: Rsvp | None) -> bool:
        """The exact place, or only the city: some events keep it for confirmed attendees."""
        if not event.address_for_attendees:
            return True
        if rsvp is not None and rsvp.status == GOING:
            return True
        return self.is_organiser(event, user)

    def attendees(self, event: Event) -> list[tuple[Rsvp, User]]:
        rows = self.db.execute(
            select(Rsvp, User).join(User, User.id == Rsvp.user_id)
            .where(Rsvp.event_id == event.id, Rsvp.status.in_((GOING, WAITLIST)))
            .order_by(Rsvp.status, Rsvp.created_at, Rsvp.id))
        return [(rsvp, user) for rsvp, user in rows]

    # Writing events

    def publishing_group(self, actor, slug: str | None):
        """The group ``actor`` publishes an event in, found by its slug (None without one):
        404 if they may not know it, 403 if they do not belong to it."""
        groups = group_service(self.request)
        if groups is None or not slug:
            return None
        group = groups.find(slug, actor)
        if group is None:
            raise NotFound(_("There is no such group."))
        self._require_group_member(actor, group, groups)
        return group

    def _require_group_member(self, actor, group, groups) -> None:
        if actor is None or (not actor.is_admin and groups.role(group, actor) is None):
            raise Forbidden(_("Only the members of the group may publish its events."))

    def _group_for(self, actor, group_id):
        """The group of a new event, checked: it exists for ``actor``, who belongs to it."""
        if group_id is None:
            return None
        groups = group_service(self.request)
        group = groups.get(group_id) if groups is not None else None
        if group is None or groups.find(group.slug, actor) is None:
            raise NotFound(_("There is no such group."))
        self._require_group_member(actor, group, groups)
        return group

    def _check_level(self, values: dict, group) -> None:
        if "visibility" in values and values["visibility"] not in audience_levels(group):
            raise AgendaError(_("Choose who may see the event among the levels offered."),
                              field="visibility")

    def create(self, actor, values: dict, repeat: str | None = None,
               until: dt.date | None = None, count: int | None = None,
               cohosts=()) -> Event:
        """A new event organised by ``actor``, or the first of a series with every occurrence
        created; ``values["group_id"]`` puts it in a group ``actor`` belongs to."""
        if not holds(self.request, actor, CREATE):
            raise Forbidden(_("You may not publish events."))
        group = self._group_for(actor, values.get("group_id"))
        self._check_level(values, group)
        event = Event(organiser_id=actor.id, status=SCHEDULED, seats_taken=0, **values)
        event.city_key = fold(event.city)
        self.db.add(event)
        created = [event]
        if repeat:
            local_start = local(event.starts_at, event.timezone)
            local_length = local(event.ends_at, event.timezone) - local_start
            rule = recurrence_rule(repeat, local_start, until, count)
            series = Series(rule=rule, timezone=event.timezone)
            self.db.add(series)
            event.series = series
            deadline_before = (event.starts_at - event.rsvp_deadline
                               if event.rsvp_deadline else None)
            moments = occurrences(rule, local_start, self.settings["agenda.max_occurrences"])
            for moment in moments[1:]:
                copy = Event(organiser_id=actor.id, status=SCHEDULED, seats_taken=0,
                             timezone=event.timezone, city_key=event.city_key,
                             group_id=event.group_id, series=series,
                             **{name: values[name] for name in COPIED_FIELDS if name in values})
                copy.starts_at = localise(moment, event.timezone)
                copy.ends_at = localise(moment + local_length, event.timezone)
                if deadline_before is not None:
                    copy.rsvp_deadline = copy.starts_at - deadline_before
                self.db.add(copy)
                created.append(copy)
        self.db.flush()
        for occurrence in created:
            publish(self.request, EventPublished(
                actor_id=actor.id, event_id=occurrence.id, group_id=occurrence.group_id,
                series_id=occurrence.series_id))
            if cohosts:
                self._set_cohosts(actor, occurrence, cohosts)
        return event

    def series_events(self, event: Event, from_this: bool = True) -> list[Event]:
        if event.series_id is None:
            return [event]
        query = select(Event).where(Event.series_id == event.series_id)
        if from_this:
            query = query.where(Event.starts_at >= event.starts_at)
        return list(self.db.scalars(query.order_by(Event.starts_at)))

    def update(self, actor, event: Event, values: dict, whole_series: bool = False,
               cohosts=None) -> list[Event]:
        """Change one event, or it and the following ones of its series (times of day kept
        from the form, each occurrence on its own date); its organisers only. ``cohosts``
        (users), when given, replace the co-hosts of each event changed."""
        self.require_organiser(actor, event)
        if event.group_id is not None:
            groups = group_service(self.request)
            self._check_level(values, groups.get(event.group_id) if groups else None)
        else:
            self._check_level(values, None)
        changed = []
        targets = self.series_events(event) if whole_series else [event]
        old_local = local(event.starts_at, event.timezone)
        new_start = local(values["starts_at"], values["timezone"])
        new_length = local(values["ends_at"], values["timezone"]) - new_start
        day_shift = new_start.date() - old_local.date()
        deadline_before = (values["starts_at"] - values["rsvp_deadline"]
                           if values.get("rsvp_deadline") else None)
        differences = {}
        for target in targets:
            before = {name: getattr(target, name) for name in TRACKED_FIELDS}
            for name in COPIED_FIELDS:
                if name in values:
                    setattr(target, name, values[name])
            target.city_key = fold(target.city)
            target.timezone = values["timezone"]
            if target is event:
                target.starts_at, target.ends_at = values["starts_at"], values["ends_at"]
                target.rsvp_deadline = values.get("rsvp_deadline")
            else:
                day = local(target.starts_at, target.timezone).date() + day_shift
                start = dt.datetime.combine(day, new_start.time())
                target.starts_at = localise(start, target.timezone)
                target.ends_at = localise(start + new_length, target.timezone)
                target.rsvp_deadline = (target.starts_at - deadline_before
                                        if deadline_before is not None else None)
            differences[target.id] = tuple(name for name in TRACKED_FIELDS
                                           if getattr(target, name) != before[name])
            if target.capacity != before["capacity"]:
                self.promote(target, actor)
            changed.append(target)
        self.db.flush()
        for target in changed:
            if differences[target.id]:
                publish(self.request, EventChanged(
                    actor_id=actor.id, event_id=target.id, fields=differences[target.id],
                    series_id=target.series_id))
            if cohosts is not None:
                self._set_cohosts(actor, target, cohosts)
        return changed

    def cancel(self, actor, event: Event, whole_series: bool = False) -> list[Event]:
        """Cancel the event (or it and the rest of its series); its organisers only. The
        people going or waiting are told after the commit (``notices``)."""
        self.require_organiser(actor, event)
        cancelled = []
        for target in self.series_events(event) if whole_series else [event]:
            if target.status == CANCELLED:
                continue
            target.status = CANCELLED
            cancelled.append(target)
        self.db.flush()
        for target in cancelled:
            publish(self.request, EventCancelled(actor_id=actor.id, event_id=target.id,
                                                 series_id=target.series_id))
        return cancelled

    # RSVPs

    def _locked(self, event: Event) -> Event:
        """The event row again, locked until the transaction ends (PostgreSQL), so that two
        answers at once cannot both take the last place."""
        return self.db.scalar(select(Event).where(Event.id == event.id)
                              .with_for_update(of=Event).execution_options(
                                  populate_existing=True))

    def may_answer(self, event: Event, now: dt.datetime | None = None):
        """None when answers are open, else the sentence that says why not."""
        now = now or utcnow()
        if event.status == CANCELLED:
            return _("This event is cancelled.")
        if event.starts_at <= now:
            return _("This event has already started.")
        if event.rsvp_deadline is not None and now > event.rsvp_deadline:
            return _("Answers closed on the organisers' deadline.")
        return None

    def answer(self, actor, event: Event, status: str, guests: int = 0,
               share_email: bool = False) -> Rsvp:
        """Record ``actor``'s answer; a full event puts them on the waitlist. ``share_email``
        says whether the organisers may see their email address."""
        self._require_member(actor)
        if self.get(event.id, actor) is None:
            raise NotFound(_("There is no such event."))
        if status not in (GOING, NOT_GOING):
            raise RsvpError(_("Choose whether you are going."))
        if not 0 <= guests <= MAX_GUESTS:
            raise RsvpError(_("Bring between 0 and ${most} guests.",
                              mapping={"most": MAX_GUESTS}))
        reason = self.may_answer(event)
        if reason is not None:
            raise RsvpError(reason)
        event = self._locked(event)
        rsvp = self.db.scalar(select(Rsvp).where(Rsvp.event_id == event.id,
                                                 Rsvp.user_id == actor.id))
        if rsvp is None:
            rsvp = Rsvp(event_id=event.id, user_id=actor.id, status=NOT_GOING, guests=0,
                        created_at=utcnow())
            self.db.add(rsvp)
        rsvp.share_email = bool(share_email)
        held = rsvp.seats if rsvp.status == GOING else 0
        wanted = 1 + guests
        freed = False
        if status == NOT_GOING:
            rsvp.status, rsvp.guests = NOT_GOING, 0
            event.seats_taken -= held
            freed = bool(held)
        elif event.capacity is None or event.seats_taken - held + wanted <= event.capacity:
            event.seats_taken += wanted - held
            rsvp.status, rsvp.guests = GOING, guests
            freed = wanted < held  # fewer guests: their places go to the waitlist
        elif rsvp.status == GOING:
            raise RsvpError(_("There are not enough places left for ${count} guests.",
                              mapping={"count": guests}), status=409)
        else:
            if rsvp.status != WAITLIST:
                rsvp.created_at = utcnow()  # the waitlist's order is the order of arrival
            rsvp.status, rsvp.guests = WAITLIST, guests
        self.db.flush()
        publish(self.request, RsvpAnswered(actor_id=actor.id, event_id=event.id,
                                           user_id=actor.id, status=rsvp.status,
                                           guests=rsvp.guests))
        if freed:
            self.promote(event, actor)
        return rsvp

    def set_sharing(self, actor, event: Event, share_email: bool) -> Rsvp | None:
        """Change whether the organisers see ``actor``'s email address, whenever they like
        (even once answers are closed); None when they have not answered."""
        self._require_member(actor)
        rsvp = self.db.scalar(select(Rsvp).where(Rsvp.event_id == event.id,
                                                 Rsvp.user_id == actor.id))
        if rsvp is not None:
            rsvp.share_email = bool(share_email)
            self.db.flush()
        return rsvp

    def promote(self, event: Event, actor=None) -> list[Rsvp]:
        """Give freed places to the waitlist in order of arrival; each person promoted is
        told after the commit (``WaitlistPromoted``). ``actor``: who freed the places."""
        event = self._locked(event)
        promoted = []
        # Only those who may still see the event take a freed place (and hear of it).
        waiting = self.db.execute(self.recipients((WAITLIST,), [event])
                                  .order_by(Rsvp.created_at, Rsvp.id))
        for rsvp, _event, _user in waiting:
            if event.capacity is not None and event.seats_taken + rsvp.seats > event.capacity:
                break  # first come, first served: nobody jumps the queue
            rsvp.status = GOING
            event.seats_taken += rsvp.seats
            promoted.append(rsvp)
        self.db.flush()
        actor_id = actor.id if actor is not None else None
        for rsvp in promoted:
            publish(self.request, WaitlistPromoted(actor_id=actor_id, event_id=event.id,
                                                   user_id=rsvp.user_id, rsvp_id=rsvp.id))
        return promoted

    def waitlist_position(self, rsvp: Rsvp) -> int:
        return self.db.scalar(select(func.count()).select_from(Rsvp).where(
            Rsvp.event_id == rsvp.event_id, Rsvp.status == WAITLIST,
            tuple_(Rsvp.created_at, Rsvp.id) <= (rsvp.created_at, rsvp.id)))

    def check_in(self, actor, event: Event, rsvp_id: int, present: bool) -> None:
        """Mark an attendee present or not; the event's organisers only."""
        self.require_organiser(actor, event)
        rsvp = self.db.scalar(select(Rsvp).where(Rsvp.id == rsvp_id, Rsvp.event_id == event.id))
        if rsvp is None:
            raise NotFound(_("This person has not answered this event."))
        rsvp.checked_in_at = utcnow() if present else None

    def message_attendees(self, actor, event: Event, subject: str, body: str,
                          waitlist: bool = False) -> int:
        """Queue an organiser's message to the people going (and waiting): a job writes to
        those who may see the event when it runs. Returns how many may now."""
        from plugins.agenda.notices import queue_message

        self.require_organiser(actor, event)
        statuses = (GOING, WAITLIST) if waitlist else (GOING,)
        queue_message(self.request, event.id, actor.id, subject, body, waitlist)
        recipients = self.recipients(statuses, [event]).with_only_columns(Rsvp.id)
        return self.db.scalar(select(func.count()).select_from(recipients.subquery()))

    def reminders_due(self, now: dt.datetime, limit: int = 5000) -> list[int]:
        """Claim the answers to remind now: people going to an event that starts within
        ``agenda.reminder_hours``, not yet reminded, who may see it. Marks them reminded
        (never twice) and returns their ids; ``notices`` writes the mails."""
        hours = self.settings["agenda.reminder_hours"]
        if not hours:
            return []
        ids = list(self.db.scalars(
            self.recipients((GOING,)).with_only_columns(Rsvp.id)
            .where(Event.starts_at > now, Event.starts_at <= now + dt.timedelta(hours=hours),
                   Event.status == SCHEDULED, Rsvp.reminded_at.is_(None))
            .order_by(Rsvp.id).limit(limit)
            .with_for_update(of=Rsvp, skip_locked=True)))
        if ids:
            self.db.execute(update(Rsvp).where(Rsvp.id.in_(ids)).values(reminded_at=now))
        return ids

    # Private feeds

    def feed_token(self, user, create: bool = True) -> str | None:
        row = self.db.get(FeedKey, user.id)
        if row is None:
            if not create:
                return None
            row = FeedKey(user_id=user.id, key=secrets.token_hex(16))
            self.db.add(row)
            self.db.flush()
        return f"{user.id}-{self._sign(user.id, row.key)}"

    def reset_feed_token(self, user) -> str:
        self.db.execute(delete(FeedKey).where(FeedKey.user_id == user.id))
        self.db.flush()
        return self.feed_token(user)

    def feed_owner(self, token: str):
        """The member whose private feed ``token`` opens, or None."""
        match = re.fullmatch(r"(\d{1,12})-([0-9a-f]{40})", token or "")
        if not match:
            return None
        user_id = int(match.group(1))
        row = self.db.execute(select(FeedKey, User).join(User, User.id == FeedKey.user_id)
                              .where(FeedKey.user_id == user_id)).first()
        if row is None or row.User.status != "active":
            return None
        if not hmac.compare_digest(self._sign(user_id, row.FeedKey.key), match.group(2)):
            return None
        return row.User

    def _sign(self, user_id: int, key: str) -> str:
        secret = self.settings["cortege.session_secret"].encode()
        return hmac.new(secret, f"agenda-feed:{user_id}:{key}".encode(),
                        hashlib.sha1).hexdigest()

    # A group deleted

    def forget_group(self, group_id: int, actor_id: int | None = None) -> None:
        """Delete the events of group ``group_id`` with their answers, co-hosts and series
        (the group is being deleted by ``actor_id``), each told as ``EventDeleted``."""
        events = select(Event.id).where(Event.group_id == group_id)
        event_ids = list(self.db.scalars(events))
        series = list(self.db.scalars(select(Event.series_id).where(
            Event.group_id == group_id, Event.series_id.is_not(None)).distinct()))
        self.db.execute(delete(Rsvp).where(Rsvp.event_id.in_(events)))
        self.db.execute(delete(CoHost).where(CoHost.event_id.in_(events)))
        self.db.execute(delete(Event).where(Event.group_id == group_id))
        if series:
            self.db.execute(delete(Series).where(
                Series.id.in_(series), Series.id.not_in(
                    select(Event.series_id).where(Event.series_id.is_not(None)))))
        self.db.flush()
        for event_id in event_ids:
            publish(self.request, EventDeleted(actor_id=actor_id, event_id=event_id,
                                               group_id=group_id))

    # Personal data

    def export(self, user) -> dict:
        organised = self.db.scalars(select(Event).where(Event.organiser_id == user.id)
                                    .order_by(Event.starts_at))
        answers = self.db.execute(select(Rsvp, Event).join(Event, Event.id == Rsvp.event_id)
                                  .where(Rsvp.user_id == user.id).order_by(Event.starts_at))
        return {
            "events_organised": [{
                "id": e.id, "title": e.title, "description": e.description,
                "starts_at": e.starts_at.isoformat(), "ends_at": e.ends_at.isoformat(),
                "timezone": e.timezone, "venue": e.venue, "address": e.address,
                "postcode": e.postcode, "city": e.city, "online_url": e.online_url,
                "visibility": e.visibility, "status": e.status,
            } for e in organised],
            "rsvps": [{
                "event_id": e.id, "event": e.title, "starts_at": e.starts_at.isoformat(),
                "answer": r.status, "guests": r.guests,
                "email_shared_with_organisers": r.share_email,
                "answered_at": r.created_at.isoformat(),
                "checked_in_at": r.checked_in_at.isoformat() if r.checked_in_at else None,
            } for r, e in answers],
            "cohosted_event_ids": list(self.db.scalars(
                select(CoHost.event_id).where(CoHost.user_id == user.id))),
            "private_feed": self.db.get(FeedKey, user.id) is not None,
        }

    def erase(self, user) -> None:
        """Remove the member's answers (freeing their places), co-hosting, feed key and the
        events they organised."""
        held = list(self.db.scalars(select(Rsvp).where(Rsvp.user_id == user.id,
                                                       Rsvp.status == GOING)))
        for rsvp in held:
            event = self._locked(self.db.get(Event, rsvp.event_id))
            event.seats_taken -= rsvp.seats
        self.db.execute(delete(Rsvp).where(Rsvp.user_id == user.id))
        self.db.flush()
        for rsvp in held:
            self.promote(self.db.get(Event, rsvp.event_id))
        self.db.execute(delete(CoHost).where(CoHost.user_id == user.id))
        self.db.execute(delete(FeedKey).where(FeedKey.user_id == user.id))
        own = select(Event.id).where(Event.organiser_id == user.id)
        deleted = self.db.execute(select(Event.id, Event.group_id)
                                  .where(Event.organiser_id == user.id)).all()
        self.db.execute(delete(Rsvp).where(Rsvp.event_id.in_(own)))
        self.db.execute(delete(CoHost).where(CoHost.event_id.in_(own)))
        self.db.execute(update(Event).where(Event.organiser_id == user.id)
                        .values(series_id=None))
        self.db.execute(delete(Event).where(Event.organiser_id == user.id))
        self.db.flush()
        for event_id, group_id in deleted:
            publish(self.request, EventDeleted(event_id=event_id, group_id=group_id))


def agenda_service_factory(context, request) -> AgendaService:
    return AgendaService(request)

