"""Mail about events to the people who answered them, written by the workers after the change.

Nothing here runs in the request that made the change: the service publishes its domain event
(or queues a job) and the worker writes the mails once the change is committed. Each mail
picks its recipients when it is written, with ``AgendaService.recipients`` (the rule of the
event's pages, from active accounts only), and passes ``user_id`` and ``about=("agenda.event",
id)`` so that it is dropped, when it leaves, for anyone who lost sight of the event meanwhile.

| mail | sent by | to |
| --- | --- | --- |
| cancellation | subscriber ``agenda.mail_cancellation`` of ``EventCancelled`` | going and waiting |
| change of time or place | subscriber ``agenda.mail_changes`` of ``EventChanged`` | going and waiting |
| a place for you | subscriber ``agenda.mail_promotion`` of ``WaitlistPromoted`` | the person promoted |
| organisers' message | job ``agenda.message`` (``AgendaService.message_attendees``) | going (and waiting) |
| reminder | periodic task ``agenda.remind`` (and ``cortege agenda remind INI``) | going |

When there are more recipients than ``agenda.mail_chunk`` (200), the mails are written by
``agenda.notify_chunk`` jobs of that many answers each (ids, checked again when each job runs),
so that no job renders thousands of mails and a failure retries only its share.
"""

from __future__ import annotations

from core.accounts.models import User
from core.db import utcnow
from core.jobs import defer
from core.mail import recipient_locale
from plugins.agenda import _
from plugins.agenda.events import IEventCancelled, IEventChanged, IWaitlistPromoted
from plugins.agenda.interfaces import IAgendaService
from plugins.agenda.models import CANCELLED, GOING, SCHEDULED, WAITLIST, Event, Rsvp
from plugins.agenda.services import CONTENT_TYPE, format_for

CHUNK_TASK = "agenda.notify_chunk"
MESSAGE_TASK = "agenda.message"
REMIND_TASK = "agenda.remind"

# For each kind of mail, the event's status it still makes sense for when it is written.
EVENT_STATUS = {"cancelled": CANCELLED, "changed": SCHEDULED, "promoted": SCHEDULED,
                "reminder": SCHEDULED, "message": None}
# A change worth a mail: when or where.
WHEN_OR_WHERE = frozenset(("starts_at", "ends_at", "all_day", "venue", "address", "postcode",
                           "city", "online_url"))


def agenda(request):
    return request.find_service(IAgendaService)


def subject(kind: str, event: Event, extra: dict):
    """The subject of a mail of ``kind``: member text only in the mapping."""
    title = {"title": event.title}
    if kind == "cancelled":
        return _("Cancelled: ${title}", mapping=title)
    if kind == "changed":
        return _("Changed: ${title}", mapping=title)
    if kind == "promoted":
        return _("A place opened for you: ${title}", mapping=title)
    if kind == "reminder":
        return _("Reminder: ${title}", mapping=title)
    return _("${title}: ${subject}", mapping={**title, "subject": extra["subject"]})


def place(event: Event, exact: bool) -> str:
    parts = (event.venue, event.address, event.postcode, event.city) if exact else (
        event.postcode, event.city)
    return ", ".join(part for part in parts if part)


def write(request, kind: str, statuses, rsvp_ids, extra: dict | None = None) -> int:
    """Write the mail ``kind`` to the answers ``rsvp_ids`` still in ``statuses`` whose
    members may see the event now; returns how many were written."""
    extra = extra or {}
    service = agenda(request)
    settings = request.registry.settings
    query = (service.recipients(tuple(statuses)).where(Rsvp.id.in_(rsvp_ids))
             .order_by(Rsvp.id))
    if EVENT_STATUS[kind] is not None:
        query = query.where(Event.status == EVENT_STATUS[kind])
    if kind == "reminder":
        query = query.where(Event.starts_at > utcnow())
    sender = None
    if kind == "message":
        sender = request.dbsession.get(User, extra["sender_id"])
        if sender is None:  # the organiser's account is gone: so is their message
            return 0
    written = 0
    for rsvp, event, user in request.dbsession.execute(query):
        locale = recipient_locale(settings, user)
        values = {"user": user, "event": event,
                  "when": format_for(user, event.starts_at,
                                     settings["cortege.default_timezone"], locale),
                  "url": request.route_url("agenda_event", id=event.id)}
        if kind == "reminder":
            values["where"] = place(event, True)  # they are going: all of it
        elif kind == "changed":
            values["where"] = place(event, service.address_shown(event, user, rsvp))
        elif kind == "message":
            values.update(sender=sender, body=extra["body"])
        request.send_mail(user.email, subject(kind, event, extra),
                          f"agenda/mail/{kind}.txt.jinja2", values, locale=locale,
                          user_id=user.id, about=(CONTENT_TYPE, event.id))
        written += 1
    return written


def write_chunk(request, kind: str, statuses: list, rsvp_ids: list,
                extra: dict | None = None) -> None:
    """The ``agenda.notify_chunk`` job: one share of a mail to many."""
    write(request, kind, statuses, rsvp_ids, extra)


def chunk_size(request) -> int:
    return request.registry.settings["agenda.mail_chunk"]


def defer_chunks(request, kind: str, statuses, rsvp_ids, extra=None, key=None) -> None:
    """Ask for the mails to ``rsvp_ids`` in ``agenda.notify_chunk`` jobs of a chunk each."""
    size = chunk_size(request)
    for number, start in enumerate(range(0, len(rsvp_ids), size)):
        share = rsvp_ids[start:start + size]
        defer(request, CHUNK_TASK, {"kind": kind, "statuses": list(statuses),
                                    "rsvp_ids": share, "extra": extra},
              key=f"{key}:{number}" if key else None,
              summary=f"agenda {kind}: {len(share)} mail(s)")


def fan_out(request, kind: str, event_id: int, statuses, extra=None, key=None) -> None:
    """Mail ``kind`` about event ``event_id`` to its answers in ``statuses`` that may see it
    now: at once when they fit in one chunk, else in ``agenda.notify_chunk`` jobs."""
    ids = list(request.dbsession.scalars(
        agenda(request).recipients(tuple(statuses), [event_id])
        .with_only_columns(Rsvp.id).order_by(Rsvp.id)))
    if len(ids) <= chunk_size(request):
        write(request, kind, statuses, ids, extra)
    else:
        defer_chunks(request, kind, statuses, ids, extra, key)


# Subscribers

def mail_cancellation(request, event) -> None:
    fan_out(request, "cancelled", event.event_id, (GOING, WAITLIST),
            key=f"agenda.cancelled:{event.event_id}")


def mail_changes(request, event) -> None:
    if WHEN_OR_WHERE.intersection(event.fields):
        fan_out(request, "changed", event.event_id, (GOING, WAITLIST))


def mail_promotion(request, event) -> None:
    write(request, "promoted", (GOING,), [event.rsvp_id])


# The organisers' message

def queue_message(request, event_id: int, sender_id: int, subject_text: str, body: str,
                  waitlist: bool) -> None:
    """Ask for the organiser's message to be written to the attendees after the commit."""
    defer(request, MESSAGE_TASK, {"event_id": event_id, "sender_id": sender_id,
                                  "subject": subject_text, "body": body,
                                  "waitlist": bool(waitlist)},
          summary=f"agenda message about event {event_id}")


def send_message(request, event_id: int, sender_id: int, subject: str, body: str,
                 waitlist: bool) -> None:
    """The ``agenda.message`` job."""
    statuses = (GOING, WAITLIST) if waitlist else (GOING,)
    fan_out(request, "message", event_id, statuses,
            {"sender_id": sender_id, "subject": subject, "body": body})


# Reminders

def queue_reminders(request, now=None) -> int:
    """Claim the reminders due now and queue their mails in ``agenda.notify_chunk`` jobs;
    returns how many were queued. The periodic task ``agenda.remind`` and ``cortege agenda remind``."""
    ids = agenda(request).reminders_due(now or utcnow())
    defer_chunks(request, "reminder", (GOING,), ids)
    return len(ids)


def remind(request) -> None:
    queue_reminders(request)


def includeme(config):
    config.add_event_subscriber(IEventCancelled, mail_cancellation,
                                name="agenda.mail_cancellation")
    config.add_event_subscriber(IEventChanged, mail_changes, name="agenda.mail_changes")
    config.add_event_subscriber(IWaitlistPromoted, mail_promotion, name="agenda.mail_promotion")
    config.add_job_task(CHUNK_TASK, write_chunk)
    config.add_job_task(MESSAGE_TASK, send_message)
    config.add_periodic_task(REMIND_TASK, remind, minute="*/5")

