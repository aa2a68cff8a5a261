"""RSVPs: capacity with guests, the waitlist and its automatic promotion, deadlines."""

import datetime as dt
import os
import threading

import pytest
from sqlalchemy import select

from core.db import utcnow
from plugins.agenda.models import GOING, NOT_GOING, WAITLIST, Event, Rsvp


def answer(browser, event, status="going", guests=0, follow=True):
    form = browser.get(f"/agenda/{event.id}").forms["rsvp-form"]
    form["status"] = status
    form["guests"] = str(guests)
    response = form.submit(status=303)
    return response.follow() if follow else response


def statuses(dbsession, event):
    dbsession.expire_all()
    rows = dbsession.execute(select(Rsvp.user_id, Rsvp.status).where(Rsvp.event_id == event.id))
    return dict(rows.all())


def test_going_with_guests_then_full_then_waitlist(login, make_user, make_event, dbsession):
    event = make_event(capacity=3)
    first, second, third = make_user(), make_user(), make_user()
    page = answer(login(first), event, guests=1)
    assert page.html.select_one("#rsvp-status").text.strip() == "You are going. With 1 guest."
    assert "2 taken of 3" in page.html.select_one("#places").text
    # Two seats asked, one left: the second member waits rather than overfilling.
    page = answer(login(second), event, guests=1)
    assert "on the waitlist" in page.html.select_one(".flash").text
    assert page.html.select_one("#rsvp-status").text.strip() == \
        "You are on the waitlist, number 1."
    answer(login(third), event)
    assert statuses(dbsession, event) == {first.id: GOING, second.id: WAITLIST,
                                          third.id: GOING}
    dbsession.refresh(event)
    assert event.seats_taken == 3


def test_a_cancellation_promotes_the_next_in_line_and_tells_them(login, make_user, make_event,
                                                                 dbsession, outbox):
    event = make_event(capacity=1, title="Phone bank")
    going, waiting, later = make_user(), make_user("waiting", locale="fr"), make_user()
    going_browser = login(going)
    answer(going_browser, event)
    answer(login(waiting), event)
    answer(login(later), event)
    assert statuses(dbsession, event)[waiting.id] == WAITLIST
    outbox.clear()
    answer(going_browser, event, "not_going")
    assert statuses(dbsession, event) == {going.id: NOT_GOING, waiting.id: GOING,
                                          later.id: WAITLIST}
    assert [m.recipients for m in outbox] == [["waiting@example.org"]]
    assert "Phone bank" in outbox[0].subject
    assert f"/agenda/{event.id}" in outbox[0].body


def test_fewer_guests_free_places_for_the_waitlist(login, make_user, make_event, dbsession,
                                                   outbox):
    event = make_event(capacity=3)
    host, waiting = make_user(), make_user("waiting")
    host_browser = login(host)
    answer(host_browser, event, guests=2)
    answer(login(waiting), event)
    assert statuses(dbsession, event)[waiting.id] == WAITLIST
    answer(host_browser, event, guests=1)
    assert statuses(dbsession, event) == {host.id: GOING, waiting.id: GOING}
    assert ["waiting@example.org"] in [m.recipients for m in outbox]


def test_more_capacity_promotes_in_order_and_guests_wait_their_turn(login, make_user,
                                                                    make_event, dbsession,
                                                                    outbox):
    organiser = make_user()
    event = make_event(organiser, capacity=1)
    members = [make_user() for _ in range(4)]
    answer(login(members[0]), event)
    answer(login(members[1]), event, guests=2)  # needs three places
    answer(login(members[2]), event)
    answer(login(members[3]), event)
    outbox.clear()
    form = login(organiser).get(f"/agenda/{event.id}/edit").forms["event-form"]
    form["capacity"] = "3"
    form.submit(status=303)
    # Two places opened; the first in line needs three: nobody jumps the queue.
    assert [s for s in statuses(dbsession, event).values()].count(GOING) == 1
    form = login(organiser).get(f"/agenda/{event.id}/edit").forms["event-form"]
    form["capacity"] = "6"
    form.submit(status=303)
    result = statuses(dbsession, event)
    assert [result[m.id] for m in members] == [GOING, GOING, GOING, GOING]
    dbsession.refresh(event)
    assert event.seats_taken == 6
    assert len(outbox) == 3


def test_answers_close_at_the_deadline_and_when_the_event_started(login, make_user,
                                                                  make_event):
    closed = make_event(rsvp_deadline=utcnow() - dt.timedelta(hours=1))
    started = make_event(starts_at=utcnow() - dt.timedelta(minutes=5))
    browser = login(make_user())
    page = browser.get(f"/agenda/{closed.id}")
    assert page.html.select_one("#rsvp-closed").text == \
        "Answers closed on the organisers' deadline."
    assert "rsvp-form" not in page.forms
    csrf = page.html.select_one('input[name="csrf_token"]')["value"]  # the logout form's
    response = browser.post(f"/agenda/{closed.id}/rsvp",
                            {"csrf_token": csrf, "status": "going", "guests": "0"}).follow()
    assert "Answers closed" in response.html.select_one(".flash").text
    assert "already started" in browser.get(f"/agenda/{started.id}").html.select_one(
        "#rsvp-closed").text


def test_too_many_guests_is_refused(login, make_user, make_event, dbsession):
    event = make_event()
    page = answer(login(make_user()), event, guests=12)
    assert "0 to 9 guests" in page.html.select_one(".flash").text
    assert statuses(dbsession, event) == {}


def test_the_organiser_sees_attendees_and_exports_them(login, make_user, make_event):
    organiser = make_user()
    event = make_event(organiser, capacity=1)
    answer(login(make_user("camille", display_name="Camille Martin")), event, guests=0)
    answer(login(make_user("formula", display_name="=HYPERLINK(1)")), event)
    answer(login(make_user("sacha", display_name="Sacha Petit")), event)
    page = login(organiser).get(f"/agenda/{event.id}")
    names = [li.text.split("·")[0].strip() for li in page.html.select("#attendees li")]
    assert names == ["Camille Martin", "=HYPERLINK(1)", "Sacha Petit"]
    csv_text = login(organiser).get(f"/agenda/{event.id}/attendees.csv").text
    assert "Camille Martin,camille,camille@example.org,Going,0" in csv_text
    assert "Sacha Petit,sacha,sacha@example.org,Waitlist,0" in csv_text
    assert "'=HYPERLINK(1),formula" in csv_text  # a spreadsheet shows it as text
    # Other members see no list unless the event shows it, and then only who is going.
    other = login(make_user())
    assert other.get(f"/agenda/{event.id}").html.select_one("#attendees") is None


def test_check_in_after_the_event(login, make_user, make_event, dbsession):
    organiser, member = make_user(), make_user()
    event = make_event(organiser)
    answer(login(member), event)
    event.starts_at = utcnow() - dt.timedelta(hours=3)
    event.ends_at = utcnow() - dt.timedelta(hours=1)
    dbsession.flush()
    browser = login(organiser)
    page = browser.get(f"/agenda/{event.id}")
    page.forms[next(k for k in page.forms if page.forms[k].action.endswith("/checkin"))
               ].submit(status=303)
    dbsession.expire_all()
    rsvp = dbsession.scalar(select(Rsvp).where(Rsvp.event_id == event.id))
    assert rsvp.checked_in_at is not None


@pytest.mark.skipif(not os.environ.get("CORTEGE_TEST_DATABASE_URL"),
                    reason="concurrent transactions need PostgreSQL")
def test_capacity_holds_under_concurrent_answers(cortege_engine, app):
    """Twelve members answer at once for five places: five go, seven wait, none too many."""
    from pyramid.request import Request
    from pyramid.scripting import prepare
    from sqlalchemy.orm import Session

    from core.accounts.models import User
    from plugins.agenda.interfaces import IAgendaService
    from plugins.agenda.models import EventType

    with Session(cortege_engine) as session:
        type_id = session.scalar(select(EventType.id).limit(1))
        users = [User(username=f"race{n}", username_key=f"race{n}", email=f"race{n}@x.org",
                      email_key=f"race{n}@x.org", display_name=f"Race {n}")
                 for n in range(12)]
        session.add_all(users)
        start = utcnow() + dt.timedelta(days=2)
        event = Event(title="Race", type_id=type_id, starts_at=start,
                      ends_at=start + dt.timedelta(hours=1), timezone="UTC", capacity=5,
                      city="Lyon", city_key="lyon")
        session.add(event)
        session.commit()
        user_ids, event_id = [u.id for u in users], event.id
    barrier = threading.Barrier(len(user_ids))
    errors = []

    def take_a_place(user_id):
        request = Request.blank("/", environ={"HTTP_HOST": "localhost"})
        env = prepare(request=request, registry=app.registry)
        try:
            barrier.wait()
            with request.tm:
                service = request.find_service(IAgendaService)
                user = request.dbsession.get(User, user_id)
                service.answer(request.dbsession.get(Event, event_id), user, GOING)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            env["closer"]()

    threads = [threading.Thread(target=take_a_place, args=(uid,)) for uid in user_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    try:
        assert errors == []
        with Session(cortege_engine) as session:
            going = session.scalars(select(Rsvp).where(Rsvp.event_id == event_id,
                                                       Rsvp.status == GOING)).all()
            waiting = session.scalars(select(Rsvp).where(Rsvp.event_id == event_id,
                                                         Rsvp.status == WAITLIST)).all()
            assert len(going) == 5 and len(waiting) == 7
            assert session.get(Event, event_id).seats_taken == 5
    finally:
        with Session(cortege_engine) as session:
            session.execute(Rsvp.__table__.delete().where(Rsvp.event_id == event_id))
            session.execute(Event.__table__.delete().where(Event.id == event_id))
            session.execute(User.__table__.delete().where(User.id.in_(user_ids)))
            session.commit()


def test_organisers_write_to_attendees(login, make_user, make_event, dbsession, outbox):
    organiser = make_user(display_name="Nadia Benali")
    event = make_event(organiser, capacity=1, title="Door-to-door {0}")
    going, waiting = make_user("going", locale="fr"), make_user("waiting")
    answer(login(going), event)
    answer(login(waiting), event)
    login(make_user()).get(f"/agenda/{event.id}/message", status=403)
    browser = login(organiser)
    form = browser.get(f"/agenda/{event.id}").click(linkid="message-link").forms["message-form"]
    form["subject"] = "Meeting point {moved}"
    form["body"] = "We meet at the station <b>at 10</b>."
    outbox.clear()
    form.submit(status=303)
    assert [m.recipients for m in outbox] == [["going@example.org"]]
    (mail,) = outbox
    assert mail.subject.endswith("Door-to-door {0} : Meeting point {moved}")  # French
    assert "Nadia Benali" in mail.body and "<b>at 10</b>" in mail.body
    assert "écrit aux participants" in mail.body  # in the recipient's language
    form = browser.get(f"/agenda/{event.id}/message").forms["message-form"]
    form["subject"], form["body"], form["waitlist"] = "Again", "Hello", True
    outbox.clear()
    form.submit(status=303)
    assert sorted(m.recipients[0] for m in outbox) == ["going@example.org",
                                                       "waiting@example.org"]
    form = browser.get(f"/agenda/{event.id}/message").forms["message-form"]
    assert form.submit(status=400).html.select(".field__error")
