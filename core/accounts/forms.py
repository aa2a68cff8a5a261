"""The accounts' forms: field checks here, account rules in the service."""

import zoneinfo

from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import InputRequired, Length

from core.forms import Form, SelectChoice
from core.i18n import LANGUAGE_NAMES, _

MAX_PASSWORD = 1024


def _password(label, message=None):
    return PasswordField(label, validators=[
        InputRequired(message or _("Enter a password.")), Length(max=MAX_PASSWORD),
    ])


def _email(label=None):
    return EmailField(label or _("Email"), validators=[
        InputRequired(_("Enter your email address.")),
        Length(max=254, message=_("Use at most ${count} characters.", mapping={"count": 254})),
    ])


class LoginForm(Form):
    login = StringField(
        _("Email or username"),
        validators=[InputRequired(_("Enter your email or username.")), Length(max=254)],
    )
    password = PasswordField(
        _("Password"), validators=[InputRequired(_("Enter your password.")), Length(max=MAX_PASSWORD)]
    )


class RegisterForm(Form):
    email = _email()
    display_name = StringField(
        _("Name shown to others"),
        description=_("Your real name or the name you are known by; you can change it later."),
        validators=[InputRequired(_("Enter the name other members will see.")),
                    Length(max=80, message=_("Use at most ${count} characters.", mapping={"count": 80}))],
    )
    username = StringField(
        _("Username"),
        description=_("Used in the address of your page; it cannot be changed."),
        validators=[InputRequired(_("Choose a username.")),
                    Length(max=30, message=_("Use at most ${count} characters.", mapping={"count": 30}))],
    )
    password = PasswordField(
        _("Password"),
        description=_("At least 10 characters; a few words make a strong one."),
        validators=[InputRequired(_("Enter a password.")), Length(max=MAX_PASSWORD)],
    )
    invitation = HiddenField()


class ForgotPasswordForm(Form):
    email = _email()


class ResetPasswordForm(Form):
    password = _password(_("New password"))


def _locale_choices(request):
    return [(code, LANGUAGE_NAMES.get(code, code)) for code in request.registry.settings["cortege.locales"]]


TIMEZONES = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})


class PreferencesForm(Form):
    display_name = RegisterForm.display_name
    locale = SelectField(_("Language"))
    french_register = SelectField(
        _("In French, address me with"), description=_("“Vous” or “tu”, on pages and in mail."),
        choices=[("", _("The site's choice")), ("vous", _("vous (vouvoiement)")),
                 ("tu", _("tu (tutoiement)"))])
    timezone = SelectField(_("Time zone"), choices=[(name, name.replace("_", " ")) for name in TIMEZONES])

    def __init__(self, request, **kwargs):
        super().__init__(request, **kwargs)
        self.locale.choices = _locale_choices(request)
        settings = request.registry.settings
        if not (settings["cortege.french_register_choice"] and "fr" in settings["cortege.locales"]):
            del self.french_register
        else:
            translate = request.localizer.translate
            self.french_register.choices = [
                SelectChoice(choice.value, translate(choice.label))
                for choice in self.french_register.choices]


class PasswordForm(Form):
    current_password = _password(_("Current password"), _("Enter your current password."))
    new_password = _password(_("New password"))


class EmailForm(Form):
    email = _email(_("New email address"))
    password = _password(_("Current password"), _("Enter your current password."))


class DeleteAccountForm(Form):
    password = _password(_("Current password"), _("Enter your current password."))
    confirm = BooleanField(
        _("I understand that my account and what only I can see will be deleted for good."),
        validators=[InputRequired(_("Tick the box to confirm."))],
    )


class InviteForm(Form):
    email = _email(_("Their email address"))
