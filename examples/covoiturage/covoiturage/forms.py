"""The carpooling's form."""

from core.forms import Form
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from covoiturage import _


class OfferForm(Form):
    leaves_from = StringField(_("Leaving from"), validators=[
        DataRequired(message=_("Say where the car leaves from.")),
        Length(max=200, message=_("Say it in at most 200 characters.")),
    ])
    seats = IntegerField(_("Free seats"), default=3, validators=[
        InputRequired(message=_("Say how many seats are free.")),
        NumberRange(min=1, max=99, message=_("Give a number of seats from 1 up.")),
    ])
    note = StringField(_("Note for passengers (optional)"), validators=[
        Length(max=500, message=_("Say it in at most 500 characters.")),
    ])
