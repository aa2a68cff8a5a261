"""The member's agenda data: in their export, and gone with their account (places freed)."""

import json

from sqlalchemy import func, select

from core.testing import TEST_PASSWORD
from plugins.agenda.models import GOING, WAITLIST, CoHost, Event, FeedKey, Rsvp


def test_export_holds_own_events_and_answers(login, make_user, make_event, dbsession):
    louise, other = make_user("louise"), make_user()
    organised = make_event(louise, title="Louise's meeting")
    attended = make_event(other, title="Other's march")
    make_event(other, title="Not mine")
    dbsession.add(Rsvp(event_id=attended.id, user_id=louise.id, status=GOING, guests=2))
    dbsession.flush()
    data = json.loads(login(louise).get("/account/export.json").text)["agenda"]
    assert [e["title"] for e in data["events_organised"]] == ["Louise's meeting"]
    assert data["events_organised"][0]["id"] == organised.id
    assert [(r["event"], r["answer"], r["guests"]) for r in data["rsvps"]] == [
        ("Other's march", "going", 2)]
    assert data["private_feed"] is False


def test_deleting_the_account_frees_places_and_removes_events(login, make_user, make_event,
                                                              dbsession, outbox):
    louise, organiser, waiting = make_user("louise"), make_user(), make_user("waiting")
    own = make_event(louise, title="Louise's meeting")
    full = make_event(organiser, capacity=1, seats_taken=1)
    dbsession.add_all([Rsvp(event_id=full.id, user_id=louise.id, status=GOING),
                       Rsvp(event_id=full.id, user_id=waiting.id, status=WAITLIST),
                       Rsvp(event_id=own.id, user_id=waiting.id, status=GOING),
                       CoHost(event_id=full.id, user_id=louise.id),
                       FeedKey(user_id=louise.id, key="k")])
    dbsession.flush()
    browser = login(louise)
    form = browser.get("/account").forms["delete-form"]
    form["password"], form["confirm"] = TEST_PASSWORD, True
    assert form.submit().status_int == 303
    dbsession.expire_all()
    assert dbsession.scalar(select(func.count()).select_from(Event)
                            .where(Event.title == "Louise's meeting")) == 0
    for model in (CoHost, FeedKey):
        assert dbsession.scalar(select(func.count()).select_from(model)) == 0
    answers = dict(dbsession.execute(select(Rsvp.user_id, Rsvp.status)).all())
    assert answers == {waiting.id: GOING}  # promoted into the freed place
    assert dbsession.get(Event, full.id).seats_taken == 1
    assert ["waiting@example.org"] in [m.recipients for m in outbox]
