"""Pages for developers, served only when ``cortege.development_pages`` is on.

``/_styleguide`` shows every component of the design system as the macros draw it, so that a
theme's author sees their tokens at work; ``/_mail`` lists the messages the file mail backend
wrote to ``cortege.mail_directory``, decoded, with their links made clickable.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import os
import re

import wtforms
from pyramid.httpexceptions import HTTPNotFound
from pyramid.view import view_config

from core.forms import Form
from core.i18n import _
from core.rendering import icon_names
from core.security import PUBLIC

MAIL_NAME = re.compile(r"^[\w-]{1,80}\.eml$")
MAIL_LIST_SIZE = 200
TOKENS = ("--color-bg", "--color-surface", "--color-surface-muted", "--color-text",
          "--color-muted", "--color-primary", "--color-primary-strong", "--color-primary-soft",
          "--color-accent", "--color-border", "--color-focus", "--color-danger",
          "--color-danger-soft", "--color-success", "--color-success-soft", "--color-warning",
          "--color-warning-soft", "--color-info-soft")


class SampleForm(Form):
    name = wtforms.StringField(_("Name"), description=_("As the other members will see it."))
    town = wtforms.SelectField(_("Town"), choices=[("paris", "Paris"), ("lyon", "Lyon")])
    message = wtforms.TextAreaField(_("Message"))
    kind = wtforms.RadioField(_("Type"), choices=[("meeting", _("Meeting")),
                                                 ("action", _("Action"))], default="meeting")
    subscribe = wtforms.BooleanField(_("Email me when someone answers"))
    email = wtforms.EmailField(_("Email"), validators=[wtforms.validators.InputRequired()])


@view_config(route_name="styleguide", renderer="core/styleguide.jinja2", permission=PUBLIC)
def styleguide(request):
    form = SampleForm(request)
    form.email.errors = [request.localizer.translate(_("This field is required."))]
    start = dt.datetime.now(dt.UTC).replace(hour=17, minute=30, second=0, microsecond=0)
    start += dt.timedelta(days=3)
    return {"form": form, "tokens": TOKENS, "icons": icon_names(), "sample_date": start,
            "sample_end": start + dt.timedelta(hours=2)}


def _folder(request) -> str:
    return os.path.abspath(request.registry.settings["cortege.mail_directory"])


def _read(path: str) -> email.message.EmailMessage:
    with open(path, "rb") as handle:
        return email.message_from_binary_file(handle, policy=email.policy.default)


@view_config(route_name="dev_mail", renderer="core/mailbox.jinja2", permission=PUBLIC)
def mailbox(request):
    folder = _folder(request)
    names = sorted((n for n in os.listdir(folder) if MAIL_NAME.match(n)), reverse=True) \
        if os.path.isdir(folder) else []
    messages = []
    for name in names[:MAIL_LIST_SIZE]:
        message = _read(os.path.join(folder, name))
        messages.append({"name": name, "subject": message.get("Subject", ""),
                         "to": message.get("To", ""), "date": message.get("Date", "")})
    return {"folder": folder, "messages": messages, "total": len(names)}


URL = re.compile(r"https?://[^\s<>\"']+")


@view_config(route_name="dev_mail_message", renderer="core/mail_message.jinja2",
             permission=PUBLIC)
def mail_message(request):
    name = request.matchdict["name"]
    path = os.path.join(_folder(request), name)
    if not MAIL_NAME.match(name) or not os.path.isfile(path):
        raise HTTPNotFound()
    message = _read(path)
    part = message.get_body(preferencelist=("plain", "html"))
    body = part.get_content() if part is not None else ""
    # The text in pieces, links apart, so that the template escapes the text and links the URLs.
    pieces, position = [], 0
    for match in URL.finditer(body):
        pieces.append(("text", body[position:match.start()]))
        pieces.append(("link", match.group().rstrip(".,;)")))
        pieces.append(("text", match.group()[len(pieces[-1][1]):]))
        position = match.end()
    pieces.append(("text", body[position:]))
    headers = [(key, message.get(key, "")) for key in ("Subject", "From", "To", "Date")]
    return {"name": name, "headers": headers, "pieces": pieces}


def includeme(config):
    if not config.get_settings().get("cortege.development_pages"):
        return
    config.add_route("styleguide", "/_styleguide")
    config.add_route("dev_mail", "/_mail")
    config.add_route("dev_mail_message", "/_mail/{name}")
    config.scan("core.devpages")
