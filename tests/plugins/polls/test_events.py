"""Polls on the spine: what they publish (at once, or when their time comes), the rules their
service keeps whoever calls it, and their content type against the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from core.db import utcnow
from core.errors import Forbidden, NotFound
from core.events import StoredEvent
from core.extensions import registered_map
from core.jobs import PERIODIC_TASKS, job_request
from plugins.polls.interfaces import IPollService
from plugins.polls.models import Poll
from tests.plugins.polls.conftest import token
from tests.plugins.viewers import browser_of, viewers_of


@pytest.fixture
def cortege_plugins():
    return ["profiles", "groups", "tools", "polls"]


def events(dbsession):
    dbsession.expire_all()
    return [(event.name, event.actor_id, event.payload) for event in dbsession.scalars(
        select(StoredEvent).where(StoredEvent.name.startswith("polls."))
        .order_by(StoredEvent.id))]


def create(browser, **fields):
    form = browser.get("/tools/polls/new").forms["poll-form"]
    values = {"title": "Which theme?", "options": "Housing\nWages",
              "closes_at": "2099-05-01T18:00", **fields}
    for name, value in values.items():
        form[name] = value
    return form.submit(status=303)


def test_opening_voting_and_closing_are_published(make_user, login, vote, dbsession):
    moderator = make_user(role="moderator")
    browser = login(moderator)
    create(browser, anonymous=False, changeable=True)
    later = (utcnow() + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    create(browser, title="Later", opens_at=later)
    poll, upcoming = dbsession.scalars(select(Poll).order_by(Poll.id)).all()
    voter = make_user()
    browser_of_voter = login(voter)
    vote(browser_of_voter, poll, {"choice": poll.options[0].id})
    vote(browser_of_voter, poll, {"choice": poll.options[1].id})  # a change: nothing new
    page = browser.get(f"/tools/polls/{poll.id}")
    browser.post(f"/tools/polls/{poll.id}/close", {"csrf_token": token(page)}, status=303)
    browser.post(f"/tools/polls/{poll.id}/close", {"csrf_token": token(page)}, status=303)
    voter_id = voter.id
    assert events(dbsession) == [
        ("polls.poll_opened", moderator.id,
         {"actor_id": moderator.id, "poll_id": poll.id, "group_id": None}),
        ("polls.vote_cast", voter_id, {"actor_id": voter_id, "poll_id": poll.id}),
        ("polls.poll_closed", moderator.id,
         {"actor_id": moderator.id, "poll_id": poll.id, "group_id": None}),
    ]
    assert upcoming.opening_published is False


def test_openings_and_closings_that_come_with_time_are_published_by_the_periodic_task(
        make_poll, registry, dbsession):
    soon = make_poll(title="Soon", opens_in=1, closes_in=2)
    running = make_poll(title="Running", opens_in=-1, closes_in=1)
    task = registered_map(registry, PERIODIC_TASKS)["polls.publish_due"]
    assert task.schedule == {"minute": "*"}
    with job_request(registry) as request, request.tm:
        task.task(request)  # now: nothing has come
    assert events(dbsession) == []
    with job_request(registry) as request, request.tm:
        service = request.find_service(IPollService)
        in_a_day = utcnow() + dt.timedelta(days=1, hours=1)
        assert service.publish_due(now=in_a_day) == 2
        assert service.publish_due(now=in_a_day) == 0  # once
        assert service.publish_due(now=in_a_day + dt.timedelta(days=1)) == 1
    assert events(dbsession) == [
        ("polls.poll_opened", None, {"actor_id": None, "poll_id": soon.id, "group_id": None}),
        ("polls.poll_closed", None,
         {"actor_id": None, "poll_id": running.id, "group_id": None}),
        ("polls.poll_closed", None, {"actor_id": None, "poll_id": soon.id, "group_id": None}),
    ]


def test_a_poll_closed_before_it_opens_never_opens(make_poll, make_user, poll_service,
                                                   dbsession):
    author = make_user()
    poll = make_poll(opens_in=1, closes_in=2, author_id=author.id)
    poll_service.close(poll_service.find(poll.id, author), author)
    assert poll_service.publish_due(now=utcnow() + dt.timedelta(days=5)) == 0
    assert [name for name, *_ in events(dbsession)] == ["polls.poll_closed"]


def test_the_service_refuses_actors_who_may_not(make_group, add_member, make_user, make_poll,
                                                poll_service):
    group = make_group("Cell", slug="cell", status="hidden")
    admin, moderator, member, outsider = make_user(), make_user(), make_user(), make_user()
    add_member(group, admin, role="admin")
    add_member(group, moderator, role="moderator")
    add_member(group, member)
    values = {"title": "T", "description": "", "kind": "single", "method": "plurality",
              "options": ["A", "B"], "opens_at": utcnow(),
              "closes_at": utcnow() + dt.timedelta(days=1), "anonymous": True,
              "changeable": False, "results": "closing", "min_choices": 1, "max_choices": 1}
    for actor, where in ((member, None), (None, None), (member, group)):
        with pytest.raises(Forbidden):
            poll_service.create(actor, values, where)
    with pytest.raises(NotFound):
        poll_service.create(outsider, values, group)
    poll = poll_service.create(moderator, values, group)
    assert poll.group_id == group.id
    with pytest.raises(Forbidden):  # group moderators create; group admins close
        poll_service.close(poll, member)
    with pytest.raises(NotFound):
        poll_service.close(poll, outsider)
    poll_service.close(poll, admin)
    site_poll = make_poll()
    with pytest.raises(Forbidden):
        poll_service.close(site_poll, member)
    assert poll_service.create(make_user(role="moderator"), values).group_id is None


@pytest.mark.parametrize("status", ["public", "private", "hidden"])
def test_the_content_type_says_what_the_pages_show(status, make_group, add_member, make_user,
                                                   make_poll, login, make_testapp, registry,
                                                   dbsession):
    from core.content import visible_ids

    group = make_group("Cell", slug="cell", status=status)
    people = viewers_of(group, make_user, add_member, dbsession)
    of_group, of_site = make_poll(group=group), make_poll()
    for name, person in people.items():
        member = person is not None and person.status == "active"
        browser = browser_of(person, login, make_testapp)
        with job_request(registry) as request, request.tm:
            ids = set(dbsession.scalars(visible_ids(request, "polls.poll", person)))
        for poll in (of_group, of_site):
            shown = browser.get(f"/tools/polls/{poll.id}", expect_errors=True).status_int
            assert (poll.id in ids) == (shown == 200), (name, poll.title)
        assert (of_site.id in ids) == member, name
        assert (of_group.id in ids) == (member and (status == "public" or name in (
            "member", "admin"))), name
