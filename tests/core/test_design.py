"""The design system: the shared page frame, the components, the dates, the pages made for
developers (style guide, mail viewer)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from babel import dates as babel_dates

from core import i18n
from core.rendering import icon, icon_names


def reader(locale="fr", zone="Europe/Paris"):
    import zoneinfo

    from pyramid.i18n import Localizer

    return SimpleNamespace(locale_name=locale, timezone=zoneinfo.ZoneInfo(zone),
                           localizer=Localizer(locale, None))


def plain(text: str) -> str:
    """Babel's thin and no-break spaces as plain ones, for readable expectations."""
    return text.replace("\u2009", " ").replace("\u202f", " ").replace("\xa0", " ")


START = dt.datetime(2026, 12, 15, 12, 0, tzinfo=dt.UTC)  # 13:00 in Paris


class TestDates:
    def test_no_seconds_and_24_hours_in_french(self):
        text = i18n.format_datetime(reader(), START)
        assert text == "15 déc. 2026, 13:00"
        assert i18n.format_time(reader(), START) == "13:00"

    def test_english_keeps_its_own_clock(self):
        assert plain(i18n.format_datetime(reader("en"), START)) == "Dec 15, 2026, 1:00 PM"

    def test_a_range_on_one_day_says_the_day_once(self):
        text = i18n.format_interval(reader(), START, START + dt.timedelta(hours=2))
        assert plain(text) == "mar. 15 déc. 2026, 13:00 – 15:00"
        assert ":00:00" not in text

    def test_a_range_over_days_uses_one_format(self):
        text = i18n.format_interval(reader(), START, START + dt.timedelta(days=1, hours=2))
        assert plain(text) == "15 déc. 2026, 13:00 – 16 déc. 2026, 15:00"

    def test_an_all_day_range_shows_dates_alone(self):
        day = dt.datetime(2026, 12, 14, 23, 0, tzinfo=dt.UTC)  # midnight in Paris
        assert i18n.format_interval(reader(), day, day + dt.timedelta(days=1),
                                    all_day=True) == "mardi 15 décembre 2026"
        assert i18n.format_interval(reader("en"), day, day + dt.timedelta(days=2),
                                    all_day=True) == babel_dates.format_interval(
            dt.date(2026, 12, 15), dt.date(2026, 12, 16), "yMMMEd", locale="en")

    def test_relative_times(self):
        now = START
        assert plain(i18n.format_relative(reader(), now - dt.timedelta(hours=3), now)) == "il y a 3 h"
        assert i18n.format_relative(reader("en"), now + dt.timedelta(days=2), now) == "in 2 days"
        assert i18n.format_relative(reader(), now - dt.timedelta(days=90), now) == "16 sept. 2026"

    def test_date_badge_parts(self):
        parts = i18n.date_parts(reader(), START)
        assert (parts["month"], parts["day"], parts["weekday"]) == ("déc", "15", "mar")


class TestIcons:
    def test_icons_are_inline_and_decorative_by_default(self):
        svg = icon("calendar")
        assert svg.startswith('<svg class="icon icon--calendar"') and 'aria-hidden="true"' in svg
        assert 'role="img" aria-label="Agenda"' in icon("calendar", label="Agenda")

    def test_unknown_icon_is_an_error_not_a_blank(self):
        with pytest.raises(ValueError):
            icon("no-such-icon")

    def test_the_licence_ships_with_the_icons(self):
        from pathlib import Path

        folder = Path(__file__).resolve().parents[2] / "core" / "static" / "icons"
        assert "ISC License" in (folder / "LICENSE").read_text()
        assert {"calendar", "map-pin", "menu", "bell", "trash-2"} <= set(icon_names())


class TestPageFrame:
    def test_menu_opens_without_script(self, testapp):
        page = testapp.get("/")
        menu = page.html.select_one("header details.site-menu")
        assert menu.select_one("summary") is not None
        assert menu.select_one("nav.main-nav") and menu.select_one("nav.user-nav")
        # the core.header region stays in the header, beside the menu
        assert page.html.select_one("header .site-header__tools") is not None

    def test_current_page_is_marked_in_the_menu(self, testapp):
        page = testapp.get("/groups")
        current = page.html.select('.main-nav a[aria-current="page"]')
        assert [a["href"].rsplit("/", 1)[-1] for a in current] == ["groups"]

    def test_flash_messages_use_the_component(self, testapp, make_user, login):
        user = make_user()
        browser = login(user)
        page = browser.get("/")
        assert page.html.select_one(".flash") is None or page.html.select_one(".flash .icon")


class TestDevelopmentPages:
    def test_absent_by_default(self, testapp):
        testapp.get("/_styleguide", status=404)
        testapp.get("/_mail", status=404)


class TestStyleguide:
    @pytest.fixture
    def cortege_settings(self, cortege_settings, tmp_path):
        return {**cortege_settings, "cortege.development_pages": "true",
                "cortege.mail_directory": str(tmp_path / "mail")}

    def test_every_component_is_shown(self, testapp):
        page = testapp.get("/_styleguide")
        html = page.html
        for selector in (".button", ".button--secondary", ".button--danger", ".button--link",
                         ".card", ".badge", ".avatar", "nav.tabs", ".field--check",
                         "fieldset.field .choices", ".empty-state", "nav.pager", ".flash",
                         ".date-badge", ".progress", ".icon"):
            assert html.select(selector), f"no {selector} in the style guide"
        assert "13:00:00" not in page.text

    def test_checkboxes_sit_beside_their_label(self, testapp):
        row = testapp.get("/_styleguide").html.select_one(".field--check")
        assert [child.name for child in row.find_all(recursive=False)][:2] == ["input", "label"]

    def test_mail_viewer_lists_and_decodes_mail(self, testapp, cortege_settings):
        from email.message import EmailMessage
        from pathlib import Path

        folder = Path(cortege_settings["cortege.mail_directory"])
        folder.mkdir(parents=True, exist_ok=True)
        message = EmailMessage()
        message["Subject"] = "Confirmez votre adresse é"
        message["To"] = "camille@example.org"
        message["From"] = "cortege@example.org"
        message.set_content("Bonjour,\nConfirmez : http://localhost:6543/confirm/abc?x=1.\n<b>")
        (folder / "20261201120000_abcd.eml").write_bytes(bytes(message))
        listing = testapp.get("/_mail")
        link = listing.html.select_one("tbody a")
        assert link.text == "Confirmez votre adresse é"
        shown = testapp.get(link["href"])
        assert shown.html.select_one(".mailbox__message a")["href"] == \
            "http://localhost:6543/confirm/abc?x=1"
        assert "&lt;b&gt;" in shown.text  # the text is escaped
        testapp.get("/_mail/..%2Fsecret.eml", status=404)
        testapp.get("/_mail/missing.eml", status=404)


def test_a_menu_item_names_a_shipped_icon_or_is_refused_at_start_up():
    import pytest
    from pyramid.config import Configurator

    from core.extensions import NAV_ITEMS, add_nav_item, registered

    config = Configurator(settings={})
    config.add_directive("add_nav_item", add_nav_item, action_wrap=False)
    config.add_nav_item("user", "drafts", "My drafts", "drafts", icon="pencil")
    with pytest.raises(ValueError, match="no icon named 'pen-tool'"):
        config.add_nav_item("user", "other", "Other", "other", icon="pen-tool")
    config.commit()
    assert [item.icon for item in registered(config.registry, NAV_ITEMS)] == ["pencil"]
