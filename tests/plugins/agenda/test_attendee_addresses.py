"""Attendees' addresses: organisers see one only where its owner agreed, and may always write
to every attendee through the site without seeing any."""

from __future__ import annotations

import csv
import datetime as dt
import io

from core.db import utcnow
from tests.plugins.agenda.test_rsvp import answer


def rows(browser, event) -> dict:
    """{username: email cell} of the attendee list the organiser downloads."""
    text = browser.get(f"/agenda/{event.id}/attendees.csv").body.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][2] == "Email (if shared)"
    return {row[1]: row[2] for row in table[1:]}


def test_attendees_are_told_before_answering_and_choose(login, make_user, make_event,
                                                        testapp):
    organiser = make_user("orga")
    event = make_event(organiser, show_attendees=True, visibility="public")
    page = login(make_user("ana")).get(f"/agenda/{event.id}")
    notice = page.html.select_one("#rsvp-privacy").text
    assert "The organisers see your name, your username, your answer and your guests" in notice
    assert "email address only if you let them" in notice
    assert "names of the people going" in notice  # this event shows who is going
    form = page.forms["rsvp-form"]
    assert form["share_email"].checked is False  # off unless ticked
    # A stranger is asked to log in, and is not shown the choice.
    stranger = testapp.get(f"/agenda/{event.id}")
    assert stranger.html.select_one("#rsvp-privacy") is None


def test_the_csv_holds_only_the_addresses_shared_and_the_choice_changes_later(
        login, make_user, make_event, dbsession):
    orga = make_user("orga")
    organiser = login(orga)
    event = make_event(orga, rsvp_deadline=utcnow() + dt.timedelta(days=1))
    ana, bob = login(make_user("ana")), login(make_user("bob"))
    answer(ana, event)
    answer(bob, event, share_email=True)
    assert rows(organiser, event) == {"ana": "", "bob": "bob@example.org"}

    # Ana agrees later by answering again; the box shows her choice.
    page = answer(ana, event, share_email=True)
    assert page.forms["rsvp-form"]["share_email"].checked is True
    assert rows(organiser, event) == {"ana": "ana@example.org", "bob": "bob@example.org"}

    # Once answers are closed, Bob may still take his address back.
    event.rsvp_deadline = utcnow() - dt.timedelta(minutes=1)
    dbsession.flush()
    page = bob.get(f"/agenda/{event.id}")
    assert "rsvp-form" not in page.forms
    form = page.forms["sharing-form"]
    assert form["share_email"].checked is True
    form["share_email"] = False
    flash = form.submit(status=303).follow().html.select_one(".flash").text
    assert flash == "The organisers no longer see your email address."
    assert rows(organiser, event) == {"ana": "ana@example.org", "bob": ""}


def test_organisers_write_to_everyone_without_seeing_addresses(login, make_user, make_event,
                                                               outbox):
    organiser = make_user("orga")
    event = make_event(organiser)
    for name in ("ana", "bob"):
        answer(login(make_user(name)), event)
    browser = login(organiser)
    page = browser.get(f"/agenda/{event.id}")
    assert "@example.org" not in page.html.select_one("#attendees").text
    form = page.click(linkid="message-link").forms["message-form"]
    form["subject"], form["body"] = "Meeting point", "At the station."
    outbox.clear()
    sent = form.submit(status=303).follow()
    assert "sent to 2 people" in sent.text and "@example.org" not in sent.html.select_one(
        "main").text
    # One message each, addressed to that attendee alone.
    assert sorted(m.recipients for m in outbox) == [["ana@example.org"], ["bob@example.org"]]
    assert all(not m.cc and not m.bcc for m in outbox)
    assert rows(browser, event) == {"ana": "", "bob": ""}


def test_the_choice_is_in_the_attendees_personal_data(login, make_user, make_event):
    event = make_event()
    ana = make_user("ana")
    browser = login(ana)
    answer(browser, event, share_email=True)
    data = browser.get("/account/export.json").json
    assert data["agenda"]["rsvps"][0]["email_shared_with_organisers"] is True
