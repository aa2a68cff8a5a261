"""Reading writes nothing: a member browsing the main pages issues no INSERT, UPDATE or
DELETE, once the few throttled writes of a visit are done (the last-active time, at most
once per interval; a topic's read mark, when there is something new to mark)."""

from __future__ import annotations

import datetime as dt

from core.db import utcnow
from plugins.agenda.models import Event, EventType
from plugins.forums.models import Category, Forum, Topic
from plugins.groups.models import Group
from plugins.profiles.models import Profile

WRITES = ("INSERT", "UPDATE", "DELETE")


def test_browsing_the_main_pages_writes_nothing(make_user, login, dbsession, query_counter):
    member = make_user("camille")
    dbsession.add(Profile(user_id=member.id, sort_name="camille", last_active_at=utcnow()))
    category = Category(title="General", description="", position=1)
    dbsession.add(category)
    dbsession.flush()
    forum = Forum(slug="debates", title="Debates", description="", category_id=category.id,
                  position=1, closed=False, topic_count=0, post_count=0)
    group = Group(slug="lille", name="Lille", sort_name="lille", status="public",
                  member_count=0)
    start = utcnow() + dt.timedelta(days=3)
    event = Event(title="Meeting", type_id=dbsession.query(EventType.id).first()[0],
                  starts_at=start, ends_at=start + dt.timedelta(hours=2), timezone="UTC",
                  city="Lille", city_key="lille")
    dbsession.add_all([forum, group, event])
    dbsession.flush()
    browser = login(member)
    page = browser.get("/forums/debates/new")
    form = page.forms["topic-form"]
    form["title"], form["body"] = "Housing", "Rents rise."
    topic_path = form.submit(status=303).location.replace("http://localhost", "")
    pages = ["/", "/members", "/members/camille", "/groups", "/groups/lille", "/forums",
             "/forums/debates", topic_path, "/agenda", f"/agenda/{event.id}", "/tools",
             "/tools/petitions", "/tools/polls", "/account"]
    for path in pages:  # a first visit may write (the read mark of the topic)
        browser.get(path, status=200)
    query_counter.statements.clear()
    for path in pages:
        browser.get(path, status=200)
    writes = [s for s in query_counter.statements if s.lstrip().upper().startswith(WRITES)]
    assert writes == []
    assert dbsession.get(Topic, int(topic_path.rsplit("/", 1)[1].split("-")[0])) is not None
