"""Forms: a group's settings, its images, and the admins' group types."""

from __future__ import annotations

import wtforms
from wtforms import validators

from core.forms import Form
from plugins.groups import _

STATUS_LABELS = {
    "public": _("Public: listed, its content seen by all, anyone may join"),
    "private": _("Private: listed, its content for members, joining on request"),
    "hidden": _("Hidden: unlisted, invisible to non-members, by invitation only"),
}
POLICY_LABELS = {
    "members": _("Every member"),
    "moderators": _("Moderators and admins"),
    "admins": _("Admins only"),
}


class GroupForm(Form):
    name = wtforms.StringField(
        _("Name"), validators=[validators.InputRequired(), validators.Length(max=120)])
    slug = wtforms.StringField(
        _("Address"), validators=[validators.Optional(), validators.Length(max=80)],
        description=_("The end of the group's web address: lower-case letters, digits and "
                      "dashes. Left empty, it is made from the name. A hidden group's address "
                      "ends with random characters, so that nobody can guess it."))
    description = wtforms.TextAreaField(
        _("Description"), validators=[validators.Optional(), validators.Length(max=20000)],
        description=_("Markdown is accepted."))
    type_id = wtforms.SelectField(_("Type"), coerce=int, choices=[])
    status = wtforms.RadioField(_("Privacy"), choices=[], default="public")
    invite_policy = wtforms.SelectField(_("Who may invite"), choices=[], default="members")
    postcode = wtforms.StringField(
        _("Postcode"), validators=[validators.Optional(), validators.Length(max=12)])
    city = wtforms.StringField(
        _("City"), validators=[validators.Optional(), validators.Length(max=80)])

    def prepare(self, request, types):
        translate = request.localizer.translate
        self.type_id.choices = [(0, translate(_("No type")))] + [
            (group_type.id, translate(_(group_type.name))) for group_type in types]
        self.status.choices = [(key, translate(label)) for key, label in STATUS_LABELS.items()]
        self.invite_policy.choices = [
            (key, translate(label)) for key, label in POLICY_LABELS.items()]
        return self

    def values(self) -> dict:
        return {
            "name": self.name.data or "",
            "slug": (self.slug.data or "").strip().lower(),
            "description": self.description.data or "",
            "type_id": self.type_id.data or None,
            "status": self.status.data,
            "invite_policy": self.invite_policy.data,
            "postcode": self.postcode.data or "",
            "city": self.city.data or "",
        }


class TypeForm(Form):
    name = wtforms.StringField(
        _("Name"), validators=[validators.InputRequired(), validators.Length(max=80)])
    description = wtforms.StringField(
        _("Description"), validators=[validators.Optional(), validators.Length(max=500)])
