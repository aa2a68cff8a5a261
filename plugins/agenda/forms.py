"""Forms: an event (with its repetition), an RSVP, an event type."""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo

import wtforms
from wtforms import validators

from core.forms import Form
from plugins.agenda import _
from plugins.agenda.models import GROUP, MEMBERS, PUBLIC
from plugins.agenda.services import MAX_GUESTS, audience_levels, local, localise, type_name

VISIBILITY_LABELS = {
    PUBLIC: _("Everyone who may see the site"),
    MEMBERS: _("Logged-in members"),
    GROUP: _("Everyone who may see the site"),  # offered for public groups only
}
REPEAT_LABELS = {
    "": _("Does not repeat"),
    "weekly": _("Every week"),
    "biweekly": _("Every two weeks"),
    "monthly_date": _("Every month on the same date"),
    "monthly_weekday": _("Every month on the same weekday (e.g. the second Tuesday)"),
}


@functools.cache
def timezone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def audience_choices(request, group) -> tuple[list, str]:
    """The levels offered for an event (``audience_levels``) in plain words, and a sentence
    saying who will see it."""
    translate = request.localizer.translate
    choices = [(level, translate(VISIBILITY_LABELS[level])) for level in audience_levels(group)]
    if group is None:
        return choices, ""
    name = {"group": group.name}
    if group.status == "public":
        return choices, translate(_("${group} is public. If it becomes private or hidden, "
                                    "only its members will see its events.", mapping=name))
    return ([(GROUP, translate(_("Only the members of ${group}", mapping=name)))],
            translate(_("${group} is not public: its events are seen only by its members, "
                        "never by anyone else.", mapping=name)))


class EventForm(Form):
    title = wtforms.StringField(_("Title"), [validators.InputRequired(),
                                             validators.Length(max=200)])
    description = wtforms.TextAreaField(
        _("Description"), [validators.Length(max=20000)],
        description=_("Markdown: **bold**, *italic*, lists and links."))
    type_id = wtforms.SelectField(_("Type"), coerce=int)
    start_date = wtforms.DateField(_("Date"), [validators.InputRequired()])
    start_time = wtforms.TimeField(_("Starts at"), [validators.Optional()])
    end_date = wtforms.DateField(_("End date"), [validators.Optional()],
                                 description=_("Leave empty for the same day."))
    end_time = wtforms.TimeField(_("Ends at"), [validators.Optional()])
    all_day = wtforms.BooleanField(_("All day"))
    timezone = wtforms.StringField(_("Time zone"), [validators.InputRequired()])
    venue = wtforms.StringField(_("Venue"), [validators.Length(max=200)])
    address = wtforms.StringField(_("Address"), [validators.Length(max=300)])
    postcode = wtforms.StringField(_("Postcode"), [validators.Length(max=20)])
    city = wtforms.StringField(_("City"), [validators.Length(max=100)])
    latitude = wtforms.FloatField(_("Latitude"), [validators.Optional(),
                                                  validators.NumberRange(-90, 90)])
    longitude = wtforms.FloatField(_("Longitude"), [validators.Optional(),
                                                    validators.NumberRange(-180, 180)])
    online_url = wtforms.URLField(
        _("Online link"), [validators.Optional(), validators.Length(max=500),
                           validators.URL(message=_("Give a web address starting with https://."))])
    visibility = wtforms.SelectField(_("Who sees it"), default=MEMBERS)
    capacity = wtforms.IntegerField(
        _("Places"), [validators.Optional(), validators.NumberRange(1, 100000)],
        description=_("Leave empty for no limit; when it is full, people join a waitlist."))
    deadline_date = wtforms.DateField(_("Answers close on"), [validators.Optional()])
    deadline_time = wtforms.TimeField(_("at"), [validators.Optional()])
    address_for_attendees = wtforms.BooleanField(
        _("Show the exact address only to confirmed attendees (others see the city)"))
    show_attendees = wtforms.BooleanField(_("Show who is going to everyone who sees the event"))
    cohosts = wtforms.StringField(
        _("Co-hosts"), [validators.Length(max=500)],
        description=_("Usernames of members who organise it with you, separated by commas."))
    repeat = wtforms.SelectField(_("Repeat"), default="")
    repeat_until = wtforms.DateField(_("Until"), [validators.Optional()])
    repeat_count = wtforms.IntegerField(_("Or this many times"), [validators.Optional(),
                                                                 validators.NumberRange(2)])
    scope = wtforms.RadioField(_("Change"), default="one")

    def __init__(self, request, types, group=None, editing=False, series=False,
                 max_occurrences=104, **kw):
        super().__init__(request, **kw)
        translate = request.localizer.translate
        self.type_id.choices = [(t.id, type_name(request, t)) for t in types]
        self.visibility.choices, self.visibility.description = audience_choices(request, group)
        if request.method != "POST" and self.visibility.data not in dict(
                self.visibility.choices):
            # An event saved before its group was private, or with a level that meant the
            # same: the form shows what the rule gives it.
            self.visibility.data = self.visibility.choices[0][0]
        self.repeat.choices = [(key, translate(label)) for key, label in REPEAT_LABELS.items()]
        self.scope.choices = [("one", translate(_("Only this event"))),
                              ("series", translate(_("This event and the following ones")))]
        self.max_occurrences = max_occurrences
        if not series:
            del self.scope
        if editing:
            del self.repeat, self.repeat_until, self.repeat_count

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.timezone.data and self.timezone.data.strip() not in timezone_names():
            self.timezone.errors.append(self.request.localizer.translate(
                _("Choose a time zone such as Europe/Paris.")))
            valid = False
        if not valid:
            return False
        problems = []
        if not self.all_day.data and self.start_time.data is None:
            problems.append(("start_time", _("Give the starting time, or tick all day.")))
        if not (self.city.data or "").strip() and not self.online_url.data:
            problems.append(("city", _("Give the city, or an online link.")))
        if self.address_for_attendees.data and not (self.address.data or "").strip():
            problems.append(("address_for_attendees",
                             _("There is no address to keep for attendees.")))
        if not problems:
            start, end = self.times()
            if end <= start:
                problems.append(("end_time", _("The end must come after the start.")))
            deadline = self.deadline()
            if deadline is not None and deadline > start:
                problems.append(("deadline_date", _("Answers must close before the start.")))
        if "repeat_count" in self._fields and self.repeat.data:
            if self.repeat_until.data is None and self.repeat_count.data is None:
                problems.append(("repeat_until", _("Say until when, or how many times.")))
            elif self.repeat_count.data and self.repeat_count.data > self.max_occurrences:
                problems.append(("repeat_count", _("At most ${count} times.",
                                                   mapping={"count": self.max_occurrences})))
            elif self.repeat_until.data and self.repeat_until.data <= self.start_date.data:
                problems.append(("repeat_until", _("The last date must come after the first.")))
        for name, message in problems:
            self.add_error(name, message)
        return not problems

    def times(self) -> tuple[dt.datetime, dt.datetime]:
        """Start and end as aware UTC times, read in the event's time zone."""
        tz = self.timezone.data.strip()
        end_date = self.end_date.data or self.start_date.data
        if self.all_day.data:
            start = dt.datetime.combine(self.start_date.data, dt.time())
            end = dt.datetime.combine(end_date + dt.timedelta(days=1), dt.time())
        else:
            start = dt.datetime.combine(self.start_date.data, self.start_time.data)
            end_time = self.end_time.data
            if end_time is None:
                end = start + dt.timedelta(hours=2)
            else:
                end = dt.datetime.combine(end_date, end_time)
        return localise(start, tz), localise(end, tz)

    def deadline(self) -> dt.datetime | None:
        if self.deadline_date.data is None:
            return None
        moment = dt.datetime.combine(self.deadline_date.data,
                                     self.deadline_time.data or dt.time(23, 59))
        return localise(moment, self.timezone.data.strip())

    def values(self) -> dict:
        start, end = self.times()
        data = {
            "title": self.title.data.strip(),
            "description": (self.description.data or "").strip(),
            "type_id": self.type_id.data,
            "starts_at": start,
            "ends_at": end,
            "timezone": self.timezone.data.strip(),
            "all_day": bool(self.all_day.data),
            "rsvp_deadline": self.deadline(),
            "visibility": self.visibility.data,
            "capacity": self.capacity.data,
            "address_for_attendees": bool(self.address_for_attendees.data),
            "show_attendees": bool(self.show_attendees.data),
            "latitude": self.latitude.data,
            "longitude": self.longitude.data,
            "online_url": self.online_url.data or "",
        }
        for name in ("venue", "address", "postcode", "city"):
            data[name] = (getattr(self, name).data or "").strip()
        return data

    def cohost_names(self) -> list[str]:
        return [name.strip() for name in (self.cohosts.data or "").split(",") if name.strip()]


def event_form_data(event, cohosts) -> dict:
    """The form's initial values for an existing event, in its own time zone."""
    start = local(event.starts_at, event.timezone)
    end = local(event.ends_at, event.timezone)
    if event.all_day:
        end -= dt.timedelta(days=1)
    deadline = local(event.rsvp_deadline, event.timezone) if event.rsvp_deadline else None
    return {
        "title": event.title, "description": event.description, "type_id": event.type_id,
        "start_date": start.date(), "start_time": None if event.all_day else start.time(),
        "end_date": end.date(), "end_time": None if event.all_day else end.time(),
        "all_day": event.all_day, "timezone": event.timezone, "venue": event.venue,
        "address": event.address, "postcode": event.postcode, "city": event.city,
        "latitude": event.latitude, "longitude": event.longitude,
        "online_url": event.online_url, "visibility": event.visibility,
        "capacity": event.capacity,
        "deadline_date": deadline.date() if deadline else None,
        "deadline_time": deadline.time() if deadline else None,
        "address_for_attendees": event.address_for_attendees,
        "show_attendees": event.show_attendees,
        "cohosts": ", ".join(user.username for user in cohosts),
    }


class RsvpForm(Form):
    status = wtforms.RadioField(_("Your answer"), choices=[("going", "going"),
                                                          ("not_going", "not_going")])
    guests = wtforms.IntegerField(_("Guests"), [validators.Optional(),
                                                validators.NumberRange(0, MAX_GUESTS)],
                                  default=0)
    share_email = wtforms.BooleanField(_("Let the organisers see my email address"))


class TypeForm(Form):
    name = wtforms.StringField(_("Name"), [validators.InputRequired(),
                                           validators.Length(max=80)])


class MessageForm(Form):
    subject = wtforms.StringField(_("Subject"), [validators.InputRequired(),
                                                 validators.Length(max=150)])
    body = wtforms.TextAreaField(_("Message"), [validators.InputRequired(),
                                                validators.Length(max=5000)])
    waitlist = wtforms.BooleanField(_("Also write to the people on the waitlist"))
