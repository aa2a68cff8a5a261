"""Reminders: ``cortege agenda remind INI`` writes once to each person going, in their
language and time zone, a configurable number of hours before."""

import datetime as dt
import email
import zoneinfo
from email.header import decode_header, make_header

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from core.accounts.models import User
from core.cli import main as cortege
from core.db import normalise_url, utcnow
from plugins.agenda.models import CANCELLED, GOING, NOT_GOING, Event, EventType, Rsvp


def write_ini(path, url, mail_directory):
    path.write_text(
        "[app:main]\nuse = egg:cortege\n"
        f"sqlalchemy.url = {url}\ncortege.plugins = agenda\n"
        "cortege.session_secret = test-secret-for-the-command-line\n"
        f"cortege.mail_backend = file\ncortege.mail_directory = {mail_directory}\n"
        "agenda.reminder_hours = 24\nagenda.site_url = https://cortege.example.org\n",
        encoding="utf-8")
    return path


def mails(folder):
    found = []
    for path in sorted(folder.iterdir()) if folder.exists() else []:
        message = email.message_from_bytes(path.read_bytes())
        part = next(part for part in message.walk() if part.get_content_type() == "text/plain")
        body = part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
        found.append((message["To"], str(make_header(decode_header(message["Subject"]))),
                      body))
    return found


def test_reminders_go_once_to_those_going_within_the_window(tmp_path, scratch_database_url,
                                                            capsys):
    ini = write_ini(tmp_path / "site.ini", scratch_database_url, tmp_path / "mail")
    assert cortege(["db", "upgrade", str(ini)]) == 0
    engine = create_engine(normalise_url(scratch_database_url))
    now = utcnow()
    with Session(engine) as session:
        type_id = session.scalar(select(EventType.id).limit(1))

        def person(name, **values):
            user = User(username=name, username_key=name, email=f"{name}@example.org",
                        email_key=f"{name}@example.org", display_name=name.title(),
                        **values)
            session.add(user)
            return user

        def event(title, hours, **values):
            start = now + dt.timedelta(hours=hours)
            item = Event(title=title, type_id=type_id, starts_at=start, timezone="Europe/Paris",
                         ends_at=start + dt.timedelta(hours=1), city="Lyon", city_key="lyon",
                         venue="Salle des fêtes", **values)
            session.add(item)
            return item

        camille = person("camille", locale="fr", timezone="America/Montreal")
        sacha, gone = person("sacha"), person("gone", status="suspended")
        soon, later = event("Soon", 5), event("Later", 30)
        cancelled = event("Cancelled", 3, status=CANCELLED)
        session.flush()
        for user, item, status in ((camille, soon, GOING), (sacha, soon, NOT_GOING),
                                   (gone, soon, GOING), (camille, later, GOING),
                                   (sacha, cancelled, GOING)):
            session.add(Rsvp(event_id=item.id, user_id=user.id, status=status))
        session.commit()
        soon_id, soon_start = soon.id, soon.starts_at
    capsys.readouterr()
    assert cortege(["agenda", "remind", str(ini)]) == 0
    assert "1 reminder(s) sent." in capsys.readouterr().out
    (sent,) = mails(tmp_path / "mail")
    recipient, subject, body = sent
    assert recipient == "camille@example.org" and subject.endswith("Rappel : Soon")
    montreal = soon_start.astimezone(zoneinfo.ZoneInfo("America/Montreal"))
    assert f"{montreal:%H:%M}" in body and "Salle des fêtes" in body
    assert f"https://cortege.example.org/agenda/{soon_id}" in body
    # Never twice.
    assert cortege(["agenda", "remind", str(ini)]) == 0
    assert "0 reminder(s) sent." in capsys.readouterr().out
    assert len(mails(tmp_path / "mail")) == 1
    engine.dispose()


def test_the_command_says_when_the_agenda_is_off(tmp_path, scratch_database_url, capsys):
    ini = write_ini(tmp_path / "site.ini", scratch_database_url, tmp_path / "mail")
    ini.write_text(ini.read_text().replace("cortege.plugins = agenda", "cortege.plugins ="))
    assert cortege(["agenda", "remind", str(ini)]) == 1
    assert "add agenda to cortege.plugins" in capsys.readouterr().err
