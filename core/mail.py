"""Email: files under var/mail in development, SMTP in production, memory in tests.

Mail is written in the recipient's language and sent when the request's transaction
commits, so an aborted request sends nothing.
"""

from __future__ import annotations

import contextlib
import os

from pyramid.i18n import make_localizer
from pyramid.interfaces import ITranslationDirectories
from pyramid.renderers import render
from pyramid_mailer import mailer_factory_from_settings
from pyramid_mailer.interfaces import IMailer
from pyramid_mailer.mailer import DebugMailer, DummyMailer
from pyramid_mailer.message import Message

from core.i18n import translate


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


def send_mail(request, recipient: str, subject, template: str, values: dict | None = None,
              locale: str | None = None) -> None:
    """Send ``template`` (``<plugin>/<name>.txt.jinja2``) to ``recipient`` in ``locale``."""
    values = dict(values or {})
    with language(request, locale):
        text = render(template, values, request=request)
        subject_text = translate(request, subject)
        if isinstance(subject_text, str) and values:
            with contextlib.suppress(KeyError, ValueError, TypeError):
                subject_text = subject_text.format(**values)
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
