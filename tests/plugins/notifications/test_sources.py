"""Every bundled source, through the pages (or the periodic task that publishes it): who is
told, about what, and who is not."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from core.db import utcnow
from core.events import publish
from core.jobs import job_request
from plugins.agenda.models import GOING, WAITLIST, Event
from plugins.petitions.events import GoalReached
from plugins.polls.interfaces import IPollService
from tests.plugins.agenda.test_rsvp import answer
from tests.plugins.notifications.conftest import centre, notifications_of


def _post(browser, slug, path, **data):
    page = browser.get(f"/groups/{slug}")
    data["csrf_token"] = page.html.select_one('input[name="csrf_token"]')["value"]
    return browser.post(f"/groups/{slug}/{path}", data)


def kinds(dbsession, user):
    return [(n.type, n.subject_kind, n.subject_id) for n in notifications_of(dbsession, user)]


def test_group_invitation_request_acceptance_and_role(make_member, make_group, login, dbsession):
    admin = make_member("admin1", display_name="Ada")
    moderator, plain = make_member("modo"), make_member("plain")
    camille = make_member("camille", display_name="Camille")
    dominique = make_member("dominique")
    group = make_group("Marseille", status="private", admin=admin,
                       members=[(moderator, "moderator"), plain])
    _post(login(camille), "marseille", "membership", action="join")
    # The admins and moderators hear of the request; plain members do not.
    assert kinds(dbsession, admin) == [("groups.join_request", "groups.group", group.id)]
    assert kinds(dbsession, moderator) == [("groups.join_request", "groups.group", group.id)]
    assert kinds(dbsession, plain) == []
    assert centre(login(admin)) == ["Camille asks to join “Marseille”"]
    _post(login(admin), "marseille", "manage", action="approve", user_id=str(camille.id))
    assert kinds(dbsession, camille) == [("groups.request_accepted", "groups.group", group.id)]
    _post(login(admin), "marseille", "manage", action="promote", user_id=str(camille.id))
    assert [n.type for n in notifications_of(dbsession, camille)] == [
        "groups.request_accepted", "groups.role_changed"]
    assert centre(login(camille))[0] == "Ada changed your role in “Marseille”"
    _post(login(admin), "marseille", "invite", username="dominique")
    assert kinds(dbsession, dominique) == [("groups.invitation", "groups.group", group.id)]
    assert centre(login(dominique)) == ["Ada invited you to join “Marseille”"]


def test_an_invitation_to_a_hidden_group_is_for_the_invited_only(make_member, make_group,
                                                                  login, dbsession):
    admin, camille = make_member("admin1", display_name="Ada"), make_member("camille")
    outsider = make_member("outsider")
    make_group("Bureau", status="hidden", admin=admin)
    _post(login(admin), "bureau", "invite", username="camille")
    assert centre(login(camille)) == ["Ada invited you to join “Bureau”"]
    assert centre(login(outsider)) == []


def test_event_changes_cancellation_waitlist_and_new_group_event(
        make_user, make_group, make_event, make_rsvp, login, dbsession):
    organiser = make_user("orga", display_name="Orga")
    going, waiting, stranger = make_user("going"), make_user("waiting"), make_user("stranger")
    event = make_event(organiser, capacity=1, title="Assembly")
    make_rsvp(event, going, GOING)
    make_rsvp(event, waiting, WAITLIST)
    browser = login(organiser)
    form = browser.get(f"/agenda/{event.id}/edit").forms["event-form"]
    form["city"] = "Rennes"
    form.submit(status=303)
    assert kinds(dbsession, going) == [("agenda.event_changed", "agenda.event", event.id)]
    assert kinds(dbsession, waiting) == [("agenda.event_changed", "agenda.event", event.id)]
    assert kinds(dbsession, stranger) == []
    answer(login(going), event, "not_going")
    assert [n.type for n in notifications_of(dbsession, waiting)] == [
        "agenda.event_changed", "agenda.waitlist_promoted"]
    assert centre(login(waiting))[0] == "A place came free for you at “Assembly”"
    browser.get(f"/agenda/{event.id}/cancel").forms["cancel-form"].submit(status=303)
    assert notifications_of(dbsession, waiting)[-1].type == "agenda.event_cancelled"
    assert centre(login(waiting))[0] == "“Assembly” is cancelled"


def test_a_new_event_in_my_group_reaches_its_members_only(make_user, make_group, login,
                                                          dbsession):
    admin, member, outsider = make_user("admin1"), make_user("member"), make_user("outsider")
    group = make_group("Lille", status="private", admin=admin, members=[member])
    browser = login(admin)
    form = browser.get(f"/agenda/new?group={group.slug}").forms["event-form"]
    for name, value in {"title": "Picnic", "start_date": (dt.date.today() + dt.timedelta(
            days=7)).isoformat(), "start_time": "19:00", "end_time": "21:00",
            "timezone": "Europe/Paris", "city": "Lille"}.items():
        form[name] = value
    if "group_id" in form.fields:
        form["group_id"] = str(group.id)
    form.submit(status=303)
    event = dbsession.scalars(select(Event).where(Event.title == "Picnic")).one()
    assert event.group_id == group.id
    assert kinds(dbsession, member) == [("agenda.group_event", "agenda.event", event.id)]
    assert kinds(dbsession, outsider) == [] and kinds(dbsession, admin) == []
    assert centre(login(member)) == ["New event in your group: “Picnic”"]


def test_a_poll_opening_in_my_group(make_user, make_group, make_poll, registry, login,
                                    dbsession):
    admin, member, outsider = make_user("admin1"), make_user("member"), make_user("outsider")
    group = make_group("Lille", status="private", admin=admin, members=[member])
    poll = make_poll(["Yes", "No"], group=group, title="Strike?", opens_in=1, closes_in=3)
    with job_request(registry) as request, request.tm:
        request.find_service(IPollService).publish_due(
            now=utcnow() + dt.timedelta(days=1, hours=1))
    assert kinds(dbsession, member) == [("polls.opened", "polls.poll", poll.id)]
    assert kinds(dbsession, admin) == [("polls.opened", "polls.poll", poll.id)]
    assert kinds(dbsession, outsider) == []
    assert centre(login(member)) == ["A poll is open in your group: “Strike?”"]


def test_a_petition_goal_reached_is_opt_in(make_user, make_petition, make_signature, login,
                                          registry, dbsession):
    keen, quiet = make_user("keen"), make_user("quiet")
    petition = make_petition(goal=2, title="Trees")
    for user in (keen, quiet):
        make_signature(petition, email=user.email, user_id=user.id)
    browser = login(keen)
    form = browser.get("/account/notifications").forms["notification-preferences-form"]
    form["type:petitions.goal_reached"] = "in_app"
    form.submit(status=303)
    with job_request(registry) as request, request.tm:
        publish(request, GoalReached(petition_id=petition.id))
    assert kinds(dbsession, keen) == [("petitions.goal_reached", "petitions.petition",
                                       petition.id)]
    assert kinds(dbsession, quiet) == []  # off unless chosen
    assert centre(browser) == ["“Trees” reached its goal"]
