"""The phone bank on Cortège's spine: the events it publishes, the members its subscriber
tells of a new campaign (chosen when the mail is written, checked again when it leaves), and
the rules its service keeps whoever calls it."""

from __future__ import annotations

import pytest
from core.errors import Forbidden, NotFound
from core.events import StoredEvent
from core.jobs import Job, drain, job_request, run_job
from sqlalchemy import select

from phonebank.events import CampaignCreated
from phonebank.interfaces import IPhonebankService
from phonebank.subscribers import tell_callees


@pytest.fixture
def section(make_user, make_group, add_member, agree):
    """A private group: an organiser, two members who agreed to be called, one who did not,
    a banned one who had agreed; and an outsider who agreed."""
    people = {name: make_user(name, display_name=name.title(), email=f"{name}@example.org")
              for name in ("olga", "alice", "bruno", "chloe", "dan", "outsider")}
    group = make_group("Section Lille", slug="lille", status="private")
    add_member(group, people["olga"], role="moderator")
    for name in ("alice", "bruno", "chloe"):
        add_member(group, people[name])
    add_member(group, people["dan"], state="banned")
    for name in ("olga", "alice", "bruno", "dan", "outsider"):
        agree(people[name])
    return group, people


def events(dbsession):
    dbsession.expire_all()
    return [(event.name, event.actor_id, event.payload) for event in dbsession.scalars(
        select(StoredEvent).where(StoredEvent.name.startswith("phonebank."))
        .order_by(StoredEvent.id))]


def open_campaign(browser, title="Saturday market"):
    form = browser.get("/tools/phonebank/group/lille").forms["phonebank-campaign-form"]
    form["title"], form["script"] = title, "1. Say hello."
    return int(form.submit(status=303).location.rsplit("/", 1)[1])


def test_a_campaign_is_published_and_the_members_who_agreed_are_told(section, login, outbox,
                                                                      dbsession):
    group, people = section
    olga = login(people["olga"])
    campaign_id = open_campaign(olga)
    assert sorted(m.recipients[0] for m in outbox) == ["alice@example.org", "bruno@example.org"]
    message = next(m for m in outbox if m.recipients == ["alice@example.org"])
    assert "Section Lille will call its members: Saturday market" in message.subject
    assert "Hello Alice," in message.body and "http://" in message.body
    assert "+33" not in message.body  # never a number by mail
    form = olga.get(f"/tools/phonebank/{campaign_id}/call/{people['alice'].id}").forms[
        "phonebank-call-form"]
    form["outcome"] = "reached"
    form.submit(status=303)
    close = olga.get(f"/tools/phonebank/{campaign_id}").forms["phonebank-close-form"]
    close.submit(status=303)
    call_id = dbsession.scalar(select(StoredEvent.payload).where(
        StoredEvent.name == "phonebank.call_logged"))["call_id"]
    olga_id = people["olga"].id
    assert events(dbsession) == [
        ("phonebank.campaign_created", olga_id,
         {"actor_id": olga_id, "campaign_id": campaign_id, "group_id": group.id}),
        ("phonebank.call_logged", olga_id,
         {"actor_id": olga_id, "campaign_id": campaign_id, "call_id": call_id}),
        ("phonebank.campaign_closed", olga_id, {"actor_id": olga_id, "campaign_id": campaign_id}),
    ]


def test_the_subscriber_given_the_event_again_asks_for_nothing_more(section, login, outbox,
                                                                    registry, dbsession):
    group, people = section
    campaign_id = open_campaign(login(people["olga"]))
    jobs = dbsession.scalar(select(Job.id).where(Job.task == "phonebank.notify_chunk"))
    assert jobs is not None and len(outbox) == 2
    event = CampaignCreated(actor_id=people["olga"].id, campaign_id=campaign_id,
                            group_id=group.id)
    with job_request(registry) as request, request.tm:
        tell_callees(request, event)
        assert request.find_service(IPhonebankService).defer_notices(campaign_id) == 0
    assert len(outbox) == 2


class TestNoticesLeaveLater:
    """Jobs wait in a queue that no worker reads, so the test runs them when it chooses."""

    @pytest.fixture
    def cortege_settings(self, cortege_settings, tmp_path_factory):
        queue = tmp_path_factory.getbasetemp() / "held-queue.sqlite"
        return {**cortege_settings, "cortege.queue_url": f"sqlite:///{queue}"}

    def test_a_member_who_left_before_the_mail_leaves_is_not_told(self, section, login,
                                                                  outbox, registry,
                                                                  dbsession):
        _group, people = section
        open_campaign(login(people["olga"]))
        while pending := dbsession.scalars(select(Job.id).where(
                Job.status == "pending", Job.task != "cortege.mail")).all():
            for job_id in pending:
                run_job(registry, job_id)
        written = dbsession.scalars(select(Job).where(Job.task == "cortege.mail")).all()
        assert sorted(job.args["to"] for job in written) == [
            "alice@example.org", "bruno@example.org"]
        bruno = login(people["bruno"])
        token = bruno.get("/groups/lille").html.select_one('input[name="csrf_token"]')["value"]
        bruno.post("/groups/lille/membership", {"csrf_token": token, "action": "leave"})
        drain(registry)
        assert [m.recipients for m in outbox] == [["alice@example.org"]]


def test_the_service_refuses_actors_who_may_not(section, make_user, make_group, add_member,
                                                make_campaign, registry):
    group, people = section
    hidden = make_group("Cell", slug="cell", status="hidden")
    suspended_admin = make_user(role="admin", status="suspended")
    campaign = make_campaign(group)
    with job_request(registry) as request, request.tm:
        service = request.find_service(IPhonebankService)
        campaign = service.get_campaign(campaign.id)
        with pytest.raises(Forbidden):
            service.create_campaign(group, people["alice"], "Mine", "Hello.")
        with pytest.raises(NotFound):
            service.create_campaign(hidden, people["alice"], "Theirs", "Hello.")
        with pytest.raises(Forbidden):
            service.create_campaign(group, suspended_admin, "Not any more", "Hello.")
        with pytest.raises(Forbidden):
            service.log_call(campaign, people["alice"], people["bruno"].id, "reached")
        with pytest.raises(Forbidden):
            service.close(campaign, people["alice"])
        with pytest.raises(Forbidden):
            service.campaign_for_caller(campaign.id, people["alice"])
        with pytest.raises(NotFound):
            service.campaign_for_caller(campaign.id, people["outsider"])
        service.log_call(campaign, people["olga"], people["bruno"].id, "reached")
        service.close(campaign, people["olga"])
        assert campaign.closed_at is not None
