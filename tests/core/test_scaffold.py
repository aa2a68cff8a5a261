"""`cortege scaffold plugin NAME`: the plugin it writes is found, enabled, migrated and tested.

The written package is not installed into the environment: a dist-info folder beside it
publishes its entry point, as ``pip install -e`` would, for commands run in subprocesses, so
the suite's own process never sees the new plugin.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.cli import main as cortege
from core.scaffold import check_plugin_name
from tests.core.test_migrations import tables, write_ini

BIN = Path(sys.executable).parent


def publish(site: Path, name: str) -> None:
    """What installing the distribution leaves behind for entry points: its dist-info."""
    info = site / f"cortege_{name}-0.1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: cortege-{name}\nVersion: 0.1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(
        f"[cortege.plugins]\n{name} = {name}:plugin\n", encoding="utf-8")


def run(command: list, cwd: Path, path: list[Path]) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(str(p) for p in path))
    env.pop("PYTEST_XDIST_WORKER", None)
    return subprocess.run(command, check=False, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300)


def test_the_scaffolded_plugin_enables_migrates_and_passes_its_tests(tmp_path,
                                                                     scratch_database_url):
    dist = tmp_path / "cortege-canvassing"  # the distribution's folder, named by its author
    assert cortege(["scaffold", "plugin", "canvassing", "--directory", str(dist)]) == 0
    for part in ("setup.cfg", "pyproject.toml", "canvassing/__init__.py", "canvassing/models.py",
                 "canvassing/views.py", "canvassing/routes.py", "canvassing/events.py",
                 "canvassing/migrations/canvassing_0001_entries.py",
                 "canvassing/templates/canvassing/index.jinja2",
                 "canvassing/locale/fr/LC_MESSAGES/canvassing.po",
                 "canvassing/locale/en/LC_MESSAGES/canvassing.po", "tests/test_canvassing.py"):
        assert (dist / part).is_file(), part
    assert "canvassing = canvassing:plugin" in (dist / "setup.cfg").read_text(encoding="utf-8")
    site = tmp_path / "site"
    publish(site, "canvassing")
    path = [site, dist]

    check = run([BIN / "cortege", "i18n", "check", "canvassing"], dist, path)
    assert check.returncode == 0, check.stdout + check.stderr

    ini = write_ini(tmp_path / "site.ini", scratch_database_url, plugins="canvassing")
    upgrade = run([BIN / "cortege", "db", "upgrade", ini], tmp_path, path)
    assert upgrade.returncode == 0, upgrade.stderr
    assert "canvassing: canvassing_0001" in upgrade.stdout
    assert "canvassing_entry" in tables(scratch_database_url)
    listing = run([BIN / "cortege", "plugins", "list", ini], tmp_path, path)
    row = next(line for line in listing.stdout.splitlines() if line.startswith("canvassing"))
    assert row.split()[:2] == ["canvassing", "yes"] and "up to date" in row

    tests = run([BIN / "pytest", "-q", "-p", "no:xdist"], dist, path)
    assert tests.returncode == 0, tests.stdout[-3000:] + tests.stderr[-2000:]
    assert "9 passed" in tests.stdout


@pytest.mark.parametrize(("name", "says"), [
    ("Phone-bank", "use lower-case letters, digits and underscores"),
    ("2fast", "starting with a letter"),
    ("class", "use lower-case letters"),
    ("agenda", 'A plugin named "agenda" is already installed'),
    ("json", "already the name of an importable Python module"),
])
def test_a_name_that_cannot_be_a_new_plugin_is_refused_in_one_sentence(name, says, tmp_path,
                                                                        capsys):
    assert cortege(["scaffold", "plugin", name, "--directory", str(tmp_path)]) == 1
    message = capsys.readouterr().err
    assert says in message and message.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_an_existing_folder_is_never_overwritten(tmp_path, capsys):
    (tmp_path / "canvassing").mkdir()
    (tmp_path / "canvassing" / "notes.txt").write_text("mine", encoding="utf-8")
    assert cortege(["scaffold", "plugin", "canvassing", "--directory",
                    str(tmp_path / "canvassing")]) == 1
    assert "already exists" in capsys.readouterr().err
    assert [p.name for p in (tmp_path / "canvassing").iterdir()] == ["notes.txt"]


def test_by_default_the_folder_is_named_after_the_plugin(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert cortege(["scaffold", "plugin", "canvassing"]) == 0
    assert (tmp_path / "canvassing" / "canvassing" / "routes.py").is_file()


def test_a_good_name_passes():
    assert check_plugin_name("phone_bank2") == "phone_bank2"
