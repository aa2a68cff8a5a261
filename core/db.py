"""The database: one MetaData, engines for SQLite and PostgreSQL, the request's session."""

from __future__ import annotations

import datetime as dt
import sqlite3

import zope.sqlalchemy
from sqlalchemy import DateTime, MetaData, create_engine, event
from sqlalchemy.engine import Engine, make_url
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


def _configure_sqlite(engine: Engine) -> None:
    # SQLAlchemy's documented pysqlite workaround: let SQLAlchemy emit BEGIN itself so that
    # SAVEPOINT and transactional DDL behave, then turn on WAL and foreign keys.
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()
        # SQLite's lower() knows only ASCII; searches that ignore case need "É" to match "é".
        dbapi_connection.create_function("lower", 1, _lower, deterministic=True)

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql("BEGIN")

    # A transaction that read and then wants to write, after another one wrote, is refused at
    # once ("database is locked"; waiting could not help). Starting the request over works:
    # pyramid_retry does it for errors marked retryable.
    @event.listens_for(engine, "handle_error")
    def on_error(context):
        original = context.original_exception
        if isinstance(original, sqlite3.OperationalError) and "locked" in str(original):
            from pyramid_retry import mark_error_retryable

            mark_error_retryable(context.sqlalchemy_exception)


def engine_from_settings(settings: dict, **kwargs) -> Engine:
    url = normalise_url(settings["sqlalchemy.url"])
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        import os

        os.makedirs(os.path.dirname(os.path.abspath(url.database)), exist_ok=True)
    options = {"future": True}
    if url.get_backend_name() == "postgresql":
        options.update(pool_pre_ping=True, pool_size=10, max_overflow=10)
    options.update(kwargs)
    engine = create_engine(url, **options)
    if url.get_backend_name() == "sqlite":
        _configure_sqlite(engine)
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
    session.refresh(instance, with_for_update={"key_share": True})
    return instance


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


def includeme(config):
    settings = config.get_settings()
    settings["tm.manager_hook"] = "pyramid_tm.explicit_manager"
    config.include("pyramid_tm")
    config.include("pyramid_retry")
    engine = config.registry.get("cortege.engine")  # tests hand in theirs
    if engine is None:
        engine = engine_from_settings(settings)
    config.registry["cortege.engine"] = engine
    config.registry["cortege.dbsession_factory"] = sessionmaker(bind=engine, expire_on_commit=False)
    config.add_request_method(_dbsession, "dbsession", reify=True)
