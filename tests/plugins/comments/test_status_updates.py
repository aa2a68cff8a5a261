"""Comments under the social layer's status updates: on the status page, for whoever may see
the status, and for no one else."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from plugins.comments.models import Comment
from plugins.social.models import Status


@pytest.fixture
def cortege_plugins():
    return ["profiles", "groups", "social", "comments"]


def post_status(browser, body, group=None):
    page = browser.get("/activity")
    data = {"csrf_token": page.html.find("input", {"name": "csrf_token"})["value"],
            "body": body}
    if group is not None:
        data["group"] = group.slug
    browser.post("/activity/post", data, status=303)


def comment_on(browser, path, body):
    form = browser.get(path).forms["comment-form"]
    form["body"] = body
    return form.submit(status=303)


def test_a_status_update_takes_comments_on_its_page(make_user, login, dbsession, testapp):
    ana, ben = make_user("ana"), make_user("ben")
    post_status(login(ana), "Leafleting at the market on Saturday")
    status = dbsession.scalars(select(Status)).one()
    path = f"/activity/status/{status.id}"
    comment_on(login(ben), path, "Count me in")
    comment = dbsession.scalars(select(Comment)).one()
    assert (comment.kind, comment.content_id) == ("social.status", status.id)
    assert "Count me in" in testapp.get(path).text


def test_comments_of_a_private_groups_status_stay_in_the_group(make_user, make_group, login,
                                                               dbsession, testapp):
    ana, ben, outsider = make_user("ana"), make_user("ben"), make_user("outsider")
    group = make_group("Cell", status="private", admin=ana, members=[ben])
    post_status(login(ana), "Meeting moved to Thursday", group=group)
    status = dbsession.scalars(select(Status)).one()
    path = f"/activity/status/{status.id}"
    comment_on(login(ben), path, "Noted, secret-marker-71")
    comment = dbsession.scalars(select(Comment)).one()
    assert "secret-marker-71" in login(ana).get(path).text
    for browser in (testapp, login(outsider)):
        assert browser.get(path, status=404)
        assert browser.get(f"/comment/{comment.id}", expect_errors=True).status_int == 404
    # An outsider cannot comment either: the form posts to the content's thread.
    form_path = f"/comments/social.status/{status.id}"
    as_outsider = login(outsider)
    page = as_outsider.get("/activity")
    token = page.html.find("input", {"name": "csrf_token"})["value"]
    response = as_outsider.post(form_path, {"csrf_token": token, "body": "hi"},
                                    expect_errors=True)
    assert response.status_int in (403, 404)
    assert dbsession.scalar(select(Comment.id).where(Comment.body == "hi")) is None
