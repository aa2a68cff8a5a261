"""A comment is seen by exactly those who see its content, now and after the content or its
group changes status; counts too. Hidden contents' comments answer 404 everywhere."""

from __future__ import annotations

import pytest

from core.content import may_see, visible_select
from core.jobs import job_request
from plugins.comments.interfaces import ICommentService


@pytest.fixture
def group_petition(make_user, make_group, make_petition, make_comment):
    owner, member = make_user("owner"), make_user("member")
    group = make_group(status="public", creator=owner, admin=owner, members=[member])
    petition = make_petition(group=group, author=owner)
    comment = make_comment("petitions.petition", petition, author=member,
                           body="Inside words of the group")
    return group, petition, comment, owner, member


def seen(browser, petition):
    paths = [f"/tools/petitions/{petition.id}", f"/comments/petitions.petition/{petition.id}"]
    return [browser.get(path, expect_errors=True) for path in paths]


def test_comments_follow_their_group_from_public_to_hidden_and_back(
        group_petition, make_user, login, testapp, dbsession, registry):
    group, petition, comment, _owner, member = group_petition
    outsider = login(make_user("outsider"))
    inside = login(member)
    for browser in (testapp, outsider, inside):
        assert all("Inside words of the group" in page.text for page in seen(browser, petition))
    testapp.get(f"/comment/{comment.id}", status=303)

    for status in ("private", "hidden"):
        group.status = status
        dbsession.flush()
        for browser in (testapp, outsider):
            pages = seen(browser, petition)
            assert [page.status_int for page in pages] == [404, 404], status
            assert not any("Inside words" in page.text for page in pages)
            browser.get(f"/comment/{comment.id}", status=404)
            browser.get(f"/comment/{comment.id}/report", status=404)
        assert all("Inside words of the group" in page.text for page in seen(inside, petition))
        with job_request(registry) as request, request.tm:
            assert not may_see(request, "comments.comment", comment.id, None)
            assert may_see(request, "comments.comment", comment.id, member)
            service = request.find_service(ICommentService)
            assert service.counts("petitions.petition", [petition.id], None) == {}
            assert service.counts("petitions.petition", [petition.id], member) == {
                petition.id: 1}
            strangers = request.dbsession.scalars(
                visible_select(request, "comments.comment", None)).all()
            assert comment not in strangers

    group.status = "public"
    dbsession.flush()
    assert all("Inside words of the group" in page.text for page in seen(testapp, petition))


def test_a_removed_member_loses_the_comments(group_petition, login, dbsession):
    from sqlalchemy import delete

    from plugins.groups.models import Membership

    group, petition, comment, _owner, member = group_petition
    group.status = "private"
    dbsession.flush()
    browser = login(member)
    assert "Inside words" in browser.get(f"/tools/petitions/{petition.id}").text
    dbsession.execute(delete(Membership).where(Membership.user_id == member.id))
    dbsession.flush()
    for page in seen(browser, petition):
        assert page.status_int == 404 and "Inside words" not in page.text
    browser.get(f"/comment/{comment.id}/edit", status=404)


def test_an_event_turned_members_only_takes_its_comments_along(make_event, make_comment,
                                                               make_user, login, testapp,
                                                               dbsession):
    event = make_event(visibility="public")
    make_comment("agenda.event", event, body="Meet at the station")
    assert "Meet at the station" in testapp.get(f"/comments/agenda.event/{event.id}").text
    event.visibility = "members"
    dbsession.flush()
    page = testapp.get(f"/comments/agenda.event/{event.id}", expect_errors=True)
    assert page.status_int == 404 and "Meet at the station" not in page.text
    assert "Meet at the station" in login(make_user()).get(f"/agenda/{event.id}").text


def test_strangers_may_not_post_into_a_group_they_cannot_see(group_petition, make_user, login,
                                                             dbsession):
    group, petition, _comment, _owner, _member = group_petition
    group.status = "private"
    dbsession.flush()
    outsider = login(make_user())
    token = outsider.get("/").html.find("input", attrs={"name": "csrf_token"})
    data = {"body": "let me in", "csrf_token": token["value"] if token else ""}
    outsider.post(f"/comments/petitions.petition/{petition.id}", data, status=404)


def test_non_members_may_read_but_not_comment_in_a_public_group(group_petition, make_user,
                                                                login):
    _group, petition, _comment, _owner, member = group_petition
    page = login(make_user()).get(f"/tools/petitions/{petition.id}")
    assert "Inside words" in page.text
    assert "comment-form" not in page.forms
    assert "comment-form" in login(member).get(f"/tools/petitions/{petition.id}").forms


def test_a_polls_comments_stay_in_its_group(make_user, make_group, make_poll, make_comment,
                                           login, testapp, dbsession):
    owner, member = make_user("owner"), make_user("member")
    group = make_group(status="private", creator=owner, admin=owner, members=[member])
    poll = make_poll(closes_in=-1, group=group)
    make_comment("polls.poll", poll, author=member, body="The count was fair")
    assert "The count was fair" in login(member).get(f"/tools/polls/{poll.id}").text
    for browser in (testapp, login(make_user("outsider"))):
        page = browser.get(f"/comments/polls.poll/{poll.id}", expect_errors=True)
        assert page.status_int in (303, 404) and "The count was fair" not in page.text


def test_comments_of_a_content_that_is_gone_are_swept(make_petition, make_comment, registry,
                                                      dbsession):
    from sqlalchemy import delete, select

    from plugins.comments.models import Comment
    from plugins.petitions.models import Petition

    kept, gone = make_petition(), make_petition()
    make_comment("petitions.petition", kept)
    make_comment("petitions.petition", gone)
    dbsession.execute(delete(Petition).where(Petition.id == gone.id))
    dbsession.flush()
    with job_request(registry) as request, request.tm:
        assert request.find_service(ICommentService).sweep() == 1
    assert [c.content_id for c in dbsession.scalars(select(Comment))] == [kept.id]
