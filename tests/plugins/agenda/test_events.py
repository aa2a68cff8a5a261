"""Publishing, editing and cancelling events through their forms."""

import datetime as dt
import zoneinfo

from sqlalchemy import select

from plugins.agenda.models import CANCELLED, GOING, PUBLIC, WAITLIST, CoHost, Event, Rsvp


def future(days=10):
    return (dt.date.today() + dt.timedelta(days=days)).isoformat()


def fill(form, **values):
    defaults = {"title": "Leafleting at the market", "start_date": future(),
                "start_time": "10:00", "end_time": "12:30", "timezone": "Europe/Paris",
                "city": "Lyon", "description": "Bring **water** <script>alert(1)</script>"}
    for name, value in {**defaults, **values}.items():
        form[name] = value
    return form


def test_member_publishes_an_event_in_its_time_zone(login, make_user, dbsession):
    camille = make_user("camille")
    browser = login(camille)
    form = fill(browser.get("/agenda/new").forms["event-form"], visibility="public",
                venue="Halles", address="1 place des Halles", postcode="69001")
    form["type_id"].select(text="Leafleting")
    response = form.submit(status=303)
    event = dbsession.scalar(select(Event).where(Event.title == "Leafleting at the market"))
    assert response.location.endswith(f"/agenda/{event.id}")
    assert event.organiser_id == camille.id and event.timezone == "Europe/Paris"
    assert event.city_key == "lyon" and event.visibility == PUBLIC
    # 10:00 in Paris, stored in UTC.
    paris = dt.datetime.combine(dt.date.fromisoformat(future()), dt.time(10),
                                zoneinfo.ZoneInfo("Europe/Paris"))
    assert event.starts_at == paris and event.starts_at.utcoffset() == dt.timedelta(0)
    assert event.ends_at - event.starts_at == dt.timedelta(hours=2, minutes=30)
    page = browser.get(f"/agenda/{event.id}")
    description = str(page.html.select_one(".event__description"))
    assert "<strong>water</strong>" in description and "<script>" not in description
    assert page.html.select_one(".event__type").text.strip() == "Leafleting"


def test_form_refusals_say_what_to_fix(login, make_user):
    browser = login(make_user())
    form = fill(browser.get("/agenda/new").forms["event-form"], title="", city="",
                timezone="Mars/Olympus", start_time="")
    page = form.submit(status=400)
    errors = {p.get("id"): p.text for p in page.html.select(".field__error")}
    assert "title-error" in errors and "timezone-error" in errors
    form = fill(page.forms["event-form"], city="", start_time="")
    errors = [p.text for p in form.submit(status=400).html.select(".field__error")]
    assert "Give the starting time, or tick all day." in errors
    assert "Give the city, or an online link." in errors
    form = fill(page.forms["event-form"], end_time="09:00")
    errors = [p.text for p in form.submit(status=400).html.select(".field__error")]
    assert errors == ["The end must come after the start."]
    form = fill(page.forms["event-form"], deadline_date=future(20))
    errors = [p.text for p in form.submit(status=400).html.select(".field__error")]
    assert errors == ["Answers must close before the start."]


def test_strangers_cannot_publish_and_only_organisers_edit(testapp, login, make_user,
                                                          make_event, dbsession):
    assert "/login" in testapp.get("/agenda/new", status=303).location
    organiser, cohost, other = make_user(), make_user("cohost"), make_user()
    event = make_event(organiser)
    login(other).get(f"/agenda/{event.id}/edit", status=403)
    login(other).get(f"/agenda/{event.id}/attendees.csv", status=403)
    page = login(organiser).get(f"/agenda/{event.id}/edit")
    form = page.forms["event-form"]
    assert form["title"].value == "Section meeting"
    form["title"] = "Section meeting (new room)"
    form["cohosts"] = "COHOST"
    form.submit(status=303)
    dbsession.refresh(event)
    assert event.title == "Section meeting (new room)"
    # The co-host may now edit; an unknown username is refused with its name.
    form = login(cohost).get(f"/agenda/{event.id}/edit").forms["event-form"]
    form["cohosts"] = "cohost, nobody-here"
    page = form.submit(status=400)
    assert "No member is called nobody-here." in page.text


def test_cancelling_tells_who_was_coming(login, make_user, make_event, dbsession, outbox):
    organiser = make_user()
    going = make_user("going", locale="fr", timezone="America/Montreal")
    waiting = make_user("waiting")
    event = make_event(organiser, capacity=1, seats_taken=1, title="Réunion")
    dbsession.add_all([Rsvp(event_id=event.id, user_id=going.id, status=GOING),
                       Rsvp(event_id=event.id, user_id=waiting.id, status=WAITLIST)])
    dbsession.flush()
    browser = login(organiser)
    browser.get(f"/agenda/{event.id}/cancel").forms["cancel-form"].submit(status=303)
    dbsession.refresh(event)
    assert event.status == CANCELLED
    page = browser.get(f"/agenda/{event.id}")
    assert page.html.select_one("#cancelled") is not None
    assert sorted(m.recipients[0] for m in outbox) == ["going@example.org",
                                                       "waiting@example.org"]
    french = next(m for m in outbox if m.recipients == ["going@example.org"])
    assert "Annulé" in french.subject and "Réunion" in french.body
    # The time is the recipient's: Montreal, not Paris nor UTC.
    montreal = event.starts_at.astimezone(zoneinfo.ZoneInfo("America/Montreal"))
    assert f"{montreal:%H:%M}" in french.body and "est annulé" in french.body
    # No more answers on a cancelled event.
    form = login(make_user()).get(f"/agenda/{event.id}")
    assert form.html.select_one("#rsvp-closed").text == "This event is cancelled."


def test_cohosts_are_stored_once(login, make_user, dbsession):
    camille = make_user("camille")
    make_user("dominique")
    browser = login(camille)
    form = fill(browser.get("/agenda/new").forms["event-form"],
                cohosts="dominique, Dominique, camille")
    form.submit(status=303)
    rows = dbsession.scalars(select(CoHost)).all()
    assert len(rows) == 1


def test_a_title_keeps_to_one_line_and_dates_to_the_calendar(login, make_user, dbsession):
    browser = login(make_user())
    form = fill(browser.get("/agenda/new").forms["event-form"], title="Rally\r\nat noon",
                city="Lyon\n2e")
    form.submit(status=303)
    event = dbsession.scalar(select(Event).where(Event.title == "Rally at noon"))
    assert event.city == "Lyon 2e"
    for day in ("0001-01-01", "9999-12-31"):
        page = fill(browser.get("/agenda/new").forms["event-form"], start_date=day).submit(
            status=400)  # the form again, with what to correct
        assert "Give a date between 1900 and 2999." in page.text
