"""The database: one MetaData, engines for SQLite and PostgreSQL, the request's session."""

from __future__ import annotations

import datetime as dt
import logging
import random
import sqlite3
import time

import zope.sqlalchemy
from sqlalchemy import DateTime, MetaData, create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)
log = logging.getLogger(__name__)


class Base(DeclarativeBase):
    """Base of every model, core's and plugins'."""

    metadata = metadata


class UTCDateTime(TypeDecorator):
    """A timezone-aware datetime stored in UTC; SQLite gets it back aware too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware one is required")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def normalise_url(url: str):
    """Use psycopg 3 for plain ``postgresql://`` URLs."""
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def _lower(value):
    return value.lower() if isinstance(value, str) else value


SQLITE_BUSY_TIMEOUT = 5  # seconds, unless cortege.sqlite_busy_timeout says otherwise
_NOT_WRITING = frozenset({"SELECT", "WITH", "PRAGMA", "EXPLAIN", "VALUES",
                          "BEGIN", "COMMIT", "END", "ROLLBACK", "RELEASE"})


def _writes(statement: str, context) -> bool:
    """Whether ``statement`` writes, or reads to write (``SELECT ... FOR UPDATE``, which
    SQLite does not know but the code asks for when it means to change what it reads)."""
    words = statement.split(None, 1)
    verb = words[0].upper() if words else ""
    compiled = getattr(context, "compiled", None)
    if getattr(getattr(compiled, "statement", None), "_for_update_arg", None) is not None:
        return True
    if verb == "WITH" and context is not None:
        return bool(context.isinsert or context.isupdate or context.isdelete)
    return verb not in _NOT_WRITING


def _configure_sqlite(engine: Engine, busy_timeout: float) -> None:
    # SQLAlchemy's documented pysqlite workaround: the driver's own transaction handling is
    # off, SQLAlchemy's events say when a transaction begins. Foreign keys on; WAL on files,
    # so that readers never wait for the writer.
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()
        # SQLite's lower() knows only ASCII; searches that ignore case need "É" to match "é".
        dbapi_connection.create_function("lower", 1, _lower, deterministic=True)

    # SQLite has one writer at a time. A transaction that read and then writes must upgrade
    # its lock, and the upgrade fails at once, without waiting, when another transaction
    # wrote since it read: under a few concurrent members, many requests failed so. So reads
    # run as they come, each seeing what was committed before it (as PostgreSQL's default
    # isolation does), and the transaction opens at the first write (or SELECT ... FOR
    # UPDATE, or SAVEPOINT) with BEGIN IMMEDIATE, which takes the write lock at once or
    # waits for it up to the busy timeout. A request that only reads never takes the lock.
    @event.listens_for(engine, "before_cursor_execute")
    def open_writing_transaction(conn, cursor, statement, parameters, context, executemany):
        if not cursor.connection.in_transaction and _writes(statement, context):
            cursor.execute("BEGIN IMMEDIATE")


COMMITTING = "cortege.committing"


def _note_commit(connection) -> None:
    connection.info[COMMITTING] = True


def _forget_commit(connection) -> None:
    connection.info.pop(COMMITTING, None)


def _committing(connection) -> bool:
    try:
        return bool(connection is not None and connection.info.get(COMMITTING))
    except Exception:  # noqa: BLE001 - a connection too broken to say: assume the worst
        return True


def _mark_retryable(context) -> None:
    """Mark the errors that running the request again can mend, for pyramid_retry.

    - SQLite's write lock not had within the busy timeout ("database is locked").
    - A connection that was lost (a database restart, a connection ended by the server) or
      could not be made, before the transaction's COMMIT was sent: nothing of it was
      committed, so the retry writes everything once. A connection lost during COMMIT is not
      retried: whether the commit happened is unknown.

    PostgreSQL's serialization failures and deadlocks are marked by zope.sqlalchemy.
    """
    from pyramid_retry import mark_error_retryable

    original = context.original_exception
    if context.sqlalchemy_exception is None:  # not the driver's error: nothing to say
        return
    if isinstance(original, sqlite3.OperationalError):
        if "locked" in str(original):
            mark_error_retryable(context.sqlalchemy_exception)
        return
    unreachable = context.connection is None and isinstance(
        context.sqlalchemy_exception, OperationalError)
    lost = context.is_disconnect and not _committing(context.connection)
    if (lost or unreachable) and not context.is_pre_ping:
        mark_error_retryable(context.sqlalchemy_exception)


def engine_from_settings(settings: dict, **kwargs) -> Engine:
    url = normalise_url(settings["sqlalchemy.url"])
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        import os

        os.makedirs(os.path.dirname(os.path.abspath(url.database)), exist_ok=True)
    options = {"future": True}
    if url.get_backend_name() == "postgresql":
        # A connection the server closed (a restart) is found and replaced before use.
        options.update(pool_pre_ping=True, pool_size=10, max_overflow=10)
    options.update(kwargs)
    engine = create_engine(url, **options)
    if url.get_backend_name() == "sqlite":
        _configure_sqlite(engine, float(settings.get("cortege.sqlite_busy_timeout")
                                        or SQLITE_BUSY_TIMEOUT))
    event.listen(engine, "begin", _forget_commit)
    event.listen(engine, "commit", _note_commit)
    event.listen(engine, "handle_error", _mark_retryable)
    return engine


def lock(session: Session, instance):
    """Reload ``instance`` with its row locked until the transaction ends; return it.

    For a change computed from what the row holds, or from rows counted into it, which
    another request may change at the same moment: on PostgreSQL ``SELECT ... FOR NO KEY
    UPDATE`` makes other writers of the row wait (rows that merely reference it do not), and
    what is read after it includes what they committed; on SQLite the statement opens the
    write transaction, which excludes every other writer. Pending changes are flushed first.
    """
    session.flush()
    session.refresh(instance, with_for_update={"key_share": True, "of": type(instance)})
    return instance


def try_write(session: Session, write, what: str) -> bool:
    """Run ``write()``, a write the request can do without (a last-active time, a read mark),
    in a savepoint. When the database cannot take it now (SQLite's write lock still busy
    after the busy timeout), or another request wrote the same row at the same moment, give it
    up, log it, and go on with the request. Returns whether it was written. A lost connection
    is not given up: the request fails, and is retried."""
    try:
        with session.begin_nested():
            write()
    except IntegrityError:
        log.info("%s not written: written at the same moment by another request", what)
        return False
    except OperationalError as exc:
        if exc.connection_invalidated:
            raise
        log.info("%s not written, the database being busy: %s", what, exc.orig)
        return False
    return True


def try_write_at_commit(request, write, what: str) -> None:
    """``try_write`` at the end of the request, just before it commits: a page that only
    reads then holds SQLite's write lock for that write alone, not while it renders."""
    request.tm.get().addBeforeCommitHook(try_write, (request.dbsession, write, what))


def get_tm_session(session_factory, transaction_manager, **kwargs) -> Session:
    """A session joined to the transaction manager: pyramid_tm commits or aborts it."""
    dbsession = session_factory(**kwargs)
    zope.sqlalchemy.register(dbsession, transaction_manager=transaction_manager)
    return dbsession


def _dbsession(request) -> Session:
    # Tests hand in a connection inside an outer transaction: the request's commits become
    # savepoint releases, and the test rolls everything back at its end.
    factory = request.registry["cortege.dbsession_factory"]
    connection = request.environ.get("cortege.test_connection")
    if connection is not None:
        return get_tm_session(
            factory, request.tm, bind=connection, join_transaction_mode="create_savepoint"
        )
    return get_tm_session(factory, request.tm)


def wait_before_retry(event) -> None:
    """Before pyramid_retry runs a failed request again, wait: ``cortege.retry_backoff_ms``
    before the second attempt, twice as long before each next one, give or take half (so that
    requests that failed together do not come back together). A lock held by another
    request, or a database that is restarting, is given time to go."""
    request = event.request
    attempt = request.environ.get("retry.attempt", 0)
    base = request.registry.settings["cortege.retry_backoff_ms"] / 1000
    pause = base * 2 ** attempt * random.uniform(0.5, 1.5)
    log.warning("%s %s failed (%s), attempt %d; trying again in %.2f s", request.method,
                request.path_info, event.exception.__class__.__name__, attempt + 1, pause)
    time.sleep(pause)


def includeme(config):
    from pyramid_retry import IBeforeRetry

    settings = config.get_settings()
    settings["tm.manager_hook"] = "pyramid_tm.explicit_manager"
    config.include("pyramid_tm")
    config.include("pyramid_retry")
    config.add_subscriber(wait_before_retry, IBeforeRetry)
    engine = config.registry.get("cortege.engine")  # tests hand in theirs
    if engine is None:
        engine = engine_from_settings(settings)
    config.registry["cortege.engine"] = engine
    config.registry["cortege.dbsession_factory"] = sessionmaker(bind=engine, expire_on_commit=False)
    config.add_request_method(_dbsession, "dbsession", reify=True)
