"""The comment form and the report form."""

from __future__ import annotations

from wtforms import HiddenField, TextAreaField
from wtforms.validators import Length

from core.forms import Form
from plugins.comments import _
from plugins.comments.models import BODY_LENGTH, REASON_LENGTH


class CommentForm(Form):
    body = TextAreaField(_("Your comment"), description=_("Markdown works; @name tells a member."),
                         validators=[Length(max=BODY_LENGTH)])
    parent = HiddenField()


class ReportForm(Form):
    reason = TextAreaField(_("Why should moderators look at it?"),
                           validators=[Length(max=REASON_LENGTH)])
