"""``cortege seed``: what a run reports is what it saved, including runs that only insert in
bulk."""

from __future__ import annotations

from sqlalchemy import func, select

from core.accounts.models import User
from core.cli import main as cortege
from core.migrate import Migrator
from plugins.groups.models import Group
from tests.core.test_migrations import write_ini


def test_a_second_run_that_only_inserts_in_bulk_commits_what_it_reports(
        scratch_database_url, tmp_path, capsys):
    plugins = "profiles groups"
    migrator = Migrator({"sqlalchemy.url": scratch_database_url, "cortege.plugins": plugins})
    migrator.upgrade()
    ini = write_ini(tmp_path / "site.ini", scratch_database_url, plugins)
    assert cortege(["seed", str(ini), "--members", "30"]) == 0
    assert cortege(["seed", str(ini), "--groups", "2", "--group-members", "5"]) == 0
    assert "Added 2 groups and 10 memberships." in capsys.readouterr().out
    with migrator.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(User)) == 14 + 30
        assert connection.scalar(select(func.count()).select_from(Group)) == 12 + 2
    migrator.engine.dispose()



def test_the_demo_content_of_every_plugin_of_development_ini_seeds_once(
        scratch_database_url, tmp_path, capsys, request):
    """What `make serve` runs on a fresh machine: every seeder of development.ini's plugins,
    whatever the types of their options, then nothing more on a second run."""
    from pathlib import Path

    from core.testing import _ini_plugins

    plugins = " ".join(_ini_plugins(Path(str(request.config.rootpath))))
    migrator = Migrator({"sqlalchemy.url": scratch_database_url, "cortege.plugins": plugins})
    migrator.upgrade()
    ini = write_ini(tmp_path / "site.ini", scratch_database_url, plugins)
    assert cortege(["seed", str(ini), "--if-empty"]) == 0
    with migrator.engine.connect() as connection:
        members = connection.scalar(select(func.count()).select_from(User))
        assert members > 0 and connection.scalar(select(func.count()).select_from(Group)) > 0
    capsys.readouterr()
    assert cortege(["seed", str(ini), "--if-empty"]) == 0
    assert "nothing seeded" in capsys.readouterr().out
    with migrator.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(User)) == members
    migrator.engine.dispose()
