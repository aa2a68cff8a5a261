"""Preferences per type and channel, mail at once with RFC 8058 one-click unsubscribe, digests
at each member's local morning, and privacy when the mail or the digest leaves."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from core.jobs import Job, drain, job_request, run_job
from plugins.notifications import services
from plugins.notifications.models import Notification, Preference
from tests.plugins.notifications.conftest import (
    centre,
    notifications_of,
    unsubscribe_link,
    write_topic,
)


def choose(browser, **channels):
    form = browser.get("/account/notifications").forms["notification-preferences-form"]
    for type_name, channel in channels.items():
        form[f"type:{type_name.replace('__', '.')}"] = channel
    return form.submit(status=303)


def mentions(outbox, to):
    return [m for m in outbox if m.recipients == [to]]


def test_defaults_and_choices_per_type(make_user, login, make_forum, outbox, dbsession):
    alice, bob = make_user("alice", display_name="Alice"), make_user("bob", email="bob@example.org")
    make_forum("Debates")
    as_alice, as_bob = login(alice), login(bob)
    page = as_bob.get("/account/notifications")
    form = page.forms["notification-preferences-form"]
    assert form["type:core.mentioned"].value == "email"  # the default
    assert form["type:forums.reply"].value == "in_app"
    assert form["type:petitions.goal_reached"].value == "off"
    # By default, a mention rings the bell and sends a mail at once.
    write_topic(as_alice, "debates", "One", "Hello @bob")
    [mail] = mentions(outbox, "bob@example.org")
    assert mail.subject == "[Cortège] Alice mentioned you in “One”"
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/forums/" in mail.body
    # In the centre only: no mail.
    choose(as_bob, core__mentioned="in_app")
    write_topic(as_alice, "debates", "Two", "Again @bob")
    assert len(mentions(outbox, "bob@example.org")) == 1
    assert len(notifications_of(dbsession, bob)) == 2
    # Off: nothing at all.
    choose(as_bob, core__mentioned="off")
    write_topic(as_alice, "debates", "Three", "And @bob")
    assert len(notifications_of(dbsession, bob)) == 2
    # Nonsense is refused, and nothing changes.
    form = as_bob.get("/account/notifications").forms["notification-preferences-form"]
    as_bob.post("/account/notifications", {"csrf_token": form["csrf_token"].value,
                                           "type:core.mentioned": "loud"}, status=400)
    assert dbsession.get(Preference, (bob.id, "core.mentioned")).channel == "off"


def test_french_mail_for_a_french_member(make_user, login, make_forum, outbox):
    alice = make_user("alice", display_name="Alice")
    make_user("bob", email="bob@example.org", locale="fr")
    make_forum("Debates")
    write_topic(login(alice), "debates", "Logement", "Salut @bob")
    [mail] = mentions(outbox, "bob@example.org")
    assert "Alice vous a mentionné" in mail.subject


def test_one_click_unsubscribe_changes_that_type_for_that_member_only(
        make_user, login, make_forum, outbox, dbsession, testapp):
    alice = make_user("alice")
    bob = make_user("bob", email="bob@example.org")
    cy = make_user("cy", email="cy@example.org")
    make_forum("Debates")
    as_alice = login(alice)
    choose(login(bob), groups__invitation="daily")
    write_topic(as_alice, "debates", "One", "Hello @bob and @cy")
    [mail] = mentions(outbox, "bob@example.org")
    link = unsubscribe_link(mail)
    # A GET shows a button and changes nothing (mail scanners follow links).
    page = testapp.get(link)
    assert dbsession.get(Preference, (bob.id, "core.mentioned")) is None
    # The mail client's one click: a POST with the RFC 8058 body, no login, no CSRF token.
    testapp.post(link, {"List-Unsubscribe": "One-Click"}, status=200)
    dbsession.expire_all()
    assert dbsession.get(Preference, (bob.id, "core.mentioned")).channel == "in_app"
    # Only that type, only that member.
    assert dbsession.get(Preference, (bob.id, "groups.invitation")).channel == "daily"
    assert dbsession.get(Preference, (cy.id, "core.mentioned")) is None
    assert page.forms["unsubscribe-form"].submit().status_int == 200
    # A POST without RFC 8058's body is not this form (and nothing changes).
    testapp.post(link, {"csrf_token": "x"}, status=400)
    # The link is no key to anything else: another type, another member, a forged signature.
    user_id, type_name, signature = link.rsplit("/", 3)[1:]
    for forged in (f"/notifications/unsubscribe/{cy.id}/{type_name}/{signature}",
                   f"/notifications/unsubscribe/{user_id}/groups.invitation/{signature}",
                   f"/notifications/unsubscribe/{user_id}/digest/{signature}",
                   f"/notifications/unsubscribe/{user_id}/{type_name}/{'0' * 32}",
                   f"/notifications/unsubscribe/{user_id}/{type_name}/x"):
        testapp.post(forged, {"List-Unsubscribe": "One-Click"}, status=404)
    dbsession.expire_all()
    assert dbsession.get(Preference, (bob.id, "groups.invitation")).channel == "daily"
    assert dbsession.get(Preference, (cy.id, "core.mentioned")) is None
    # Mail stops; the bell still rings.
    write_topic(as_alice, "debates", "Two", "Again @bob")
    assert len(mentions(outbox, "bob@example.org")) == 1
    assert centre(login(bob))[0].endswith("“Two”")


def _digests(registry, now):
    with job_request(registry) as request, request.tm:
        return services.schedule_digests(request, now=now)


def test_digests_leave_at_each_members_local_morning(make_user, login, make_forum, registry,
                                                     outbox, dbsession):
    alice = make_user("alice", display_name="Alice")
    paris = make_user("paris", email="paris@example.org", timezone="Europe/Paris")
    tokyo = make_user("tokyo", email="tokyo@example.org", timezone="Asia/Tokyo", locale="fr")
    weekly = make_user("weekly", email="weekly@example.org", timezone="America/New_York")
    make_forum("Debates")
    choose(login(paris), core__mentioned="daily")
    choose(login(tokyo), core__mentioned="daily")
    choose(login(weekly), core__mentioned="weekly")
    write_topic(login(alice), "debates", "Housing", "@paris @tokyo @weekly look")
    assert [m for m in outbox if "mentioned" in m.subject or "mentionné" in m.subject] == []
    # Monday 1 December 2031, 22:00 UTC: 07:00 on Tuesday in Tokyo, 23:00 in Paris.
    monday = dt.datetime(2031, 12, 1, 22, 0, tzinfo=dt.UTC)
    assert _digests(registry, monday) == 1
    [mail] = outbox
    assert mail.recipients == ["tokyo@example.org"]
    assert "résumé quotidien" in mail.subject and "Alice vous a mentionné" in mail.body
    assert mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # Asked again within the hour, or later that day: nothing twice.
    assert _digests(registry, monday + dt.timedelta(minutes=30)) == 0
    # 06:00 in Paris is too early; 07:00 is the time.
    assert _digests(registry, dt.datetime(2031, 12, 2, 5, 0, tzinfo=dt.UTC)) == 0
    assert _digests(registry, dt.datetime(2031, 12, 2, 6, 0, tzinfo=dt.UTC)) == 1
    assert [m.recipients for m in outbox][-1] == ["paris@example.org"]
    # Weekly: Monday morning in New York only (Tuesday 2nd is not).
    assert _digests(registry, dt.datetime(2031, 12, 2, 12, 0, tzinfo=dt.UTC)) == 0
    assert _digests(registry, dt.datetime(2031, 12, 8, 12, 0, tzinfo=dt.UTC)) == 1
    assert "weekly digest" in outbox[-1].subject
    assert outbox[-1].recipients == ["weekly@example.org"]
    assert not dbsession.scalars(select(Notification).where(
        Notification.digest.is_not(None))).all()


def test_a_member_removed_from_the_group_between_the_event_and_the_digest(
        make_user, make_group, login, registry, outbox, dbsession):
    admin = make_user("admin1")
    member = make_user("member", email="member@example.org", timezone="UTC")
    stays = make_user("stays", email="stays@example.org", timezone="UTC")
    group = make_group("Lille", status="private", admin=admin, members=[member, stays])
    for person in (member, stays):
        choose(login(person), agenda__group_event="daily")
    browser = login(admin)
    form = browser.get(f"/agenda/new?group={group.slug}").forms["event-form"]
    for name, value in {"title": "Secret meeting", "start_date": (dt.date.today() + dt.timedelta(
            days=7)).isoformat(), "start_time": "19:00", "timezone": "Europe/Paris",
            "city": "Lille"}.items():
        form[name] = value
    form.submit(status=303)
    assert len(notifications_of(dbsession, member)) == 1
    page = browser.get(f"/groups/{group.slug}")
    browser.post(f"/groups/{group.slug}/manage", {
        "action": "remove", "user_id": str(member.id),
        "csrf_token": page.html.select_one('input[name="csrf_token"]')["value"]})
    outbox.clear()
    morning = dt.datetime.now(dt.UTC).replace(hour=7) + dt.timedelta(days=1)
    assert _digests(registry, morning) == 2
    assert [m.recipients for m in outbox] == [["stays@example.org"]]
    assert "Secret meeting" in outbox[0].body
    # Nor does the centre show it to them any more.
    removed = login(member)
    assert centre(removed) == []
    assert removed.get("/notifications/count.json").json == {"unread": 0}
    [row] = notifications_of(dbsession, member)
    removed.get(f"/notifications/{row.id}", status=404)


def _new_group_event(browser, group, title):
    form = browser.get(f"/agenda/new?group={group.slug}").forms["event-form"]
    for name, value in {"title": title, "start_date": (dt.date.today() + dt.timedelta(
            days=7)).isoformat(), "start_time": "19:00", "timezone": "Europe/Paris",
            "city": "Lille"}.items():
        form[name] = value
    form.submit(status=303)


def _remove(browser, group, user):
    page = browser.get(f"/groups/{group.slug}")
    browser.post(f"/groups/{group.slug}/manage", {
        "action": "remove", "user_id": str(user.id),
        "csrf_token": page.html.select_one('input[name="csrf_token"]')["value"]}, status=303)


def test_recipients_are_decided_when_the_job_runs(make_user, make_group, login, registry,
                                                  outbox, dbsession, hold_jobs):
    admin = make_user("admin1")
    member = make_user("member", email="member@example.org")
    stays = make_user("stays", email="stays@example.org")
    group = make_group("Lille", status="private", admin=admin, members=[member, stays])
    for person in (member, stays):
        choose(login(person), agenda__group_event="email")
    drain(registry)
    browser = login(admin)
    _new_group_event(browser, group, "Secret meeting")
    _remove(browser, group, member)  # before any worker ran
    drain(registry)
    assert notifications_of(dbsession, member) == []
    assert len(notifications_of(dbsession, stays)) == 1
    assert [m.recipients for m in outbox if "Secret meeting" in m.subject] == [
        ["stays@example.org"]]


def test_mail_at_once_is_dropped_if_the_subject_left_sight_before_it_leaves(
        make_user, make_group, login, registry, outbox, dbsession, hold_jobs):
    admin = make_user("admin1")
    member = make_user("member", email="member@example.org")
    group = make_group("Lille", status="private", admin=admin, members=[member])
    choose(login(member), agenda__group_event="email")
    drain(registry)
    browser = login(admin)
    _new_group_event(browser, group, "Secret meeting")
    # The fan-out runs (the notification is written, the mail queued), not the mail job.
    for job in dbsession.scalars(select(Job).where(Job.status == "pending",
                                                   Job.task != "cortege.mail")):
        run_job(registry, job.id)
    while True:
        dbsession.expire_all()
        pending = dbsession.scalars(select(Job).where(Job.status == "pending",
                                                      Job.task != "cortege.mail")).all()
        if not pending:
            break
        for job in pending:
            run_job(registry, job.id)
    assert len(notifications_of(dbsession, member)) == 1
    _remove(browser, group, member)
    drain(registry)
    assert [m for m in outbox if "Secret meeting" in m.subject] == []
