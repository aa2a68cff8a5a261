"""Messages with what they work with: profiles, groups and notifications."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from plugins.messages.models import Conversation


@pytest.fixture
def cortege_plugins():
    return ["profiles", "groups", "notifications", "messages"]


def write(browser, to, body, subject="Hello", status=303):
    form = browser.get("/messages/new").forms["message-form"]
    form["to"], form["subject"], form["body"] = to, subject, body
    return form.submit(status=status)


def reply(browser, conversation_id, body, audience=None, status=303):
    form = browser.get(f"/messages/{conversation_id}").forms["reply-form"]
    form["body"] = body
    if audience:
        form["audience"] = audience
    return form.submit(status=status)


def last_conversation(dbsession):
    dbsession.expire_all()
    return dbsession.scalars(select(Conversation).order_by(Conversation.id.desc())).first()


def bodies(browser, conversation_id):
    page = browser.get(f"/messages/{conversation_id}")
    return [" ".join(div.text.split()) for div in page.html.select(".message__body")]
