"""On SQLite, a write refused because another transaction wrote first is retried."""

from __future__ import annotations

import os

import pytest
from pyramid_retry import IRetryableError
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from core.db import engine_from_settings

pytestmark = pytest.mark.skipif(
    bool(os.environ.get("CORTEGE_TEST_DATABASE_URL")), reason="SQLite's locking only"
)


def test_locked_database_errors_are_marked_retryable(tmp_path):
    engine = engine_from_settings({"sqlalchemy.url": f"sqlite:///{tmp_path}/locks.sqlite"},
                                  connect_args={"timeout": 0.1})
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE counter (value INTEGER)"))
        connection.execute(text("INSERT INTO counter VALUES (0)"))
    reader = engine.connect()
    transaction = reader.begin()
    assert reader.execute(text("SELECT value FROM counter")).scalar() == 0
    with engine.begin() as writer:  # another request writes and commits meanwhile
        writer.execute(text("UPDATE counter SET value = 1"))
    with pytest.raises(OperationalError) as caught:
        reader.execute(text("UPDATE counter SET value = 2"))
    assert IRetryableError.providedBy(caught.value)
    transaction.rollback()
    reader.close()
    engine.dispose()
