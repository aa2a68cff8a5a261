"""Secret polls keep their ballots secret in their results too.

With two voters and live counts of 1 and 1, each voter would learn how the other voted: the
results of a secret poll show only from ``polls.secret_min_ballots`` ballots (5 by default),
live or closed. A secret poll that closes with fewer ballots shows only its turnout. Named
polls show their results as before: their ballots are not secret.
"""

from __future__ import annotations

import pytest

from plugins.polls.models import Ballot, Participation


@pytest.fixture
def cortege_plugins():
    return ["profiles", "groups", "tools", "polls"]


@pytest.fixture
def cell(make_group, add_member, make_user, login, testapp):
    """A public group of six (an admin, a moderator, four members), and one browser for each
    kind of viewer: a stranger, a site member outside the group, a member, a moderator."""
    people = {name: make_user(name) for name in
              ("chief", "modo", "ana", "bob", "cleo", "dan", "outsider")}
    group = make_group("Cell")
    add_member(group, people["chief"], role="admin")
    add_member(group, people["modo"], role="moderator")
    for name in ("ana", "bob", "cleo", "dan"):
        add_member(group, people[name])
    browsers = {"stranger": testapp, "non-member": login(people["outsider"]),
                "member": login(people["ana"]), "moderator": login(people["modo"])}
    return group, people, browsers


def cast(dbsession, poll, voters, option_index):
    for voter, index in zip(voters, option_index):
        dbsession.add(Participation(poll_id=poll.id, user_id=voter.id))
        dbsession.add(Ballot(poll_id=poll.id, choices=[poll.options[index].id],
                             user_id=None if poll.anonymous else voter.id))
    dbsession.flush()


def results_seen(browser, poll) -> bool:
    """Whether any figure of the count reaches the page (table, chart or summary)."""
    page = browser.get(f"/tools/polls/{poll.id}", expect_errors=True)
    if page.status_int != 200:
        return False
    section = page.html.find(id="results")
    return bool(section.find(id="results-table") or section.find("svg")
                or section.find(id="summary"))


VIEWERS = ("member", "moderator", "non-member")  # strangers may not see polls at all


def test_live_results_of_a_secret_poll_wait_for_enough_ballots(cell, make_poll, dbsession):
    group, people, browsers = cell
    poll = make_poll(["Yes", "No"], group=group, results="live", title="Strike?")
    cast(dbsession, poll, [people["ana"], people["bob"]], [0, 1])
    browsers["stranger"].get(f"/tools/polls/{poll.id}", status=303)  # sent to log in
    for viewer in VIEWERS:
        page = browsers[viewer].get(f"/tools/polls/{poll.id}")
        assert not results_seen(browsers[viewer], poll), viewer
        assert "results will show once at least 5 ballots are cast" in page.text
        assert "2 ballots cast so far" in page.text  # the turnout is no secret
        assert "Yes: 1" not in page.text
    cast(dbsession, poll, [people["cleo"], people["dan"], people["modo"]], [0, 0, 1])
    for viewer in VIEWERS:
        assert results_seen(browsers[viewer], poll), viewer


def test_a_closed_secret_poll_with_too_few_ballots_shows_only_its_turnout(
        cell, make_poll, dbsession):
    group, people, browsers = cell
    poll = make_poll(["Yes", "No"], group=group, opens_in=-3, closes_in=-1)
    cast(dbsession, poll, [people["ana"], people["bob"], people["cleo"]], [0, 1, 1])
    for viewer in VIEWERS:
        page = browsers[viewer].get(f"/tools/polls/{poll.id}")
        assert not results_seen(browsers[viewer], poll), viewer
        assert "only 3 ballots were cast" in page.html.find(id="results-withheld").text
        assert "3 ballots cast." in page.text
    # Enough ballots: the results of a closed secret poll show.
    enough = make_poll(["Yes", "No"], group=group, opens_in=-3, closes_in=-1)
    cast(dbsession, enough, [people[name] for name in ("ana", "bob", "cleo", "dan", "modo")],
         [0, 1, 1, 0, 0])
    for viewer in VIEWERS:
        assert results_seen(browsers[viewer], enough), viewer


def test_named_polls_show_their_results_whatever_the_count(cell, make_poll, dbsession):
    group, people, browsers = cell
    poll = make_poll(["Yes", "No"], group=group, results="live", anonymous=False)
    cast(dbsession, poll, [people["ana"], people["bob"]], [0, 1])
    for viewer in VIEWERS:
        assert results_seen(browsers[viewer], poll), viewer


class TestTheMinimumIsASetting:
    @pytest.fixture
    def cortege_settings(self, cortege_settings):
        return {**cortege_settings, "polls.secret_min_ballots": "2"}

    def test_deployers_choose_the_minimum(self, cell, make_poll, dbsession):
        group, people, browsers = cell
        poll = make_poll(["Yes", "No"], group=group, results="live")
        cast(dbsession, poll, [people["ana"]], [0])
        assert not results_seen(browsers["member"], poll)
        assert "at least 2 ballots" in browsers["member"].get(f"/tools/polls/{poll.id}").text
        cast(dbsession, poll, [people["bob"]], [1])
        assert results_seen(browsers["member"], poll)
