"""Voting: who may vote, when, once; secret ballots; ballots refused with a reason."""

import re

from sqlalchemy import func, select

from plugins.polls.models import Ballot, Participation
from tests.plugins.polls.conftest import token


def ballots(dbsession, poll):
    return dbsession.scalars(select(Ballot).where(Ballot.poll_id == poll.id)).all()


def participations(dbsession, poll):
    return dbsession.scalar(select(func.count()).select_from(Participation)
                            .where(Participation.poll_id == poll.id))


def option_ids(poll):
    return [option.id for option in poll.options]


class TestWhoAndWhen:
    def test_strangers_are_sent_to_log_in(self, testapp, make_poll):
        poll = make_poll()
        assert testapp.get(f"/tools/polls/{poll.id}").status_int == 303
        assert testapp.get("/tools/polls").status_int == 303

    def test_a_member_votes_once_in_a_site_poll(self, make_user, login, make_poll, vote,
                                                dbsession):
        poll = make_poll(changeable=False)
        browser = login(make_user())
        vote(browser, poll, {"choice": option_ids(poll)[0]})
        page = browser.get(f"/tools/polls/{poll.id}")
        assert page.html.find(id="voted") and not page.html.find(id="ballot-form")
        assert participations(dbsession, poll) == 1
        assert [b.choices for b in ballots(dbsession, poll)] == [[option_ids(poll)[0]]]

    def test_a_second_ballot_is_refused_when_ballots_cannot_change(self, make_user, login,
                                                                   make_poll, dbsession):
        poll = make_poll(changeable=False)
        browser = login(make_user())
        page = browser.get(f"/tools/polls/{poll.id}")
        data = {"csrf_token": token(page), "choice": str(option_ids(poll)[0])}
        browser.post(f"/tools/polls/{poll.id}", data, status=303)
        refused = browser.post(f"/tools/polls/{poll.id}", data, status=400)
        assert "cannot be changed" in refused.html.find(id="ballot-error").text
        assert len(ballots(dbsession, poll)) == 1 and participations(dbsession, poll) == 1

    def test_a_named_ballot_is_changed_in_place(self, make_user, login, make_poll, vote,
                                                dbsession):
        poll = make_poll(anonymous=False, changeable=True)
        yes, no = option_ids(poll)
        browser = login(make_user())
        vote(browser, poll, {"choice": yes})
        page = browser.get(f"/tools/polls/{poll.id}")
        assert page.html.find("input", {"value": str(yes)}).has_attr("checked")
        vote(browser, poll, {"choice": no})
        assert [b.choices for b in ballots(dbsession, poll)] == [[no]]
        assert participations(dbsession, poll) == 1

    def test_no_ballot_before_opening_or_after_closing(self, make_user, login, make_poll,
                                                       dbsession):
        member = login(make_user())
        for poll, message in ((make_poll(opens_in=1), "not open yet"),
                              (make_poll(opens_in=-3, closes_in=-1), "closed")):
            page = member.get(f"/tools/polls/{poll.id}")
            assert not page.html.find(id="ballot-form")
            refused = member.post(f"/tools/polls/{poll.id}", {
                "csrf_token": token(page), "choice": str(option_ids(poll)[0])}, status=400)
            assert message in refused.html.find(id="ballot-error").text
            assert ballots(dbsession, poll) == []

    def test_suspended_members_are_outside_the_electorate(self, make_user, make_poll,
                                                          poll_service):
        poll = make_poll()
        active, suspended = make_user(), make_user(status="suspended")
        service = poll_service
        assert service.may_vote(poll, active) and not service.may_vote(poll, suspended)
        assert not service.may_vote(poll, None)


class TestSecretBallots:
    def test_the_ballot_keeps_no_link_to_the_voter(self, make_user, login, make_poll, vote,
                                                   dbsession):
        poll = make_poll(anonymous=True, changeable=False)
        voter = make_user()
        vote(login(voter), poll, {"choice": option_ids(poll)[1]})
        (ballot,) = ballots(dbsession, poll)
        assert ballot.user_id is None and ballot.updated_at is None and ballot.change_key is None
        assert re.fullmatch(r"[0-9a-f]{32}", ballot.id)
        assert dbsession.scalar(select(Participation.user_id).where(
            Participation.poll_id == poll.id)) == voter.id

    def test_a_secret_ballot_changes_only_with_the_code_given_once(self, make_user, login,
                                                                   make_poll, dbsession):
        poll = make_poll(anonymous=True, changeable=True)
        yes, no = option_ids(poll)
        browser = login(make_user())
        page = browser.get(f"/tools/polls/{poll.id}")
        done = browser.post(f"/tools/polls/{poll.id}",
                            {"csrf_token": token(page), "choice": str(yes)}, status=200)
        code = done.html.select_one(".polls-code").text.strip()
        (ballot,) = ballots(dbsession, poll)
        assert ballot.user_id is None and code not in (ballot.change_key or "")
        assert ballot.change_key and len(ballot.change_key) == 64
        assert code not in browser.get(f"/tools/polls/{poll.id}").text  # shown only once

        page = browser.get(f"/tools/polls/{poll.id}")
        assert page.html.find(id="change_code")
        wrong = browser.post(f"/tools/polls/{poll.id}", {
            "csrf_token": token(page), "choice": str(no), "change_code": "guess"}, status=400)
        assert "change code" in wrong.html.find(id="ballot-error").text
        browser.post(f"/tools/polls/{poll.id}", {
            "csrf_token": token(page), "choice": str(no), "change_code": code}, status=303)
        dbsession.expire_all()
        assert [b.choices for b in ballots(dbsession, poll)] == [[no]]
        assert participations(dbsession, poll) == 1

    def test_another_voters_code_cannot_reach_across_polls(self, make_user, login, make_poll,
                                                           dbsession):
        first, second = make_poll(changeable=True), make_poll(changeable=True)
        browser = login(make_user())
        page = browser.get(f"/tools/polls/{first.id}")
        done = browser.post(f"/tools/polls/{first.id}", {
            "csrf_token": token(page), "choice": str(option_ids(first)[0])}, status=200)
        code = done.html.select_one(".polls-code").text.strip()
        page = browser.get(f"/tools/polls/{second.id}")
        browser.post(f"/tools/polls/{second.id}", {
            "csrf_token": token(page), "choice": str(option_ids(second)[0])}, status=200)
        page = browser.get(f"/tools/polls/{second.id}")
        browser.post(f"/tools/polls/{second.id}", {
            "csrf_token": token(page), "choice": str(option_ids(second)[1]),
            "change_code": code}, status=400)
        assert [b.choices for b in ballots(dbsession, first)] == [[option_ids(first)[0]]]


class TestBadBallots:
    def check(self, browser, poll, fields, message, dbsession):
        page = browser.get(f"/tools/polls/{poll.id}")
        data = [("csrf_token", token(page))]
        for name, value in fields:
            data.append((name, str(value)))
        refused = browser.post(f"/tools/polls/{poll.id}", data, status=400)
        assert message in refused.html.find(id="ballot-error").text
        assert refused.html.find(id="ballot-form")
        assert ballots(dbsession, poll) == [] and participations(dbsession, poll) == 0
        return refused

    def test_choice_ballots(self, make_user, login, make_poll, dbsession):
        browser = login(make_user())
        single = make_poll()
        a, b = option_ids(single)
        self.check(browser, single, [], "Choose an option", dbsession)
        self.check(browser, single, [("choice", a), ("choice", b)], "only one option", dbsession)
        self.check(browser, single, [("choice", 999999)], "does not offer", dbsession)
        self.check(browser, single, [("choice", "x")], "does not offer", dbsession)
        several = make_poll(["a", "b", "c", "d"], kind="multiple", min_choices=2,
                            max_choices=3)
        ids = option_ids(several)
        self.check(browser, several, [("choice", ids[0])], "at least 2 options", dbsession)
        self.check(browser, several, [("choice", i) for i in ids], "at most 3 options",
                   dbsession)
        self.check(browser, several, [("choice", ids[0]), ("choice", ids[0])], "does not offer",
                   dbsession)

    def test_ranking_ballots(self, make_user, login, make_poll, dbsession):
        browser = login(make_user())
        poll = make_poll(["a", "b", "c"], kind="ranked", method="instant_runoff")
        a, b, _c = option_ids(poll)
        self.check(browser, poll, [], "Rank at least one option", dbsession)
        refused = self.check(browser, poll, [(f"rank_{a}", 1), (f"rank_{b}", 1)],
                             "share a rank", dbsession)
        assert refused.html.find(id=f"rank-{a}")["value"] == "1"  # what was typed stays
        self.check(browser, poll, [(f"rank_{a}", 4)], "from 1 to 3", dbsession)
        self.check(browser, poll, [(f"rank_{a}", "first")], "from 1 to 3", dbsession)

    def test_grade_ballots(self, make_user, login, make_poll, dbsession):
        browser = login(make_user())
        poll = make_poll(["a", "b"], kind="judgment", method="majority_judgment")
        a, b = option_ids(poll)
        self.check(browser, poll, [(f"grade_{a}", 0)], "Give every option a grade", dbsession)
        self.check(browser, poll, [(f"grade_{a}", 0), (f"grade_{b}", 7)],
                   "Give every option a grade", dbsession)

    def test_good_ranking_and_grades_are_stored_as_option_ids(self, make_user, login,
                                                              make_poll, vote, dbsession):
        member = login(make_user())
        ranked = make_poll(["a", "b", "c"], kind="ranked", method="schulze")
        a, b, c = option_ids(ranked)
        vote(member, ranked, {f"rank_{c}": 1, f"rank_{a}": 3})
        assert [x.choices for x in ballots(dbsession, ranked)] == [[c, a]]
        graded = make_poll(["a", "b"], kind="judgment", method="majority_judgment")
        a, b = option_ids(graded)
        vote(member, graded, {f"grade_{a}": 0, f"grade_{b}": 6})
        assert [x.choices for x in ballots(dbsession, graded)] == [{str(a): 0, str(b): 6}]

    def test_a_forged_form_without_token_changes_nothing(self, make_user, login, make_poll,
                                                         dbsession):
        poll = make_poll()
        browser = login(make_user())
        browser.post(f"/tools/polls/{poll.id}", {"choice": str(option_ids(poll)[0])},
                     status=400)
        assert ballots(dbsession, poll) == []
