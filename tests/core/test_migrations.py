"""Migrations through the `cortege db` command: per plugin, in order, reversible."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Integer, create_engine, inspect, text

from core.cli import main as cortege
from core.db import metadata, normalise_url
from core.errors import StartupError
from core.migrate import Migrator, schema_differences

ROOT = Path(__file__).resolve().parents[2]


def write_ini(path: Path, url: str, plugins: str = "") -> Path:
    path.write_text(
        "[app:main]\n"
        "use = egg:cortege\n"
        f"sqlalchemy.url = {url}\n"
        f"cortege.plugins = {plugins}\n"
        "cortege.session_secret = test-secret-for-the-command-line\n"
        "cortege.mail_backend = memory\n",
        encoding="utf-8",
    )
    return path


def tables(url: str) -> set[str]:
    engine = create_engine(normalise_url(url))
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_migrated_schema_equals_the_models(cortege_engine):
    with cortege_engine.connect() as connection:
        assert schema_differences(connection) == []


def _tables_with_an_id():
    for table in metadata.sorted_tables:
        columns = list(table.primary_key.columns)
        if len(columns) == 1 and columns[0].name == "id" and isinstance(columns[0].type, Integer):
            yield table


def test_ids_are_never_reused(cortege_engine):
    tables = list(_tables_with_an_id())
    assert {"users", "account_tokens", "groups_group", "forums_topic", "agenda_event"} <= {
        table.name for table in tables}
    for table in tables:
        assert table.dialect_options["sqlite"]["autoincrement"], table.name
    if cortege_engine.dialect.name != "sqlite":
        return  # PostgreSQL's sequences never give an id twice
    with cortege_engine.connect() as connection:
        created = dict(connection.execute(text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table'")).all())
    for table in tables:
        assert "AUTOINCREMENT" in created[table.name], table.name


def test_rebuilding_a_table_keeps_the_rows_that_point_to_it(scratch_database_url):
    """Batch mode drops and recreates ``users``: with foreign keys on, SQLite would delete
    every row that references it (ON DELETE CASCADE) on the way."""
    migrator = Migrator({"sqlalchemy.url": scratch_database_url, "cortege.plugins": ""})
    migrator.upgrade("core", "a3a246e253ed")
    with migrator.engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO users (id, username, username_key, email, email_key, display_name, "
            "role, status, session_epoch, created_at) VALUES (7, 'ana', 'ana', 'a@example.org', "
            "'a@example.org', 'Ana', 'member', 'active', 'x', '2026-01-01 00:00:00')"))
        connection.execute(text(
            "INSERT INTO account_tokens (purpose, token_hash, user_id, created_at, expires_at) "
            "VALUES ('reset', 'h', 7, '2026-01-01 00:00:00', '2026-01-02 00:00:00')"))
    migrator.upgrade()
    with migrator.engine.begin() as connection:
        assert connection.execute(text("SELECT user_id FROM account_tokens")).scalar() == 7
        connection.execute(text("DELETE FROM account_tokens"))
        connection.execute(text("DELETE FROM users"))
        connection.execute(text(
            "INSERT INTO users (username, username_key, email, email_key, display_name, role, "
            "status, created_at) VALUES ('bo', 'bo', 'b@example.org', "
            "'b@example.org', 'Bo', 'member', 'active', '2026-01-01 00:00:00')"))
        new_id = connection.execute(text("SELECT id FROM users")).scalar()
    assert new_id == 8 if migrator.engine.dialect.name == "sqlite" else new_id != 7
    migrator.downgrade("core", "a3a246e253ed")
    assert "users" in tables(scratch_database_url)
    migrator.engine.dispose()


def test_enabling_a_plugin_later_creates_its_tables(tmp_path, scratch_database_url, capsys):
    ini = write_ini(tmp_path / "site.ini", scratch_database_url)
    assert cortege(["db", "upgrade", str(ini)]) == 0
    assert {"users", "site_settings", "alembic_version"} <= tables(scratch_database_url)
    assert "notes_note" not in tables(scratch_database_url)

    write_ini(ini, scratch_database_url, plugins="notes stickers")
    assert cortege(["db", "current", str(ini)]) == 0
    assert "notes: empty behind (head notes_a1)" in capsys.readouterr().out
    assert cortege(["db", "upgrade", str(ini)]) == 0
    assert {"notes_note", "notes_alembic_version"} <= tables(scratch_database_url)
    capsys.readouterr()
    assert cortege(["db", "current", str(ini)]) == 0
    out = capsys.readouterr().out
    assert "notes: notes_a1 up to date" in out and "core: " in out

    # One plugin goes back on its own; the core is untouched.
    assert cortege(["db", "downgrade", str(ini), "--plugin", "notes", "base"]) == 0
    assert "notes_note" not in tables(scratch_database_url)
    assert "users" in tables(scratch_database_url)
    assert cortege(["db", "upgrade", str(ini), "--plugin", "notes"]) == 0
    assert "notes_note" in tables(scratch_database_url)

    # Everything down to base, in reverse dependency order.
    assert cortege(["db", "downgrade", str(ini), "base"]) == 0
    assert tables(scratch_database_url) <= {"alembic_version", "notes_alembic_version"}


def test_command_errors_are_one_sentence(tmp_path, scratch_database_url, capsys):
    ini = write_ini(tmp_path / "site.ini", scratch_database_url, plugins="nope")
    assert cortege(["db", "upgrade", str(ini)]) == 1
    err = capsys.readouterr().err
    assert err.startswith('cortege: Unknown plugin "nope"') and err.count("\n") == 1
    assert cortege(["db", "upgrade", str(tmp_path / "missing.ini")]) == 1
    assert "There is no settings file" in capsys.readouterr().err
    write_ini(ini, scratch_database_url)
    assert cortege(["db", "upgrade", str(ini), "--plugin", "notes"]) == 1
    assert 'No migrations for "notes"' in capsys.readouterr().err


def test_plugins_list(tmp_path, scratch_database_url, capsys):
    ini = write_ini(tmp_path / "site.ini", scratch_database_url, plugins="notes")
    cortege(["db", "upgrade", str(ini)])
    capsys.readouterr()
    assert cortege(["plugins", "list", str(ini)]) == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    assert lines["notes"].split()[1:4] == ["yes", "1.2", "-"]
    assert "up to date" in lines["notes"]
    assert lines["stickers"].split()[1:4] == ["no", "0.3", "notes"]


def test_seed_fills_an_empty_database_once(tmp_path, scratch_database_url, capsys):
    ini = write_ini(tmp_path / "site.ini", scratch_database_url, plugins="notes")
    cortege(["db", "upgrade", str(ini)])
    capsys.readouterr()
    assert cortege(["seed", str(ini), "--if-empty", "--members", "250", "--notes", "4"]) == 0
    out = capsys.readouterr().out
    assert "as admin (admin@example.org)" in out and "Added 250 members." in out and "Notes seeded." in out
    engine = create_engine(normalise_url(scratch_database_url))
    with engine.connect() as connection:
        from sqlalchemy import text

        assert connection.execute(text("SELECT count(*) FROM users")).scalar() == 14 + 250
        assert connection.execute(text("SELECT count(*) FROM notes_note")).scalar() == 4
    engine.dispose()
    assert cortege(["seed", str(ini), "--if-empty"]) == 0
    assert "already has content" in capsys.readouterr().out


def test_the_installed_command_runs(tmp_path, scratch_database_url):
    ini = write_ini(tmp_path / "site.ini", scratch_database_url, plugins="notes")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tests" / "sample_plugins")}
    command = Path(sys.executable).with_name("cortege")
    result = subprocess.run([command, "db", "upgrade", str(ini)], capture_output=True,
                            text=True, env=env, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "notes: notes_a1" in result.stdout
    result = subprocess.run([command, "plugins", "list", str(ini)], capture_output=True,
                            text=True, env=env, timeout=120, check=False)
    assert "notes" in result.stdout


def test_a_site_behind_its_migrations_does_not_start(tmp_path, scratch_database_url, capsys):
    from pyramid.paster import get_app

    ini = write_ini(tmp_path / "site.ini", scratch_database_url)
    assert cortege(["db", "upgrade", str(ini)]) == 0
    get_app(str(ini), "main")  # up to date: it starts
    write_ini(ini, scratch_database_url, plugins="notes")
    with pytest.raises(StartupError) as caught:
        get_app(str(ini), "main")
    assert str(caught.value) == (
        'The database is behind the migrations of the plugin "notes": run '
        f"`cortege db upgrade {ini}` before starting the site.")
    capsys.readouterr()
    assert cortege(["worker", str(ini), "--drain"]) == 1
    assert capsys.readouterr().err == f"cortege: {caught.value}\n"
    assert cortege(["db", "upgrade", str(ini)]) == 0
    get_app(str(ini), "main")


@pytest.mark.parametrize("tool", ["proutes", "pshell"])
def test_pyramid_tools_work_with_the_ini(tool, tmp_path, scratch_database_url):
    ini = write_ini(tmp_path / "site.ini", scratch_database_url)
    assert cortege(["db", "upgrade", str(ini)]) == 0
    command = Path(sys.executable).with_name(tool)
    result = subprocess.run([command, str(ini)], capture_output=True, text=True, timeout=120,
                            check=False,
                            input="print(request.route_url('login'))\n")
    assert result.returncode == 0, result.stderr
    if tool == "proutes":
        assert "/login" in result.stdout and "core.accounts.views.login" in result.stdout
    else:
        assert "http://localhost/login" in result.stdout


def test_every_plugin_has_one_migrations_layout():
    """A plugin's revisions sit in its ``migrations/`` folder, each file named after its
    revision id, so that a reader finds a revision from its id and the other way round."""
    import re

    from core.loader import PLUGIN_GROUP, installed
    from core.migrate import owners_for

    plugins = [entry_point.load() for entry_point in installed(PLUGIN_GROUP).values()
               if entry_point.value.startswith(("plugins.", "phonebank", "covoiturage"))]
    checked = 0
    for owner in owners_for(plugins)[1:]:
        folder = Path(owner.versions)
        assert folder.name == "migrations", owner
        assert not (folder / "versions").exists(), owner
        for path in folder.glob("*.py"):
            revision = re.search(r"^revision\s*(?::[^=]*)?=\s*['\"]([^'\"]+)['\"]",
                                 path.read_text(encoding="utf-8"), re.MULTILINE).group(1)
            assert path.name.startswith(revision + "_"), (path, revision)
            checked += 1
    assert checked >= 20
