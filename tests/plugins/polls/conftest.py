"""Fixtures for the polls plugin: polls made directly, ballots posted through the pages."""

from __future__ import annotations

import datetime as dt

import pytest

from core.db import utcnow
from plugins.polls.models import Option, Poll
from tests.plugins.profiles.conftest import plugin_request  # noqa: F401  (shared fixture)


@pytest.fixture
def cortege_plugins():
    return ["tools", "polls"]


@pytest.fixture
def make_poll(dbsession):
    """``make_poll(["A", "B"], kind="ranked", method="schulze", closes_in=-1)``: a poll opened
    a day ago that closes in ``closes_in`` days (negative: already closed). Secret ballots
    that cannot be changed, unless told otherwise."""

    def factory(options=("Yes", "No"), kind="single", method="plurality", opens_in=-1,
                closes_in=7, **values):
        now = utcnow()
        count = len(options)
        values.setdefault("min_choices", 0 if kind == "approval" else 1)
        values.setdefault("max_choices", 1 if kind == "single" else count)
        values.setdefault("changeable", False)
        poll = Poll(title=values.pop("title", "What shall we do?"), description="",
                    kind=kind, method=method, opens_at=now + dt.timedelta(days=opens_in),
                    closes_at=now + dt.timedelta(days=closes_in), **values)
        poll.options = [Option(position=i, label=label) for i, label in enumerate(options)]
        dbsession.add(poll)
        dbsession.flush()
        return poll

    return factory


def token(page) -> str:
    return page.html.find("input", {"name": "csrf_token"})["value"]


@pytest.fixture
def vote(login):
    """``vote(user_or_browser, poll, {"choice": [id]}, status=303)`` posts a ballot."""

    def post(who, poll, fields, status=303):
        browser = who if hasattr(who, "get") else login(who)
        page = browser.get(f"/tools/polls/{poll.id}")
        data = [("csrf_token", token(page))]
        for name, value in fields.items():
            for item in value if isinstance(value, (list, tuple)) else [value]:
                data.append((name, str(item)))
        return browser.post(f"/tools/polls/{poll.id}", data, status=status)

    return post
