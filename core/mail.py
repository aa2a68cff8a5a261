"""Email: files under var/mail in development, SMTP in production, memory in tests.

Mail is written in the recipient's language during the request and sent by a job once the
request's transaction commits (see ``core.jobs``), so an aborted request sends nothing, a
slow or failing mail server slows no page, and a failed sending is tried again.

Member text (a topic title, a group name, a display name) reaches a mail only as a value:
in the body as a variable of the template, in the subject through the ``${name}`` mapping of
a TranslationString, which is filled once. Nothing here formats a string, so text such as
``{author.email}`` or ``%s`` in a title is mailed as it was written.
"""

from __future__ import annotations

import contextlib
import logging
import os

from pyramid.i18n import TranslationString
from pyramid.renderers import render
from pyramid_mailer import mailer_factory_from_settings
from pyramid_mailer.interfaces import IMailer
from pyramid_mailer.mailer import DebugMailer, DummyMailer
from pyramid_mailer.message import Message

from core.i18n import french_register, make_localizer
from core.jobs import defer

log = logging.getLogger(__name__)
MAIL_TASK = "cortege.mail"


def recipient_locale(settings, user) -> str:
    """The language to write to ``user`` in: theirs when the site speaks it (one of
    ``cortege.locales``), else the site's (``pyramid.default_locale_name``)."""
    locale = getattr(user, "locale", None)
    return locale if locale in settings["cortege.locales"] else \
        settings["pyramid.default_locale_name"]


@contextlib.contextmanager
def language(request, locale: str | None, register: str | None = None):
    """Render inside the block in ``locale`` (the recipient's language) and, for French, in
    ``register`` (``vous`` or ``tu``: the recipient's, see ``core.i18n.french_register``;
    the request's own by default)."""
    if (not locale or locale == request.locale_name) and register is None:
        yield
        return
    locale = locale or request.locale_name
    register = register or french_register(request)
    saved = request.__dict__.get("localizer"), request.__dict__.get("locale_name")
    request.__dict__["localizer"] = make_localizer(request.registry, locale, register)
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
              locale: str | None = None, *, user_id: int | None = None,
              about: tuple[str, int] | None = None, headers: dict | None = None,
              register: str | None = None) -> None:
    """Write ``template`` (``<plugin>/<name>.txt.jinja2``) for ``recipient`` in ``locale`` and
    queue it: it leaves once the transaction commits, from a worker, retried when the mail
    server fails.

    ``subject`` is a translation string whose ``${name}`` placeholders are filled from its own
    mapping, once: member text goes in the mapping, never in the message itself, and nothing
    else formats it. With ``user_id``, the mail is dropped at send time if that member can no
    longer receive mail (suspended, deleted, address changed); with ``about`` (a content type
    and an id, see ``core.content``), also if they may no longer see that content.
    ``headers`` adds header lines (``List-Unsubscribe``...): plain ASCII values, never member
    text.

    French mail is written in the recipient's register (``vous`` or ``tu``): ``register``,
    else that of the member ``user_id``, else the site's.
    """
    values = dict(values or {})
    if register is None:
        from core.accounts.models import User

        member = request.dbsession.get(User, user_id) if user_id is not None else None
        register = french_register(request, member)
    with language(request, locale, register):
        text = render(template, values, request=request)
        subject_text = subject_line(request, subject)
        site_name = request.site_settings.site_name
    message = {
        "to": recipient,
        "subject": f"[{site_name}] {subject_text}",
        "body": text,
        "user_id": user_id,
        "about": list(about) if about else None,
    }
    if headers:
        message["headers"] = {str(name): str(value) for name, value in headers.items()}
    defer(request, MAIL_TASK, message, summary=f"{recipient}: {subject_text}")


def deliver(request, to: str, subject: str, body: str, user_id: int | None = None,
            about: list | None = None, headers: dict | None = None) -> None:
    """The mail job: check that the recipient may still have it, then hand it to the mail
    server. A recipient the server refuses is recorded (the job is refused, not retried);
    any other failure is retried."""
    import smtplib

    from core.accounts.models import User
    from core.jobs import JobRefused

    if user_id is not None:
        user = request.dbsession.get(User, user_id)
        if user is None or not user.can_log_in or user.email != to:
            log.info("mail to member %s dropped: the account changed since it was written",
                     user_id)
            return
        if about:
            from core.content import may_see

            if not may_see(request, about[0], about[1], user):
                log.info("mail to member %s dropped: they may no longer see %s %s", user_id,
                         about[0], about[1])
                return
    message = Message(
        subject=subject,
        recipients=[to],
        body=body,
        sender=request.registry.settings.get("mail.default_sender", "cortege@localhost"),
        extra_headers=dict(headers or {}),
    )
    try:
        request.registry.getUtility(IMailer).send_immediately(message, fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        raise JobRefused(f"the mail server refused {to}: {exc.recipients}") from None


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
    config.add_request_method(send_mail, "send_mail")
