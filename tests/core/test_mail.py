"""Mail: in the recipient's language, as plain text, sent only once the transaction commits."""

import email
import email.policy
import logging
import socket

import pytest
from pyramid.paster import get_appsettings

from core import make_config
from core.i18n import _

TEMPLATE = "tests.core:templates/greeting.txt.jinja2"
FRENCH_BODY = ("Bienvenue, Camille\n\n"
               "S'inscrire sur ce réseau ne vaut pas adhésion à un parti ou à une organisation.")


def send_greeting(request, locale=None):
    request.send_mail("camille@example.org", _("Your account"), TEMPLATE, {"name": "Camille"},
                      locale=locale)


def text_parts(mime) -> list:
    return [part for part in mime.walk() if not part.is_multipart()]


def test_mail_goes_in_the_recipients_language_after_commit(make_request, outbox):
    request = make_request()
    assert request.locale_name == "en"
    send_greeting(request, locale="fr")
    assert outbox == [], "nothing leaves before the transaction commits"
    assert request.locale_name == "en" and request.localizer.locale_name == "en"
    request.tm.commit()
    [message] = outbox
    assert message.recipients == ["camille@example.org"]
    assert message.sender == "cortege@example.org"
    assert message.subject == "[Cortège] Votre compte"
    assert message.body.strip() == FRENCH_BODY
    [part] = text_parts(message.to_message())
    assert part.get_content_type() == "text/plain"
    assert part.get_payload(decode=True).decode(part.get_content_charset()).strip() == FRENCH_BODY


def test_mail_without_a_locale_uses_the_requests(make_request, outbox):
    request = make_request(headers={"Accept-Language": "en"})
    send_greeting(request)
    request.tm.commit()
    [message] = outbox
    assert message.subject == "[Cortège] Your account"
    assert message.body.startswith("Welcome, Camille")


def test_plain_text_is_not_html_escaped(make_request, outbox):
    request = make_request()
    request.send_mail("camille@example.org", _("Your account"), TEMPLATE,
                      {"name": "Camille & Dominique <CD>"}, locale="en")
    request.tm.commit()
    assert outbox[0].body.startswith("Welcome, Camille & Dominique <CD>\n")


def test_aborted_transaction_sends_nothing(make_request, outbox):
    request = make_request()
    send_greeting(request, locale="fr")
    request.tm.abort()
    assert outbox == []


class Recorder:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, recorder
    finally:
        controller.stop()


def test_smtp_delivery_with_the_production_settings(smtp_server, production_settings,
                                                    cortege_engine, make_request):
    controller, recorder = smtp_server
    settings = production_settings()
    assert settings["cortege.mail_backend"] == "smtp"
    settings.update({"mail.host": controller.hostname, "mail.port": str(controller.port),
                     "cortege.queue_url": "immediate:"})
    app = make_config(settings, engine=cortege_engine).make_wsgi_app()
    request = make_request(app=app)
    send_greeting(request, locale="fr")
    request.tm.commit()
    [envelope] = recorder.envelopes
    assert envelope.mail_from == settings["mail.default_sender"]
    assert envelope.rcpt_tos == ["camille@example.org"]
    received = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert received["To"] == "camille@example.org"
    assert received["Subject"] == "[Cortège] Votre compte"
    assert received.get_body(("plain",)).get_content().strip() == FRENCH_BODY


def test_smtp_server_away_does_not_undo_the_request(production_settings, cortege_engine,
                                                   make_request, caplog):
    settings = production_settings()
    settings.update({"mail.host": "127.0.0.1", "mail.port": str(free_port()),  # nobody there
                     "cortege.queue_url": "immediate:"})
    app = make_config(settings, engine=cortege_engine).make_wsgi_app()
    request = make_request(app=app)
    send_greeting(request)
    with caplog.at_level(logging.ERROR):
        request.tm.commit()  # the data is kept; the failed delivery is logged
    assert any(record.exc_info and issubclass(record.exc_info[0], OSError)
               for record in caplog.records)


def test_file_backend_writes_to_the_directory_of_the_ini(tmp_path, cortege_database_url,
                                                         cortege_engine, make_request):
    ini = tmp_path / "site.ini"
    ini.write_text(
        "[app:main]\n"
        "use = egg:cortege\n"
        f"sqlalchemy.url = {cortege_database_url}\n"
        "cortege.session_secret = file-backend-secret-" + "f" * 32 + "\n"
        "cortege.mail_backend = file\n"
        "cortege.mail_directory = %(here)s/outgoing\n"
        "cortege.queue_url = immediate:\n"
        f"cortege.uploads_directory = {tmp_path}/uploads\n"
        "mail.default_sender = cortege@example.org\n",
        encoding="utf-8",
    )
    settings = dict(get_appsettings(str(ini), name="main"))
    app = make_config(settings, engine=cortege_engine).make_wsgi_app()
    request = make_request(app=app)
    send_greeting(request, locale="fr")
    outgoing = tmp_path / "outgoing"
    assert list(outgoing.iterdir()) == []  # the folder exists from start-up, empty until commit
    request.tm.commit()
    [written] = list(outgoing.iterdir())
    saved = email.message_from_string(written.read_text(), policy=email.policy.default)
    assert saved["To"] == "camille@example.org"
    assert saved.get_body(("plain",)).get_content().strip() == FRENCH_BODY


def test_the_subject_is_never_formatted(make_request, outbox):
    request = make_request()
    member_text = "{name} {0} ${name} %s %(name)s"
    request.send_mail("camille@example.org", _("About ${title}", mapping={"title": member_text}),
                      TEMPLATE, {"name": "Camille"}, locale="fr")
    request.send_mail("camille@example.org", "Plain {name}\r\nBcc: someone@example.org",
                      TEMPLATE, {"name": "Camille"}, locale="en")
    request.tm.commit()
    assert [message.subject for message in outbox] == [
        "[Cortège] About {name} {0} ${name} %s %(name)s",
        "[Cortège] Plain {name} Bcc: someone@example.org"]
