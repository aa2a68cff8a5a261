"""Notifications with every bundled source on, and helpers to read the centre and the bell."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from plugins.notifications.models import Notification


@pytest.fixture
def cortege_plugins():
    return ["profiles", "groups", "agenda", "tools", "petitions", "polls", "forums",
            "notifications"]


def bell_count(browser) -> int:
    """The unread count the bell shows: every page has the bell, a link to the centre, whose
    script reads the count from ``count.json``."""
    page = browser.get("/")
    bell = page.html.find(id="notification-bell")
    assert bell is not None and bell["href"].endswith("/notifications"), "no bell in the header"
    return browser.get(bell["data-count-url"]).json["unread"]


def centre(browser) -> list[str]:
    """The sentences of the notification centre, newest first."""
    page = browser.get("/notifications")
    return [" ".join(li.a.text.split()) for li in page.html.select("li.notification")]


def notifications_of(dbsession, user, type_name=None) -> list[Notification]:
    dbsession.expire_all()
    query = select(Notification).where(Notification.recipient_id == user.id)
    if type_name:
        query = query.where(Notification.type == type_name)
    return list(dbsession.scalars(query.order_by(Notification.id)))


def unsubscribe_link(message) -> str:
    match = re.search(r"<https?://[^/>]+(/notifications/unsubscribe/[^>]+)>",
                      message.extra_headers["List-Unsubscribe"])
    assert match, message.extra_headers
    return match.group(1)


def write_topic(browser, forum_slug, title, body):
    form = browser.get(f"/forums/{forum_slug}/new").forms["topic-form"]
    form["title"], form["body"] = title, body
    return form.submit(status=303)


def reply(browser, path, body):
    form = browser.get(path).forms["reply"]
    form["body"] = body
    return form.submit(status=303)
