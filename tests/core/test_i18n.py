"""Languages: which one a person reads, the switcher, Babel formatting, complete catalogues."""

import datetime as dt
import time
from pathlib import Path

import pytest

from core.i18n import LOCALE_COOKIE
from core.i18n_catalogs import Domain, bundled_domains, problems, update

ROOT = Path(__file__).resolve().parents[2]
FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}
ENGLISH = {"Accept-Language": "en-GB,en;q=0.8"}


def language_of(page) -> str:
    return page.html.html["lang"]


def switcher(page):
    return next(form for form in page.forms.values() if form.action.endswith("/language"))


def csrf_token(page) -> str:
    return page.html.find("input", {"name": "csrf_token"})["value"]


def test_french_login_page_is_french(testapp):
    page = testapp.get("/login", headers=FRENCH)
    assert language_of(page) == "fr"
    assert page.html.h1.text == "Se connecter"
    assert "Adresse e-mail ou identifiant" in page.text and "Mot de passe" in page.text
    assert "Aller au contenu" in page.text
    assert "Log in" not in page.text and "Password" not in page.text


def test_french_error_messages(testapp):
    form = testapp.get("/login", headers=FRENCH).forms["login-form"]
    form["login"] = "nobody"
    form["password"] = "wrong password"
    page = form.submit(headers=FRENCH)
    alert = page.html.find(class_="alert").text
    assert "mot de passe" in alert and "password" not in alert


def test_accept_language_then_default(testapp):
    assert language_of(testapp.get("/login")) == "en"  # pyramid.default_locale_name
    assert language_of(testapp.get("/login", headers=FRENCH)) == "fr"
    assert language_of(testapp.get("/login", headers={"Accept-Language": "de, fr;q=0.3"})) == "fr"
    assert language_of(testapp.get("/login", headers={"Accept-Language": "de"})) == "en"


class TestFrenchDeployment:
    @pytest.fixture
    def cortege_settings(self, cortege_settings):
        return {**cortege_settings, "pyramid.default_locale_name": "fr"}

    def test_default_locale_name_applies_without_a_preference(self, testapp):
        assert language_of(testapp.get("/login")) == "fr"
        assert language_of(testapp.get("/login", headers=ENGLISH)) == "en"


def test_cookie_wins_over_accept_language(testapp):
    testapp.set_cookie(LOCALE_COOKIE, "en")
    assert language_of(testapp.get("/login", headers=FRENCH)) == "en"
    testapp.set_cookie(LOCALE_COOKIE, "xx")  # not an offered language: ignored
    assert language_of(testapp.get("/login", headers=FRENCH)) == "fr"


def test_members_setting_wins_over_cookie_and_header(make_user, login):
    browser = login(make_user(locale="fr"))
    browser.set_cookie(LOCALE_COOKIE, "en")
    page = browser.get("/", headers=ENGLISH)
    assert language_of(page) == "fr"
    assert "Se déconnecter" in page.text


def test_switcher_sets_the_cookie_and_goes_back(testapp):
    page = testapp.get("/login")
    current = page.html.find("button", attrs={"aria-pressed": "true"})
    assert current["value"] == "en"
    response = switcher(page).submit("locale", value="fr")
    assert response.status_int == 303
    assert response.location == "http://localhost/login"
    cookie = next(h for h in response.headers.getall("Set-Cookie") if h.startswith(LOCALE_COOKIE))
    assert f"{LOCALE_COOKIE}=fr;" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = response.follow(headers=ENGLISH)
    assert language_of(page) == "fr"
    assert page.html.find("button", attrs={"aria-pressed": "true"})["value"] == "fr"


def test_switcher_stores_the_members_choice(make_user, login, dbsession):
    user = make_user()
    browser = login(user)
    switcher(browser.get("/")).submit("locale", value="fr")
    dbsession.refresh(user)
    assert user.locale == "fr"
    fresh = login(user)  # another browser, without the cookie
    assert language_of(fresh.get("/", headers=ENGLISH)) == "fr"


def test_switcher_needs_the_csrf_token(testapp):
    testapp.get("/login")
    response = testapp.post("/language", {"locale": "fr", "next": "/login"}, status=400)
    assert LOCALE_COOKIE not in response.headers.get("Set-Cookie", "")
    assert LOCALE_COOKIE not in testapp.cookies


def test_switcher_refuses_an_unknown_language(testapp):
    token = csrf_token(testapp.get("/login"))
    testapp.post("/language", {"locale": "xx", "csrf_token": token}, status=400)
    assert LOCALE_COOKIE not in testapp.cookies


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "/\\evil.example", "\\\\evil.example",
    "/\t/evil.example", "/\n/evil.example", "javascript:alert(1)", "http:evil.example",
])
def test_switcher_never_sends_to_another_site(testapp, target):
    token = csrf_token(testapp.get("/login"))
    response = testapp.post("/language", {"locale": "fr", "csrf_token": token, "next": target},
                            status=303)
    assert response.location == "http://localhost/"


NOON_UTC = dt.datetime(2026, 1, 15, 12, 30, tzinfo=dt.UTC)
LATE_UTC = dt.datetime(2026, 1, 15, 23, 30, tzinfo=dt.UTC)


def test_stranger_reads_times_in_the_site_timezone(make_request):
    request = make_request()
    assert request.locale_name == "en"
    assert request.format_datetime(NOON_UTC) == "Jan 15, 2026, 1:30\u202fPM"  # Paris, no seconds
    assert request.format_date(LATE_UTC) == "January 16, 2026"  # already the 16th in Paris
    assert request.format_number(1234567.5) == "1,234,567.5"
    assert request.format_datetime(None) == "" and request.format_date(None) == ""


@pytest.fixture
def server_in_los_angeles(monkeypatch):
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_naive_times_are_read_as_utc(make_request, server_in_los_angeles):
    request = make_request()
    naive = dt.datetime(2026, 1, 15, 20, 0)  # whatever the zone of the server itself
    assert request.format_date(naive) == "January 15, 2026"  # 21:00 in Paris
    assert request.format_datetime(naive) == "Jan 15, 2026, 9:00\u202fPM"


def test_member_reads_times_in_their_timezone_and_language(make_user, login, make_request):
    browser = login(make_user(locale="fr", timezone="America/New_York"))
    request = make_request(browser)
    assert request.user is not None and request.locale_name == "fr"
    assert request.format_datetime(NOON_UTC) == "15 janv. 2026, 07:30"
    assert request.format_date(LATE_UTC) == "15 janvier 2026"  # still the 15th in New York
    assert request.format_number(1234567.5) == "1\u202f234\u202f567,5"


def test_unknown_member_timezone_falls_back_to_the_site(make_user, login, make_request):
    request = make_request(login(make_user(timezone="Mars/Olympus")))
    assert request.format_datetime(NOON_UTC, "short") == "1/15/26, 1:30\u202fPM"


@pytest.mark.parametrize("domain", bundled_domains(ROOT), ids=lambda domain: domain.name)
def test_catalogues_are_complete_and_fresh(domain):
    found = problems(domain, ["en", "fr", "fr@tu"])
    assert not found, (
        "Run `cortege i18n update .` and translate:\n" + "\n".join(found)
    )


def test_catalogue_check_finds_missing_untranslated_and_stale_messages(tmp_path):
    source = tmp_path / "sample"
    (source / "templates").mkdir(parents=True)
    (source / "views.py").write_text('_("Hello")\n_("Goodbye")\n')
    (source / "templates" / "page.jinja2").write_text('{{ _("Welcome") }}\n')
    domain = Domain("sample", (source,), source / "locale")
    assert any("sample.po is missing" in found for found in problems(domain, ["fr"]))
    update(domain, ["en", "fr"])
    assert sorted(problems(domain, ["en", "fr"])) == sorted(
        f"{domain.po('fr')}: {msgid!r} has no fr translation."
        for msgid in ("Hello", "Goodbye", "Welcome")
    )  # English is filled from the source
    catalogue = domain.po("fr").read_text()
    for english, french in [("Hello", "Bonjour"), ("Goodbye", "Au revoir"),
                            ("Welcome", "Bienvenue")]:
        catalogue = catalogue.replace(f'msgid "{english}"\nmsgstr ""',
                                      f'msgid "{english}"\nmsgstr "{french}"')
    domain.po("fr").write_text(catalogue)
    assert problems(domain, ["en", "fr"]) == []
    (source / "views.py").write_text('_("Hello")\n_("Thanks")\n')  # edited without an update
    assert problems(domain, ["fr"]) == [
        f"{domain.po('fr')}: 'Thanks' is not in the catalogue; run `cortege i18n update`.",
        f"{domain.po('fr')}: 'Goodbye' is no longer in the source; run `cortege i18n update`.",
    ]
    update(domain, ["en", "fr"])
    assert problems(domain, ["fr"]) == [f"{domain.po('fr')}: 'Thanks' has no fr translation."]
