"""WTForms bound to Pyramid requests: labels, descriptions and errors in the reader's language.

Every text field of every form loses its NUL characters, and single-line fields (titles,
names: a ``StringField`` that is not a ``TextAreaField``) have line breaks and other control
characters folded into spaces, so that no stored title breaks a header, a CSV row or an
iCalendar line. Date fields accept only dates between ``core.input.MIN_DATE`` and
``MAX_DATE``. Choices declared as ``(value, label)`` pairs, which WTForms 3.3 deprecates, are
handed to WTForms as ``SelectChoice`` objects (``core.forms.SelectChoice``).
"""

from __future__ import annotations

import datetime as dt

import wtforms
from pyramid.i18n import TranslationString
from wtforms.fields.choices import SelectChoice

from core.i18n import _
from core.input import MAX_DATE, MIN_DATE, date_in_bounds
from core.text import single_line


def without_nul(value):
    return value.replace("\x00", "") if isinstance(value, str) else value


__all__ = ["Form", "SelectChoice", "select_choices", "without_nul"]


def select_choices(choices):
    """``choices`` with every ``(value, label)`` pair made a ``SelectChoice``."""
    if not isinstance(choices, (list, tuple)):
        return choices  # a callable, a dict of groups, or None: WTForms reads them as they are
    return [SelectChoice(*choice) if isinstance(choice, tuple) else choice
            for choice in choices]


def _text_filters(field_class) -> tuple:
    if not issubclass(field_class, wtforms.StringField) or issubclass(
            field_class, wtforms.PasswordField):  # a password is taken as typed
        return ()
    if issubclass(field_class, wtforms.TextAreaField):
        return (without_nul,)
    return (single_line,)


class _FormData:
    """WebOb's MultiDict speaks ``getall``; WTForms asks for ``getlist``."""

    def __init__(self, multidict, file_fields=frozenset()):
        self.multidict = multidict
        self.file_fields = file_fields

    def __iter__(self):
        return iter(self.multidict)

    def __len__(self):
        return len(self.multidict)

    def __contains__(self, name):
        return name in self.multidict

    def getlist(self, name):
        values = self.multidict.getall(name)
        if name in self.file_fields:  # uploads only where a file is expected, text elsewhere
            return [value for value in values if hasattr(value, "file")]
        return [value for value in values if isinstance(value, str)]


class Form(wtforms.Form):
    """Create with ``MyForm(request)``: it reads POST data on POST requests."""

    class Meta:
        locales = ("en",)

        def bind_field(self, form, unbound_field, options):
            filters = _text_filters(unbound_field.field_class)
            if filters:
                options = {**options, "filters": (
                    *unbound_field.kwargs.get("filters", ()), *filters)}
            if unbound_field.kwargs.get("choices") is not None:
                options = {**options,
                           "choices": select_choices(unbound_field.kwargs["choices"])}
            return super().bind_field(form, unbound_field, options)

    def __init__(self, request, obj=None, data=None, **kwargs):
        self.request = request
        file_fields = frozenset(
            name for name, unbound in self._unbound_fields
            if issubclass(unbound.field_class, (wtforms.FileField, wtforms.MultipleFileField))
        )
        formdata = _FormData(request.POST, file_fields) if request.method == "POST" else None
        meta = {"locales": (request.locale_name, "en")}
        super().__init__(formdata=formdata, obj=obj, data=data, meta=meta, **kwargs)
        for field in self:
            if isinstance(field.label.text, TranslationString):
                field.label.text = request.localizer.translate(field.label.text)
            if isinstance(field.description, TranslationString):
                field.description = request.localizer.translate(field.description)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            # Dates and times (not times of day) within the bounds that date arithmetic and
            # time zones can handle.
            if isinstance(field.data, dt.date) and not date_in_bounds(field.data):
                field.errors = [*field.errors, _(
                    "Give a date between ${first} and ${last}.",
                    mapping={"first": MIN_DATE.year, "last": MAX_DATE.year})]
                valid = False
        translate = self.request.localizer.translate
        for field in self:
            field.errors = [
                translate(error) if isinstance(error, TranslationString) else error
                for error in field.errors
            ]
        self.form_errors = [
            translate(e) if isinstance(e, TranslationString) else e for e in self.form_errors
        ]
        return valid

    def add_error(self, field_name: str, message) -> None:
        """Attach a message found after validation (e.g. a duplicate username)."""
        if isinstance(message, TranslationString):
            message = self.request.localizer.translate(message)
        getattr(self, field_name).errors = [*getattr(self, field_name).errors, message]
