"""Moderation by the content's moderators, reports, the close switch, rate limits, and what
comments publish on the spine (CommentPosted, mentions); personal data."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from core.events import StoredEvent
from core.jobs import job_request
from plugins.comments.interfaces import ICommentService
from plugins.comments.models import Comment, CommentReport


def events(dbsession, prefix):
    dbsession.expire_all()
    return [(event.name, event.actor_id, event.payload) for event in dbsession.scalars(
        select(StoredEvent).where(StoredEvent.name.startswith(prefix)).order_by(StoredEvent.id))]


@pytest.fixture
def scene(make_user, make_group, make_petition, make_comment):
    owner, moderator, member, writer = (make_user(name) for name in
                                        ("owner", "moderator", "member", "writer"))
    group = make_group(status="private", creator=owner, admin=owner,
                       members=[(moderator, "moderator"), member, writer])
    author = make_user("author")
    make_group.join(group, author)
    petition = make_petition(group=group, author=author)
    comment = make_comment("petitions.petition", petition, author=writer, body="Rude words")
    return {"owner": owner, "moderator": moderator, "member": member, "writer": writer,
            "author": author, "group": group, "petition": petition, "comment": comment}


def path(scene):
    return f"/tools/petitions/{scene['petition'].id}"


def test_a_report_reaches_the_moderators_who_hide_the_comment(scene, login, dbsession):
    comment = scene["comment"]
    reporter = login(scene["member"])
    page = reporter.get(f"/comment/{comment.id}/report")
    page.forms["report-form"]["reason"] = "Insults"
    page.forms["report-form"].submit(status=303)
    report = dbsession.scalar(select(CommentReport).where(CommentReport.comment_id == comment.id))
    assert report.reason == "Insults" and report.resolved_at is None
    # Plain members see no moderation; the group's moderator sees the report and hides it.
    assert "Insults" not in reporter.get(path(scene)).text
    moderator = login(scene["moderator"])
    page = moderator.get(path(scene))
    assert "Insults" in page.html.find(id=f"comment-{comment.id}").text
    form = next(form for form in page.forms.values()
                if form.action.endswith(f"/comment/{comment.id}/hide"))
    form.submit(status=303)
    dbsession.expire_all()
    assert dbsession.get(Comment, comment.id).hidden
    assert dbsession.get(CommentReport, report.id).outcome == "hidden"
    # Hidden: gone for readers and the count, shown to moderators with a mark.
    page = reporter.get(path(scene))
    assert "Rude words" not in page.text and "0 comments" in page.text
    reporter.get(f"/comment/{comment.id}", status=404)
    assert "Rude words" in moderator.get(path(scene)).text
    assert ("comments.comment_hidden", scene["moderator"].id) in [
        (name, actor) for name, actor, _payload in events(dbsession, "comments.")]


@pytest.mark.parametrize("who", ["owner", "moderator", "author"])
def test_the_contents_moderators_may_hide(scene, login, who, dbsession):
    """The group's admins and moderators, the petition's author (its owner and organiser)."""
    comment = scene["comment"]
    page = login(scene[who]).get(path(scene))
    assert f"/comment/{comment.id}/hide" in page.text
    assert "comments-switch" in page.forms


@pytest.mark.parametrize("who", ["member", "writer"])
def test_others_may_not_moderate(scene, login, who, dbsession):
    comment = scene["comment"]
    browser = login(scene[who])
    page = browser.get(path(scene))
    assert f"/comment/{comment.id}/hide" not in page.text
    assert "comments-switch" not in page.forms
    token = page.forms["comment-form"]["csrf_token"].value
    browser.post(f"/comment/{comment.id}/hide", {"csrf_token": token}, status=403)
    browser.post(f"/comments/petitions.petition/{scene['petition'].id}/close",
                 {"csrf_token": token}, status=403)
    dbsession.expire_all()
    assert not dbsession.get(Comment, comment.id).hidden


def test_moderators_dismiss_reports(scene, login, dbsession, make_user):
    comment = scene["comment"]
    page = login(scene["member"]).get(f"/comment/{comment.id}/report")
    page.forms["report-form"]["reason"] = "Not sure"
    page.forms["report-form"].submit(status=303)
    page = login(scene["moderator"]).get(path(scene))
    form = next(form for form in page.forms.values()
                if form.action.endswith(f"/comment/{comment.id}/dismiss"))
    form.submit(status=303)
    report = dbsession.scalar(select(CommentReport))
    dbsession.refresh(report)
    assert report.outcome == "dismissed"
    assert not dbsession.get(Comment, comment.id).hidden


def test_moderators_close_and_reopen_comments(scene, login, comment, dbsession):
    moderator = login(scene["moderator"])
    moderator.get(path(scene)).forms["comments-switch"].submit(status=303)
    member = login(scene["member"])
    page = member.get(path(scene))
    assert "comment-form" not in page.forms and page.html.find(id="comments-closed")
    assert "Rude words" in page.text  # closed, not hidden
    token = page.html.find("input", attrs={"name": "csrf_token"})["value"]
    refused = member.post(f"/comments/petitions.petition/{scene['petition'].id}",
                          {"body": "Still here", "csrf_token": token}, status=403)
    assert "Comments are closed here." in refused.text
    moderator.get(path(scene)).forms["comments-switch"].submit(status=303)
    comment(member, path(scene), "Open again")


def test_posting_is_rate_limited(scene, login, comment, registry):
    registry["cortege.ratelimiter"].reset()
    browser = login(scene["member"])
    for number in range(5):
        comment(browser, path(scene), f"Comment {number}")
    page = comment(browser, path(scene), "One too many", status=429)
    assert "too fast" in page.text
    registry["cortege.ratelimiter"].reset()


def test_posting_publishes_comment_posted_and_mentions(scene, login, comment, dbsession):
    petition = scene["petition"]
    comment(login(scene["member"]), path(scene), f"Agreed, @{scene['owner'].username}")
    posted = [(name, actor, payload) for name, actor, payload in events(dbsession, "comments.")]
    new = dbsession.scalars(select(Comment).order_by(Comment.id.desc())).first()
    assert posted == [("comments.comment_posted", scene["member"].id, {
        "actor_id": scene["member"].id, "comment_id": new.id, "kind": "petitions.petition",
        "content_id": petition.id, "parent_id": None, "owner_id": scene["author"].id})]
    mentioned = events(dbsession, "core.mentioned")
    assert [payload["user_id"] for _n, _a, payload in mentioned] == [scene["owner"].id]
    assert mentioned[0][2]["content_type"] == "comments.comment"


def test_participants_are_the_owner_and_the_commenters(scene, make_comment, registry):
    petition = scene["petition"]
    make_comment("petitions.petition", petition, author=scene["member"])
    with job_request(registry) as request, request.tm:
        ids = request.find_service(ICommentService).participant_ids("petitions.petition",
                                                                    petition.id)
    assert ids == [scene["author"].id, *sorted([scene["writer"].id, scene["member"].id])]


def test_export_and_erase(scene, login, dbsession):
    from core.testing import TEST_PASSWORD

    writer = login(scene["writer"])
    data = writer.get("/account/export.json").json
    assert [c["text"] for c in data["comments"]["comments"]] == ["Rude words"]
    member = login(scene["member"])
    page = member.get(f"/comment/{scene['comment'].id}/report")
    page.forms["report-form"]["reason"] = "Mine"
    page.forms["report-form"].submit(status=303)
    assert [r["reason"] for r in member.get("/account/export.json").json["comments"]["reports"]] \
        == ["Mine"]
    form = member.get("/account").forms["delete-form"]
    form["password"], form["confirm"] = TEST_PASSWORD, True
    form.submit(status=303)
    assert dbsession.scalars(select(CommentReport)).all() == []
    # The writer's comment stays, by a former member, once they are gone.
    form = writer.get("/account").forms["delete-form"]
    form["password"], form["confirm"] = TEST_PASSWORD, True
    form.submit(status=303)
    page = login(scene["owner"]).get(path(scene))
    assert "Rude words" in page.text


def test_unknown_actions_answer_404(scene, login):
    browser = login(scene["moderator"])
    token = browser.get(path(scene)).forms["comments-switch"]["csrf_token"].value
    browser.post(f"/comment/{scene['comment'].id}/burn", {"csrf_token": token}, status=404)
    browser.post(f"/comments/petitions.petition/{scene['petition'].id}/burn",
                 {"csrf_token": token}, status=404)
