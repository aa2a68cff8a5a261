"""Every bundled kind is found, and ``cortege search reindex`` rebuilds the index."""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from core.cli import main as cortege
from core.migrate import Migrator
from plugins.groups.testing import new_group
from tests.core.test_migrations import write_ini
from tests.plugins.search.conftest import counts, found

KINDS = {"profiles.profile", "groups.group", "forums.forum", "forums.topic", "forums.post",
         "agenda.event", "petitions.petition", "polls.poll"}


def test_every_bundled_kind_is_searched_and_found(
        make_user, make_group, make_forum, make_topic, make_post, make_event, make_petition,
        make_poll, reindex, login, search_service):
    assert {name for name, _title in search_service.kinds} == KINDS
    member = make_user(display_name="Olympe Kerguelen")
    make_group("Kerguelen section")
    forum = make_forum("Kerguelen forum")
    topic = make_topic(forum, member, "Kerguelen islands", "Far away.")
    make_post(topic, member, "Kerguelen again.")
    make_event(member, title="Kerguelen evening", visibility="public")
    make_petition("Kerguelen reserve", author=member)
    make_poll(title="Kerguelen trip?")
    reindex()
    page = login(make_user()).get("/search", params={"q": "kerguelen"})
    assert set(counts(page)) == KINDS | {"all"}
    assert counts(page)["all"] == "8"
    assert "Kerguelen islands" in found(page)


def test_the_command_rebuilds_the_index(scratch_database_url, tmp_path, capsys):
    plugins = "profiles groups search"
    Migrator({"sqlalchemy.url": scratch_database_url, "cortege.plugins": plugins}).upgrade()
    ini = write_ini(tmp_path / "site.ini", scratch_database_url, plugins)
    migrator = Migrator({"sqlalchemy.url": scratch_database_url, "cortege.plugins": plugins})
    with Session(migrator.engine) as session:
        new_group(session, "Comité Vélo")
        session.commit()
    assert cortege(["search", "reindex", str(ini)]) == 0
    assert "groups.group: 1 entries" in capsys.readouterr().out
    with migrator.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(text("search_entry"))) == 1
    assert cortege(["search", "reindex", str(ini), "--kind", "forums.post"]) == 1
    assert "No kind of content 'forums.post'" in capsys.readouterr().err
    migrator.engine.dispose()
