"""The plugin contract: finding, checking, ordering, enabling, extending."""

import pytest
from pyramid.exceptions import ConfigurationError
from sqlalchemy import text

from core import make_config
from core.errors import StartupError
from core.loader import load_plugins


def build(settings, cortege_engine, **changes):
    return make_config({**settings, **changes}, engine=cortege_engine).make_wsgi_app()


def startup_error(settings, cortege_engine, **changes) -> str:
    with pytest.raises(StartupError) as caught:
        build(settings, cortege_engine, **changes)
    message = str(caught.value)
    assert "\n" not in message, "one sentence, not a traceback"
    return message


def test_unknown_plugin_lists_installed_ones(cortege_settings, cortege_engine):
    message = startup_error(cortege_settings, cortege_engine, **{"cortege.plugins": "nots"})
    assert 'Unknown plugin "nots" in cortege.plugins' in message
    assert 'did you mean "notes"' in message
    assert "notes" in message and "stickers" in message  # the installed ones


def test_missing_requirement_names_the_fix(cortege_settings, cortege_engine):
    message = startup_error(cortege_settings, cortege_engine, **{"cortege.plugins": "stickers"})
    assert 'The plugin "stickers" requires the plugin "notes"' in message
    assert "add it to cortege.plugins" in message
    message = startup_error(cortege_settings, cortege_engine,
                            **{"cortege.plugins": "needs_missing"})
    assert '"nowhere"' in message and "install it" in message


def test_cycle_is_refused(cortege_settings, cortege_engine):
    message = startup_error(cortege_settings, cortege_engine,
                            **{"cortege.plugins": "cycle_a cycle_b"})
    assert "cycle" in message and "cycle_a" in message and "cycle_b" in message


def test_object_without_the_contract_is_refused(cortege_settings, cortege_engine):
    message = startup_error(cortege_settings, cortege_engine,
                            **{"cortege.plugins": "not_a_plugin"})
    assert "does not provide IPlugin" in message


def test_plugin_named_twice(cortege_settings, cortege_engine):
    message = startup_error(cortege_settings, cortege_engine,
                            **{"cortege.plugins": "notes notes"})
    assert "named twice" in message


def test_missing_required_setting(cortege_settings, cortege_engine):
    message = startup_error(cortege_settings, cortege_engine, **{"cortege.plugins": "strict"})
    assert "needs the setting strict.api_key (the key of the service)" in message


def test_bad_setting_value(cortege_settings, cortege_engine):
    message = startup_error(cortege_settings, cortege_engine, **{
        "cortege.plugins": "notes", "notes.max_length": "lots"})
    assert 'notes.max_length = "lots"' in message and "whole number" in message


def test_unknown_setting_of_an_enabled_plugin(cortege_settings, cortege_engine):
    message = startup_error(cortege_settings, cortege_engine, **{
        "cortege.plugins": "notes", "notes.max_lenght": "10"})
    assert "no setting notes.max_lenght" in message and 'did you mean "notes.max_length"' in message


def test_bad_core_setting(cortege_settings, cortege_engine):
    message = startup_error(cortege_settings, cortege_engine,
                            **{"cortege.default_timezone": "Mars/Olympus"})
    assert "cortege.default_timezone" in message and "time zone" in message
    message = startup_error(cortege_settings, cortege_engine, **{"cortege.session_secret": ""})
    assert "cortege.session_secret" in message


def test_settings_from_the_environment(cortege_settings, cortege_engine, monkeypatch):
    message = startup_error(cortege_settings, cortege_engine,
                            **{"cortege.session_secret": "env:CORTEGE_TEST_UNSET_SECRET"})
    assert "CORTEGE_TEST_UNSET_SECRET" in message
    monkeypatch.setenv("CORTEGE_TEST_SECRET", "s" * 40)
    app = build(cortege_settings, cortege_engine,
                **{"cortege.session_secret": "env:CORTEGE_TEST_SECRET"})
    assert app.registry.settings["cortege.session_secret"] == "s" * 40


def test_settings_are_converted_with_defaults(cortege_settings, cortege_engine):
    app = build(cortege_settings, cortege_engine,
                **{"cortege.plugins": "notes", "notes.max_length": "12"})
    assert app.registry.settings["notes.max_length"] == 12
    assert app.registry.settings["notes.heading"] == "Notes"


def test_order_follows_requirements_not_ini_order():
    names = [plugin.name for plugin in load_plugins(["stickers", "notes"])]
    assert names == ["notes", "stickers"]


def test_conflicting_registrations_name_both_plugins(cortege_settings, cortege_engine):
    message = startup_error(cortege_settings, cortege_engine,
                            **{"cortege.plugins": "notes clash"})
    assert message.startswith("Two registrations clash on nav items ('main', 'notes')")
    assert '"notes" (' in message and "cortege_samples/notes/views.py line" in message
    assert '"clash" (' in message and "cortege_samples/broken.py line" in message
    assert "Line 0 of file None" not in message
    assert "disable one of these plugins in cortege.plugins" in message


def test_startup_error_is_a_configuration_error():
    assert issubclass(StartupError, ConfigurationError)
    assert not issubclass(StartupError, SystemExit)


def test_a_directive_of_a_plugin_not_declared(cortege_settings, cortege_engine):
    # notes is on and set up first, so the call would work by accident.
    message = startup_error(cortege_settings, cortege_engine,
                            **{"cortege.plugins": "notes borrower"})
    assert message == (
        'The plugin "borrower" calls config.add_note_badge, a directive of the plugin '
        '"notes", which it does not list in requires or optional (it requires nothing and '
        'has optional nothing): add "notes" to its requires, so that it is enabled and set '
        "up first.")


def test_a_directive_that_no_enabled_plugin_provides(cortege_settings, cortege_engine):
    message = startup_error(cortege_settings, cortege_engine, **{"cortege.plugins": "borrower"})
    assert message.startswith(
        'The plugin "borrower" calls config.add_note_badge, which no plugin it lists in '
        "requires or optional provides")


class TestEnabledPlugin:
    @pytest.fixture
    def cortege_plugins(self):
        return ["notes", "stickers"]

    def test_pages_menu_and_extension_by_another_plugin(self, testapp):
        page = testapp.get("/notes")
        assert page.status_int == 200
        assert page.html.select_one("h1").text == "Notes"
        # stickers extends notes through notes' own directive
        assert [li.text for li in page.html.select(".badge")] == ["Pinned"]
        links = [a["href"] for a in page.html.select(".main-nav a")]
        assert any(href.endswith("/notes") for href in links)

    def test_permission_granted_to_members(self, testapp, make_user, login, dbsession):
        testapp.post("/notes", {"body": "hello", "csrf_token": "x"}, status=400)
        member = login(make_user())
        page = member.get("/notes")
        token = page.html.find("input", {"name": "csrf_token"})["value"]
        member.post("/notes", {"body": "See you at the march", "csrf_token": token}, status=303)
        assert "See you at the march" in member.get("/notes").text

    def test_registrations_are_introspectable(self, app):
        introspector = app.registry.introspector
        titles = {str(i["introspectable"].title)
                  for i in introspector.get_category("cortege nav items")}
        assert "Notes" in titles
        intr = introspector.get("cortege permissions", "notes.write")
        assert intr["plugin"] == "notes"
        intr = introspector.get("notes badges", "pinned")
        assert intr["plugin"] == "stickers"

    def test_admin_plugins_page(self, make_user, login):
        admin = login(make_user(role="admin"))
        page = admin.get("/admin/plugins")
        row = page.html.select_one("#plugin-notes")
        assert "Enabled" in row.text and "1.2" in row.text
        assert "notes.max_length = 280" in row.text
        assert "permissions: notes.write (Write notes)" in row.text
        assert "nav items: main notes (Notes)" in row.text
        assert "Installed, not enabled" in page.html.select_one("#plugin-strict").text


def test_installed_but_disabled_registers_nothing(testapp, connection, app):
    assert "notes" not in [plugin.name for plugin in app.registry["cortege.plugins"]]
    testapp.get("/notes", status=404)
    page = testapp.get("/")
    assert "/notes" not in page.text
    assert app.registry.introspector.get("cortege permissions", "notes.write") is None
    # Its table and rows are left alone, waiting for the plugin to come back.
    connection.execute(text("INSERT INTO notes_note (body) VALUES ('kept while disabled')"))
    count = connection.execute(text("SELECT count(*) FROM notes_note")).scalar()
    assert count >= 1
