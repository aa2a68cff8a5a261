"""Themes: template overrides along the parent chain, start-up errors, cache-busted assets."""

import os
import re
from urllib.parse import urljoin, urlsplit

import pytest

from core import make_config
from core.errors import StartupError

STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"')
SCRIPT = re.compile(r'<script src="([^"]+)"')


def startup_error(settings, cortege_engine, **changes) -> str:
    with pytest.raises(StartupError) as caught:
        make_config({**settings, **changes}, engine=cortege_engine)
    message = str(caught.value)
    assert "\n" not in message, "one sentence, not a traceback"
    return message


def local(url: str) -> str:
    """The path and query of an absolute URL, for WebTest."""
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


class TestCivic:
    @pytest.fixture
    def cortege_settings(self, cortege_settings):
        return {**cortege_settings, "cortege.theme": "civic", "cortege.plugins": "notes"}

    def test_home_page_comes_from_the_theme(self, testapp):
        page = testapp.get("/")
        assert 'class="civic-home"' in page.text
        assert "theme-civic" in page.html.body["class"]
        assert page.html.select_one("section.hero") is None  # not the core's landing page

    def test_stylesheets_follow_the_parent_chain(self, testapp):
        paths = [urlsplit(url).path for url in STYLESHEET.findall(testapp.get("/").text)]
        assert paths == ["/static/core/core.css", "/static/theme/default/theme.css",
                         "/static/theme/civic/civic.css"]  # the child comes last and wins

    def test_logo_is_served_from_the_theme(self, testapp):
        civic_css = next(url for url in STYLESHEET.findall(testapp.get("/").text)
                         if "/civic/" in url)
        css = testapp.get(local(civic_css))
        logo = re.search(r'\.brand__logo[^}]*url\("([^"]+)"\)', css.text).group(1)
        image = testapp.get(urlsplit(urljoin(civic_css, logo)).path)
        assert image.content_type == "image/svg+xml"
        assert image.body.lstrip().startswith(b"<svg")

    def test_pages_the_theme_does_not_override_come_from_core_and_plugins(self, testapp):
        login = testapp.get("/login")
        assert login.html.select_one("form#login-form") is not None
        assert "civic-home" not in login.text
        notes = testapp.get("/notes")
        assert "Notes left by members" in notes.text  # the plugin's own template
        assert "/static/theme/civic/civic.css" in notes.text  # still in the theme's colours


def test_default_theme_has_the_core_home_page(testapp):
    page = testapp.get("/")
    assert page.html.select_one("section.hero") is not None
    assert "civic" not in page.text


def test_unknown_theme_stops_startup(cortege_settings, cortege_engine):
    message = startup_error(cortege_settings, cortege_engine, **{"cortege.theme": "civik"})
    assert 'Unknown theme "civik" in cortege.theme' in message
    assert 'did you mean "civic"' in message
    assert "civic, default" in message  # what is installed
    assert "correct cortege.theme" in message


def test_theme_with_a_missing_parent_stops_startup(cortege_settings, cortege_engine):
    message = startup_error(cortege_settings, cortege_engine, **{"cortege.theme": "orphan"})
    assert '"vanished"' in message and 'theme "orphan"' in message
    assert "install the package that provides it" in message


def test_static_urls_are_cache_busted_and_served(testapp):
    page = testapp.get("/")
    urls = STYLESHEET.findall(page.text) + SCRIPT.findall(page.text)
    # core.css, the default theme's stylesheet and core.js, and those of plugins' boxes
    names = {local(url).split("?")[0] for url in urls}
    assert {"/static/core/core.css", "/static/theme/default/theme.css",
            "/static/core/core.js"} <= names, names
    for url in urls:
        token = re.search(r"\?v=([0-9a-f]{12})$", url)
        assert token, f"{url} has no cache-busting token"
        response = testapp.get(local(url))
        assert response.status_int == 200 and response.body
        assert response.cache_control.max_age >= 365 * 24 * 3600
    assert testapp.get("/static/core/core.css").content_type == "text/css"


def test_cache_busting_token_follows_the_content(tmp_path):
    from core.rendering import ContentHashCacheBuster

    (tmp_path / "site.css").write_text("a { color: red; }")
    buster = ContentHashCacheBuster(str(tmp_path))
    first = buster.tokenize(None, "site.css", {})
    assert first == buster.tokenize(None, "site.css", {})
    (tmp_path / "site.css").write_text("a { color: blue; }")
    os.utime(tmp_path / "site.css", ns=(0, 1))  # a distinct modification time
    assert buster.tokenize(None, "site.css", {}) != first


def test_default_theme_is_made_of_custom_properties(testapp):
    page = testapp.get("/")
    theme_css = next(url for url in STYLESHEET.findall(page.text) if "/theme/default/" in url)
    css = testapp.get(local(theme_css)).text
    assert re.search(r":root\s*{[^}]*--color-primary:", css)
    core_css = testapp.get("/static/core/core.css").text
    # The core's rules read colours and fonts through the properties a theme sets.
    assert "var(--color-primary)" in core_css and "var(--font-heading)" in core_css
    declared = set(re.findall(r"(--[\w-]+)\s*:", css))
    assert declared and declared <= set(re.findall(r"(--[\w-]+)\s*:", core_css)), (
        "the theme sets only properties that the core reads"
    )


def test_files_asked_for_without_their_token_are_kept_an_hour(make_testapp):
    browser = make_testapp()
    response = browser.get("/static/core/favicon.svg")
    assert response.status_int == 200
    assert response.cache_control.max_age == 3600
    versioned = browser.get("/static/core/favicon.svg", {"v": "anything"})
    assert versioned.cache_control.max_age == 365 * 24 * 3600
