"""Sources from the social layer and from comments: a request to connect reaches the member
asked, and a comment reaches the content's owner and those who commented before, never its
author, and only while they may see the content."""

from __future__ import annotations

import pytest

from tests.plugins.notifications.conftest import centre, notifications_of


@pytest.fixture
def cortege_plugins():
    return ["profiles", "groups", "agenda", "tools", "petitions", "polls", "forums", "social",
            "comments", "notifications"]


def token(page) -> str:
    return page.html.find("input", {"name": "csrf_token"})["value"]


def comment_on(browser, path, body):
    form = browser.get(path).forms["comment-form"]
    form["body"] = body
    return form.submit(status=303)


def test_a_request_to_connect_reaches_the_member_asked(make_user, login, dbsession):
    ada = make_user("ada", display_name="Ada")
    bob, carol = make_user("bob"), make_user("carol")
    as_ada = login(ada)
    page = as_ada.get("/members/bob")
    as_ada.post("/activity/members/bob", {"csrf_token": token(page), "action": "connect"},
                status=303)
    assert [(n.type, n.actor_id) for n in notifications_of(dbsession, bob)] == [
        ("social.connection_requested", ada.id)]
    assert centre(login(bob)) == ["Ada asks to connect with you"]
    assert notifications_of(dbsession, carol) == []
    assert notifications_of(dbsession, ada) == []


def test_a_comment_reaches_the_owner_and_earlier_commenters(make_user, make_petition, login,
                                                           dbsession):
    owner = make_user("owner")
    ana = make_user("ana", display_name="Ana")
    ben = make_user("ben", display_name="Ben")
    petition = make_petition(title="Trees", author=owner)
    path = f"/tools/petitions/{petition.id}"
    comment_on(login(ana), path, "Signed, and shared")
    assert [n.type for n in notifications_of(dbsession, owner)] == ["comments.comment"]
    assert notifications_of(dbsession, ana) == []  # never about one's own comment
    comment_on(login(ben), path, "Me too")
    assert centre(login(ana)) == ["Ben commented on “Trees”"]
    assert [n.type for n in notifications_of(dbsession, owner)] == ["comments.comment"] * 2
    assert notifications_of(dbsession, ben) == []


def test_a_comment_in_a_private_group_skips_who_left_it(make_user, make_group, make_event,
                                                        login, dbsession, add_member):
    from sqlalchemy import delete

    from plugins.agenda.models import GROUP
    from plugins.groups.models import Membership

    admin, ana, ben = make_user("admin1"), make_user("ana"), make_user("ben")
    group = make_group("Cell", status="private", admin=admin, members=[ana, ben])
    event = make_event(title="Meeting", group_id=group.id, visibility=GROUP, organiser=admin)
    path = f"/agenda/{event.id}"
    comment_on(login(ana), path, "I bring the leaflets")
    # Ana leaves the group; Ben's comment must not tell her about the group's event.
    dbsession.execute(delete(Membership).where(Membership.group_id == group.id,
                                               Membership.user_id == ana.id))
    dbsession.flush()
    comment_on(login(ben), path, "I bring the coffee")
    assert notifications_of(dbsession, ana) == []
    assert [n.type for n in notifications_of(dbsession, admin)] == ["comments.comment"] * 2
