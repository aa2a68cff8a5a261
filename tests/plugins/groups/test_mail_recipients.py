"""Group mail is written by subscribers when they run, to whoever should hear of it then,
and dropped when it leaves if its reader may no longer know of the group.

The site here queues its jobs (a SQLite queue no worker reads), so that the tests decide when
the subscribers and the mail run (``core.jobs.drain``, ``run_job``), and change the group in
between, as happens when a worker is behind.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.jobs import DONE, Job, drain, run_job


@pytest.fixture
def cortege_settings(cortege_settings, tmp_path_factory):
    queue = tmp_path_factory.getbasetemp() / "groups-queue.sqlite"
    return {**cortege_settings, "cortege.queue_url": f"sqlite:///{queue}"}


def post(browser, slug, path, **data):
    token = browser.get("/account").html.select_one('input[name="csrf_token"]')["value"]
    return browser.post(f"/groups/{slug}/{path}", {"csrf_token": token, **data})


def deliveries(dbsession, subscriber):
    return dbsession.scalars(select(Job).where(Job.task == "cortege.deliver_event",
                                               Job.key.endswith(f":{subscriber}"))
                             .order_by(Job.id)).all()


def mails(dbsession):
    return dbsession.scalars(select(Job).where(Job.task == "cortege.mail")
                             .order_by(Job.id)).all()


def test_a_request_goes_to_the_admins_and_moderators_of_the_moment(
        make_member, make_group, login, dbsession, registry, outbox):
    admin, moderator, plain = make_member("admin1"), make_member("modo"), make_member("plain")
    newcomer, camille = make_member("newcomer"), make_member("camille")
    group = make_group("Brest", status="private", admin=admin,
                       members=[(moderator, "moderator"), plain, newcomer])
    post(login(camille), "brest", "membership", action="join")
    assert outbox == [] and mails(dbsession) == []  # nothing written before it runs
    boss = login(admin)
    post(boss, "brest", "manage", action="demote", user_id=str(moderator.id))
    post(boss, "brest", "manage", action="promote", user_id=str(newcomer.id))
    drain(registry)
    assert sorted(m.recipients[0] for m in outbox) == sorted([admin.email, newcomer.email])
    assert all("/groups/brest/requests" in m.body for m in outbox)
    assert sorted((job.args["user_id"], tuple(job.args["about"]))
                  for job in mails(dbsession)) == sorted(
        [(admin.id, ("groups.group", group.id)), (newcomer.id, ("groups.group", group.id))])
    # Delivered once: running its job again sends nothing more.
    [job] = deliveries(dbsession, "groups.mail_join_request")
    assert job.status == DONE and run_job(registry, job.id) is None
    assert len(outbox) == 2


def test_what_is_no_longer_true_is_not_told(make_member, make_group, login, dbsession,
                                            registry, outbox):
    admin, other_admin = make_member("admin1"), make_member("admin2")
    camille, dom = make_member("camille"), make_member("dom")
    make_group("Brest", status="private", admin=admin, members=[(other_admin, "admin")])
    make_group("Bureau", status="hidden", admin=admin, members=[(other_admin, "admin")])
    # A request withdrawn before its mail is written is not announced.
    camille_web = login(camille)
    post(camille_web, "brest", "membership", action="join")
    post(camille_web, "brest", "membership", action="cancel")
    # An invitation answered before its mail is written is not sent; and the inviter, who
    # left the group meanwhile, does not hear of the answer.
    boss = login(admin)
    post(boss, "bureau", "invite", username="dom")
    post(login(dom), "bureau", "membership", action="accept")
    post(boss, "bureau", "membership", action="leave")
    drain(registry)
    assert outbox == []
    assert {job.status for job in dbsession.scalars(select(Job))} == {DONE}


def test_a_refusal_is_dropped_when_the_group_turned_hidden_before_it_left(
        make_member, make_group, login, dbsession, registry, outbox):
    admin, camille = make_member("admin1"), make_member("camille")
    group = make_group("Brest", status="private", admin=admin)
    post(login(camille), "brest", "membership", action="join")
    drain(registry)
    outbox.clear()
    post(login(admin), "brest", "manage", action="reject", user_id=str(camille.id))
    [job] = deliveries(dbsession, "groups.mail_request_answer")
    assert run_job(registry, job.id) == DONE  # the subscriber writes the mail...
    [mail] = [job for job in mails(dbsession) if job.status != DONE]
    assert mail.args["user_id"] == camille.id
    assert mail.args["about"] == ["groups.group", group.id]
    group.status = "hidden"  # ...the group turns hidden before it leaves...
    dbsession.flush()
    assert run_job(registry, mail.id) == DONE
    assert outbox == []  # ...and it never names the group to someone who may not know it
