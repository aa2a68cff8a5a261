"""The hub alone: an empty list, the menu, conflicts and bad declarations, French."""

import pytest

from core.errors import StartupError
from tests.plugins.tools.conftest import declare_sample_tools


def test_the_hub_alone_lists_no_tool(testapp):
    page = testapp.get("/tools")
    assert page.html.select(".tools-list__tool") == []
    assert "No tool is open to you here yet." in page.text


def test_tools_is_in_the_main_menu(testapp):
    links = [a["href"] for a in testapp.get("/tools").html.select(".main-nav a")]
    assert "http://localhost/tools" in links


def test_two_tools_with_one_name_conflict_at_start_up(cortege_settings, cortege_engine):
    from core import make_config

    config = make_config(cortege_settings, engine=cortege_engine)
    config.include(declare_sample_tools)

    def again(config):
        config.add_militant_tool("banners", "Banners", "Again.", "tool", "home", None)

    config.include(again)
    with pytest.raises(StartupError, match="Two registrations clash on tools militant tools "
                                           "'banners'"):
        config.commit()


def test_an_unknown_icon_is_refused_with_a_sentence(cortege_settings, cortege_engine):
    from core import make_config

    config = make_config(cortege_settings, engine=cortege_engine)
    with pytest.raises(ValueError, match="must be one of calendar, megaphone"):
        config.add_militant_tool("odd", "Odd", "Odd.", "sparkles", "home", None)


def test_the_hub_speaks_french(make_testapp):
    page = make_testapp(HTTP_ACCEPT_LANGUAGE="fr").get("/tools")
    assert page.html.h1.text == "Outils militants"
    assert "Aucun outil ne vous est encore ouvert ici." in page.text
