"""The polls with only what they need: the tools hub. The factory ``make_poll`` comes from
``plugins.polls.testing``; here, ballots posted through the pages, and the service on a
request of its own."""

from __future__ import annotations

import pytest

from core.jobs import job_request
from plugins.polls.interfaces import IPollService
from plugins.polls.testing import make_poll  # noqa: F401  (imported by other tests)


@pytest.fixture
def cortege_plugins():
    return ["tools", "polls"]


@pytest.fixture
def poll_service(registry, connection):
    """The poll service on a request of its own, as a job or a command finds it."""
    with job_request(registry) as request, request.tm:
        yield request.find_service(IPollService)


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
