from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

from core.forms import Form
from core.i18n import _


class LoginForm(Form):
    login = StringField(
        _("Email or username"),
        validators=[InputRequired(_("Enter your email or username.")), Length(max=254)],
    )
    password = PasswordField(
        _("Password"), validators=[InputRequired(_("Enter your password.")), Length(max=1024)]
    )
