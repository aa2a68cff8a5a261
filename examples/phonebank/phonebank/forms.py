"""The phone bank's forms."""

from core.forms import Form, SelectChoice
from wtforms import BooleanField, SelectField, StringField, TelField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from phonebank import _
from phonebank.models import OUTCOMES

PHONE = r"^\+?[0-9][0-9 .()-]{4,22}[0-9]$"
# What the member agrees to, stored with their consent word for word, in their language.
CONSENT_WORDING = _("I agree that the organisers of the groups I belong to call me at this "
                    "number about their campaigns. I can withdraw at any time.")
OUTCOME_TITLES = {
    "reached": _("Reached: we talked"),
    "no_answer": _("No answer"),
    "voicemail": _("Left a voicemail"),
    "call_back": _("Call back later"),
    "wrong_number": _("Wrong number"),
    "do_not_call": _("Does not want to be called again"),
}


class ConsentForm(Form):
    phone = TelField(_("Phone number"), validators=[
        DataRequired(message=_("Give the number to call you at.")),
        Regexp(PHONE, message=_("Give a phone number with digits, spaces and an optional + in "
                                "front.")),
    ])
    agree = BooleanField(CONSENT_WORDING, validators=[
        DataRequired(message=_("Tick the box to agree to be called."))])


class CampaignForm(Form):
    title = StringField(_("Title"), validators=[
        DataRequired(message=_("Give the campaign a title.")),
        Length(max=200, message=_("A title holds at most 200 characters."))])
    script = TextAreaField(_("Call script"), description=_(
        "What callers say, step by step (Markdown)."), validators=[
        DataRequired(message=_("Write the script callers read from.")),
        Length(max=20000, message=_("A script holds at most 20,000 characters."))])


class CallForm(Form):
    outcome = SelectField(_("How did the call go?"),
                          choices=[(value, OUTCOME_TITLES[value]) for value in OUTCOMES],
                          validators=[DataRequired(message=_("Choose how the call went."))])
    note = TextAreaField(_("Note (optional)"), validators=[
        Optional(), Length(max=500, message=_("A note holds at most 500 characters."))])

    def __init__(self, request, **kwargs):
        super().__init__(request, **kwargs)
        self.outcome.choices = [SelectChoice(choice.value,
                                             request.localizer.translate(choice.label))
                                for choice in self.outcome.choices]
