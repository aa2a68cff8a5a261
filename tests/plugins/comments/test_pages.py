"""Comments through the pages: on each kind that takes them, threaded one level, edited in
their window, deleted, in Markdown sanitised as forum posts are."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from plugins.comments.models import Comment

KINDS = {
    "agenda.event": lambda f: f["make_event"](organiser=f["owner"], visibility="public"),
    "petitions.petition": lambda f: f["make_petition"](author=f["owner"]),
    "polls.poll": lambda f: f["make_poll"](closes_in=-1, author_id=f["owner"].id),
}
PATHS = {"agenda.event": "/agenda/{id}", "petitions.petition": "/tools/petitions/{id}",
         "polls.poll": "/tools/polls/{id}"}


@pytest.fixture
def content(make_event, make_petition, make_poll, make_user):
    owner = make_user("owner")

    def make(kind):
        row = KINDS[kind]({"make_event": make_event, "make_petition": make_petition,
                           "make_poll": make_poll, "owner": owner})
        return row, PATHS[kind].format(id=row.id)

    make.owner = owner
    return make


def comments_of(dbsession, kind, row):
    dbsession.expire_all()
    return list(dbsession.scalars(select(Comment).where(
        Comment.kind == kind, Comment.content_id == row.id).order_by(Comment.id)))


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_member_comments_and_replies_on_each_kind(kind, content, make_user, login, comment,
                                                    dbsession, testapp):
    row, path = content(kind)
    ana, ben = make_user("ana"), make_user("ben")
    page = comment(login(ana), path, "Count me **in**", status=303)
    assert page.location.endswith(f"{path}#comment-{comments_of(dbsession, kind, row)[0].id}")
    first = comments_of(dbsession, kind, row)[0]
    comment(login(ben), path, "Me too", parent=first)
    reply = comments_of(dbsession, kind, row)[1]
    assert reply.parent_id == first.id
    # A reply to a reply joins the same thread: one level only.
    page = login(ana).get(path)
    assert f"reply-form-{reply.id}" not in page.forms
    form = page.forms[f"reply-form-{first.id}"]
    form["parent"].force_value(str(reply.id))
    form["body"] = "Great"
    form.submit(status=303)
    assert comments_of(dbsession, kind, row)[2].parent_id == first.id

    page = testapp.get(path) if kind != "polls.poll" else login(make_user("reader")).get(path)
    section = page.html.find(id="comments")
    assert "3 comments" in section.text
    assert section.find("strong", string="in") is not None
    thread = page.html.find(id=f"comment-{first.id}")
    assert thread.find(id=f"comment-{reply.id}") is not None


def test_markdown_is_sanitised(content, make_user, login, comment, dbsession):
    _row, path = content("petitions.petition")
    browser = login(make_user())
    comment(browser, path, "<script>alert(1)</script> [x](javascript:alert(1)) "
                           "[ok](https://example.org)")
    section = browser.get(path).html.find(id="comments")
    assert section.find("script") is None
    links = [a for a in section.find_all("a") if a.get("rel")]
    assert [(a["href"], a["rel"]) for a in links] == [
        ("https://example.org", ["nofollow", "ugc", "noopener"])]
    assert not any(a["href"].startswith("javascript") for a in section.find_all("a"))


def test_empty_or_long_comments_are_refused_with_a_sentence(content, make_user, login, comment,
                                                          dbsession):
    row, path = content("petitions.petition")
    browser = login(make_user())
    page = comment(browser, path, "   ", status=400)
    assert page.html.find(id="comments-error").text == "Write something first."
    page = comment(browser, path, "x" * 10_001, status=400)
    assert page.html.find(id="comments-error")
    assert comments_of(dbsession, "petitions.petition", row) == []


def test_strangers_read_but_may_not_comment(content, testapp, make_comment, dbsession):
    row, path = content("petitions.petition")
    make_comment("petitions.petition", row, body="Visible to all")
    page = testapp.get(path)
    assert "Visible to all" in page.text
    assert "comment-form" not in page.forms
    assert "Log in to comment." in page.text
    testapp.post(f"/comments/petitions.petition/{row.id}", {"body": "x"}, status=400)  # CSRF


def test_a_poll_takes_comments_once_closed(make_poll, make_user, login, dbsession):
    poll = make_poll(closes_in=3)
    browser = login(make_user())
    page = browser.get(f"/tools/polls/{poll.id}")
    assert "comment-form" not in page.forms
    assert page.html.find(id="comments-not-yet")
    poll.closes_at = poll.opens_at + dt.timedelta(minutes=1)
    dbsession.flush()
    page = browser.get(f"/tools/polls/{poll.id}")
    assert "comment-form" in page.forms


def test_a_kind_that_did_not_opt_in_has_no_comments(make_user, login, dbsession):
    browser = login(make_user())
    browser.get("/comments/profiles.profile/1", status=404)
    browser.get("/comments/nothing.at.all/1", status=404)
    browser.get("/comments/groups.group/1", status=404)


def test_authors_edit_within_the_window_then_not(content, make_user, login, comment, dbsession):
    row, path = content("petitions.petition")
    ana = make_user("ana")
    browser = login(ana)
    comment(browser, path, "Frist")
    mine = comments_of(dbsession, "petitions.petition", row)[0]
    page = browser.get(f"/comment/{mine.id}/edit")
    page.forms["edit-form"]["body"] = "First"
    page.forms["edit-form"].submit(status=303)
    assert comments_of(dbsession, "petitions.petition", row)[0].body == "First"
    assert comments_of(dbsession, "petitions.petition", row)[0].edited_at is not None
    # Someone else may not.
    login(make_user()).get(f"/comment/{mine.id}/edit", status=403)
    # Past the window, neither may the author.
    mine = comments_of(dbsession, "petitions.petition", row)[0]
    mine.created_at -= dt.timedelta(hours=2)
    dbsession.flush()
    browser.get(f"/comment/{mine.id}/edit", status=403)
    assert f"/comment/{mine.id}/edit" not in browser.get(path).text


def test_delete_keeps_the_replies_in_place(content, make_user, login, comment, dbsession):
    row, path = content("petitions.petition")
    ana, ben = make_user("ana"), make_user("ben")
    comment(login(ana), path, "Opening words")
    first = comments_of(dbsession, "petitions.petition", row)[0]
    comment(login(ben), path, "An answer", parent=first)
    reply = comments_of(dbsession, "petitions.petition", row)[1]
    browser = login(ana)
    login(ben).post(f"/comment/{first.id}/delete", status=400)  # no CSRF token: refused
    page = browser.get(f"/comment/{first.id}/delete")
    page.forms["delete-form"].submit(status=303)
    rows = comments_of(dbsession, "petitions.petition", row)
    assert [c.id for c in rows] == [first.id, reply.id]
    assert rows[0].deleted and rows[0].body == ""
    page = browser.get(path)
    assert "Opening words" not in page.text and "This comment was deleted." in page.text
    assert "1 comment" in page.html.find(id="comments").text
    # The last reply gone, the emptied comment goes too.
    page = login(ben).get(f"/comment/{reply.id}/delete")
    page.forms["delete-form"].submit(status=303)
    assert comments_of(dbsession, "petitions.petition", row) == []


def test_others_may_not_delete(content, make_user, login, make_comment, dbsession):
    row, _path = content("petitions.petition")
    mine = make_comment("petitions.petition", row)
    login(make_user()).get(f"/comment/{mine.id}/delete", status=404)


def test_the_thread_page_goes_page_by_page(content, make_comment, make_user, login, dbsession,
                                           max_queries):
    row, path = content("petitions.petition")
    for number in range(35):
        make_comment("petitions.petition", row, body=f"Comment number {number:02d}")
    browser = login(make_user())
    page = browser.get(path)
    assert "Comment number 00" in page.text and "Comment number 30" not in page.text
    with max_queries(20):
        page = browser.get(page.html.find("a", rel="next")["href"])
    assert "Comment number 30" in page.text and "Comment number 00" not in page.text
    assert "35 comments" in page.text


def test_the_permalink_leads_to_the_comment(content, make_comment, testapp):
    row, path = content("petitions.petition")
    mine = make_comment("petitions.petition", row)
    page = testapp.get(f"/comment/{mine.id}", status=303)
    assert page.location.endswith(f"{path}#comment-{mine.id}")
    testapp.get("/comment/99999999", status=404)
    testapp.get("/comment/99999999999999", status=404)


def test_a_link_to_a_comment_finds_its_page(content, make_comment, testapp):
    row, path = content("petitions.petition")
    made = [make_comment("petitions.petition", row, body=f"Comment number {number:02d}")
            for number in range(45)]
    reply = make_comment("petitions.petition", row, body="A late reply", parent=made[40])
    assert testapp.get(f"/comment/{made[3].id}", status=303).location.endswith(
        f"{path}#comment-{made[3].id}")
    for target, shown in ((made[20], "Comment number 20"), (made[40], "Comment number 40"),
                          (reply, "A late reply")):
        location = testapp.get(f"/comment/{target.id}", status=303).location
        assert f"/comments/petitions.petition/{row.id}" in location
        assert location.endswith(f"#comment-{target.id}")
        assert shown in testapp.get(location).text
