"""The kinds of profile field, and the directive that lets other plugins add more.

A field type turns a field definition into a form field, form data into stored strings (one
string per value; a multiple choice stores several), stored strings back into form data and
into what a page shows. ``filterable`` types get a filter in the member directory.
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from urllib.parse import urlsplit

import wtforms
from markupsafe import Markup
from wtforms import validators
from wtforms.widgets import CheckboxInput, ListWidget

from core.extensions import register_item, registered_map
from core.text import fold, render_markdown
from plugins.profiles import _

CATEGORY = "profiles field types"
SEARCH_LENGTH = 200


class FieldType:
    """A plain one-line text; subclasses change what differs."""

    name = "text"
    title = _("Text")
    has_options = False
    filterable = False
    max_length = 255

    @staticmethod
    def presence(field):
        return validators.InputRequired() if field.required else validators.Optional()

    def validators(self, field) -> list:
        return [self.presence(field), validators.Length(max=self.max_length)]

    def form_field(self, field):
        return wtforms.StringField(
            field.name, description=field.help_text, validators=self.validators(field)
        )

    def to_strings(self, data) -> list[str]:
        text = (data or "").strip() if isinstance(data, str) else data
        return [str(text)] if text not in (None, "") else []

    def to_form(self, strings: list[str]):
        return strings[0] if strings else None

    def display(self, request, strings: list[str]):
        return ", ".join(strings)

    def search_key(self, string: str) -> str:
        return fold(string)[:SEARCH_LENGTH]

    def filter_key(self, raw: str, field) -> str | None:
        """The folded value a directory filter looks for, or None to ignore the filter."""
        return fold(raw)[:SEARCH_LENGTH] or None


class LongTextType(FieldType):
    name = "textarea"
    title = _("Long text (Markdown)")
    max_length = 5000

    def form_field(self, field):
        return wtforms.TextAreaField(
            field.name, description=field.help_text, validators=self.validators(field)
        )

    def display(self, request, strings):
        return render_markdown(strings[0]) if strings else ""


class ChoiceType(FieldType):
    name = "choice"
    title = _("Single choice")
    has_options = True
    filterable = True

    def form_field(self, field):
        choices = [("", "—")] + [(option, option) for option in field.options]
        return wtforms.SelectField(field.name, description=field.help_text, choices=choices,
                                   validators=[self.presence(field)], validate_choice=True)

    def filter_key(self, raw, field):
        return fold(raw)[:SEARCH_LENGTH] if raw in field.options else None


class MultipleChoiceType(ChoiceType):
    name = "multichoice"
    title = _("Multiple choice")

    def form_field(self, field):
        return wtforms.SelectMultipleField(
            field.name, description=field.help_text,
            choices=[(option, option) for option in field.options], validators=[self.presence(field)],
            widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
        )

    def to_strings(self, data):
        return [item for item in (data or []) if item]

    def to_form(self, strings):
        return list(strings)


class CheckboxType(FieldType):
    name = "checkbox"
    title = _("Checkbox")
    filterable = True
    CHECKED = "yes"

    def form_field(self, field):
        checks = [validators.InputRequired()] if field.required else []
        return wtforms.BooleanField(field.name, description=field.help_text, validators=checks)

    def to_strings(self, data):
        return [self.CHECKED] if data else []

    def to_form(self, strings):
        return bool(strings)

    def display(self, request, strings):
        return request.localizer.translate(_("Yes")) if strings else ""

    def filter_key(self, raw, field):
        return self.CHECKED if raw == self.CHECKED else None


class DateType(FieldType):
    name = "date"
    title = _("Date")

    def form_field(self, field):
        return wtforms.DateField(field.name, description=field.help_text, validators=[self.presence(field)])

    def to_strings(self, data):
        return [data.isoformat()] if data else []

    def to_form(self, strings):
        try:
            return dt.date.fromisoformat(strings[0]) if strings else None
        except ValueError:
            return None

    def display(self, request, strings):
        day = self.to_form(strings)
        return request.format_date(day) if day else ""


def _web_address(form, field):
    if field.data and urlsplit(field.data).scheme not in ("http", "https"):
        raise validators.ValidationError(_("Give an address starting with http:// or https://."))


class URLType(FieldType):
    name = "url"
    title = _("Web address")

    def validators(self, field):
        return [*super().validators(field), _web_address,
                validators.URL(message=_("This is not a valid web address."))]

    def form_field(self, field):
        return wtforms.URLField(
            field.name, description=field.help_text, validators=self.validators(field)
        )

    def display(self, request, strings):
        if not strings:
            return ""
        return Markup('<a href="{0}" rel="nofollow ugc noopener">{0}</a>').format(strings[0])


class NumberType(FieldType):
    name = "number"
    title = _("Number")

    def form_field(self, field):
        return wtforms.DecimalField(
            field.name, description=field.help_text, validators=[self.presence(field)],
            render_kw={"inputmode": "decimal"},
        )

    def to_strings(self, data):
        if data is None:
            return []
        return [format(decimal.Decimal(data).normalize(), "f")]

    def to_form(self, strings):
        try:
            return decimal.Decimal(strings[0]) if strings else None
        except decimal.InvalidOperation:
            return None

    def display(self, request, strings):
        number = self.to_form(strings)
        return request.format_number(number) if number is not None else ""


class PatternType(FieldType):
    """A short text that must match ``pattern``."""

    pattern = re.compile(r".*")
    message = _("This value is not valid.")
    max_length = 40

    def validators(self, field):
        return [*super().validators(field), validators.Regexp(self.pattern, message=self.message)]


class PhoneType(PatternType):
    name = "phone"
    title = _("Phone number")
    pattern = re.compile(r"^\+?[0-9][0-9 .()-]{4,22}[0-9]$")
    message = _("Give a phone number with digits, spaces and an optional + in front.")

    def form_field(self, field):
        return wtforms.TelField(
            field.name, description=field.help_text, validators=self.validators(field)
        )


class PostcodeType(PatternType):
    name = "postcode"
    title = _("Postcode")
    pattern = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 -]{1,10}[A-Za-z0-9]$")
    message = _("Give a postcode of letters and digits, such as 75011.")


class CityType(FieldType):
    name = "city"
    title = _("City")
    filterable = True
    max_length = 100


BUILTIN_TYPES = (FieldType, LongTextType, ChoiceType, MultipleChoiceType, CheckboxType,
                 DateType, URLType, NumberType, PhoneType, PostcodeType, CityType)


def add_profile_field_type(config, field_type):
    """Offer a new kind of profile field: an object with the methods of ``FieldType``."""
    register_item(config, CATEGORY, field_type.name, field_type, title=str(field_type.title))


def field_types(registry) -> dict:
    return registered_map(registry, CATEGORY)


def includeme(config):
    config.add_directive("add_profile_field_type", add_profile_field_type, action_wrap=False)
    for kind in BUILTIN_TYPES:
        config.add_profile_field_type(kind())
