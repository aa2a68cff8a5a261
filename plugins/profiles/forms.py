"""Forms: a member's profile (built from the fields admins defined), avatars, field admin."""

from __future__ import annotations

import wtforms
from wtforms import validators

from core.forms import Form
from plugins.profiles import _
from plugins.profiles.models import CONNECTED, MEMBERS, PRIVATE, PUBLIC

VISIBILITY_LABELS = {
    PUBLIC: _("Everyone"),
    MEMBERS: _("Members"),
    CONNECTED: _("My connections"),
    PRIVATE: _("Only me and the admins"),
}


def visibility_name(field) -> str:
    return f"visibility_{field.id}"


def visibility_choices(request):
    """The levels a member may choose: "my connections" only with the social layer on."""
    from plugins.social.interfaces import social_enabled

    social = social_enabled(request.registry)
    return [(level, request.localizer.translate(label))
            for level, label in VISIBILITY_LABELS.items() if social or level != CONNECTED]


def profile_form(request, service, fields, existing=None):
    """A form with each field's input and, where members choose, who may see it."""

    class ProfileForm(Form):
        pass

    data = {}
    for field in fields:
        kind = service.type_of(field)
        setattr(ProfileForm, field.form_name, kind.form_field(field))
        strings, chosen = (existing or {}).get(field.id, ([], None))
        data[field.form_name] = kind.to_form(strings)
        if field.member_chooses_visibility:
            setattr(ProfileForm, visibility_name(field), wtforms.SelectField(
                _("Who sees it"), choices=visibility_choices(request),
                default=service.effective_visibility(field, chosen)))
            data[visibility_name(field)] = service.effective_visibility(field, chosen)
    return ProfileForm(request, data=data)


def form_values(form, fields) -> tuple[dict, dict]:
    """({Field: data}, {Field: chosen visibility}) from a validated profile form."""
    values = {field: form[field.form_name].data for field in fields}
    visibilities = {
        field: form[visibility_name(field)].data
        for field in fields if field.member_chooses_visibility
    }
    return values, visibilities


class AvatarForm(Form):
    image = wtforms.FileField(
        _("Picture"),
        description=_("A JPEG, PNG, GIF or WebP image; it is cropped to a square."),
    )


class GroupForm(Form):
    name = wtforms.StringField(
        _("Name"), validators=[validators.InputRequired(), validators.Length(max=80)])
    description = wtforms.StringField(
        _("Description"), validators=[validators.Optional(), validators.Length(max=500)])


def _options(text: str | None) -> list[str]:
    lines = [" ".join(line.split()) for line in (text or "").splitlines()]
    unique = []
    for line in lines:
        if line and line not in unique:
            unique.append(line[:100])
    return unique


class FieldForm(Form):
    name = wtforms.StringField(
        _("Label"), validators=[validators.InputRequired(), validators.Length(max=80)])
    help_text = wtforms.StringField(
        _("Help text"), validators=[validators.Optional(), validators.Length(max=500)])
    type = wtforms.SelectField(_("Type"), choices=[])
    options = wtforms.TextAreaField(
        _("Choices"), description=_("For choice fields: one choice per line."),
        filters=[lambda text: "\n".join(_options(text))])
    group_id = wtforms.SelectField(_("Group"), coerce=int, choices=[])
    required = wtforms.BooleanField(_("Required"))
    at_registration = wtforms.BooleanField(_("Asked at registration"))
    in_directory = wtforms.BooleanField(_("Shown in the member directory"))
    political = wtforms.BooleanField(
        _("Reveals political commitment"),
        description=_("Such fields are never public by default."))
    default_visibility = wtforms.SelectField(_("Who sees it by default"), choices=[],
                                             default=MEMBERS)
    member_chooses_visibility = wtforms.BooleanField(
        _("Members may choose who sees their answer"), default=True)

    def prepare(self, request, service):
        translate = request.localizer.translate
        self.type.choices = [(name, translate(kind.title)) for name, kind in
                             sorted(service.types.items())]
        self.group_id.choices = [(group.id, group.name) for group in service.groups]
        self.default_visibility.choices = visibility_choices(request)
        return self

    def values(self) -> dict:
        return {
            "name": self.name.data.strip(),
            "help_text": (self.help_text.data or "").strip(),
            "type": self.type.data,
            "options": _options(self.options.data),
            "required": self.required.data,
            "at_registration": self.at_registration.data,
            "in_directory": self.in_directory.data,
            "political": self.political.data,
            "default_visibility": self.default_visibility.data,
            "member_chooses_visibility": self.member_chooses_visibility.data,
        }
