"""Members writing at the same moment get no error (requests in threads on a database that
commits: on SQLite, a file, as the development settings use)."""

from __future__ import annotations

import datetime as dt
import os
import uuid

import pytest
from sqlalchemy import select, text

from core.db import utcnow
from plugins.agenda.models import Event, EventType
from plugins.forums.models import Category, Forum, ReadMark, Topic
from plugins.groups.models import Group
from plugins.profiles.models import Profile


@pytest.fixture
def cortege_settings(cortege_settings):
    return {**cortege_settings, "forums.post_rate": "1000/minute"}


def token(page):
    return page.html.find("input", {"name": "csrf_token"})["value"]


def make_places(site):
    """A forum topic, a public group and an event with few places, to write in."""
    slug = uuid.uuid4().hex[:8]
    (category,) = site.add(Category(title="General", description="", position=1))
    (forum,) = site.add(Forum(slug=f"debates-{slug}", title="Debates", description="",
                              category_id=category.id, position=1, closed=False,
                              topic_count=0, post_count=0))
    (group,) = site.add(Group(slug=f"lille-{slug}", name="Lille", sort_name="lille",
                              status="public", member_count=0))
    with site.session() as session:
        type_id = session.scalar(select(EventType.id).limit(1))
    start = utcnow() + dt.timedelta(days=3)
    (event,) = site.add(Event(title="Meeting", type_id=type_id, starts_at=start,
                              ends_at=start + dt.timedelta(hours=2), timezone="UTC",
                              capacity=4, city="Lille", city_key="lille"))
    author = site.login(site.make_user())
    page = author.get(f"/forums/{forum.slug}/new")
    topic_url = author.post(f"/forums/{forum.slug}/new", {
        "csrf_token": token(page), "title": "Housing", "body": "Rents rise."},
        status=303).location
    return topic_url, group, event


def test_members_writing_at_once_get_no_error(committed_site):
    topic_url, group, event = make_places(committed_site)
    topic_id = int(topic_url.rsplit("/", 1)[1].split("-", 1)[0])
    members = [committed_site.make_user() for _ in range(10)]

    def visit(member):
        browser = committed_site.login(member)
        for round_ in range(4):
            page = browser.get(topic_url)  # marks the topic read
            browser.post(f"/forums/topic/{topic_id}/reply",
                         {"csrf_token": token(page), "body": f"Round {round_}"}, status=303)
            page = browser.get(f"/agenda/{event.id}")
            browser.post(f"/agenda/{event.id}/rsvp", {
                "csrf_token": token(page), "status": ("going", "not_going")[round_ % 2],
                "guests": "0"}, status=303)
            page = browser.get(f"/groups/{group.slug}")
            browser.post(f"/groups/{group.slug}/membership", {
                "csrf_token": token(page), "action": ("join", "leave")[round_ % 2]},
                status=303)
            browser.get("/members")
        return browser

    # Every request above names its status: a 500, or any other, fails the test.
    committed_site.at_once(visit, members)

    with committed_site.session() as session:
        assert session.get(Topic, topic_id).reply_count == 40
        assert session.get(Group, group.id).member_count == 0
        assert session.get(Event, event.id).seats_taken == 0


@pytest.mark.skipif(bool(os.environ.get("CORTEGE_TEST_DATABASE_URL")),
                    reason="SQLite's write lock")
class TestWhileAnotherWrites:
    @pytest.fixture
    def cortege_settings(self, cortege_settings):
        return {**cortege_settings, "cortege.sqlite_busy_timeout": "1"}

    def test_pages_are_served_while_another_holds_the_write_lock(self, committed_site):
        """Reading takes no lock; a page's own small writes (the member's last-active time,
        a read mark) give way when they cannot have it."""
        topic_url, _group, _event = make_places(committed_site)
        member = committed_site.make_user()
        browser = committed_site.login(member)
        committed_site.add(Profile(user_id=member.id, sort_name="member",
                                   last_active_at=utcnow() - dt.timedelta(days=1)))
        with committed_site.engine.connect() as holder:
            holder.exec_driver_sql("BEGIN IMMEDIATE")
            holder.execute(text("UPDATE users SET display_name = display_name"))
            browser.get("/members", status=200)
            browser.get(topic_url, status=200)
            holder.rollback()
        with committed_site.session() as session:
            assert session.get(Profile, member.id).last_active_at < utcnow() - dt.timedelta(
                hours=1)
            assert session.scalars(select(ReadMark).where(
                ReadMark.user_id == member.id)).all() == []
        # Once the lock is free, the next page writes what waited.
        browser.get(topic_url, status=200)
        with committed_site.session() as session:
            assert session.get(Profile, member.id).last_active_at > utcnow() - dt.timedelta(
                minutes=1)
