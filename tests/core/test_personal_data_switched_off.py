"""Personal data of plugins that are installed but switched off: erased with the account,
included in the export, or the deletion refused with a sentence for the administrator."""

import json

import pytest
from sqlalchemy import func, select

from core.plugin import REQUIRED, Setting
from core.testing import TEST_PASSWORD


@pytest.fixture
def cortege_plugins():
    return []  # the notes plugin is installed, its tables are there, it is switched off


@pytest.fixture
def note_by(dbsession):
    from cortege_samples.notes.models import Note

    def write(user, body):
        dbsession.add(Note(author_id=user.id, body=body))
        dbsession.flush()

    return write


def notes_of(dbsession, user):
    from cortege_samples.notes.models import Note

    return dbsession.scalar(select(func.count()).select_from(Note)
                            .where(Note.author_id == user.id))


def delete_form(browser):
    form = browser.get("/account").forms["delete-form"]
    form["password"], form["confirm"] = TEST_PASSWORD, True
    return form


@pytest.fixture
def notes_need_a_setting(app, monkeypatch):
    """The notes plugin now requires a setting the ini lacks: it cannot be set up."""
    from cortege_samples.notes import plugin

    monkeypatch.setitem(plugin.settings, "api_key", Setting(REQUIRED, str, "its key"))
    app.registry.pop("cortege.dormant", None)
    yield
    app.registry.pop("cortege.dormant", None)


def test_the_plugin_is_off(testapp):
    testapp.get("/notes", status=404)


def test_export_includes_a_switched_off_plugins_data(make_user, login, note_by):
    louise = make_user("louise")
    note_by(louise, "Banner at nine")
    data = json.loads(login(louise).get("/account/export.json").text)
    assert data["notes"] == [{"body": "Banner at nine"}]
    assert "plugins_not_included" not in data


def test_deletion_erases_a_switched_off_plugins_data(make_user, login, note_by, dbsession,
                                                     testapp):
    louise, other = make_user("louise"), make_user("rosa")
    note_by(louise, "Banner at nine")
    note_by(other, "Flyers at ten")
    assert delete_form(login(louise)).submit().status_int == 303
    assert notes_of(dbsession, louise) == 0
    assert notes_of(dbsession, other) == 1
    testapp.get("/notes", status=404)  # its pages stay off


def test_export_names_what_it_could_not_include(make_user, login, note_by,
                                               notes_need_a_setting):
    louise = make_user("louise")
    note_by(louise, "Banner at nine")
    data = json.loads(login(louise).get("/account/export.json").text)
    assert data["plugins_not_included"] == ["notes"]
    assert "notes" not in data and data["account"]["username"] == "louise"


def test_deletion_is_refused_when_the_data_cannot_be_reached(make_user, login, note_by,
                                                            dbsession, notes_need_a_setting):
    louise = make_user("louise")
    note_by(louise, "Banner at nine")
    page = delete_form(login(louise)).submit(status=409)
    assert ("Accounts cannot be deleted for now: the plugins notes are switched off but still "
            "hold members' data.") in " ".join(page.html.text.split())
    dbsession.refresh(louise)
    assert louise.status == "active" and notes_of(dbsession, louise) == 1
