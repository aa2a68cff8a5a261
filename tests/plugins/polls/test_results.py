"""Results: when they show, how they are drawn, and counting methods from other plugins."""

import pytest
import webtest

from core import make_config
from plugins.polls.counting import Result
from plugins.polls.models import Ballot, Participation


@pytest.fixture
def cortege_settings(cortege_settings):
    """Counting and drawing, shown with a handful of secret ballots; test_secrecy.py holds
    the fewest ballots that secret polls need in real use."""
    return {**cortege_settings, "polls.secret_min_ballots": "1"}


def cast(dbsession, poll, users, choices_list):
    """Store ballots directly, as the service would."""
    for user, choices in zip(users, choices_list):
        dbsession.add(Participation(poll_id=poll.id, user_id=user.id))
        dbsession.add(Ballot(poll_id=poll.id, choices=choices,
                             user_id=None if poll.anonymous else user.id))
    dbsession.flush()


def ids(poll):
    return [option.id for option in poll.options]


class TestVisibility:
    def test_hidden_while_open_then_shown_once_closed(self, make_user, login, make_poll,
                                                      dbsession):
        poll = make_poll(["Housing", "Wages"])
        voters = [make_user() for _ in range(3)]
        housing, wages = ids(poll)
        cast(dbsession, poll, voters, [[housing], [housing], [wages]])
        browser = login(voters[0])
        page = browser.get(f"/tools/polls/{poll.id}")
        assert not page.html.find("svg", class_="polls-chart__svg") and not page.html.find(id="results-table")
        assert "once the poll has closed" in page.html.find(id="results").text
        assert "3 ballots cast so far" in page.text

        manager = login(make_user(role="admin"))
        page = manager.get(f"/tools/polls/{poll.id}")
        manager.post(f"/tools/polls/{poll.id}/close",
                     {"csrf_token": page.html.find("input", {"name": "csrf_token"})["value"]},
                     status=303)
        page = browser.get(f"/tools/polls/{poll.id}")
        rows = [[cell.text for cell in row.find_all(["th", "td"])]
                for row in page.html.find(id="results-table").tbody.find_all("tr")]
        assert rows == [["1", "Housing", "2"], ["2", "Wages", "1"]]
        assert "Housing comes first." in page.html.find(id="summary").text

    def test_live_results_show_while_open(self, make_user, login, make_poll, dbsession):
        poll = make_poll(["Housing", "Wages"], results="live")
        voter = make_user()
        cast(dbsession, poll, [voter], [[ids(poll)[1]]])
        page = login(voter).get(f"/tools/polls/{poll.id}")
        assert page.html.find(id="results-table")
        assert "Provisional results" in page.text

    def test_members_who_did_not_create_it_cannot_close_it(self, make_user, login, make_poll):
        poll = make_poll()
        browser = login(make_user())
        page = browser.get(f"/tools/polls/{poll.id}")
        assert not page.html.find(id="close-form")
        browser.post(f"/tools/polls/{poll.id}/close", {
            "csrf_token": page.html.find("input", {"name": "csrf_token"})["value"]},
            status=403)


class TestCharts:
    def test_an_accessible_svg_with_the_exact_counts(self, make_user, login, make_poll,
                                                     dbsession):
        poll = make_poll(["Housing", "Wages"], closes_in=-1, opens_in=-2)
        voters = [make_user() for _ in range(3)]
        housing, wages = ids(poll)
        cast(dbsession, poll, voters, [[housing], [wages], [housing]])
        page = login(voters[0]).get(f"/tools/polls/{poll.id}")
        svg = page.html.find("svg", class_="polls-chart__svg")
        assert svg["role"] == "img"
        title_id, desc_id = svg["aria-labelledby"].split()
        assert svg.find("title")["id"] == title_id and svg.find("title").text == "Votes"
        assert svg.find("desc")["id"] == desc_id
        assert svg.find("desc").text == "Housing: 2; Wages: 1"
        widths = [float(rect["width"]) for rect in svg.find_all("rect")]
        assert widths[0] == 2 * widths[1] > 0
        assert [t.text for t in svg.select(".polls-chart__value")] == ["2", "1"]
        assert not page.html.find("script", src=False)
        assert not svg.find(style=True) and not page.html.find("style")
        assert "script-src 'self'" in page.headers["Content-Security-Policy"]

    def test_instant_runoff_shows_every_round(self, make_user, login, make_poll, dbsession):
        poll = make_poll(["a", "b", "c"], kind="ranked", method="instant_runoff",
                         closes_in=-1, opens_in=-2)
        a, b, c = ids(poll)
        voters = [make_user() for _ in range(5)]
        cast(dbsession, poll, voters, [[a], [a], [b, a], [b], [c, b]])
        page = login(voters[0]).get(f"/tools/polls/{poll.id}")
        rounds = page.html.find(id="rounds-table")
        assert [th.text for th in rounds.thead.find_all("th")] == ["Option", "Round 1", "Round 2"]
        assert "b comes first." in page.html.find(id="summary").text

    def test_schulze_shows_the_pairwise_table(self, make_user, login, make_poll, dbsession):
        poll = make_poll(["a", "b", "c"], kind="ranked", method="schulze",
                         closes_in=-1, opens_in=-2)
        a, b, c = ids(poll)
        voters = [make_user() for _ in range(3)]
        cast(dbsession, poll, voters, [[a, b, c], [b, c, a], [c, a, b]])
        page = login(voters[0]).get(f"/tools/polls/{poll.id}")
        assert page.html.find(id="pairwise-table")
        assert "Tie between a, b, c. By the rule below, a comes first." in page.text
        assert "keep the order" in page.html.select_one(".polls-method").text

    def test_majority_judgment_draws_merit_profiles(self, make_user, login, make_poll,
                                                    dbsession):
        poll = make_poll(["a", "b"], kind="judgment", method="majority_judgment",
                         closes_in=-1, opens_in=-2)
        a, b = ids(poll)
        voters = [make_user() for _ in range(3)]
        cast(dbsession, poll, voters, [{str(a): 0, str(b): 6}, {str(a): 2, str(b): 6},
                                       {str(a): 2, str(b): 0}])
        page = login(voters[0]).get(f"/tools/polls/{poll.id}")
        svg = page.html.find("svg", class_="polls-chart__svg")
        assert svg.find("desc").text == ("a (Excellent: 1, Good: 2); "
                                         "b (Excellent: 1, To reject: 2)")
        rows = [[cell.text for cell in row.find_all(["th", "td"])][:3]
                for row in page.html.find(id="results-table").tbody.find_all("tr")]
        assert rows == [["a", "Good", "1"], ["b", "To reject", "1"]]

    def test_named_ballots_are_listed_with_the_results(self, make_user, login, make_poll,
                                                       dbsession):
        poll = make_poll(["Housing", "Wages"], anonymous=False, closes_in=-1, opens_in=-2)
        alice = make_user(display_name="Alice Martin")
        cast(dbsession, poll, [alice], [[ids(poll)[1]]])
        page = login(alice).get(f"/tools/polls/{poll.id}")
        rows = [[td.text for td in row.find_all("td")]
                for row in page.html.find(id="named-ballots").tbody.find_all("tr")]
        assert rows == [["Alice Martin", "Wages"]]

    def test_secret_ballots_list_no_voter(self, make_user, login, make_poll, dbsession):
        poll = make_poll(["Housing", "Wages"], closes_in=-1, opens_in=-2)
        alice = make_user(display_name="Alice Martin")
        cast(dbsession, poll, [alice], [[ids(poll)[1]]])
        page = login(alice).get(f"/tools/polls/{poll.id}")
        assert not page.html.find(id="named-ballots")
        assert "Alice Martin" not in page.html.find(id="poll").text

    def test_the_page_has_a_bounded_number_of_queries(self, make_user, login, make_poll,
                                                      dbsession, max_queries):
        poll = make_poll(["a", "b", "c"], anonymous=False, closes_in=-1, opens_in=-2)
        voters = [make_user() for _ in range(12)]
        cast(dbsession, poll, voters, [[ids(poll)[n % 3]] for n in range(12)])
        browser = login(voters[0])
        with max_queries(14):
            browser.get(f"/tools/polls/{poll.id}")


def borda(options, ballots):
    """Borda count: n - 1 points for a first place, down to 0; unranked options get 0."""
    scores = {option: 0 for option in options}
    for ballot in ballots:
        for place, option in enumerate(ballot):
            scores[option] += len(options) - 1 - place
    ranking = sorted(options, key=lambda option: -scores[option])
    return Result(ranking=ranking, scores=scores, ballots=len(ballots))


class TestThirdPartyMethod:
    """A method registered with the directive at configuration time, as another plugin
    would in its includeme."""

    @pytest.fixture
    def browser_for(self, cortege_settings, cortege_engine, connection, login):
        from pyramid.i18n import TranslationStringFactory

        _ = TranslationStringFactory("borda")
        config = make_config({**cortege_settings, "cortege.site_name": "Borda"},
                             engine=cortege_engine)
        config.add_counting_method("borda", _("Borda count"), "ranking", borda,
                                   score_title=_("Points"))
        app = config.make_wsgi_app()

        def factory(user):
            browser = webtest.TestApp(app, extra_environ={
                "cortege.test_connection": connection, "HTTP_HOST": "localhost",
                "REMOTE_ADDR": "127.0.0.1"})
            page = browser.get("/login")
            form = page.forms["login-form"]
            form["login"], form["password"] = user.username, "correct horse battery staple"
            form.submit(status=303)
            return browser

        return factory

    def test_the_new_method_counts_ranked_polls(self, browser_for, make_user, make_poll,
                                                dbsession):
        poll = make_poll(["a", "b", "c"], kind="ranked", method="borda", closes_in=-1,
                         opens_in=-2)
        a, b, c = ids(poll)
        voters = [make_user() for _ in range(3)]
        cast(dbsession, poll, voters, [[a, b, c], [b, c, a], [b, a]])
        page = browser_for(voters[0]).get(f"/tools/polls/{poll.id}")
        assert page.html.find("svg", class_="polls-chart__svg").find("title").text == "Points"
        assert page.html.find("svg", class_="polls-chart__svg").find("desc").text == "b: 5; a: 3; c: 1"

    def test_the_new_method_is_offered_and_checked_against_the_kind(
            self, browser_for, make_user):
        browser = browser_for(make_user(role="admin"))
        page = browser.get("/tools/polls/new")
        methods = [o["value"] for o in page.html.find("select", {"name": "method"}).find_all("option")]
        assert "borda" in methods
        form = page.forms["poll-form"]
        form["title"], form["options"] = "Order of the day", "Housing\nWages"
        form["kind"], form["method"] = "single", "borda"
        form["closes_at"] = "2099-01-01T12:00"
        refused = form.submit(status=400)
        assert "does not suit" in refused.text
        form = refused.forms["poll-form"]
        form["kind"], form["method"] = "ranked", "borda"
        created = form.submit(status=303).follow()
        assert "Borda count" in created.text


def test_ballots_of_an_unknown_poll_are_404(make_user, login):
    login(make_user()).get("/tools/polls/999999", status=404)

