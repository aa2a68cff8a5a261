"""The petition form and the signing form (built for each petition's own fields)."""

from __future__ import annotations

from wtforms import BooleanField, DateField, EmailField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from core.forms import Form
from plugins.petitions import _

MAX_GOAL = 100_000_000


class PetitionForm(Form):
    title = StringField(_("Title"), validators=[
        DataRequired(_("Give the petition a title.")), Length(max=200)])
    text = TextAreaField(_("Text"), description=_("What you ask for and why. Markdown works."),
                         validators=[DataRequired(_("Write the text of the petition.")),
                                     Length(max=20_000)])
    addressee = StringField(_("Addressed to"), description=_(
        "Who the petition asks, e.g. the mayor of Lyon."), validators=[
        DataRequired(_("Say to whom the petition is addressed.")), Length(max=200)])
    goal = IntegerField(_("Signature goal"), default=1000, validators=[
        DataRequired(_("Give a goal of at least 1 signature.")),
        NumberRange(min=1, max=MAX_GOAL, message=_("Give a goal between 1 and 100,000,000."))])
    ends_on = DateField(_("End date"), description=_(
        "Optional: the last day when people can sign."), validators=[Optional()])
    ask_postcode = BooleanField(_("Ask signers for their postcode"))
    ask_comment = BooleanField(_("Let signers leave a comment"))
    show_names = BooleanField(_("Show the names of the signers who agree"), default=True)

    def __init__(self, request, today, **kwargs):
        self.today = today
        super().__init__(request, **kwargs)

    def validate_ends_on(self, field):
        if field.data is not None and field.data < self.today:
            raise ValidationError(_("The end date cannot be in the past."))

    def values(self) -> dict:
        """What the petition service's ``create`` takes."""
        return {"title": self.title.data.strip(), "text": self.text.data,
                "addressee": self.addressee.data.strip(), "goal": self.goal.data,
                "ends_on": self.ends_on.data, "ask_postcode": self.ask_postcode.data,
                "ask_comment": self.ask_comment.data, "show_names": self.show_names.data}


class SignForm(Form):
    """The fields every petition asks; ``sign_form`` adds the petition's own."""

    name = StringField(_("Your name"), validators=[
        DataRequired(_("Give your name.")), Length(max=120)])
    email = EmailField(_("Your email address"), description=_(
        "We send you a link: your signature counts once you follow it."), validators=[
        DataRequired(_("Give your email address.")), Length(max=320)])
    newsletter = BooleanField()
    consent = BooleanField(validators=[DataRequired(_(
        "Tick the box to agree, or your signature cannot be taken."))])
    # Left empty by people; robots fill it. Hidden from view and from screen readers.
    website = StringField(_("Leave this field empty"))


def sign_form(request, petition):
    """A signing form with the petition's extra fields."""

    class PetitionSignForm(SignForm):
        pass

    if petition.ask_postcode:
        PetitionSignForm.postcode = StringField(_("Postcode"), validators=[
            DataRequired(_("Give your postcode.")), Length(max=20)])
    if petition.ask_comment:
        PetitionSignForm.comment = TextAreaField(_("Comment (optional)"), validators=[
            Optional(), Length(max=1000)])
    if petition.show_names:
        PetitionSignForm.show_name = BooleanField(_("Show my name in the public list of signers"))
    return PetitionSignForm(request)
