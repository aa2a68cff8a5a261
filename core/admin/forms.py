"""Forms of the admin area."""

from __future__ import annotations

from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from core.forms import Form
from core.i18n import _

REGISTRATION_CHOICES = (
    ("open", _("Open: anyone may join")),
    ("approval", _("On approval: an administrator opens each new account")),
    ("invitation", _("On invitation only")),
    ("closed", _("Closed: nobody may join")),
)
VISIBILITY_CHOICES = (
    ("public", _("Public: anyone may read the site")),
    ("members", _("Members only: strangers see only the landing page")),
)
ROLE_NAMES = {"member": _("Member"), "moderator": _("Moderator"), "admin": _("Administrator")}
STATUS_NAMES = {
    "unconfirmed": _("Email not confirmed"),
    "awaiting_approval": _("Awaiting approval"),
    "active": _("Active"),
    "suspended": _("Suspended"),
    "deleted": _("Deleted"),
}


def _strip(value):
    return value.strip() if value else value


def _at_most(count: int) -> Length:
    return Length(max=count, message=_("Use at most ${count} characters.", mapping={"count": count}))


def _translated(request, choices) -> list[tuple[str, str]]:
    return [(value, request.localizer.translate(label)) for value, label in choices]


class SiteSettingsForm(Form):
    site_name = StringField(
        _("Site name"),
        filters=[_strip],
        validators=[DataRequired(_("Enter the site's name.")),
                    _at_most(80)],
    )
    tagline = StringField(
        _("Tagline"),
        description=_("One sentence under the name, on the landing page and in the footer."),
        filters=[_strip],
        validators=[_at_most(200)],
    )
    privacy_page = TextAreaField(
        _("Privacy page"),
        description=_("Markdown. Left empty, the site shows a short standard text."),
        validators=[_at_most(20000)],
    )
    registration = SelectField(_("Registration"), choices=REGISTRATION_CHOICES)
    visibility = SelectField(_("Who can read the site"), choices=VISIBILITY_CHOICES)
    members_may_invite = BooleanField(
        _("Members may invite people"),
        description=_("When registration is on invitation only; administrators always may."),
    )

    def __init__(self, request, **kwargs):
        super().__init__(request, **kwargs)
        self.registration.choices = _translated(request, REGISTRATION_CHOICES)
        self.visibility.choices = _translated(request, VISIBILITY_CHOICES)

