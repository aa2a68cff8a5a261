"""Petitions on the spine: what they publish, what their subscribers do, who their mail
reaches when it leaves, and the rules their service keeps whoever calls it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import delete, select

from core.errors import Conflict, Forbidden, NotFound
from core.events import StoredEvent
from core.jobs import Job, drain, job_request, run_job
from plugins.petitions.interfaces import IPetitionService
from plugins.petitions.models import Petition
from tests.plugins.petitions.conftest import fill_signature, link_in, signatures
from tests.plugins.viewers import browser_of, viewers_of


@pytest.fixture
def cortege_plugins():
    return ["profiles", "groups", "tools", "petitions"]


def events(dbsession, prefix="petitions."):
    dbsession.expire_all()
    return [(event.name, event.actor_id, event.payload) for event in dbsession.scalars(
        select(StoredEvent).where(StoredEvent.name.startswith(prefix)).order_by(StoredEvent.id))]


def news(outbox):
    return sorted(m.recipients[0] for m in outbox if "reached its goal" in m.subject)


def test_launching_signing_confirming_and_closing_are_published(make_user, login, testapp,
                                                                outbox, dbsession):
    moderator = make_user(role="moderator")
    organiser = login(moderator)
    form = organiser.get("/tools/petitions/new").forms["petition-form"]
    form["title"], form["text"], form["addressee"], form["goal"] = "Trees", "Plant.", "Mayor", "9"
    form.submit(status=303)
    petition = dbsession.scalars(select(Petition)).one()
    member = make_user("louise", email="louise@example.org")
    page = login(member).get(f"/tools/petitions/{petition.id}")
    fill_signature(page, email="louise@example.org").submit(status=303)
    fill_signature(testapp.get(f"/tools/petitions/{petition.id}"),
                   email="ana@example.org").submit(status=303)
    # A second attempt before confirming replaces the first: nothing new is signed.
    fill_signature(testapp.get(f"/tools/petitions/{petition.id}"),
                   email="ANA@example.org").submit(status=303)
    own, ana = signatures(dbsession, petition)
    confirm_page = testapp.get(link_in(outbox[-1]))
    confirm_page.forms["token-form"].submit(status=303)
    # The button pressed again (a second tab) counts nothing more.
    confirm_page.forms["token-form"].submit(status=303)
    organiser.get(f"/tools/petitions/{petition.id}").forms["close-form"].submit(status=303)
    assert events(dbsession) == [
        ("petitions.petition_launched", moderator.id,
         {"actor_id": moderator.id, "petition_id": petition.id, "group_id": None}),
        ("petitions.petition_signed", member.id,
         {"actor_id": member.id, "petition_id": petition.id, "signature_id": own.id}),
        ("petitions.petition_signed", None,
         {"actor_id": None, "petition_id": petition.id, "signature_id": ana.id}),
        ("petitions.signature_confirmed", None,
         {"actor_id": None, "petition_id": petition.id, "signature_id": ana.id}),
        ("petitions.petition_closed", moderator.id,
         {"actor_id": moderator.id, "petition_id": petition.id}),
    ]


def test_the_goal_is_reached_once_and_its_news_go_to_those_who_asked(
        make_petition, sign, confirm, outbox, dbsession, testapp):
    petition = make_petition(goal=2)
    for email, newsletter in (("ana@example.org", True), ("bo@example.org", False),
                              ("cy@example.org", True)):
        sign(petition, email=email, newsletter=newsletter, status=303)
    links = {m.recipients[0]: m for m in outbox}
    confirm(links["ana@example.org"])
    assert events(dbsession, "petitions.goal") == []
    confirm(links["bo@example.org"])
    assert events(dbsession, "petitions.goal") == [
        ("petitions.goal_reached", None, {"actor_id": None, "petition_id": petition.id})]
    dbsession.refresh(petition)
    assert petition.goal_reached_at is not None
    # Only who asked for news, and had confirmed: not Bo, not Cy (yet unconfirmed).
    assert news(outbox) == ["ana@example.org"]
    [message] = [m for m in outbox if "reached its goal" in m.subject]
    assert "“Save the river” reached its goal" in message.subject
    assert "reached its goal of 2 signatures" in message.body and "Ana Lopez" in message.body
    outbox.clear()
    confirm(links["cy@example.org"])  # past the goal: it was reached once
    assert len(events(dbsession, "petitions.goal")) == 1 and news(outbox) == []
    # The link in the news stops them, after a button.
    stop = re.search(r"http://[^/]+(/tools/petitions/news/stop/\S+)", message.body)[1]
    page = testapp.get(stop)
    assert "Your signature still counts" in page.text
    page.forms["news-stop-form"].submit(status=303)
    ana = signatures(dbsession, petition)[0]
    assert ana.newsletter is None and ana.confirmed_at is not None
    testapp.get(stop, status=404)
    testapp.get("/tools/petitions/news/stop/forged", status=404)


class TestNewsLeaveLater:
    """Jobs wait in a queue that no worker reads, so the test runs them when it chooses."""

    @pytest.fixture
    def cortege_settings(self, cortege_settings, tmp_path_factory):
        queue = tmp_path_factory.getbasetemp() / "held-queue.sqlite"
        return {**cortege_settings, "cortege.queue_url": f"sqlite:///{queue}"}

    def test_news_of_a_private_groups_petition_reach_who_may_see_it_when_they_leave(
            self, make_group, add_member, make_user, make_petition, make_signature, login,
            outbox, dbsession, registry):
        from plugins.groups.models import Membership

        group = make_group("Section", slug="section", status="private")
        stays, leaves, goes_early = (make_user(name, email=f"{name}@example.org")
                                     for name in ("stays", "leaves", "early"))
        for person in (stays, leaves, goes_early):
            add_member(group, person)
        petition = make_petition("Internal motion", group=group, goal=4)
        for person in (leaves, goes_early):
            make_signature(petition, email=person.email, newsletter=True)
        make_signature(petition, email="nobody@example.org", newsletter=True)  # no account
        fill_signature(login(stays).get(f"/tools/petitions/{petition.id}"),
                       email="stays@example.org", newsletter=True).submit(status=303)
        drain(registry)
        [link] = outbox
        login(stays).get(link_in(link)).forms["token-form"].submit(status=303)
        outbox.clear()
        # Gone from the group after the goal was reached, before the news were written.
        dbsession.execute(delete(Membership).where(Membership.user_id == goes_early.id))
        while pending := dbsession.scalars(select(Job.id).where(
                Job.status == "pending", Job.task != "cortege.mail")).all():
            for job_id in pending:
                run_job(registry, job_id)
        mails = dbsession.scalars(select(Job).where(Job.task == "cortege.mail",
                                                    Job.status == "pending")).all()
        assert sorted(job.args["to"] for job in mails) == [
            "leaves@example.org", "stays@example.org"]
        # Gone after the news were written, before they left: dropped at the last moment.
        dbsession.execute(delete(Membership).where(Membership.user_id == leaves.id))
        drain(registry)
        assert news(outbox) == ["stays@example.org"]


def test_a_public_petitions_news_reach_any_address_and_accounts_by_their_own(
        make_petition, make_signature, make_user, confirm, sign, outbox, dbsession):
    make_user("louise", email="louise@example.org", status="active")
    petition = make_petition(goal=3)
    make_signature(petition, email="friend@example.org", newsletter=True)
    make_signature(petition, email="LOUISE@example.org", newsletter=True)
    sign(petition, email="last@example.org", status=303)
    confirm(outbox[0])
    # An account's address is written as the account has it; others as they were given.
    assert news(outbox) == ["friend@example.org", "louise@example.org"]


def test_the_service_refuses_actors_who_may_not(make_group, add_member, make_user,
                                                make_petition, registry, dbsession):
    group = make_group("Cell", slug="cell", status="hidden")
    moderator, member, outsider = make_user(), make_user(), make_user()
    admin = make_user(role="admin")
    add_member(group, moderator, role="moderator")
    add_member(group, member)
    site = make_petition("Of the site")
    of_group = make_petition("Of the cell", group=group)
    closed = make_petition("Closed", status="closed")
    values = {"title": "T", "text": "X", "addressee": "A", "goal": 5, "ends_on": None,
              "ask_postcode": False, "ask_comment": False, "show_names": True}
    data = {"name": "N", "email": "n@example.org", "consent_text": "I agree."}
    with job_request(registry) as request, request.tm:
        service = request.find_service(IPetitionService)
        for actor, where in ((member, None), (None, None), (member, group)):
            with pytest.raises(Forbidden):
                service.create(actor, values, where)
        with pytest.raises(NotFound):
            service.create(outsider, values, group)
        assert service.create(moderator, values, group).group_id == group.id
        assert service.create(admin, values).group_id is None
        for petition, actor in ((site, member), (of_group, member)):
            with pytest.raises(Forbidden):
                service.close(petition, actor)
            with pytest.raises(Forbidden):
                service.signatures_csv(petition, actor)
        with pytest.raises(NotFound):
            service.close(of_group, outsider)
        with pytest.raises(NotFound):
            service.sign(of_group, data, "en", outsider)
        with pytest.raises(Conflict):
            service.sign(closed, data, "en", member)
        service.close(of_group, moderator)
        service.close(site, admin)
    dbsession.expire_all()
    assert {p.status for p in dbsession.scalars(select(Petition).where(
        Petition.id.in_([site.id, of_group.id])))} == {"closed"}


@pytest.mark.parametrize("status", ["public", "private", "hidden"])
def test_the_content_type_says_what_the_pages_show(status, make_group, add_member, make_user,
                                                   make_petition, login, make_testapp,
                                                   registry, dbsession):
    from core.content import may_see, visible_ids

    group = make_group("Cell", slug="cell", status=status)
    people = viewers_of(group, make_user, add_member, dbsession)
    petition = make_petition("Of the cell", group=group)
    site = make_petition("Of the site")
    for name, person in people.items():
        browser = browser_of(person, login, make_testapp)
        shown = browser.get(f"/tools/petitions/{petition.id}", expect_errors=True)
        with job_request(registry) as request, request.tm:
            ids = set(dbsession.scalars(visible_ids(request, "petitions.petition", person)))
            assert may_see(request, "petitions.petition", petition.id, person) == (
                shown.status_int == 200), name
        assert site.id in ids
        assert (petition.id in ids) == (shown.status_int == 200), name
        expected = status == "public" or name in ("member", "admin")
        assert (petition.id in ids) == expected, name


def test_a_goal_checked_again_publishes_nothing(make_petition, make_signature, registry,
                                                dbsession):
    petition = make_petition(goal=1)
    make_signature(petition)
    with job_request(registry) as request, request.tm:
        service = request.find_service(IPetitionService)
        assert service.check_goal(petition.id) is True
        assert service.check_goal(petition.id) is False
    assert [name for name, *_ in events(dbsession)] == ["petitions.goal_reached"]
