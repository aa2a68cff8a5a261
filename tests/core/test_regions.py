"""Page regions: any plugin adds a box to another plugin's page; a failing box is left out
and logged with its plugin's name; permissions and conditions decide who sees a box."""

import logging

import pytest
from cortege_samples.notes.models import Note


@pytest.fixture
def cortege_plugins():
    return ["notes", "stickers"]


def test_boxes_of_another_plugin_render_in_order_and_a_failing_one_is_left_out(
        testapp, caplog):
    with caplog.at_level(logging.ERROR, logger="core.regions"):
        page = testapp.get("/notes", status=200)
    aside = page.html.select_one("aside.notes-aside")
    assert aside.select_one("p.count").text == "0 notes"
    assert aside.select_one("p.writers") is None  # strangers may not write
    assert aside.select_one("p.busy") is None  # no note yet: left out by its condition
    [record] = [r for r in caplog.records if "broken" in r.getMessage()]
    assert "stickers" in record.getMessage() and "notes.page.aside" in record.getMessage()
    assert record.exc_info is not None


def test_permission_and_condition(login, make_user, dbsession):
    dbsession.add(Note(body="Bring flyers"))
    dbsession.flush()
    page = login(make_user()).get("/notes")
    aside = page.html.select_one("aside.notes-aside")
    assert [p["class"][0] for p in aside.select("p")] == ["count", "writers", "busy"]
    assert aside.select_one("p.count").text == "1 notes"


def test_regions_and_items_are_listed_for_admins(login, make_user):
    page = login(make_user(role="admin")).get("/admin/plugins")
    for text in ("notes.page.aside", "notes.page.aside: count", "notes.page.aside: broken"):
        assert text in page.text


def test_an_item_needs_a_template_or_a_view(cortege_settings, cortege_engine):
    from pyramid.config import Configurator

    from core.regions import add_region_item

    config = Configurator(settings={})
    with pytest.raises(ValueError, match="template, a view"):
        add_region_item(config, "notes.page.aside", "empty")
