"""The social layer with every plugin whose events it records."""

from __future__ import annotations

import pytest

from core.jobs import job_request
from plugins.social.interfaces import ISocialService


@pytest.fixture
def cortege_plugins():
    return ["profiles", "groups", "agenda", "tools", "petitions", "polls", "forums", "social"]


@pytest.fixture
def social_service(registry, connection):
    """The social service on a request of its own, as a job or a command finds it."""
    with job_request(registry) as request, request.tm:
        yield request.find_service(ISocialService)


def token(page) -> str:
    return page.html.find("input", {"name": "csrf_token"})["value"]


@pytest.fixture
def post_status(login):
    """``post_status(user_or_browser, body, group=None, status=303)`` through the form."""

    def post(who, body, group=None, status=303):
        browser = who if hasattr(who, "get") else login(who)
        page = browser.get("/activity")
        data = {"csrf_token": token(page), "body": body}
        if group is not None:
            data["group"] = group.slug
        return browser.post("/activity/post", data, status=status)

    return post
