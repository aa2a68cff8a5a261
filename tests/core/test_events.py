"""Domain events and jobs: published with the change, delivered after commit, once, retried
when a subscriber fails, never undoing the request; mail checked again when it leaves."""

import datetime as dt

import pytest
from cortege_samples.notes.models import Note
from sqlalchemy import select, update

from core.events import StoredEvent
from core.jobs import DEAD, DONE, PENDING, REFUSED, Job, backoff, run_job, sweep

pytestmark = pytest.mark.usefixtures("outbox")


@pytest.fixture
def cortege_plugins():
    return ["notes"]


@pytest.fixture
def csrf_post(login):
    def post(user, body, status=303):
        browser = login(user)
        page = browser.get("/account")
        token = page.html.select_one('input[name="csrf_token"]')["value"]
        return browser.post("/notes", {"body": body, "csrf_token": token}, status=status)

    return post


def jobs(dbsession, **where):
    query = select(Job).order_by(Job.id)
    for name, value in where.items():
        query = query.where(getattr(Job, name) == value)
    return dbsession.scalars(query).all()


def test_an_event_reaches_each_subscriber_once_after_commit(make_user, csrf_post, dbsession,
                                                            outbox, registry):
    author = make_user(display_name="Ana {0} {{ 7*7 }}")
    csrf_post(author, "Bring leaflets")
    note = dbsession.scalars(select(Note)).one()
    assert note.body == "Bring leaflets ✓"  # the subscriber ran after the commit
    [stored] = dbsession.scalars(select(StoredEvent)).all()
    assert stored.name == "notes.added" and stored.actor_id == author.id
    assert stored.payload == {"actor_id": author.id, "note_id": note.id}
    deliveries = jobs(dbsession, task="cortege.deliver_event")
    assert sorted(job.key for job in deliveries) == [
        f"event:{stored.id}:notes.fragile", f"event:{stored.id}:notes.thank_the_author"]
    assert {job.status for job in deliveries} == {DONE}
    [mail] = outbox
    assert mail.recipients == [author.email]
    assert "Ana {0} {{ 7*7 }}" in mail.body and "49" not in mail.body
    # Delivering again does nothing: the delivery is done.
    assert all(run_job(registry, job.id) is None for job in deliveries)
    assert len(outbox) == 1
    assert dbsession.scalars(select(Note.body)).one() == "Bring leaflets ✓"


def test_a_synchronous_subscriber_refuses_inside_the_transaction(make_user, csrf_post,
                                                                 dbsession, outbox):
    page = csrf_post(make_user(), "STOP SHOUTING", status=400)
    assert "Please do not shout." in page.text
    assert dbsession.scalars(select(Note)).all() == []
    assert dbsession.scalars(select(StoredEvent)).all() == []
    assert jobs(dbsession) == [] and outbox == []


def test_a_failing_subscriber_is_retried_later_and_never_undoes_the_request(
        make_user, csrf_post, dbsession, registry, outbox):
    csrf_post(make_user(), "please fail")
    assert dbsession.scalars(select(Note.body)).one() == "please fail"  # kept
    [job] = jobs(dbsession, key=f"event:{dbsession.scalar(select(StoredEvent.id))}:notes.fragile")
    assert job.status == PENDING and job.attempts == 1 and "as asked" in job.last_error
    assert job.run_after > job.created_at + dt.timedelta(seconds=backoff(1) - 5)
    assert len(outbox) == 1  # the other subscriber went on
    # Not before its time...
    assert run_job(registry, job.id) is None
    # ...then again until it is dead (max_attempts=3), each time later.
    for attempt in (2, 3):
        dbsession.execute(update(Job).where(Job.id == job.id)
                          .values(run_after=job.created_at - dt.timedelta(minutes=1)))
        status = run_job(registry, job.id)
        assert status == (PENDING if attempt < 3 else DEAD)
    dbsession.expire_all()
    assert dbsession.get(Job, job.id).attempts == 3


def test_the_sweeper_hands_over_jobs_whose_message_was_lost(make_user, csrf_post, dbsession,
                                                            registry, outbox):
    csrf_post(make_user(), "please fail")
    [job] = jobs(dbsession, status=PENDING)
    past = job.created_at - dt.timedelta(minutes=1)
    dbsession.execute(update(Job).where(Job.id == job.id).values(run_after=past))
    assert sweep(registry) == 1  # handed over, run (and failed again)
    dbsession.expire_all()
    assert dbsession.get(Job, job.id).attempts == 2
    # A job claimed by a worker that died is taken again once its claim lapses.
    dbsession.execute(update(Job).where(Job.id == job.id).values(
        status="running", lease_until=past, run_after=past))
    assert sweep(registry) == 1
    dbsession.expire_all()
    assert dbsession.get(Job, job.id).attempts == 3


def test_mail_is_dropped_when_its_reader_may_no_longer_see_what_it_is_about(
        make_user, dbsession, registry, outbox):
    from core.jobs import job_request

    author = make_user()
    note = Note(author_id=author.id, body="secret plan")
    dbsession.add(note)
    dbsession.flush()
    with job_request(registry) as request, request.tm:
        from cortege_samples.notes.events import NoteAdded, thank_the_author

        thank_the_author(request, NoteAdded(actor_id=author.id, note_id=note.id))
    assert outbox == []  # a member may not see a "secret" note: no mail about it
    note.body = "open plan"
    dbsession.flush()
    with job_request(registry) as request, request.tm:
        thank_the_author(request, NoteAdded(actor_id=author.id, note_id=note.id))
    assert [m.recipients for m in outbox] == [[author.email]]
    # A suspended member gets nothing, whatever it is about.
    author.status = "suspended"
    dbsession.flush()
    with job_request(registry) as request, request.tm:
        thank_the_author(request, NoteAdded(actor_id=author.id, note_id=note.id))
    assert len(outbox) == 1


def test_an_undeclared_event_is_refused_with_the_fix(registry, connection):
    from dataclasses import dataclass

    from core.events import DomainEvent, publish
    from core.jobs import job_request

    @dataclass(frozen=True, kw_only=True)
    class Stray(DomainEvent):
        name = "notes.stray"

    with job_request(registry) as request, pytest.raises(LookupError, match="add_domain_event"):
        publish(request, Stray())


def test_registrations_are_listed_for_admins(make_user, login):
    page = login(make_user(role="admin")).get("/admin/plugins")
    for name in ("notes.added", "notes.thank_the_author", "notes.refuse_shouting",
                 "notes.note", "cortege.mail", "cortege.deliver_event"):
        assert name in page.text


def test_a_refused_recipient_is_kept_for_admins_and_can_be_tried_again(
        make_user, login, dbsession, registry):
    from core.jobs import defer, job_request

    with job_request(registry) as request, request.tm:
        defer(request, "cortege.deliver_event", {"event_id": 999999, "subscriber": "nobody"},
              summary="a delivery to nobody")
    [job] = jobs(dbsession)
    assert job.status == REFUSED
    admin = login(make_user(role="admin"))
    page = admin.get("/admin/queue")
    assert "a delivery to nobody" in page.text and "nobody" in page.text
    form = page.forms[f"retry-{job.id}"]
    form.submit(status=303)
    dbsession.expire_all()
    assert dbsession.get(Job, job.id).status == REFUSED  # refused again, attempts counted
    assert dbsession.get(Job, job.id).attempts == 1
    login(make_user()).get("/admin/queue", status=403)
