"""Migrations: core and each plugin have their own Alembic versions and version table.

Core owns ``env.py``; a plugin ships only its ``versions`` folder. Tables belong to the plugin
whose name prefixes them (``agenda_event`` belongs to ``agenda``); the rest are the core's.
"""

from __future__ import annotations

import contextlib
import fnmatch
import io
from dataclasses import dataclass

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from pyramid.path import AssetResolver

from core.db import engine_from_settings, metadata
from core.errors import StartupError
from core.loader import PLUGIN_GROUP, enabled_names, installed, load_plugins

CORE = "core"


@dataclass(frozen=True)
class Owner:
    """Someone with migrations: the core or a plugin."""

    name: str
    versions: str  # absolute path of the versions folder

    @property
    def version_table(self) -> str:
        return "alembic_version" if self.name == CORE else f"{self.name}_alembic_version"


def _path(spec: str) -> str:
    return AssetResolver().resolve(spec).abspath()


def core_owner() -> Owner:
    return Owner(CORE, _path("core:migrations/versions"))


def owners_for(plugins) -> list[Owner]:
    """Core, then every given plugin that ships migrations, in the given order."""
    result = [core_owner()]
    for plugin in plugins:
        if plugin.migrations:
            result.append(Owner(plugin.name, _path(plugin.migrations)))
    return result


def table_owner(table_name: str, plugin_names) -> str:
    matches = [name for name in plugin_names if table_name.startswith(name + "_")]
    return max(matches, key=len) if matches else CORE


def is_version_table(name: str) -> bool:
    return name == "alembic_version" or name.endswith("_alembic_version")


def beyond_models(name: str | None, type_: str, parent_names: dict) -> bool:
    """Whether a migration keeps this column, index or table beside the models, which a
    model says in its table's ``info["beyond_models"]`` (names, ``*`` patterns for tables):
    what a database has no portable type for, such as a ``tsvector`` column, a GIN index or
    SQLite's FTS5 tables and their shadow tables."""
    if not name:
        return False
    for table in metadata.tables.values():
        names = table.info.get("beyond_models", ())
        if type_ == "table":
            if any(fnmatch.fnmatchcase(name, pattern) for pattern in names):
                return True
        elif parent_names.get("table_name") == table.name and name in names:
            return True
    return False


def import_models(plugins) -> None:
    import core.models  # noqa: F401

    for plugin in plugins:
        plugin.import_models()


@contextlib.contextmanager
def migration_connection(engine):
    """A connection in a transaction for running migrations, committed on leaving.

    On SQLite, foreign keys are off while migrations run and checked before the commit:
    batch mode rebuilds a table by copying it and dropping the original, and dropping a
    table that others reference would otherwise delete (ON DELETE CASCADE) or refuse the
    rows that point to it. SQLite ignores the pragma inside a transaction, so it is set on
    the driver's connection before the transaction begins.
    """
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                yield connection
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                    if broken:
                        raise StartupError(
                            f"The migration left {len(broken)} rows pointing to rows that "
                            f"do not exist (first: table {broken[0][0]}); nothing was changed.")
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


def sqlite_autoincrement(*tables: str, on: bool = True) -> None:
    """In a migration: rebuild ``tables`` on SQLite with (or, ``on=False``, without)
    AUTOINCREMENT, so that the id of a deleted row is never given to a new one.

    Ids appear in addresses and in other rows; reusing one would show a new group the old
    one's leftovers, or a bookmark another member's page. PostgreSQL's sequences never give
    an id twice, so there is nothing to do there. The models say the same with
    ``__table_args__ = ({"sqlite_autoincrement": True},)``.
    """
    from alembic import op

    if op.get_bind().dialect.name != "sqlite":
        return
    for name in tables:
        with op.batch_alter_table(name, recreate="always",
                                  table_kwargs={"sqlite_autoincrement": on}):
            pass


def alembic_config(owner: Owner, connection, plugin_names) -> Config:
    config = Config(stdout=io.StringIO())
    config.set_main_option("script_location", _path("core:migrations"))
    config.set_main_option("version_locations", owner.versions)
    config.set_main_option("path_separator", "os")
    config.attributes.update(
        connection=connection, owner=owner.name, version_table=owner.version_table,
        plugin_names=tuple(plugin_names),
    )
    return config


class Migrator:
    """Runs migrations for the core and the plugins enabled in ``settings``."""

    def __init__(self, settings: dict, engine=None):
        self.settings = settings
        self.plugins = load_plugins(enabled_names(settings))
        self.engine = engine or engine_from_settings(settings)
        self.all_plugin_names = tuple(installed(PLUGIN_GROUP))
        import_models(self.plugins)

    def owners(self, only: str | None = None) -> list[Owner]:
        owners = owners_for(self.plugins)
        if only is None:
            return owners
        for owner in owners:
            if owner.name == only:
                return [owner]
        names = ", ".join(o.name for o in owners)
        raise StartupError(
            f'No migrations for "{only}": it is not an enabled plugin with migrations '
            f"(these have them: {names}); enable it in cortege.plugins first."
        )

    def _run(self, owner: Owner, action, *args) -> str:
        with migration_connection(self.engine) as connection:
            config = alembic_config(owner, connection, self.all_plugin_names)
            action(config, *args)
            return config.stdout.getvalue()

    def upgrade(self, only: str | None = None, revision: str = "heads") -> None:
        for owner in self.owners(only):
            self._run(owner, command.upgrade, revision)

    def downgrade(self, only: str | None, revision: str) -> None:
        if only is None and revision != "base":
            raise StartupError(
                "Downgrading every plugin at once only goes to base; name one with --plugin "
                "to go back one step (-1) or to a revision."
            )
        for owner in reversed(self.owners(only)):
            self._run(owner, command.downgrade, revision)

    def current(self) -> list[tuple[str, str | None, str | None]]:
        """(owner, current revision, head revision) for core and each enabled plugin."""
        rows = []
        with self.engine.connect() as connection:
            for owner in self.owners():
                context = MigrationContext.configure(
                    connection, opts={"version_table": owner.version_table}
                )
                script = ScriptDirectory.from_config(
                    alembic_config(owner, connection, self.all_plugin_names)
                )
                rows.append((owner.name, context.get_current_revision(), script.get_current_head()))
        return rows

    def revision(self, only: str, message: str, autogenerate: bool = True) -> str:
        (owner,) = self.owners(only)
        with migration_connection(self.engine) as connection:
            config = alembic_config(owner, connection, self.all_plugin_names)
            with contextlib.redirect_stdout(io.StringIO()):
                script = command.revision(config, message=message, autogenerate=autogenerate)
        return script.path


def schema_differences(connection, plugin_names=()) -> list:
    """What the migrated database lacks or has beyond the models (empty when equal)."""
    from alembic.autogenerate import compare_metadata

    def include_name(name, type_, parent_names):
        if type_ == "table" and is_version_table(name):
            return False
        return not beyond_models(name, type_, parent_names)

    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "include_name": include_name}
    )
    return compare_metadata(context, metadata)


def behind(engine, plugins) -> list[str]:
    """Core and the given plugins whose tables are behind their migrations, in order."""
    names = tuple(installed(PLUGIN_GROUP))
    late = []
    with engine.connect() as connection:
        for owner in owners_for(plugins):
            context = MigrationContext.configure(
                connection, opts={"version_table": owner.version_table})
            script = ScriptDirectory.from_config(alembic_config(owner, connection, names))
            if set(context.get_current_heads()) != set(script.get_heads()):
                late.append(owner.name)
    return late


def check_migrated(engine, plugins, ini: str | None) -> None:
    """Refuse to start a site whose database lacks migrations of the core or an enabled
    plugin: its pages would fail on missing tables or columns."""
    late = behind(engine, plugins)
    if not late:
        return
    who = ", ".join(name if name == CORE else f'the plugin "{name}"' for name in late)
    raise StartupError(
        f"The database is behind the migrations of {who}: run "
        f"`cortege db upgrade {ini or 'YOUR.ini'}` before starting the site.")
