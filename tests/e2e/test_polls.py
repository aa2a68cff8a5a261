"""Consultations: a poll is set up, members vote, and everyone sees the results.

The poll is named: a secret poll shows no results until polls.secret_min_ballots ballots
(tests/plugins/polls/test_secrecy.py), more than two voters here.
"""

from __future__ import annotations

import datetime as dt
import secrets

from playwright.sync_api import expect

PLUGINS = ("polls",)


def vote(checks, option: str) -> None:
    page = checks.page
    ballot = page.locator("#ballot-form")
    ballot.get_by_label(option, exact=True).check()
    ballot.get_by_role("button", name="Vote").click()
    expect(page.get_by_role("status").first).to_have_text("Your ballot is recorded.")
    checks.check("voted")


def test_members_vote_in_a_consultation_and_see_the_results(page, visit, make_member, log_in,
                                                            other_visitor):
    question = f"Which day for the general assembly? ({secrets.token_hex(2)})"
    organiser = make_member(role="admin", name="Odile Organiser")
    log_in(organiser)
    page.goto("/tools/polls")
    visit.check("polls")
    page.get_by_role("link", name="New poll").click()
    page.wait_for_url("**/tools/polls/new*")
    visit.check("new-poll")
    form = page.locator("#poll-form")
    form.get_by_label("Question").fill(question)
    form.get_by_label("Options", exact=True).fill("Saturday\nSunday\nWednesday evening")
    closes = dt.datetime.now() + dt.timedelta(days=7)
    form.get_by_label("Closes", exact=True).fill(closes.strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label("Results").select_option("live")
    form.get_by_label("Secret ballot").uncheck()
    form.get_by_role("button", name="Create the poll").click()
    expect(page.get_by_role("status").first).to_have_text("The poll is ready.")
    expect(page.get_by_role("heading", level=1)).to_have_text(question)
    visit.check("poll-ready")
    poll_path = page.url.split("#")[0].removeprefix(page.url.split("/tools/")[0])
    vote(visit, "Sunday")

    voter = make_member(name="Victor Voter")
    voter_view = other_visitor("voter")
    log_in(voter, checks=voter_view)
    voter_view.page.goto(poll_path)
    voter_view.check("poll")
    vote(voter_view, "Sunday")
    results = voter_view.page.locator("#results-table")
    expect(results.get_by_role("row").filter(has_text="Sunday")).to_contain_text("2")
    expect(results.locator("tbody tr").first).to_contain_text("Sunday")
    expect(voter_view.page.locator("#named-ballots")).to_contain_text("Victor Voter")

    page.goto(poll_path)
    page.get_by_role("button", name="Close the poll now").click()
    expect(page.get_by_role("status").first).to_have_text("The poll is closed.")
    expect(page.locator("#poll-state")).to_contain_text("Closed on")
    expect(page.locator("#ballot-form")).to_have_count(0)
    expect(page.locator("#results-table tbody tr").first).to_contain_text("Sunday")
    visit.check("closed")
