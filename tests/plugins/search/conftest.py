"""The search's tests run with every bundled plugin (``development.ini``'s list). Rows made
with factories publish no events: ``indexed(...)`` and ``reindex()`` (from
``plugins.search.testing``) write their entries."""

from __future__ import annotations

import pytest


@pytest.fixture
def postgresql(dbsession) -> bool:
    return dbsession.get_bind().dialect.name == "postgresql"


def found(page) -> list[str]:
    """The titles of a results page, as read (marks removed), in order."""
    return [item.get_text(" ", strip=True) for item in page.html.select(".search-result__title")]


def counts(page) -> dict[str, str]:
    return {link.get("data-kind", "all"): link.select_one(".search-tabs__count").get_text()
            for link in page.html.select(".search-tabs a")}
