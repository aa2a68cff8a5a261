"""Comments with the kinds of content that take them: events, petitions and polls, in groups
or not. The factories come from each plugin's testing module (``make_comment``,
``make_petition``, ``make_event``, ``make_poll``, ``make_group``)."""

from __future__ import annotations

import pytest


@pytest.fixture
def cortege_plugins():
    return ["profiles", "groups", "agenda", "tools", "petitions", "polls", "comments"]


def comment_form(page):
    return page.forms["comment-form"]


@pytest.fixture
def comment(login):
    """``comment(browser, path, body, status=303)``: send the comment form of the page."""

    def send(browser, path, body, status=303, parent=None):
        page = browser.get(path)
        if parent is not None:
            form = page.forms[f"reply-form-{parent.id}"]
        else:
            form = comment_form(page)
        form["body"] = body
        return form.submit(status=status)

    return send
