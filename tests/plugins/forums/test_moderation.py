"""Moderation: hide and show, close, pin, pin everywhere, move, the report queue; site
moderators in site forums, group moderators in their group's forum only."""

from __future__ import annotations

import pytest

from plugins.forums.models import Forum, Post, Report, Topic
from tests.plugins.forums.conftest import submit, topic_path


@pytest.fixture
def cast(make_user):
    return {"alice": make_user("alice"), "bob": make_user("bob"),
            "mod": make_user("mod", role="moderator")}


def test_members_may_not_moderate(cast, login, make_forum, make_topic):
    topic = make_topic(make_forum("Debates"), cast["alice"])
    bob = login(cast["bob"])
    assert not bob.get(topic_path(topic)).html.find(id="moderation")
    for action in ("close", "hide", "stick", "super"):
        submit(bob, f"/forums/topic/{topic.id}/{action}", status=403)
    submit(bob, f"/forums/post/{topic.first_post_id}/hide", status=403)


def test_moderators_hide_a_topic_from_everyone_else_and_show_it_again(
        cast, login, make_forum, make_topic, dbsession, testapp):
    forum = make_forum("Debates")
    topic = make_topic(forum, cast["alice"], "Spam", replies=[(cast["bob"], "More")])
    mod = login(cast["mod"])
    submit(mod, f"/forums/topic/{topic.id}/hide")
    testapp.get(topic_path(topic), status=404)
    login(cast["alice"]).get(topic_path(topic), status=404)
    assert "Spam" not in testapp.get("/forums/debates").text
    page = mod.get(topic_path(topic))
    assert "Hidden" in page.text
    dbsession.expire_all()
    assert dbsession.get(Forum, forum.id).topic_count == 0
    submit(mod, f"/forums/topic/{topic.id}/unhide")
    testapp.get(topic_path(topic))
    dbsession.expire_all()
    assert (dbsession.get(Forum, forum.id).topic_count,
            dbsession.get(Forum, forum.id).post_count) == (1, 2)


def test_hiding_a_reply_takes_it_out_of_the_counts(
        cast, login, make_forum, make_topic, dbsession, testapp):
    forum = make_forum("Debates")
    topic = make_topic(forum, cast["alice"], replies=[(cast["bob"], "rude words")])
    reply = dbsession.query(Post).filter_by(topic_id=topic.id, is_first=False).one()
    submit(login(cast["mod"]), f"/forums/post/{reply.id}/hide")
    assert "rude words" not in testapp.get(topic_path(topic)).text
    testapp.get(f"/forums/post/{reply.id}", status=404)
    dbsession.expire_all()
    topic = dbsession.get(Topic, topic.id)
    assert (topic.reply_count, topic.last_poster_id) == (0, cast["alice"].id)


def test_close_pin_and_pin_everywhere(cast, login, make_forum, make_topic, testapp):
    debates = make_forum("Debates")
    other = make_forum("Campaigns", slug="campaigns")
    old = make_topic(debates, cast["alice"], "Rules of the forum")
    make_topic(debates, cast["bob"], "Newer")
    mod = login(cast["mod"])
    submit(mod, f"/forums/topic/{old.id}/stick")
    first = testapp.get("/forums/debates").html.select("#topics > li")[0]
    assert first["id"] == f"topic-{old.id}" and "Pinned" in first.text
    submit(mod, f"/forums/topic/{old.id}/super")
    assert f"topic-{old.id}" in [li["id"] for li in
                                 testapp.get("/forums/campaigns").html.select("#topics > li")]
    submit(mod, f"/forums/topic/{old.id}/close")
    assert "reply" not in login(cast["bob"]).get(topic_path(old)).forms
    assert other.id


def test_moving_a_topic_carries_its_posts_and_counts(
        cast, login, make_forum, make_topic, dbsession):
    debates = make_forum("Debates")
    campaigns = make_forum("Campaigns", slug="campaigns")
    topic = make_topic(debates, cast["alice"], "Leaflets", replies=[(cast["bob"], "Yes")])
    mod = login(cast["mod"])
    page = submit(mod, f"/forums/topic/{topic.id}/move", forum=str(campaigns.id)).follow()
    assert page.request.path == f"/forums/campaigns/{topic.id}-leaflets"
    dbsession.expire_all()
    assert {p.forum_id for p in dbsession.query(Post).filter_by(topic_id=topic.id)} == {
        campaigns.id}
    assert dbsession.get(Forum, debates.id).topic_count == 0
    assert dbsession.get(Forum, campaigns.id).post_count == 2
    assert mod.get(f"/forums/debates/{topic.id}-leaflets").status_int == 303


def test_reports_reach_the_queue_and_moderators_act_on_them(
        cast, login, make_forum, make_topic, dbsession):
    topic = make_topic(make_forum("Debates"), cast["alice"], replies=[(cast["alice"], "Insult")])
    reply = dbsession.query(Post).filter_by(topic_id=topic.id, is_first=False).one()
    bob = login(cast["bob"])
    form = bob.get(f"/forums/post/{reply.id}/report").forms["report-form"]
    assert form.submit(status=400).html.select(".field__error")
    form["reason"] = "Personal attack"
    form.submit().follow()
    bob.get("/forums/reports", status=403)

    mod = login(cast["mod"])
    assert "1 report waits" in mod.get("/forums").text
    queue = mod.get("/forums/reports")
    assert "Personal attack" in queue.text and "Insult" in queue.text
    report = dbsession.query(Report).one()
    submit(mod, f"/forums/reports/{report.id}/hide")
    dbsession.expire_all()
    assert dbsession.get(Post, reply.id).hidden
    assert dbsession.get(Report, report.id).outcome == "hidden"
    assert "Personal attack" not in mod.get("/forums/reports").text


def test_group_moderators_moderate_their_group_forum_only(
        cast, login, make_cell, group_forum, make_forum, make_topic, make_user, dbsession):
    lead = make_user("lead")
    group = make_cell("Cellule", status="private", admin=cast["alice"],
                       members=[(lead, "moderator"), cast["bob"]])
    forum = group_forum(group)
    topic = make_topic(forum, cast["bob"], "Inside", replies=[(cast["bob"], "Off topic")])
    site_topic = make_topic(make_forum("Debates"), cast["bob"], "Outside")
    reply = dbsession.query(Post).filter_by(topic_id=topic.id, is_first=False).one()
    leader = login(lead)
    assert leader.get(f"/forums/{forum.slug}/{topic.id}-inside").html.find(id="moderation")
    submit(leader, f"/forums/post/{reply.id}/hide")
    dbsession.expire_all()
    assert dbsession.get(Post, reply.id).hidden
    submit(leader, f"/forums/topic/{topic.id}/super", status=403)  # site-wide pins are not theirs
    submit(leader, f"/forums/topic/{site_topic.id}/close", status=403)

    form = login(cast["bob"]).get(f"/forums/post/{topic.first_post_id}/report").forms[
        "report-form"]
    form["reason"] = "Check this"
    form.submit()
    assert "Check this" in leader.get("/forums/reports").text
    # A site moderator outside the private group neither sees its reports nor its topics.
    mod = login(cast["mod"])
    assert "Check this" not in mod.get("/forums/reports").text
    mod.get(f"/forums/{forum.slug}/{topic.id}-inside", status=404)
