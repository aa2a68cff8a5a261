"""Admins arrange forums; the member's forum data in their export and after their account;
the seeder's demo and volume."""

from __future__ import annotations

import json

from sqlalchemy import create_engine, text

from core.cli import main as cortege
from core.db import normalise_url
from core.testing import TEST_PASSWORD
from plugins.forums.models import Category, Forum, Post, ReadMark, Report, Subscription
from tests.core.test_migrations import write_ini
from tests.plugins.forums.conftest import submit, topic_path


def test_admins_add_edit_order_and_delete_categories_and_forums(login, make_user, dbsession):
    admin = login(make_user("boss", role="admin"))
    panel = admin.get("/admin/forums")
    form = panel.forms["category-form"]
    form["category-title"] = "Debates"
    form.submit().follow()
    category = dbsession.query(Category).filter_by(title="Debates").one()
    form = admin.get("/admin/forums").forms["forum-form"]
    form["forum-title"], form["forum-category"] = "Programme", str(category.id)
    form.submit().follow()
    form = admin.get("/admin/forums").forms["forum-form"]
    form["forum-title"] = "Search"  # a word the forums' addresses use
    form.submit().follow()
    forums = {f.title: f for f in dbsession.query(Forum)}
    assert forums["Programme"].slug == "programme"
    assert forums["Search"].slug == "forum-search"
    assert "Programme" in admin.get("/forums").html.find(id=f"category-{category.id}").text

    edit = admin.get(f"/admin/forums/forum/{forums['Programme'].id}/edit").forms["item-form"]
    edit["closed"] = True
    edit["description"] = "Chapter by chapter."
    edit.submit().follow()
    dbsession.expire_all()
    assert dbsession.get(Forum, forums["Programme"].id).closed
    submit(admin, f"/admin/forums/forum/{forums['Search'].id}/up")
    dbsession.expire_all()
    assert dbsession.get(Forum, forums["Search"].id).position < dbsession.get(
        Forum, forums["Programme"].id).position
    submit(admin, f"/admin/forums/forum/{forums['Search'].id}/delete")
    submit(admin, f"/admin/forums/category/{category.id}/delete")
    dbsession.expire_all()
    assert dbsession.query(Category).count() == 0
    assert [f.category_id for f in dbsession.query(Forum)] == [None]


def test_forums_with_topics_are_not_deleted(login, make_user, make_forum, make_topic,
                                            dbsession):
    boss = make_user("boss", role="admin")
    forum = make_forum("Debates")
    make_topic(forum, boss)
    page = submit(login(boss), f"/admin/forums/forum/{forum.id}/delete").follow()
    assert "This forum has topics" in page.text
    assert dbsession.get(Forum, forum.id) is not None


def test_members_and_moderators_may_not_manage_forums(login, make_user):
    for role in ("member", "moderator"):
        login(make_user(role=role)).get("/admin/forums", status=403)


def test_export_holds_posts_subscriptions_and_reports(
        login, make_user, make_forum, make_topic, forum_service, dbsession):
    alice, bob = make_user("alice"), make_user("bob")
    topic = make_topic(make_forum("Debates"), alice, "Housing", "My text",
                       replies=[(bob, "Bob's")])
    forum_service.subscribe(alice, topic=topic)
    reply = dbsession.query(Post).filter_by(author_id=bob.id).one()
    forum_service.report(alice, forum_service.post(reply.id, alice), "Rude")
    data = json.loads(login(alice).get("/account/export.json").text)["forums"]
    assert [(p["topic"], p["text"], p["opens_topic"]) for p in data["posts"]] == [
        ("Housing", "My text", True)]
    assert data["subscriptions"][0]["topic_id"] == topic.id
    assert data["reports"] == [{"post_id": reply.id, "reason": "Rude",
                                "created_at": data["reports"][0]["created_at"]}]


def test_deleting_the_account_keeps_posts_as_by_a_former_member(
        login, make_user, make_forum, make_topic, forum_service, dbsession, testapp):
    alice, bob = make_user("alice", display_name="Alice Dubois"), make_user("bob")
    topic = make_topic(make_forum("Debates"), alice, "Housing", "Alice's words",
                       replies=[(bob, "Bob's words")])
    forum_service.subscribe(alice, topic=topic)
    forum_service.report(alice, forum_service.db.query(Post).filter_by(author_id=bob.id).one(),
                         "Rude")
    browser = login(alice)
    browser.get(topic_path(topic))  # leaves a read mark
    form = browser.get("/account").forms["delete-form"]
    form["password"], form["confirm"] = TEST_PASSWORD, True
    assert form.submit().status_int == 303
    for model in (Subscription, ReadMark, Report):
        assert dbsession.query(model).filter(
            getattr(model, "user_id", getattr(model, "reporter_id", None)) == alice.id
        ).count() == 0
    page = testapp.get(topic_path(topic))
    assert "Alice's words" in page.text and "Alice Dubois" not in page.text
    assert "former member" in page.html.select("#posts .forums__author")[0].text


def test_seed_demo_forums_then_volume(tmp_path, scratch_database_url):
    ini = write_ini(tmp_path / "site.ini", scratch_database_url,
                    plugins="profiles groups forums")
    assert cortege(["db", "upgrade", str(ini)]) == 0
    assert cortege(["seed", str(ini), "--forum-replies", "520"]) == 0
    engine = create_engine(normalise_url(scratch_database_url))
    try:
        with engine.connect() as connection:
            def scalar(sql):
                return connection.execute(text(sql)).scalar()

            assert scalar("SELECT count(*) FROM forums_forum WHERE group_id IS NOT NULL") > 0
            volume = scalar("SELECT id FROM forums_forum WHERE title = 'Volume'")
            assert scalar(f"SELECT count(*) FROM forums_post WHERE forum_id = {volume} "
                          "AND is_first = false") == 520
            assert scalar(f"SELECT post_count FROM forums_forum WHERE id = {volume}") == 530
            # The counters on the rows agree with the posts, for demo topics too.
            assert scalar("SELECT count(*) FROM forums_topic t WHERE reply_count != "
                          "(SELECT count(*) FROM forums_post p WHERE p.topic_id = t.id "
                          "AND p.is_first = false)") == 0
            connection.execute(text(  # new rows still get fresh ids after the bulk insert
                "INSERT INTO forums_category (title, description, position) "
                "VALUES ('x', '', 9)"))
    finally:
        engine.dispose()
