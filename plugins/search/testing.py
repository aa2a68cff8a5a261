"""Fixtures of the search plugin (a pytest plugin, ``cortege_search`` under ``pytest11``).

Rows made with factories publish no events: ``reindex()`` builds the index from the rows,
as ``cortege search reindex`` does; ``indexed(row, ...)`` writes the entries of a few rows.
"""

from __future__ import annotations

import pytest

from core.content import content_types


@pytest.fixture
def search_request(app, connection, dbsession):
    """A request outside any view, in a transaction aborted at the end of the test (after
    the factories' session, which it needs to outlive)."""
    from core.jobs import job_request

    with job_request(app.registry) as request:
        request.tm.begin()
        try:
            yield request
        finally:
            request.tm.abort()


@pytest.fixture
def search_service(search_request):
    from plugins.search.interfaces import ISearchService

    return search_request.find_service(ISearchService)


@pytest.fixture
def reindex(search_service, dbsession):
    def rebuild(kind=None):
        dbsession.flush()
        return search_service.rebuild(kind)

    return rebuild


@pytest.fixture
def indexed(search_service, registry, dbsession):
    """``indexed(topic, post, member)``: the entries of these rows, written now."""

    def write(*rows):
        dbsession.flush()
        kinds = {kind.model: kind.name for kind in content_types(registry)}
        for row in rows:
            name = kinds[type(row)]
            search_service.refresh(name, [row.id])
        return rows

    return write
