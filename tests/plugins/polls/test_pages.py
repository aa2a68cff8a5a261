"""Creating polls, the lists, the hub, personal data and the demo seeder."""

import datetime as dt

from sqlalchemy import func, select

from core.seeding import SeedContext
from plugins.polls.interfaces import IPollService
from plugins.polls.models import Ballot, Participation, Poll
from plugins.polls.seed import seed_polls
from tests.plugins.polls.conftest import token


def new_poll_form(browser, **fields):
    page = browser.get("/tools/polls/new")
    form = page.forms["poll-form"]
    values = {"title": "Which theme for the spring?", "options": "Housing\nWages\n\nHousing",
              "closes_at": "2099-05-01T18:00", **fields}
    for name, value in values.items():
        form[name] = value
    return form


class TestCreating:
    def test_a_moderator_creates_a_site_poll(self, make_user, login, dbsession):
        browser = login(make_user(role="moderator", timezone="Europe/Paris"))
        form = new_poll_form(browser, kind="multiple", min_choices="1", max_choices="2",
                             results="live")
        form["anonymous"] = False
        page = form.submit(status=303).follow()
        assert "The poll is ready." in page.text
        poll = dbsession.scalar(select(Poll).order_by(Poll.id.desc()))
        assert [option.label for option in poll.options] == ["Housing", "Wages"]
        assert (poll.kind, poll.method, poll.min_choices, poll.max_choices) == (
            "multiple", "plurality", 1, 2)
        assert poll.anonymous is False and poll.results == "live" and poll.group_id is None
        assert poll.closes_at == dt.datetime(2099, 5, 1, 16, 0, tzinfo=dt.UTC)
        assert poll.opens_at <= dt.datetime.now(dt.UTC)

    def test_the_usual_method_is_chosen_for_the_kind(self, make_user, login, dbsession):
        browser = login(make_user(role="admin"))
        new_poll_form(browser, kind="judgment").submit(status=303)
        poll = dbsession.scalar(select(Poll).order_by(Poll.id.desc()))
        assert poll.method == "majority_judgment"

    def test_mistakes_are_explained(self, make_user, login, dbsession):
        browser = login(make_user(role="admin"))
        refused = new_poll_form(browser, options="Only one", closes_at="2000-01-01T00:00",
                                ).submit(status=400)
        errors = [p.text for p in refused.html.select(".field__error")]
        assert "Give at least two different options." in errors
        refused = new_poll_form(browser, closes_at="2000-01-01T00:00").submit(status=400)
        assert [p.text for p in refused.html.select(".field__error")] == [
            "The poll must close after it opens, in the future."]
        refused = new_poll_form(browser, kind="multiple", min_choices="3",
                                max_choices="2").submit(status=400)
        assert "fewest ≤ most" in refused.html.select_one(".field__error").text
        refused = new_poll_form(browser, kind="single", method="schulze").submit(status=400)
        assert "does not suit" in refused.html.select_one(".field__error").text
        assert dbsession.scalar(select(func.count()).select_from(Poll)) == 0

    def test_members_cannot_create_site_polls(self, make_user, login):
        browser = login(make_user())
        browser.get("/tools/polls/new", status=403)
        assert "New poll" not in browser.get("/tools/polls").text


class TestLists:
    def test_the_hub_and_the_list(self, make_user, login, make_poll):
        make_poll(title="Open question")
        make_poll(title="Past question", opens_in=-5, closes_in=-2)
        browser = login(make_user())
        assert "/tools/polls" in browser.get("/tools").text
        page = browser.get("/tools/polls")
        titles = [h.text for h in page.html.select(".polls-list h2")]
        assert titles == ["Past question", "Open question"]
        assert "Closed on" in page.text and "Open until" in page.text

    def test_the_list_is_paged_by_key(self, make_user, login, make_poll, cortege_settings):
        for number in range(3):
            make_poll(title=f"Question {number}")
        browser = login(make_user())
        page = browser.get("/tools/polls?before=999999999")
        assert len(page.html.select(".polls-list h2")) == 3
        newest = page.html.select(".polls-list h2 a")[0]["href"].rsplit("/", 1)[1]
        older = browser.get(f"/tools/polls?before={newest}")
        assert [h.text for h in older.html.select(".polls-list h2")] == ["Question 1",
                                                                        "Question 0"]

    def test_group_polls_answer_404_without_the_groups_plugin(self, make_user, login,
                                                              make_poll):
        poll = make_poll(group_id=1)
        browser = login(make_user(role="admin"))
        browser.get(f"/tools/polls/{poll.id}", status=404)
        browser.get("/tools/polls/group/some-group", status=404)
        browser.get("/tools/polls/new?group=some-group", status=404)
        assert poll.title not in browser.get("/tools/polls").text


class TestPersonalData:
    def test_export_then_erase(self, make_user, login, make_poll, vote, poll_service,
                               dbsession):
        member = make_user(role="moderator")
        named = make_poll(["Housing", "Wages"], anonymous=False, title="Named",
                          author_id=member.id)
        secret = make_poll(["Yes", "No"], title="Secret")
        browser = login(member)
        vote(browser, named, {"choice": named.options[1].id})
        vote(browser, secret, {"choice": secret.options[0].id})
        service = poll_service
        data = service.export(member)
        assert [p["title"] for p in data["polls_created"]] == ["Named"]
        votes = {v["poll"]: v for v in data["votes"]}
        assert votes["Named"]["ballot"] == ["Wages"]
        assert votes["Secret"]["ballot"] is None and votes["Secret"]["anonymous"] is True

        service.erase(member)
        assert dbsession.scalar(select(func.count()).select_from(Participation)
                                .where(Participation.user_id == member.id)) == 0
        assert dbsession.scalar(select(func.count()).select_from(Ballot)
                                .where(Ballot.user_id == member.id)) == 0
        assert dbsession.scalar(select(func.count()).select_from(Ballot)) == 2  # still counted
        dbsession.expire_all()
        assert dbsession.get(Poll, named.id).author_id is None
        assert service.export(member) == {"polls_created": [], "votes": []}

    def test_the_download_of_my_data_includes_polls(self, make_user, login, make_poll, vote):
        member = make_user()
        poll = make_poll(["Housing", "Wages"], title="Spring theme")
        browser = login(member)
        vote(browser, poll, {"choice": poll.options[0].id})
        data = browser.get("/account/export.json").json
        assert data["polls"]["votes"][0]["poll"] == "Spring theme"


def test_the_seeder_fills_demo_polls(make_user, registry, dbsession):
    from core.jobs import job_request

    for _ in range(6):
        make_user()
    with job_request(registry) as request, request.tm:
        seed_polls(SeedContext(request=request, options={"polls": 2}))
        service = request.find_service(IPollService)
        polls = dbsession.scalars(select(Poll)).all()
        for poll in polls:
            assert service.count(poll).ballots == service.turnout(poll)
    assert len(polls) == 6
    assert {poll.kind for poll in polls} == {"single", "ranked", "judgment", "approval"}
    assert dbsession.scalar(select(func.count()).select_from(Ballot)) > 0
    named = [poll for poll in polls if not poll.anonymous]
    assert named and all(b.user_id for b in dbsession.scalars(
        select(Ballot).where(Ballot.poll_id.in_([p.id for p in named]))))


def test_french_pages(make_user, login, make_poll):
    poll = make_poll(["Logement", "Salaires"])
    page = login(make_user(locale="fr")).get(f"/tools/polls/{poll.id}")
    assert "Choisissez une option" in page.text
    assert token(page)


def add_box(config):
    """A box beside every poll, as another plugin would add it."""
    from markupsafe import Markup

    config.add_region_item("polls.poll.aside", "options",
                           view=lambda request, poll, **_: Markup('<p class="box">%d</p>')
                           % len(poll.options))


def test_other_plugins_add_boxes_beside_a_poll(cortege_settings, cortege_engine, make_user,
                                              make_poll, login, registry):
    from core.regions import declared_regions
    from tests.plugins.apps import app_including

    poll = make_poll(["A", "B", "C"])
    browser = login(make_user())
    assert "polls.poll.aside" in declared_regions(registry)
    assert browser.get(f"/tools/polls/{poll.id}").html.select_one("aside.poll-aside") is None
    browser.app = app_including(cortege_settings, cortege_engine, add_box)
    page = browser.get(f"/tools/polls/{poll.id}")
    assert page.html.select_one("aside.poll-aside .box").text == "3"
