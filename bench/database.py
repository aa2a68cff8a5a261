"""The benchmark's settings file and database, made with the real ``cortege`` commands.

The database is always a new one: a SQLite file in the run's temporary folder, or a database
created for the run on the PostgreSQL server that ``--database-url`` names and dropped after.
The development database (var/) is never opened.
"""

from __future__ import annotations

import configparser
import contextlib
import secrets
import shlex
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from bench import BenchError

PROJECT = Path(__file__).resolve().parent.parent

LOGGING = {
    "loggers": {"keys": "root, waitress_queue"},
    "handlers": {"keys": "console"},
    "formatters": {"keys": "generic"},
    "logger_root": {"level": "WARN", "handlers": "console"},
    # Waitress warns at every request that waits for a thread: the load does that on purpose.
    "logger_waitress_queue": {"level": "ERROR", "handlers": "", "qualname": "waitress.queue"},
    "handler_console": {
        "class": "StreamHandler", "args": "(sys.stderr,)", "level": "NOTSET",
        "formatter": "generic",
    },
    "formatter_generic": {"format": "%(asctime)s %(levelname)-5.5s [%(name)s] %(message)s"},
}


def read_app_settings(source: Path) -> dict:
    """The raw [app:main] of ``source``, without interpolation."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    if not parser.read(source, encoding="utf-8"):
        raise BenchError(f"There is no settings file {source}; give one with --ini.")
    if not parser.has_section("app:main"):
        raise BenchError(f"{source} has no [app:main] section.")
    return dict(parser["app:main"])


def write_bench_ini(source: Path, target: Path, database_url: str,
                    plugins: list[str] | None = None, overrides: dict | None = None) -> Path:
    """Copy ``source``'s [app:main] with the benchmark's database and nothing for development.

    The debug toolbar leaves ``pyramid.includes`` (and its settings go), templates are not
    checked for changes at each render, and logging only says warnings. ``%(here)s`` now
    means the benchmark's folder, so mail and uploads land there too. ``plugins``, when
    given, replaces ``cortege.plugins``; ``overrides`` are settings written over the others.
    """
    app = read_app_settings(source)
    includes = app.pop("pyramid.includes", "").split()
    includes = [name for name in includes if name != "pyramid_debugtoolbar"]
    if includes:
        app["pyramid.includes"] = "\n" + "\n".join(includes)
    app = {key: value for key, value in app.items() if not key.startswith("debugtoolbar.")}
    app["sqlalchemy.url"] = database_url.replace("%", "%%")
    app["pyramid.reload_templates"] = "false"
    for flag in ("debug_authorization", "debug_notfound", "debug_routematch"):
        app[f"pyramid.{flag}"] = "false"
    if plugins is not None:
        app["cortege.plugins"] = " ".join(plugins)
    app.update({key: str(value).replace("%", "%%") for key, value in (overrides or {}).items()})

    out = configparser.ConfigParser(interpolation=None)
    out.optionxform = str
    out["app:main"] = app
    for section, values in LOGGING.items():
        out[section] = values
    with open(target, "w", encoding="utf-8") as handle:
        handle.write(f"# Written by the benchmark from {source}.\n")
        out.write(handle)
    return target


@contextlib.contextmanager
def scratch_database(server_url: str | None, folder: Path) -> Iterator[str]:
    """A new, empty database for one run; a PostgreSQL one is dropped at the end."""
    if not server_url:
        yield f"sqlite:///{folder / 'bench.sqlite'}"
        return
    from sqlalchemy.exc import SQLAlchemyError

    from core.db import normalise_url
    from core.testing import postgresql_database

    if normalise_url(server_url).get_backend_name() != "postgresql":
        raise BenchError("--database-url takes a PostgreSQL URL; SQLite is the default.")
    try:
        with postgresql_database(server_url, f"cortege_bench_{secrets.token_hex(4)}") as url:
            yield url
    except SQLAlchemyError as exc:
        raise BenchError(f"The PostgreSQL server of --database-url failed: "
                         f"{exc.__class__.__name__}: {exc}") from None


def cortege(*args: str, log: Path) -> float:
    """Run ``cortege ARGS`` as a deployer would; return the seconds it took."""
    started = time.perf_counter()
    with open(log, "a", encoding="utf-8") as output:
        output.write(f"$ cortege {' '.join(args)}\n")
        output.flush()
        done = subprocess.run([sys.executable, "-m", "core.cli", *args], cwd=PROJECT,
                              stdout=output, stderr=subprocess.STDOUT, check=False)
    if done.returncode:
        raise BenchError(f"`cortege {' '.join(args)}` failed; its output is in {log}.")
    return time.perf_counter() - started


def prepare(ini: Path, members: int, seed_args: str, log: Path) -> dict:
    """Migrate, then seed through every enabled plugin's seeder."""
    timings = {"upgrade_seconds": cortege("db", "upgrade", str(ini), log=log)}
    timings["seed_seconds"] = cortege(
        "seed", str(ini), "--members", str(members), *shlex.split(seed_args), log=log,
    )
    return timings


@contextlib.contextmanager
def database_copies(url: str, names: list[str], folder: Path) -> Iterator[dict[str, str]]:
    """One copy of the seeded database ``url`` per name, so that runs side by side share
    nothing: a SQLite file in ``folder/NAME/`` (SQLite's online backup), or a PostgreSQL
    database made with ``url``'s database as its template, dropped on leaving. Nothing may
    be connected to ``url`` meanwhile."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        copies = {}
        for name in names:
            (folder / name).mkdir(parents=True, exist_ok=True)
            target = folder / name / "bench.sqlite"
            with contextlib.closing(sqlite3.connect(parsed.database)) as source, \
                    contextlib.closing(sqlite3.connect(target)) as copy:
                source.backup(copy)
            copies[name] = f"sqlite:///{target}"
        yield copies
        return
    from sqlalchemy import create_engine, text

    from core.db import normalise_url

    server = normalise_url(url)
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    made = {}
    try:
        with admin.connect() as conn:
            for name in names:
                database = f"{server.database}_{name.replace('-', '_')}"
                conn.execute(text(f'CREATE DATABASE "{database}" TEMPLATE "{server.database}"'))
                made[name] = database
        yield {name: server.set(database=database).render_as_string(hide_password=False)
               for name, database in made.items()}
    finally:
        with admin.connect() as conn:
            for database in made.values():
                conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                  "WHERE datname = :name"), {"name": database})
                conn.execute(text(f'DROP DATABASE IF EXISTS "{database}"'))
        admin.dispose()
