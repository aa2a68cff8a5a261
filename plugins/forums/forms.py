"""Forms: a topic, a reply, an edit, a report, a move; categories and forums for admins."""

from __future__ import annotations

import wtforms
from wtforms import validators

from core.forms import Form
from plugins.forums import _

BODY_LENGTH = 20000


def _body(label):
    return wtforms.TextAreaField(
        label, [validators.InputRequired(_("Write something first.")),
                validators.Length(max=BODY_LENGTH)],
        description=_("Markdown: **bold**, *italic*, [a link](https://example.org), "
                      "> a quotation."))


def _title():
    return wtforms.StringField(_("Title"), [validators.InputRequired(_("Give the topic a title.")),
                                            validators.Length(max=200)])


class TopicForm(Form):
    title = _title()
    body = _body(_("Text"))
    subscribe = wtforms.BooleanField(_("Email me when someone answers"))


class ReplyForm(Form):
    body = _body(_("Your reply"))
    subscribe = wtforms.BooleanField(_("Email me when someone answers"))


class EditForm(Form):
    title = wtforms.StringField(_("Title"), [validators.Optional(), validators.Length(max=200)])
    body = _body(_("Text"))


class ReportForm(Form):
    reason = wtforms.TextAreaField(
        _("What is wrong with this post?"),
        [validators.InputRequired(_("Say in a few words why moderators should look at it.")),
         validators.Length(max=1000)])


class MoveForm(Form):
    forum = wtforms.SelectField(_("Move to"), coerce=int, validate_choice=True)


class CategoryForm(Form):
    title = wtforms.StringField(_("Title"), [validators.InputRequired(),
                                             validators.Length(max=120)])
    description = wtforms.TextAreaField(_("Description"), [validators.Length(max=2000)])


class ForumForm(Form):
    title = wtforms.StringField(_("Title"), [validators.InputRequired(),
                                             validators.Length(max=120)])
    description = wtforms.TextAreaField(_("Description"), [validators.Length(max=2000)])
    category = wtforms.SelectField(_("Category"), coerce=int, validate_choice=True)
    closed = wtforms.BooleanField(
        _("Closed"), description=_("Only moderators may start topics and answer."))
