"""PostgreSQL connections ended under the site (a restart, an administrator) cost no request:
stale pooled connections are replaced before use, and a request whose connection is lost
before it commits runs again, writing once."""

from __future__ import annotations

import os
import time
import uuid

import pytest
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.pool import NullPool

from plugins.forums.models import Category, Forum, Post

pytestmark = pytest.mark.skipif(not os.environ.get("CORTEGE_TEST_DATABASE_URL"),
                                reason="PostgreSQL's connections")


@pytest.fixture
def terminate(committed_site):
    """``terminate(pid=None)`` ends a backend of the site's database (every one when no pid
    is given, as a restart does) from a connection of its own, and waits until it is gone."""
    admin = create_engine(committed_site.engine.url, poolclass=NullPool,
                          isolation_level="AUTOCOMMIT")  # a fresh pg_stat_activity each time
    others = "datname = current_database() AND pid <> pg_backend_pid()"

    def end(pid=None):
        condition = f"{others} AND pid = :pid" if pid else others
        with admin.connect() as connection:
            connection.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                    f"WHERE {condition}"), {"pid": pid})
            for _ in range(100):
                left = connection.execute(text(f"SELECT count(*) FROM pg_stat_activity "
                                               f"WHERE {condition}"), {"pid": pid}).scalar()
                if not left:
                    return
                time.sleep(0.05)
            rows = connection.execute(text(f"SELECT pid, state, backend_type, query FROM "
                                           f"pg_stat_activity WHERE {condition}"),
                                      {"pid": pid}).all()
        pytest.fail(f"the backends did not end: {rows}")

    yield end
    admin.dispose()


@pytest.fixture
def topic(committed_site):
    """A member's browser, logged in, and the path and id of a topic they may answer."""
    (category,) = committed_site.add(Category(title="General", description="", position=1))
    (forum,) = committed_site.add(Forum(slug=f"debates-{uuid.uuid4().hex[:8]}", title="Debates",
                                        description="", category_id=category.id, position=1,
                                        closed=False, topic_count=0, post_count=0))
    browser = committed_site.login(committed_site.make_user())
    page = browser.get(f"/forums/{forum.slug}/new")
    path = browser.post(f"/forums/{forum.slug}/new", {
        "csrf_token": token(page), "title": "Housing", "body": "Rents rise."},
        status=303).location.replace("http://localhost", "")
    return browser, path, int(path.rsplit("/", 1)[1].split("-", 1)[0])


def token(page):
    return page.html.find("input", {"name": "csrf_token"})["value"]


def posts_saying(site, body):
    with site.session() as session:
        return session.scalar(select(func.count()).select_from(Post).where(Post.body == body))


def test_connections_ended_between_two_requests_are_replaced(committed_site, topic,
                                                            terminate):
    browser, path, topic_id = topic
    page = browser.get(path)  # the pool now holds connections to the database
    terminate()
    browser.post(f"/forums/topic/{topic_id}/reply",
                 {"csrf_token": token(page), "body": "After the restart"}, status=303)
    assert posts_saying(committed_site, "After the restart") == 1


def test_a_connection_ended_during_a_request_runs_it_again_once(committed_site, topic,
                                                                terminate):
    browser, path, topic_id = topic
    page = browser.get(path)
    ended = []

    def end_it_first(conn, cursor, statement, parameters, context, executemany):
        # The request has read and written already (its post): its connection now ends.
        if statement.startswith("UPDATE forums_topic") and not ended:
            ended.append(conn.connection.dbapi_connection.info.backend_pid)
            terminate(ended[0])

    engine = committed_site.engine
    event.listen(engine, "before_cursor_execute", end_it_first)
    try:
        browser.post(f"/forums/topic/{topic_id}/reply",
                     {"csrf_token": token(page), "body": "Lost then found"}, status=303)
    finally:
        event.remove(engine, "before_cursor_execute", end_it_first)
    assert ended
    assert posts_saying(committed_site, "Lost then found") == 1


def test_a_connection_ended_at_commit_is_not_run_again(committed_site, topic, terminate):
    """Whether a COMMIT that lost its connection happened cannot be known: the request is
    not run again, so nothing is written twice; the member gets an error (500)."""
    browser, path, topic_id = topic
    page = browser.get(path)
    commits = []

    def end_it_at_commit(conn):
        commits.append(conn.connection.dbapi_connection.info.backend_pid)
        if len(commits) == 1:
            terminate(commits[0])

    engine = committed_site.engine
    event.listen(engine, "commit", end_it_at_commit)
    try:
        page = browser.post(f"/forums/topic/{topic_id}/reply",
                            {"csrf_token": token(page), "body": "At the last moment"},
                            status=500)
        assert "Something went wrong" in page.text  # the site's page, with a reference
    finally:
        event.remove(engine, "commit", end_it_at_commit)
    assert len(commits) == 1  # one attempt only
    assert posts_saying(committed_site, "At the last moment") == 0


def test_a_reading_request_whose_connection_ends_at_its_end_runs_again(committed_site, topic,
                                                                       terminate):
    """A page that only read ends its transaction with a ROLLBACK; a connection lost there
    has written nothing, so the page is made again."""
    browser = topic[0]
    browser.get("/forums")  # the member's last-active time is written now, not below
    rollbacks = []

    def end_it_at_rollback(conn):
        rollbacks.append(conn.connection.dbapi_connection.info.backend_pid)
        if len(rollbacks) == 1:
            terminate(rollbacks[0])

    engine = committed_site.engine
    event.listen(engine, "rollback", end_it_at_rollback)
    try:
        assert "Debates" in browser.get("/forums", status=200).text
    finally:
        event.remove(engine, "rollback", end_it_at_rollback)
    assert len(rollbacks) >= 2  # the first attempt's, then the second's
