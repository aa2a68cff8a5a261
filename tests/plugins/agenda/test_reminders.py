"""Reminders: the periodic task ``agenda.remind`` (and ``cortege agenda remind INI`` by hand)
queues them once for each person going, a configurable number of hours before; the worker
writes them in their language and time zone, with links from ``cortege.site_url``."""

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
        f"cortege.queue_url = sqlite:///{path.parent / 'queue.sqlite'}\n"
        "cortege.site_url = https://cortege.example.org\nagenda.reminder_hours = 24\n",
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
    assert "1 reminder(s) queued" in capsys.readouterr().out
    assert mails(tmp_path / "mail") == []  # the worker writes it
    assert cortege(["worker", str(ini), "--drain"]) == 0
    (sent,) = mails(tmp_path / "mail")
    recipient, subject, body = sent
    assert recipient == "camille@example.org" and subject.endswith("Rappel : Soon")
    montreal = soon_start.astimezone(zoneinfo.ZoneInfo("America/Montreal"))
    assert f"{montreal:%H:%M}" in body and "Salle des fêtes" in body
    assert f"https://cortege.example.org/agenda/{soon_id}" in body
    # Never twice.
    assert cortege(["agenda", "remind", str(ini)]) == 0
    assert "0 reminder(s) queued" in capsys.readouterr().out
    assert cortege(["worker", str(ini), "--drain"]) == 0
    assert len(mails(tmp_path / "mail")) == 1
    engine.dispose()


def test_the_command_says_when_the_agenda_is_off(tmp_path, scratch_database_url, capsys):
    ini = write_ini(tmp_path / "site.ini", scratch_database_url, tmp_path / "mail")
    ini.write_text(ini.read_text().replace("cortege.plugins = agenda", "cortege.plugins ="))
    assert cortege(["db", "upgrade", str(ini)]) == 0
    assert cortege(["agenda", "remind", str(ini)]) == 1
    assert "add agenda to cortege.plugins" in capsys.readouterr().err


def test_the_worker_reminds_on_its_own(registry):
    """The reminders are a periodic task of the worker, every five minutes."""
    from core.extensions import registered_map
    from core.jobs import PERIODIC_TASKS

    task = registered_map(registry, PERIODIC_TASKS)["agenda.remind"]
    assert task.schedule == {"minute": "*/5"}
    assert "agenda.remind" in registry["cortege.huey_tasks"]


def test_the_periodic_task_queues_the_reminders_due(registry, make_user, make_event,
                                                    make_rsvp, outbox):
    from core.jobs import job_request
    from plugins.agenda.notices import remind

    going = make_user("going")
    soon = make_event(title="Soon", starts_at=utcnow() + dt.timedelta(hours=2))
    later = make_event(title="Later", starts_at=utcnow() + dt.timedelta(hours=30))
    make_rsvp(soon, going)
    make_rsvp(later, going)
    with job_request(registry) as request, request.tm:
        remind(request)
    assert [(m.recipients, m.subject) for m in outbox] == [
        (["going@example.org"], "[Cortège] Reminder: Soon")]
    assert f"http://localhost:6543/agenda/{soon.id}" in outbox[0].body
