"""Who sees petitions and who starts them; the counter and progress bar; bad petition input."""

import datetime as dt

import pytest
from sqlalchemy import select

from plugins.petitions.models import Petition, Signature


def add_confirmed(dbsession, petition, count, show_name=True):
    from core.db import utcnow

    for number in range(count):
        dbsession.add(Signature(
            petition_id=petition.id, name=f"Signer {number}", email=f"s{number}@example.org",
            email_key=f"s{number}@example.org", show_name=show_name, consent_text="I agree.",
            confirmed_at=utcnow()))
    dbsession.flush()


def test_the_hub_lists_petitions_for_everyone(testapp):
    page = testapp.get("/tools")
    link = page.html.select_one("#tool-petitions a")
    assert link["href"] == "http://localhost/tools/petitions"


def test_a_stranger_reads_the_list_with_counters(testapp, make_petition, dbsession,
                                                 max_queries):
    first = make_petition(title="First", goal=10)
    second = make_petition(title="Second", goal=4)
    make_petition(title="Gone", status="closed")
    add_confirmed(dbsession, first, 3)
    add_confirmed(dbsession, second, 6)
    with max_queries(6):
        page = testapp.get("/tools/petitions")
    titles = [a.text for a in page.html.select(".petition-card h2 a")]
    assert titles == ["Second", "First"]
    bars = {card["id"]: card.progress for card in page.html.select(".petition-card")}
    assert bars[f"petition-{first.id}"]["value"] == "3"
    assert bars[f"petition-{first.id}"]["max"] == "10"
    # Past the goal, the bar is full and the counter says the real number.
    assert bars[f"petition-{second.id}"]["value"] == "4"
    assert "6 signatures" in page.html.select_one(f"#petition-{second.id}").text
    closed = testapp.get("/tools/petitions?status=closed")
    assert [a.text for a in closed.html.select(".petition-card h2 a")] == ["Gone"]
    assert "new-petition" not in page.text


def test_the_list_pages_by_key(testapp, make_petition, registry):
    size = registry.settings["petitions.page_size"]
    made = [make_petition(title=f"Petition {n}") for n in range(size + 2)]
    page = testapp.get("/tools/petitions")
    assert len(page.html.select(".petition-card")) == size
    following = page.click(href="before=")
    titles = [a.text for a in following.html.select(".petition-card h2 a")]
    assert titles == ["Petition 1", "Petition 0"]
    assert made[0].id < made[1].id


def test_a_petition_page_is_bounded_in_queries(testapp, make_petition, dbsession, max_queries):
    petition = make_petition(text="# Heading\n\n<script>alert(1)</script> and *emphasis*")
    add_confirmed(dbsession, petition, 15)
    with max_queries(6):
        page = testapp.get(f"/tools/petitions/{petition.id}")
    assert page.html.select_one(".petition__text h1").text == "Heading"
    assert page.html.select_one(".petition__text em").text == "emphasis"
    assert "<script>alert" not in page.text
    assert page.html.select_one("progress")["value"] == "15"
    assert len(page.html.select("#signers li")) == 10


def test_a_missing_petition_is_not_found(testapp):
    testapp.get("/tools/petitions/999999", status=404)
    testapp.get("/tools/petitions/999999/signers", status=404)


def test_members_may_not_start_a_petition_by_default(login, make_user, testapp):
    assert login(make_user()).get("/tools/petitions/new", status=403)
    assert testapp.get("/tools/petitions/new", status=303).location.startswith(
        "http://localhost/login")


def test_a_moderator_starts_a_petition(login, make_user, dbsession):
    moderator = make_user(role="moderator")
    browser = login(moderator)
    index = browser.get("/tools/petitions")
    form = index.click(href="/tools/petitions/new").forms["petition-form"]
    form["title"] = "  Free public transport  "
    form["text"] = "Because **everyone** should move freely."
    form["addressee"] = "the region"
    form["goal"] = "5000"
    form["ends_on"] = (dt.date.today() + dt.timedelta(days=10)).isoformat()
    form["ask_postcode"] = True
    page = form.submit(status=303).follow()
    assert "Your petition is open." in page.text
    petition = dbsession.scalars(select(Petition).order_by(Petition.id.desc())).first()
    assert petition.title == "Free public transport" and petition.author_id == moderator.id
    assert petition.ask_postcode and not petition.ask_comment and petition.show_names
    assert petition.goal == 5000 and petition.group_id is None
    assert "postcode" in page.forms["sign-form"].fields


def test_bad_petition_input_is_refused_with_sentences(login, make_user, dbsession):
    browser = login(make_user(role="moderator"))
    form = browser.get("/tools/petitions/new").forms["petition-form"]
    form["title"] = ""
    form["text"] = ""
    form["addressee"] = "x" * 201
    form["goal"] = "0"
    form["ends_on"] = "2001-01-01"
    page = form.submit(status=200)
    errors = " ".join(p.text for p in page.html.select(".field__error"))
    assert "Give the petition a title." in errors
    assert "Write the text of the petition." in errors
    assert "Give a goal of at least 1 signature." in errors or "between 1" in errors
    assert "The end date cannot be in the past." in errors
    form = page.forms["petition-form"]
    form["goal"] = "lots"
    assert form.submit(status=200).html.select(".field__error")
    assert dbsession.scalar(select(Petition.id)) is None


def test_the_pages_speak_french(make_testapp, make_petition):
    petition = make_petition()
    browser = make_testapp(HTTP_ACCEPT_LANGUAGE="fr")
    assert browser.get("/tools/petitions").html.h1.text == "Pétitions"
    page = browser.get(f"/tools/petitions/{petition.id}")
    assert page.html.select_one("#sign-heading").text == "Signer cette pétition"
    assert "J’accepte" in page.html.select_one("label[for=consent]").text


def test_without_groups_a_group_petition_is_nowhere(testapp, make_petition, login, make_user):
    site = make_petition(title="Of the site")
    kept = make_petition(title="Of a group", group_id=12345)
    admin = login(make_user(role="admin"))
    for browser in (testapp, admin):
        listed = [a.text for a in browser.get("/tools/petitions").html.select(".petition-card h2 a")]
        assert listed == ["Of the site"]
        browser.get(f"/tools/petitions/{kept.id}", status=404)
        browser.get("/tools/petitions/group/anything", status=404)
    admin.get(f"/tools/petitions/{kept.id}/signatures.csv", status=404)
    admin.get("/tools/petitions/new?group=anything", status=404)
    assert site.id


def test_the_seeder_makes_demo_petitions_then_volume(registry, dbsession):
    from sqlalchemy import func

    from core.jobs import job_request
    from core.seeding import SeedContext
    from plugins.petitions.seed import seed_petitions

    with job_request(registry) as request, request.tm:
        seed_petitions(SeedContext(request, {}))
        seed_petitions(SeedContext(request, {"signatures": 500}))
    assert dbsession.scalar(select(func.count()).select_from(Petition)) == 3
    first = dbsession.scalar(select(Petition.id).order_by(Petition.id))
    counted = dbsession.scalar(select(func.count()).select_from(Signature).where(
        Signature.petition_id == first, Signature.confirmed_at.is_not(None)))
    assert counted >= 520


def test_a_bad_rate_setting_stops_start_up_with_a_sentence(cortege_settings, cortege_engine):
    from core import make_config
    from core.errors import StartupError

    settings = {**cortege_settings, "petitions.sign_rate": "often"}
    with pytest.raises(StartupError, match="petitions.sign_rate.*expected a rate such as 10/hour"):
        make_config(settings, engine=cortege_engine)


def test_numbers_too_large_for_an_id_are_answered_plainly(testapp, make_petition):
    make_petition()
    testapp.get("/tools/petitions/99999999999999999999", status=404)
    page = testapp.get("/tools/petitions?before=99999999999999999999")
    assert len(page.html.select(".petition-card")) == 1
    testapp.get("/tools/petitions?before=-3&status=closed")


def add_boxes(config):
    """Two boxes beside every petition, as another plugin would add them; one for its
    organisers only."""
    from markupsafe import Markup

    config.add_region_item("petitions.petition.aside", "count",
                           view=lambda request, count, **_: Markup('<p class="box-count">%d</p>')
                           % count)
    config.add_region_item("petitions.petition.aside", "organisers",
                           view=lambda request, **_: Markup('<p class="box-organisers">Yes</p>'),
                           permission="petitions.organise")


class TestAside:
    @pytest.fixture
    def app(self, cortege_settings, cortege_engine):
        from tests.plugins.apps import app_including

        return app_including(cortege_settings, cortege_engine, add_boxes)

    def test_other_plugins_add_boxes_beside_a_petition(self, make_petition, make_user, login,
                                                       testapp, dbsession):
        author = make_user()
        petition = make_petition(author=author)
        add_confirmed(dbsession, petition, 3)
        page = testapp.get(f"/tools/petitions/{petition.id}")
        aside = page.html.select_one("aside.petition-aside")
        assert aside.select_one(".box-count").text == "3"
        assert aside.select_one(".box-organisers") is None
        page = login(author).get(f"/tools/petitions/{petition.id}")
        assert page.html.select_one("aside.petition-aside .box-organisers").text == "Yes"


def test_without_boxes_there_is_no_aside(make_petition, testapp, registry):
    from core.regions import declared_regions

    assert "petitions.petition.aside" in declared_regions(registry)
    page = testapp.get(f"/tools/petitions/{make_petition().id}")
    assert page.html.select_one("aside.petition-aside") is None
