"""Deleting a group takes everything it owned with it, and its id is never given again.

Each plugin with group content subscribes to ``IGroupDeleted`` and deletes its own rows in
the transaction that deletes the group; a new group made afterwards shows nothing of the old
one, on any page, search or feed.
"""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import func, select
from zope.interface.verify import verifyObject

from plugins.agenda.models import Event, Rsvp
from plugins.forums.models import Forum, Post, Topic
from plugins.groups.events import GroupDeleted, IGroupDeleted
from plugins.groups.models import Group
from plugins.petitions.models import Petition, Signature
from plugins.polls.models import Ballot, Option, Participation, Poll
from tests.plugins.agenda.conftest import event_type, make_event  # noqa: F401
from tests.plugins.forums.conftest import forum_service, group_forum, make_topic  # noqa: F401
from tests.plugins.petitions.conftest import fill_signature, make_petition  # noqa: F401
from tests.plugins.polls.conftest import make_poll, vote  # noqa: F401

SECRET = "Zanzibar"


@pytest.fixture
def cortege_plugins():
    return ["profiles", "groups", "agenda", "tools", "petitions", "polls", "forums"]


def test_the_event_is_small_typed_and_frozen():
    event = GroupDeleted(group_id=4, actor_id=None)
    assert verifyObject(IGroupDeleted, event)
    with pytest.raises(dataclasses.FrozenInstanceError):
        event.group_id = 5


@pytest.fixture
def hidden_group(make_member, make_group, group_forum, make_topic, make_event,  # noqa: F811
                 make_poll, make_petition, login, vote, dbsession):  # noqa: F811
    """A hidden group with a forum topic and its reply, an event with an answer, a poll
    with a ballot and a petition with a signature: everything it owns names SECRET."""
    chief, friend = make_member("chief"), make_member("friend")
    group = make_group(f"{SECRET} cell", status="hidden", admin=chief, members=[friend],
                       slug="cell")
    topic = make_topic(group_forum(group), chief, f"{SECRET} plans", f"Meet at {SECRET}",
                       replies=[(friend, f"{SECRET} again")])
    event = make_event(chief, title=f"{SECRET} meeting", group_id=group.id, visibility="group")
    friend_browser = login(friend)
    form = friend_browser.get(f"/agenda/{event.id}").forms["rsvp-form"]
    form.submit(status=303)
    poll = make_poll(title=f"{SECRET} vote", group_id=group.id)
    vote(friend_browser, poll, {"choice": [poll.options[0].id]})
    petition = make_petition(author=chief, group_id=group.id, title=f"{SECRET} petition")
    page = friend_browser.get(f"/tools/petitions/{petition.id}")
    fill_signature(page, email="friend@example.org").submit(status=303)
    dbsession.expire_all()
    assert dbsession.scalar(select(func.count()).select_from(Rsvp)) == 1
    assert dbsession.scalar(select(func.count()).select_from(Ballot)) == 1
    assert dbsession.scalar(select(func.count()).select_from(Signature)) == 1
    return {"group": group, "chief": chief, "paths": [
        f"/forums/{topic.forum.slug}/{topic.id}-{topic.slug}", f"/forums/{topic.forum.slug}",
        f"/agenda/{event.id}", f"/tools/polls/{poll.id}", f"/tools/petitions/{petition.id}"]}


def _delete(browser, slug):
    form = browser.get(f"/groups/{slug}/delete").forms["delete-form"]
    form["confirm"] = slug
    assert form.submit().location.endswith("/groups")


def _count(dbsession, model, *where):
    return dbsession.scalar(select(func.count()).select_from(model).where(*where))


def test_deleting_a_group_deletes_its_content_and_its_id_is_not_reused(
        hidden_group, login, make_member, make_user, dbsession, cortege_engine):
    old = hidden_group["group"]
    old_id = old.id
    _delete(login(hidden_group["chief"]), "cell")

    dbsession.expire_all()
    assert dbsession.get(Group, old_id) is None
    assert _count(dbsession, Forum, Forum.group_id == old_id) == 0
    assert _count(dbsession, Topic) == 0
    assert _count(dbsession, Post) == 0
    assert _count(dbsession, Event) == 0
    assert _count(dbsession, Rsvp) == 0
    assert _count(dbsession, Poll) == _count(dbsession, Option) == 0
    assert _count(dbsession, Ballot) == _count(dbsession, Participation) == 0
    assert _count(dbsession, Petition) == _count(dbsession, Signature) == 0

    # A stranger to the old group makes a public group: nothing of the old one shows there.
    stranger = make_member("stranger")
    browser = login(stranger)
    form = browser.get("/groups/new").forms["group-form"]
    form["name"] = "Open section"
    form["status"] = "public"
    form.submit(status=303)
    new = dbsession.scalar(select(Group).where(Group.slug == "open-section"))
    assert new.id != old_id
    if cortege_engine.dialect.name == "sqlite":
        assert new.id > old_id

    admin = login(make_user("boss", role="admin"))
    for viewer in (browser, admin):
        pages = [f"/groups/{new.slug}/{tab}" for tab in ("forum", "agenda", "tools")] + [
            f"/tools/polls/group/{new.slug}", f"/tools/petitions/group/{new.slug}",
            "/forums", "/agenda", "/agenda/month", "/agenda.ics", "/tools/polls",
            "/tools/petitions", "/members/chief/topics", "/members/chief/events"]
        for path in pages:
            assert SECRET not in viewer.get(path).text, path
        search = viewer.get("/forums/search", {"q": SECRET})
        assert f"Nothing found for “{SECRET}”" in search.text
        assert search.text.count(SECRET) == 3  # the title, the search box, "nothing found"
        for path in hidden_group["paths"]:
            viewer.get(path, status=404)
