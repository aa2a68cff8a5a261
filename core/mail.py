"""Email: files under var/mail in development, SMTP in production, memory in tests.

Mail is written in the recipient's language and sent when the request's transaction
commits, so an aborted request sends nothing.

Member text (a topic title, a group name, a display name) reaches a mail only as a value:
in the body as a variable of the template, in the subject through the ``${name}`` mapping of
a TranslationString, which is filled once. Nothing here formats a string, so text such as
``{author.email}`` or ``%s`` in a title is mailed as it was written.
"""

from __future__ import annotations

import contextlib
import os

from pyramid.i18n import TranslationString, make_localizer
from pyramid.interfaces import ITranslationDirectories
from pyramid.renderers import render
from pyramid_mailer import mailer_factory_from_settings
from pyramid_mailer.interfaces import IMailer
from pyramid_mailer.mailer import DebugMailer, DummyMailer
from pyramid_mailer.message import Message


@contextlib.contextmanager
def language(request, locale: str | None):
    """Render inside the block in ``locale`` (the recipient's language)."""
    if not locale or locale == request.locale_name:
        yield
        return
    saved = request.__dict__.get("localizer"), request.__dict__.get("locale_name")
    directories = request.registry.queryUtility(ITranslationDirectories, default=[])
    request.__dict__["localizer"] = make_localizer(locale, directories)
    request.__dict__["locale_name"] = locale
    try:
        yield
    finally:
        for key, value in zip(("localizer", "locale_name"), saved):
            if value is None:
                request.__dict__.pop(key, None)
            else:
                request.__dict__[key] = value


def subject_line(request, subject) -> str:
    """The subject in the current language: a TranslationString is translated and its
    ``${name}`` mapping filled once; a plain string is taken as it is. Never formatted
    further, and on one line."""
    if isinstance(subject, TranslationString):
        subject = request.localizer.translate(subject)
    return " ".join(str(subject).split())


def send_mail(request, recipient: str, subject, template: str, values: dict | None = None,
              locale: str | None = None) -> None:
    """Send ``template`` (``<plugin>/<name>.txt.jinja2``) to ``recipient`` in ``locale``.

    ``subject`` is a TranslationString whose mapping holds the member values
    (``_("New post in ${title}", mapping={"title": topic.title})``) or a plain string;
    ``values`` are the template's variables. Neither is ever used as a format string.
    """
    with language(request, locale):
        text = render(template, dict(values or {}), request=request)
        subject_text = subject_line(request, subject)
        site_name = request.site_settings.site_name
    message = Message(
        subject=f"[{site_name}] {subject_text}",
        recipients=[recipient],
        body=text,
        sender=request.registry.settings.get("mail.default_sender", "cortege@localhost"),
    )
    request.mailer.send(message)


class TransactionalMailer:
    """Sends each message once the request's transaction has committed, never before."""

    def __init__(self, mailer, transaction_manager):
        self.mailer = mailer
        self.tm = transaction_manager

    def send(self, message: Message) -> None:
        def deliver(committed: bool) -> None:
            if committed:
                self.mailer.send_immediately(message)

        self.tm.get().addAfterCommitHook(deliver)


def _mailer(request):
    return TransactionalMailer(request.registry.getUtility(IMailer), request.tm)


def includeme(config):
    settings = config.get_settings()
    backend = settings["cortege.mail_backend"]
    if backend == "smtp":
        mailer = mailer_factory_from_settings(settings, prefix="mail.")
    elif backend == "memory":
        mailer = DummyMailer()
    else:
        directory = os.path.abspath(settings["cortege.mail_directory"])
        os.makedirs(directory, exist_ok=True)
        mailer = DebugMailer(directory)
    config.registry.registerUtility(mailer, IMailer)
    config.add_request_method(_mailer, "mailer", reify=True)
    config.add_request_method(send_mail, "send_mail")
