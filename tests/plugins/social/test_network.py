"""Follows, connections and blocks, through the pages: the lifecycle of a connection, the
events it publishes, the "my connections" level of profile fields, and what a block stops."""

from __future__ import annotations

from sqlalchemy import select

from core.events import StoredEvent
from plugins.social.models import Block, Connection, Follow
from tests.plugins.social.conftest import token


def act(browser, member, action, status=303):
    page = browser.get(f"/members/{member.username}")
    return browser.post(f"/activity/members/{member.username}",
                        {"csrf_token": token(page), "action": action}, status=status)


def events(dbsession, name):
    return [e.payload for e in dbsession.scalars(
        select(StoredEvent).where(StoredEvent.name == name).order_by(StoredEvent.id))]


def test_following_a_member_brings_their_activity_to_my_stream(
        make_user, login, make_status, dbsession):
    me, ada = make_user("meg"), make_user("ada")
    make_status(ada, "Banners are ready")
    browser = login(me)
    assert "Banners are ready" not in browser.get("/activity/mine").text
    page = act(browser, ada, "follow").follow()
    assert "You follow Ada." in page.text
    assert 'value="unfollow"' in page.text
    assert "Banners are ready" in browser.get("/activity/mine").text
    assert events(dbsession, "social.followed") == [
        {"actor_id": me.id, "subject_kind": "member", "subject_id": ada.id}]
    act(browser, ada, "follow")  # twice is once
    assert len(dbsession.scalars(select(Follow)).all()) == 1
    act(browser, ada, "unfollow")
    assert "Banners are ready" not in browser.get("/activity/mine").text
    act(browser, me, "follow", status=303)
    assert dbsession.scalars(select(Follow)).all() == []


def test_following_a_group_brings_its_visible_activity(make_user, login, make_group,
                                                       add_member, make_status, testapp,
                                                       dbsession):
    me, ada = make_user("meg"), make_user("ada")
    group = make_group(status="public")
    hidden = make_group(status="hidden")
    add_member(group, ada)
    add_member(hidden, ada)
    make_status(ada, "Public group news", group=group)
    browser = login(me)
    page = browser.get(f"/groups/{group.slug}")
    browser.post(f"/activity/groups/{group.slug}",
                 {"csrf_token": token(page), "action": "follow"}, status=303)
    assert "Public group news" in browser.get("/activity/mine").text
    # A hidden group is not there for those outside it.
    browser.post(f"/activity/groups/{hidden.slug}",
                 {"csrf_token": token(page), "action": "follow"}, status=404)
    # Following a group that turns hidden shows nothing of it any more.
    group.status = "hidden"
    dbsession.flush()
    assert "Public group news" not in browser.get("/activity/mine").text


def test_a_connection_is_asked_accepted_and_removed(make_user, login, dbsession):
    ada, bob = make_user("ada"), make_user("bob")
    as_ada, as_bob = login(ada), login(bob)
    assert "Request sent" in act(as_ada, bob, "connect").follow().text
    connection = dbsession.scalars(select(Connection)).one()
    assert connection.state == "pending"
    assert events(dbsession, "social.connection_requested") == [
        {"actor_id": ada.id, "other_id": bob.id, "connection_id": connection.id}]
    page = as_bob.get("/activity/network")
    assert "Ada" in page.html.find(id="requests").text
    act(as_ada, bob, "accept", status=303)  # not Ada's to accept
    dbsession.refresh(connection)
    assert connection.state == "pending"
    assert "You are now connected with Ada." in act(as_bob, ada, "accept").follow().text
    dbsession.refresh(connection)
    assert connection.state == "accepted"
    assert events(dbsession, "social.connection_accepted") == [
        {"actor_id": bob.id, "other_id": ada.id, "connection_id": connection.id}]
    assert "Bob" in as_ada.get("/activity/network").html.find(id="connections").text
    act(as_ada, bob, "disconnect")
    assert dbsession.scalars(select(Connection)).all() == []


def test_a_request_is_declined_or_withdrawn(make_user, login, dbsession):
    ada, bob = make_user("ada"), make_user("bob")
    as_ada, as_bob = login(ada), login(bob)
    act(as_ada, bob, "connect")
    act(as_bob, ada, "decline")
    assert dbsession.scalars(select(Connection)).all() == []
    act(as_ada, bob, "connect")
    act(as_ada, bob, "withdraw")
    assert dbsession.scalars(select(Connection)).all() == []
    # Asking someone who asked you first accepts their request.
    act(as_ada, bob, "connect")
    act(as_bob, ada, "connect")
    assert dbsession.scalars(select(Connection.state)).one() == "accepted"


def test_the_connections_level_of_a_profile_field(make_user, make_member, login, make_field,
                                                  answer, dbsession):
    ada = make_member("ada")
    friend, other = make_user("friend"), make_user("other")
    field = make_field("Phone")
    answer(ada, field, "06 12 34 56 78", visibility="connected")
    dbsession.add(Connection(requester_id=ada.id, addressee_id=friend.id, state="accepted"))
    dbsession.flush()
    assert "06 12 34 56 78" in login(friend).get("/members/ada").text
    assert "06 12 34 56 78" not in login(other).get("/members/ada").text
    assert "06 12 34 56 78" in login(ada).get("/members/ada").text
    edit = login(ada).get("/members/ada/edit")
    assert 'value="connected"' in edit.text


def test_a_block_stops_follows_connections_and_status_updates(
        make_user, login, make_status, dbsession):
    ada, troll = make_user("ada"), make_user("troll")
    as_ada, as_troll = login(ada), login(troll)
    act(as_troll, ada, "follow")
    act(as_troll, ada, "connect")
    ada_status = make_status(ada, "Ada's plans")
    troll_status = make_status(troll, "Troll's noise")
    assert "You blocked Troll." in act(as_ada, troll, "block").follow().text
    assert dbsession.scalars(select(Follow)).all() == []
    assert dbsession.scalars(select(Connection)).all() == []
    assert dbsession.scalars(select(Block.blocked_id)).all() == [troll.id]
    # Neither sees the other's status updates, anywhere.
    assert "Ada's plans" not in as_troll.get("/activity").text
    as_troll.get(f"/activity/status/{ada_status.id}", status=404)
    assert "Troll's noise" not in as_ada.get("/activity").text
    as_ada.get(f"/activity/status/{troll_status.id}", status=404)
    assert "Ada's plans" in login(make_user("bystander")).get("/activity").text
    # The blocked member can no longer follow nor connect.
    assert "cannot follow" in act(as_troll, ada, "follow").follow().text
    assert "cannot connect" in act(as_troll, ada, "connect").follow().text
    assert dbsession.scalars(select(Follow)).all() == []
    act(as_ada, troll, "unblock")
    assert "Ada's plans" in as_troll.get("/activity").text


def test_the_social_service_answers_other_plugins(make_user, dbsession, social_service):
    ada, bob, cy = make_user("ada"), make_user("bob"), make_user("cy")
    dbsession.add_all([Connection(requester_id=ada.id, addressee_id=bob.id, state="accepted"),
                       Connection(requester_id=cy.id, addressee_id=ada.id),
                       Block(user_id=cy.id, blocked_id=bob.id),
                       Follow(user_id=bob.id, subject_kind="member", subject_id=ada.id)])
    dbsession.flush()
    assert social_service.connected(ada.id, bob.id) and social_service.connected(bob.id, ada.id)
    assert not social_service.connected(ada.id, cy.id)
    assert set(dbsession.scalars(social_service.connection_ids(ada.id))) == {bob.id}
    assert social_service.blocked(bob.id, cy.id) and social_service.blocked(cy.id, bob.id)
    assert not social_service.blocked(ada.id, bob.id)
    assert set(dbsession.scalars(social_service.blocked_ids(bob.id))) == {cy.id}
    assert set(dbsession.scalars(social_service.follower_ids("member", ada.id))) == {bob.id}


def test_whom_a_member_follows_shows_as_they_chose(make_user, login, testapp, dbsession):
    ada, bob, friend = make_user("ada"), make_user("bob"), make_user("friend")
    dbsession.add(Follow(user_id=ada.id, subject_kind="member", subject_id=bob.id))
    dbsession.flush()
    assert "Bob" in login(friend).get("/members/ada/network").text
    testapp.get("/members/ada/network", status=404)
    browser = login(ada)
    page = browser.get("/activity/settings")
    browser.post("/activity/settings", {"csrf_token": token(page),
                                        "follows_visibility": "connections"}, status=303)
    login(friend).get("/members/ada/network", status=404)
    dbsession.add(Connection(requester_id=ada.id, addressee_id=friend.id, state="accepted"))
    dbsession.flush()
    assert "Bob" in login(friend).get("/members/ada/network").text
    browser.post("/activity/settings", {"csrf_token": token(page),
                                        "follows_visibility": "nonsense"}, status=400)


def test_a_member_may_announce_their_arrival_and_take_it_back(make_user, login, testapp,
                                                              dbsession):
    from plugins.social.models import Entry

    ada = make_user("ada")
    browser = login(ada)
    page = browser.get("/activity/settings")
    assert "joined the site" not in testapp.get("/activity").text

    def announce(on):
        browser.post("/activity/settings", {"csrf_token": token(page),
                                            "follows_visibility": "members",
                                            **({"announce_arrival": "1"} if on else {})},
                     status=303)

    announce(True)
    announce(True)
    assert dbsession.scalars(select(Entry.verb)).all() == ["accounts.arrived"]
    assert "joined the site" in testapp.get("/activity").text
    announce(False)
    assert dbsession.scalars(select(Entry.verb)).all() == []
