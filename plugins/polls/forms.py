"""The form that creates a poll. Dates are typed in the member's time zone and kept in UTC."""

from __future__ import annotations

import datetime as dt

import wtforms
from wtforms import validators

from core.db import utcnow
from core.forms import Form
from plugins.polls import _
from plugins.polls.methods import POLL_KINDS, counting_methods
from plugins.polls.models import AFTER_CLOSING, LIVE

DATE_FORMAT = "%Y-%m-%dT%H:%M"


def option_lines(text: str | None) -> list[str]:
    """One option per line, spaces tidied, blank lines and repeats left out."""
    options: list[str] = []
    for line in (text or "").splitlines():
        label = " ".join(line.split())[:200]
        if label and label not in options:
            options.append(label)
    return options


class PollForm(Form):
    title = wtforms.StringField(
        _("Question"), validators=[validators.InputRequired(), validators.Length(max=200)])
    description = wtforms.TextAreaField(
        _("Details"), description=_("Optional; Markdown is allowed."),
        validators=[validators.Optional(), validators.Length(max=5000)])
    kind = wtforms.SelectField(_("Kind of poll"), choices=[], default="single")
    method = wtforms.SelectField(
        _("Counting method"), choices=[], default="",
        description=_("Only methods that suit the kind of poll are accepted."))
    options = wtforms.TextAreaField(
        _("Options"), description=_("One option per line; at least two."),
        validators=[validators.InputRequired()])
    min_choices = wtforms.IntegerField(
        _("Fewest options a voter chooses"), default=1,
        description=_("For multiple choice only."), validators=[validators.Optional()])
    max_choices = wtforms.IntegerField(
        _("Most options a voter chooses"), default=2,
        description=_("For multiple choice only."), validators=[validators.Optional()])
    opens_at = wtforms.DateTimeLocalField(
        _("Opens"), format=DATE_FORMAT, validators=[validators.Optional()],
        description=_("Leave empty to open the poll at once."))
    closes_at = wtforms.DateTimeLocalField(
        _("Closes"), format=DATE_FORMAT, validators=[validators.InputRequired()])
    anonymous = wtforms.BooleanField(
        _("Secret ballot"), default=True,
        description=_("Nobody, the organisers included, can see who chose what."))
    changeable = wtforms.BooleanField(
        _("Voters may change their ballot until the poll closes"), default=True,
        description=_("In a secret ballot, each voter gets a code that alone can find and "
                      "change their ballot."))
    results = wtforms.SelectField(_("Results"), choices=[], default=AFTER_CLOSING)

    def prepare(self, request, max_options: int):
        translate = request.localizer.translate
        self.max_options = max_options
        self.kind.choices = [(kind.name, translate(kind.title)) for kind in POLL_KINDS.values()]
        self.method.choices = [("", translate(_("The usual method for the kind of poll")))] + [
            (method.name, translate(method.title)) for method in counting_methods(request.registry)
        ]
        self.results.choices = [
            (AFTER_CLOSING, translate(_("Shown once the poll has closed"))),
            (LIVE, translate(_("Shown live, as ballots come in"))),
        ]
        return self

    def validate_options(self, field):
        options = option_lines(field.data)
        if len(options) < 2:
            raise validators.ValidationError(_("Give at least two different options."))
        if len(options) > self.max_options:
            raise validators.ValidationError(
                _("Give at most ${count} options.", mapping={"count": self.max_options}))

    def values(self, request) -> dict:
        """The poll's values, dates in UTC; sets an error and returns None when they are bad."""
        zone = request.timezone
        now = utcnow()
        opens = self.opens_at.data
        opens_at = opens.replace(tzinfo=zone).astimezone(dt.UTC) if opens else now
        closes_at = self.closes_at.data.replace(tzinfo=zone).astimezone(dt.UTC)
        if closes_at <= max(opens_at, now):
            self.add_error("closes_at", _("The poll must close after it opens, in the future."))
            return None
        kind = POLL_KINDS[self.kind.data]
        if kind.name == "multiple":
            count = len(option_lines(self.options.data))
            low, high = self.min_choices.data, self.max_choices.data
            if low is None or high is None or not 1 <= low <= high <= count:
                self.add_error("max_choices", _(
                    "For multiple choice, give numbers with 1 ≤ fewest ≤ most ≤ the number "
                    "of options."))
                return None
        method = self.method.data
        suitable = [m.name for m in counting_methods(request.registry, kind.ballot_kind)]
        if not method and suitable:
            method = suitable[0]
        if method not in suitable:
            self.add_error("method", _("This counting method does not suit this kind of poll."))
            return None
        return {
            "title": self.title.data.strip(), "description": (self.description.data or "").strip(),
            "kind": kind.name, "method": method, "options": option_lines(self.options.data),
            "min_choices": self.min_choices.data or 1, "max_choices": self.max_choices.data or 1,
            "opens_at": opens_at.replace(second=0, microsecond=0) if opens else opens_at,
            "closes_at": closes_at, "anonymous": self.anonymous.data,
            "changeable": self.changeable.data, "results": self.results.data,
        }
