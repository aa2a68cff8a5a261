"""The pytest plugin for Cortège and its plugins (registered under ``pytest11``).

Fixtures, for the core's tests and for any third-party plugin's tests alike:

``cortege_plugins``  the plugins to enable (override it in a conftest: ``["agenda"]``);
                     by default those of the project's development.ini
``cortege_settings`` the settings the app is built from (override to change one)
``app``              the WSGI app, built once per distinct settings
``connection``       a connection inside an outer transaction, rolled back after the test
``dbsession``        an ORM session on it; requests' commits become savepoint releases
``testapp``          a WebTest app (a stranger) on the same connection
``login``            ``login(user)`` returns a new WebTest app logged in as ``user``
``make_user``        a factory of members: ``make_user(role="admin", locale="fr")``
``outbox``           the mail sent during the test (pyramid_mailer ``Message`` objects)
``max_queries``      ``with max_queries(8): testapp.get(...)`` fails past 8 queries
``committed_site``   the app on a database of its own where requests really commit, for
                     several requests at once (``committed_site.at_once(...)``)

The database is SQLite in a temporary folder, or, when ``CORTEGE_TEST_DATABASE_URL`` names a
PostgreSQL server, a database created for the run (one per xdist worker) and dropped after.
It is migrated once with the migrations of every installed plugin.
"""

from __future__ import annotations

import configparser
import contextlib
import os
import re
import secrets
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

TEST_PASSWORD = "correct horse battery staple"
_HASH_CACHE: dict[str, str] = {}
_APPS: dict = {}


def _worker_id(config) -> str:
    workerinput = getattr(config, "workerinput", None)
    return workerinput["workerid"] if workerinput else "main"


def _installed_plugins_for_schema() -> list:
    """Every installed plugin that loads, ordered so that requirements migrate first."""
    import graphlib

    from core.errors import StartupError
    from core.loader import PLUGIN_GROUP, IPlugin, installed, load_entry_point

    loaded = {}
    for name, entry_point in installed(PLUGIN_GROUP).items():
        try:
            loaded[name] = load_entry_point(entry_point, "plugin", IPlugin)
        except StartupError:
            continue
    sorter = graphlib.TopologicalSorter()
    for name, plugin in loaded.items():
        sorter.add(name, *[dep for dep in (*plugin.requires, *plugin.optional) if dep in loaded])
    try:
        order = list(sorter.static_order())
    except graphlib.CycleError as exc:
        cyclic = set(exc.args[1])
        order = [name for name in loaded if name not in cyclic]
    return [loaded[name] for name in order if name in loaded]


@pytest.fixture(scope="session")
def cortege_database_url(request, tmp_path_factory):
    """A fresh database for this test run (and xdist worker), dropped at the end."""
    base = os.environ.get("CORTEGE_TEST_DATABASE_URL")
    worker = _worker_id(request.config)
    if not base:
        folder = tmp_path_factory.mktemp(f"db-{worker}")
        yield f"sqlite:///{folder}/cortege-test.sqlite"
        return
    from core.db import normalise_url

    database = normalise_url(base).database or "cortege"
    name = re.sub(r"\W", "_", f"{database}_{worker}_{secrets.token_hex(3)}")
    with postgresql_database(base, name) as url:
        yield url


@contextlib.contextmanager
def postgresql_database(server_url: str, name: str):
    """Create the database ``name`` on the server of ``server_url``; drop it on leaving.

    Yields its URL. The benchmark (bench/) makes its scratch databases with it too.
    """
    from core.db import normalise_url

    url = normalise_url(server_url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT",
                          poolclass=NullPool)  # a fresh connection each time: the server
    # may have restarted meanwhile (the benchmark of a restart does it)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"
            ), {"name": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@contextlib.contextmanager
def empty_database(folder: Path, prefix: str):
    """An empty database of the test run's kind: SQLite in ``folder``, or a database on the
    PostgreSQL server of ``CORTEGE_TEST_DATABASE_URL``, dropped on leaving. Yields its URL."""
    base = os.environ.get("CORTEGE_TEST_DATABASE_URL")
    if not base:
        yield f"sqlite:///{folder}/{prefix}.sqlite"
        return
    with postgresql_database(base, f"cortege_{prefix}_{secrets.token_hex(6)}") as url:
        yield url


@pytest.fixture
def scratch_database_url(tmp_path):
    """An empty database of the test run's kind, for tests of migrations themselves."""
    with empty_database(tmp_path, "scratch") as url:
        yield url


def migrated_engine(url: str):
    """An engine on ``url``, migrated with every installed plugin's migrations."""
    from alembic import command

    from core.db import engine_from_settings
    from core.loader import PLUGIN_GROUP, installed
    from core.migrate import alembic_config, import_models, migration_connection, owners_for

    engine = engine_from_settings({"sqlalchemy.url": url})
    plugins = _installed_plugins_for_schema()
    import_models(plugins)
    names = tuple(installed(PLUGIN_GROUP))
    for owner in owners_for(plugins):
        with migration_connection(engine) as connection:
            command.upgrade(alembic_config(owner, connection, names), "heads")
    return engine


@pytest.fixture(scope="session")
def cortege_engine(cortege_database_url):
    """The engine, on a database migrated with every installed plugin's migrations."""
    engine = migrated_engine(cortege_database_url)
    yield engine
    engine.dispose()


def _ini_plugins(rootdir: Path) -> list[str]:
    ini = rootdir / "development.ini"
    if not ini.is_file():
        return []
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ini, encoding="utf-8")
    return parser.get("app:main", "cortege.plugins", fallback="").split()


@pytest.fixture
def cortege_plugins(request) -> list[str]:
    """Plugins to enable; a plugin's tests override this with the plugin and its needs."""
    return _ini_plugins(Path(str(request.config.rootpath)))


@pytest.fixture
def cortege_settings(cortege_plugins, cortege_database_url, tmp_path_factory) -> dict:
    return {
        "sqlalchemy.url": cortege_database_url,
        "cortege.plugins": " ".join(cortege_plugins),
        "cortege.theme": "default",
        "cortege.session_secret": "test-secret-" + "x" * 32,
        "cortege.mail_backend": "memory",
        # Jobs run as soon as the request that asked for them commits, in the same thread.
        "cortege.queue_url": "immediate:",
        "cortege.uploads_directory": str(tmp_path_factory.getbasetemp() / "uploads"),
        "pyramid.default_locale_name": "en",
        "mail.default_sender": "cortege@example.org",
    }


def build_app(settings: dict, engine):
    """Build (once per distinct settings) the WSGI app sharing the test engine."""
    from core import make_config

    key = tuple(sorted((k, str(v)) for k, v in settings.items()))
    if key not in _APPS:
        config = make_config(settings, engine=engine)
        _APPS[key] = config.make_wsgi_app()
        _APPS[key].registry["cortege.job_environ"] = job_environ
    return _APPS[key]


_CURRENT: dict = {}


def job_environ() -> dict:
    """What a job's request gets in tests: the running test's connection, so that jobs see
    what the test and its requests wrote (and are rolled back with them)."""
    connection = _CURRENT.get("connection")
    return {"cortege.test_connection": connection} if connection is not None else {}


@pytest.fixture
def app(cortege_settings, cortege_engine):
    return build_app(cortege_settings, cortege_engine)


@pytest.fixture
def registry(app):
    return app.registry


@pytest.fixture
def connection(cortege_engine):
    with cortege_engine.connect() as conn:
        outer = conn.begin()
        _CURRENT["connection"] = conn
        try:
            yield conn
        finally:
            _CURRENT.pop("connection", None)
            outer.rollback()


@pytest.fixture
def dbsession(connection):
    session = Session(bind=connection, join_transaction_mode="create_savepoint",
                      expire_on_commit=False)
    yield session
    session.close()


@pytest.fixture
def make_testapp(app, connection):
    """``make_testapp()`` gives a new browser (own cookies) on the test's connection."""
    import webtest

    app.registry["cortege.ratelimiter"].reset()

    def factory(**environ):
        extra = {"cortege.test_connection": connection, "HTTP_HOST": "localhost",
                 "REMOTE_ADDR": "127.0.0.1", **environ}
        return webtest.TestApp(app, extra_environ=extra)

    return factory


@pytest.fixture
def testapp(make_testapp):
    return make_testapp()


def _password_hash(password: str) -> str:
    if password not in _HASH_CACHE:
        from core.accounts.passwords import hash_password

        _HASH_CACHE[password] = hash_password(password)
    return _HASH_CACHE[password]


def new_user(username: str | None = None, password: str = TEST_PASSWORD, **values):
    """An active member, not yet added to a session; keywords set any User column."""
    from core.accounts.models import User
    from core.accounts.services import email_key, username_key
    from core.db import utcnow

    username = username or f"member-{uuid.uuid4().hex[:8]}"
    email = values.pop("email", f"{username}@example.org")
    values.setdefault("display_name", username.replace("-", " ").title())
    values.setdefault("status", "active")
    return User(username=username, username_key=username_key(username), email=email,
                email_key=email_key(email), password_hash=_password_hash(password),
                email_confirmed_at=utcnow(), **values)


@pytest.fixture
def make_user(dbsession):
    """Create a member; keywords set any User column (role, status, locale, timezone...)."""

    def factory(username: str | None = None, password: str = TEST_PASSWORD, **values):
        user = new_user(username, password, **values)
        dbsession.add(user)
        dbsession.flush()
        return user

    return factory


def log_in_with(browser, user, password: str = TEST_PASSWORD):
    """Log ``user`` in through the login form of ``browser`` (a WebTest app); return it."""
    page = browser.get("/login")
    form = page.forms["login-form"]
    form["login"] = user.username
    form["password"] = password
    response = form.submit()
    assert response.status_int == 303, f"login as {user.username} failed"
    return browser


@pytest.fixture
def login(make_testapp):
    """``login(user)`` returns a WebTest app logged in as ``user`` through the login form."""

    def log_in(user, password: str = TEST_PASSWORD):
        return log_in_with(make_testapp(), user, password)

    return log_in


@pytest.fixture
def outbox(app):
    from pyramid_mailer.interfaces import IMailer

    mailer = app.registry.getUtility(IMailer)
    mailer.outbox.clear()
    yield mailer.outbox
    mailer.outbox.clear()


class QueryCounter:
    IGNORED = ("SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT")

    def __init__(self):
        self.statements: list[str] = []

    def __call__(self, conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(self.IGNORED):
            self.statements.append(statement)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def query_counter(cortege_engine):
    counter = QueryCounter()
    event.listen(cortege_engine, "before_cursor_execute", counter)
    yield counter
    event.remove(cortege_engine, "before_cursor_execute", counter)


@pytest.fixture
def max_queries(cortege_engine):
    """``with max_queries(8): ...`` fails if the block issues more than 8 queries."""

    @contextlib.contextmanager
    def bound(limit: int):
        counter = QueryCounter()
        event.listen(cortege_engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(cortege_engine, "before_cursor_execute", counter)
        if counter.count > limit:
            listing = "\n".join(f"  {i + 1}. {s[:200]}" for i, s in enumerate(counter.statements))
            pytest.fail(f"{counter.count} queries, more than {limit}:\n{listing}")

    return bound


class CommittedSite:
    """The app on a database of its own, migrated once per run, where requests commit for
    real: each request takes its own connection from the app's pool, as under a server.

    For what the rolled-back test connection cannot show: several requests at once
    (``at_once``), or a database that changes under the app. Nothing is rolled back, so each
    test makes its own members and content (``make_user`` gives unique names).
    """

    def __init__(self, app):
        self.app = app
        self.engine = app.registry["cortege.engine"]
        self._addresses = iter(range(1, 1 << 24))

    def session(self) -> Session:
        """A session of its own on the site's database; commit what should be seen."""
        return Session(self.engine, expire_on_commit=False)

    def add(self, *rows):
        """Commit ``rows`` (models) and return them, loaded."""
        with self.session() as session:
            session.add_all(rows)
            session.commit()
        return rows

    def make_user(self, username: str | None = None, password: str = TEST_PASSWORD,
                  **values):
        (user,) = self.add(new_user(username or f"member-{uuid.uuid4().hex[:12]}", password,
                                    **values))
        return user

    def browser(self):
        """A WebTest app with its own cookies and its own client address (10.x.y.z), so that
        limits kept per address do not add up members' requests."""
        import webtest

        number = next(self._addresses)
        address = f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"
        return webtest.TestApp(self.app, extra_environ={"HTTP_HOST": "localhost",
                                                        "REMOTE_ADDR": address})

    def login(self, user, password: str = TEST_PASSWORD):
        return log_in_with(self.browser(), user, password)

    @staticmethod
    def at_once(function, arguments, timeout: float = 120) -> list:
        """Call ``function(argument)`` for each argument, each in a thread of its own, all
        released together; return the results in order, or raise the first error."""
        arguments = list(arguments)
        barrier = threading.Barrier(len(arguments))
        results: list = [None] * len(arguments)
        errors: list[BaseException] = []

        def run(index, argument):
            try:
                barrier.wait(timeout)
                results[index] = function(argument)
            except BaseException as exc:  # noqa: BLE001 - raised in the test's thread
                errors.append(exc)

        threads = [threading.Thread(target=run, args=pair, daemon=True)
                   for pair in enumerate(arguments)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout)
        if errors:
            raise errors[0]
        if any(thread.is_alive() for thread in threads):
            pytest.fail(f"requests still running after {timeout} s")
        return results


@pytest.fixture(scope="session")
def committed_database_url(request, tmp_path_factory):
    """A second database for the run, migrated once and dropped at the end, where requests
    commit (``committed_site``)."""
    with empty_database(tmp_path_factory.mktemp("committed"), "committed") as url:
        migrated_engine(url).dispose()
        yield url


@pytest.fixture
def committed_site(cortege_settings, committed_database_url):
    """A ``CommittedSite``: the app (built from ``cortege_settings``, with its own engine as
    in production) on the committed database."""
    from core import make_config

    settings = {**cortege_settings, "sqlalchemy.url": committed_database_url}
    key = ("committed", *sorted((k, str(v)) for k, v in settings.items()))
    if key not in _APPS:
        _APPS[key] = make_config(settings).make_wsgi_app()
    app = _APPS[key]
    app.registry["cortege.ratelimiter"].reset()
    return CommittedSite(app)


def pytest_report_header(config):
    url = os.environ.get("CORTEGE_TEST_DATABASE_URL")
    if url:
        return f"cortege: PostgreSQL tests on {make_url(url).render_as_string(hide_password=True)}"
    return "cortege: SQLite tests"


# -- content samples: how the cross-plugin privacy test makes each kind of content ----------


@dataclass(frozen=True)
class ContentSample:
    """How the privacy property test makes one row of a content type, and where it looks.

    ``make(dbsession, *, owner, group, marker)`` adds a row (in ``group``, a groups plugin
    ``Group`` row, or without a group when ``group`` is None) whose text that people read
    contains ``marker``, flushes it and returns it. ``surfaces(row)`` gives the paths of the
    pages that show or list it (its own page first), on which ``marker`` must appear for
    exactly the viewers the content type's condition allows. ``in_groups`` and
    ``without_group`` say where the kind can live.
    """

    name: str
    make: Callable
    surfaces: Callable
    in_groups: bool = True
    without_group: bool = True


CONTENT_SAMPLES: dict[str, ContentSample] = {}


def register_content_sample(name: str, make: Callable, surfaces: Callable, *,
                            in_groups: bool = True, without_group: bool = True) -> None:
    """Called at import by a plugin's testing module, for each of its content types."""
    CONTENT_SAMPLES[name] = ContentSample(name, make, surfaces, in_groups, without_group)
