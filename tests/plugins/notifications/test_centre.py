"""The bell and the centre: a mention reaches the bell, the centre groups by day, opening an
entry marks it read and leads to its subject, mark all read, pages by key, bounded queries."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import insert, select, update

from plugins.forums.models import Post, Topic
from plugins.notifications.models import Notification
from tests.plugins.forums.conftest import topic_path
from tests.plugins.notifications.conftest import (
    bell_count,
    centre,
    notifications_of,
    reply,
    write_topic,
)


def test_a_mention_rings_the_bell_and_leads_to_the_post(make_user, login, make_forum,
                                                        dbsession):
    alice, bob = make_user("alice", display_name="Alice"), make_user("bob")
    make_forum("Debates")
    as_alice, as_bob = login(alice), login(bob)
    assert bell_count(as_bob) == 0
    write_topic(as_alice, "debates", "Housing", "What does @bob think?")
    assert bell_count(as_bob) == 1
    assert centre(as_bob) == ["Alice mentioned you in “Housing”"]
    [notification] = notifications_of(dbsession, bob)
    post = dbsession.scalars(select(Post)).one()
    assert (notification.subject_kind, notification.subject_id) == ("forums.post", post.id)
    opened = as_bob.get(f"/notifications/{notification.id}", status=303)
    assert opened.location.endswith(f"/forums/posts/{post.id}") or str(post.id) in opened.location
    assert bell_count(as_bob) == 0
    assert as_bob.get("/notifications/count.json").json == {"unread": 0}
    # Someone else's notification is not theirs to open.
    login(alice).get(f"/notifications/{notification.id}", status=404)


def test_strangers_have_no_bell_and_no_centre(testapp):
    assert testapp.get("/").html.find(id="notification-bell") is None
    assert testapp.get("/notifications").status_int in (302, 303)
    testapp.get("/notifications/count.json", status=(302, 303, 403))


def test_replies_to_my_topic_and_mark_all_read(make_user, login, make_forum, dbsession):
    alice, bob, cy = make_user("alice"), make_user("bob", display_name="Bob"), make_user("cy")
    make_forum("Debates")
    as_alice = login(alice)
    write_topic(as_alice, "debates", "Housing", "Rents rise.")
    topic = dbsession.scalars(select(Topic)).one()
    reply(login(bob), topic_path(topic), "Agreed.")
    reply(login(cy), topic_path(topic), "Me too.")
    reply(as_alice, topic_path(topic), "Thanks.")  # her own reply tells her nothing
    assert bell_count(as_alice) == 2
    assert centre(as_alice)[1] == "Bob replied to your topic “Housing”"
    page = as_alice.get("/notifications")
    first = next(f for f in page.forms.values()
                 if re.search(r"/notifications/\d+/read$", f.action or ""))
    first.submit(status=303)
    assert bell_count(as_alice) == 1
    # Nobody marks someone else's notification read.
    login(bob).post(first.action, {"csrf_token": first["csrf_token"].value}, status=(400, 404))
    page = as_alice.get("/notifications")
    page.forms["read-all-form"].submit(status=303)
    assert bell_count(as_alice) == 0
    assert not as_alice.get("/notifications").html.select("li.notification--unread")


def test_the_centre_groups_by_day_and_pages_by_key(make_user, login, make_forum, dbsession,
                                                   max_queries):
    alice = make_user("alice", timezone="Europe/Paris")
    bob = make_user("bob")
    make_forum("Debates")
    write_topic(login(bob), "debates", "Housing", "Hello @alice")
    [first] = notifications_of(dbsession, alice)
    now = dt.datetime.now(dt.UTC)
    rows = [{"recipient_id": alice.id, "type": "core.mentioned", "subject_kind": "forums.post",
             "subject_id": first.subject_id, "actor_id": bob.id,
             "created_at": now - dt.timedelta(days=(68 - index) // 20)}
            for index in range(69)]
    dbsession.execute(insert(Notification), rows)
    dbsession.execute(update(Notification).where(Notification.id == first.id)
                      .values(created_at=now - dt.timedelta(days=10)))
    dbsession.flush()
    browser = login(alice)
    with max_queries(12):
        page = browser.get("/notifications")
    days = page.html.select("section.notification-day")
    assert len(days) == 2 and days[0].h2.text.strip() == "Today"
    assert len(page.html.select("li.notification")) == 30
    with max_queries(12):
        older = page.click(href="before=")
    assert len(older.html.select("li.notification")) == 30
    last = older.click(href="before=")
    assert len(last.html.select("li.notification")) == 10
    assert not last.html.select("a[rel=next]")
    with max_queries(8):
        assert browser.get("/notifications/count.json").json == {"unread": 70}
    dbsession.execute(insert(Notification), rows[:40])
    dbsession.flush()
    assert browser.get("/notifications/count.json").json == {"unread": 100}
    # The bell costs the other pages nothing: its script asks for the count.
    with max_queries(20) as counter:
        browser.get("/")
    assert not [s for s in counter.statements if "notifications_" in s]
