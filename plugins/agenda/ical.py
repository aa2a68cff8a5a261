"""iCalendar files with the ``icalendar`` library: one event, or a feed of events.

Stored text goes through ``core.text.single_line`` (names, places) or ``plain_lines``
(descriptions) on its way out, so that no character a member typed breaks a content line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections import OrderedDict

import icalendar
from pyramid.response import Response

from core.db import utcnow
from core.text import plain_lines, single_line
from plugins.agenda.models import CANCELLED
from plugins.agenda.services import local, type_name, zone


def _location(event, exact: bool) -> str:
    if exact:
        parts = [event.venue, event.address, " ".join(p for p in (event.postcode, event.city) if p)]
    else:
        parts = [event.city]
    return single_line(", ".join(part for part in parts if part))


def ical_event(request, event, exact_place: bool) -> icalendar.Event:
    item = icalendar.Event()
    item.add("uid", f"agenda-{event.id}@{request.host.split(':')[0]}")
    item.add("dtstamp", utcnow())
    item.add("summary", single_line(event.title))
    if event.all_day:
        item.add("dtstart", local(event.starts_at, event.timezone).date())
        item.add("dtend", local(event.ends_at, event.timezone).date())
    else:
        tz = zone(event.timezone)
        item.add("dtstart", event.starts_at.astimezone(tz))
        item.add("dtend", event.ends_at.astimezone(tz))
    url = request.route_url("agenda_event", id=event.id)
    online = f"\n\n{single_line(event.online_url)}" if exact_place and event.online_url else ""
    item.add("description", plain_lines(f"{event.description}{online}\n\n{url}".strip()))
    location = _location(event, exact_place)
    if location:
        item.add("location", location)
    if exact_place and event.latitude is not None and event.longitude is not None:
        item.add("geo", (event.latitude, event.longitude))
    item.add("url", url)
    item.add("categories", [single_line(type_name(request, event.type))])
    item.add("status", "CANCELLED" if event.status == CANCELLED else "CONFIRMED")
    item.add("last-modified", event.updated_at)
    return item


# Feeds already written, by what they were written from (a few hundred kilobytes at most
# each): calendar apps ask for the same feed again and again, and building it with the
# icalendar library is most of a feed's time. A feed whose events changed has another key.
_WRITTEN: OrderedDict[str, bytes] = OrderedDict()
_WRITTEN_MAX = 64
_WRITTEN_LOCK = threading.Lock()


def _feed_key(request, events, name: str, exact_places) -> str:
    """What a feed's text depends on, hashed: the address it is read at, the language, its
    name, and each event's id, last change, type's name and whether its place is exact."""
    digest = hashlib.sha256()
    for part in (request.host_url, request.locale_name, name):
        digest.update(part.encode("utf-8", "replace") + b"\0")
    for event in events:
        digest.update(f"{event.id}|{event.updated_at.isoformat()}|{event.status}|"
                      f"{type_name(request, event.type)}|{event.id in exact_places}"
                      .encode("utf-8", "replace") + b"\0")
    return digest.hexdigest()[:32]


def _written(key: str, write) -> bytes:
    with _WRITTEN_LOCK:
        body = _WRITTEN.get(key)
        if body is not None:
            _WRITTEN.move_to_end(key)
            return body
    body = write()
    with _WRITTEN_LOCK:
        _WRITTEN[key] = body
        while len(_WRITTEN) > _WRITTEN_MAX:
            _WRITTEN.popitem(last=False)
    return body


def calendar_response(request, events, name: str, exact_places=frozenset(),
                      filename: str = "agenda.ics") -> Response:
    """A text/calendar response; ``exact_places`` holds the ids whose address may be shown.

    It carries an ETag (the hash of what it is written from) and the last change of its
    events, so a calendar app that asks again gets a 304 while nothing changed; the text of
    a feed asked for again is taken from this process's memory rather than written again."""

    def write() -> bytes:
        calendar = icalendar.Calendar()
        calendar.add("prodid", "-//Cortege//Agenda//EN")
        calendar.add("version", "2.0")
        calendar.add("x-wr-calname", single_line(name))
        calendar.add("x-published-ttl", "PT1H")
        for event in events:
            calendar.add_component(ical_event(request, event, event.id in exact_places))
        calendar.add_missing_timezones()
        return calendar.to_ical()

    key = _feed_key(request, events, name, exact_places)
    response = Response(body=_written(key, write), content_type="text/calendar",
                        charset="utf-8", conditional_response=True)
    response.etag = key
    changes = [event.updated_at for event in events if event.updated_at is not None]
    if changes:
        response.last_modified = max(changes)
    response.content_disposition = f'inline; filename="{filename}"'
    response.cache_control.private = True
    response.cache_control.max_age = 0
    return response


def day_bounds(day: dt.date, timezone: str) -> tuple[dt.datetime, dt.datetime]:
    tz = zone(timezone)
    start = dt.datetime.combine(day, dt.time(), tz)
    return start.astimezone(dt.UTC), (start + dt.timedelta(days=1)).astimezone(dt.UTC)
