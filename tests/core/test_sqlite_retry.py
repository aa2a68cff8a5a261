"""SQLite: transactions open at their first write with BEGIN IMMEDIATE, so a transaction
that read and then writes is never refused; a write that waited for the lock longer than the
busy timeout is marked retryable."""

from __future__ import annotations

import os
import time

import pytest
from pyramid_retry import IRetryableError
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from core.db import engine_from_settings

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("CORTEGE_TEST_DATABASE_URL")), reason="SQLite's locking only"
)


@pytest.fixture
def engine(tmp_path):
    engine = engine_from_settings({"sqlalchemy.url": f"sqlite:///{tmp_path}/locks.sqlite",
                                   "cortege.sqlite_busy_timeout": 1})
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE counter (value INTEGER)"))
        connection.execute(text("INSERT INTO counter VALUES (0)"))
    yield engine
    engine.dispose()


def test_reading_then_writing_after_another_writer_committed_works(engine):
    with engine.connect() as reader:
        transaction = reader.begin()
        assert reader.execute(text("SELECT value FROM counter")).scalar() == 0
        assert not reader.connection.dbapi_connection.in_transaction  # no lock for reading
        with engine.begin() as writer:  # another request writes and commits meanwhile
            writer.execute(text("UPDATE counter SET value = value + 1"))
        reader.execute(text("UPDATE counter SET value = value + 1"))  # once refused at once
        transaction.commit()
    with engine.connect() as connection:
        assert connection.execute(text("SELECT value FROM counter")).scalar() == 2


def test_a_write_waits_for_the_lock_then_is_marked_retryable(engine):
    holder = engine.connect()
    holding = holder.begin()
    holder.execute(text("UPDATE counter SET value = 1"))  # holds the write lock
    with engine.connect() as waiting:
        transaction = waiting.begin()
        started = time.monotonic()
        with pytest.raises(OperationalError) as caught:
            waiting.execute(text("UPDATE counter SET value = 2"))
        assert time.monotonic() - started >= 0.9  # the busy timeout, then the error
        assert IRetryableError.providedBy(caught.value)
        transaction.rollback()
    holding.rollback()
    holder.close()


def test_select_for_update_opens_the_writing_transaction(engine):
    from sqlalchemy import column, select, table

    counter = table("counter", column("value"))
    with engine.connect() as connection:
        transaction = connection.begin()
        connection.execute(select(counter.c.value).with_for_update())
        assert connection.connection.dbapi_connection.in_transaction
        transaction.rollback()
