"""The agenda: publishing an event, answering, the waitlist and its promotion."""

from __future__ import annotations

import datetime as dt
import secrets

from playwright.sync_api import expect

PLUGINS = ("agenda",)


def answer(checks, status: str, said: str) -> None:
    page = checks.page
    form = page.locator("#rsvp-form")
    form.locator(f"input[name=status][value={status}]").check()
    form.get_by_role("button", name="Answer").click()
    expect(page.get_by_role("status")).to_have_text(said)
    checks.check(f"answered-{status}")


def test_an_event_fills_up_and_the_waitlist_is_promoted(page, visit, make_member, log_in,
                                                        other_visitor, mail):
    title = f"Leafleting at the market {secrets.token_hex(3)}"
    organiser = make_member(name="Olympe Organiser")
    log_in(organiser)
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Agenda").click()
    page.wait_for_url("**/agenda")
    visit.check("agenda")
    page.get_by_role("link", name="Add an event").click()
    page.wait_for_url("**/agenda/new")
    visit.check("new-event")
    form = page.locator("#event-form")
    form.get_by_label("Title", exact=True).fill(title)
    form.get_by_label("Date", exact=True).fill((dt.date.today() + dt.timedelta(days=30)).isoformat())
    form.get_by_label("Starts at").fill("10:00")
    form.get_by_label("Ends at").fill("12:00")
    form.get_by_label("Venue", exact=True).fill("Covered market")
    form.get_by_label("City", exact=True).fill("Nantes")
    form.get_by_label("Places", exact=True).fill("1")
    form.get_by_role("button", name="Publish").click()
    page.wait_for_url("**/agenda/*")
    expect(page.get_by_role("status")).to_have_text("The event is published.")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    event_path = page.url.split("#")[0].removeprefix(visit.page.url.split("/agenda")[0])
    visit.check("published")
    answer(visit, "going", "You are going. See you there!")

    late = make_member(name="Lucie Late")
    late_view = other_visitor("late")
    log_in(late, checks=late_view)
    late_view.page.goto(event_path)
    late_view.check("event")
    answer(late_view, "going",
           "The event is full: you are on the waitlist, and we will write to you if a place opens.")
    expect(late_view.page.locator("#rsvp-status")).to_have_text(
        "You are on the waitlist, number 1.")

    answer(visit, "not_going", "Your answer is saved: not going.")
    promotion = mail.to(f"{late}@example.org")
    assert promotion and title in promotion[-1].body, "the person promoted is told by mail"
    late_view.page.reload()
    expect(late_view.page.locator("#rsvp-status")).to_have_text("You are going.")
    late_view.check("promoted")
