"""Security headers, cookies, CSRF and the production settings."""

import re
from pathlib import Path

import pytest
import webtest

from core import make_config
from core.errors import StartupError

ROOT = Path(__file__).resolve().parents[2]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle\s*=", re.IGNORECASE)
SCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def check_headers(response):
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] in ("same-origin", "strict-origin-when-cross-origin",
                                          "no-referrer")
    assert headers["X-Frame-Options"] == "DENY"
    policy = dict(
        (part.split(None, 1) + [""])[:2] for part in headers["Content-Security-Policy"].split(";")
        if part.strip()
    )
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    for directive in ("script-src", "style-src"):
        sources = policy.get(directive, policy["default-src"])
        assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources
        assert "*" not in sources.split()


def check_no_inline_code(html: str, where: str):
    for name, pattern in [("inline <script>", INLINE_SCRIPT), ("on* handler", EVENT_HANDLER),
                          ("style attribute", STYLE_ATTRIBUTE), ("javascript: URL", SCRIPT_URL)]:
        found = pattern.search(html)
        assert not found, f"{where} has an {name} the policy would block: {found.group(0)!r}"


def csrf_token(page) -> str:
    return page.html.find("input", {"name": "csrf_token"})["value"]


def test_headers_on_every_kind_of_response(testapp, make_user, login):
    responses = [
        testapp.get("/"),
        testapp.get("/login"),
        testapp.get("/privacy"),
        testapp.get("/static/core/core.css"),
        testapp.get("/favicon.ico"),
        testapp.get("/no/such/page", status=404),
        testapp.post("/logout", status=400),  # no CSRF token
        testapp.get("/admin", status=303),
        login(make_user()).get("/admin", status=403),
    ]
    for response in responses:
        check_headers(response)


def test_rendered_pages_have_no_inline_code(testapp, make_user, login):
    member = login(make_user())
    admin = login(make_user(role="admin"))
    pages = {
        "/": testapp.get("/"), "/login": testapp.get("/login"),
        "/privacy": testapp.get("/privacy"), "404": testapp.get("/nothing", status=404),
        "the dashboard": member.get("/"), "403": member.get("/admin", status=403),
        "/admin": admin.get("/admin"),
    }
    for where, page in pages.items():
        assert "<html" in page.text
        check_no_inline_code(page.text, where)


def test_pages_escape_what_members_write(make_user, login):
    browser = login(make_user(display_name='<script src="//evil.example/x.js"></script>'))
    page = browser.get("/")
    assert "evil.example" in page.text
    assert '<script src="//evil.example' not in page.text
    assert "&lt;script src=&#34;//evil.example/x.js&#34;&gt;" in page.text


def test_templates_have_no_inline_code():
    templates = [path for folder in ("core", "themes", "plugins") if (ROOT / folder).is_dir()
                 for path in (ROOT / folder).rglob("*.jinja2")]
    assert len(templates) > 5
    for path in templates:
        check_no_inline_code(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))


def cookie_header(response, name: str) -> str:
    found = [h for h in response.headers.getall("Set-Cookie") if h.startswith(f"{name}=")]
    assert found, f"no {name} cookie set"
    return found[-1]


def test_session_cookie_is_httponly_and_samesite(testapp, make_user):
    user = make_user()
    form = testapp.get("/login").forms["login-form"]
    form["login"], form["password"] = user.username, "correct horse battery staple"
    cookie = cookie_header(form.submit(status=303), "cortege_session")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "secure" not in cookie.lower().split("; ")  # development runs over plain HTTP


class TestSecureCookies:
    @pytest.fixture
    def cortege_settings(self, cortege_settings):
        return {**cortege_settings, "cortege.secure_cookies": "true"}

    def test_cookies_are_secure_and_hsts_is_sent(self, make_testapp):
        browser = make_testapp(**{"wsgi.url_scheme": "https"})
        page = browser.get("/login")
        assert page.headers["Strict-Transport-Security"].startswith("max-age=")
        session = cookie_header(page, "cortege_session")
        assert "; secure" in session.lower() and "HttpOnly" in session
        language = next(form for form in page.forms.values() if form.action.endswith("/language"))
        response = language.submit("locale", value="fr")
        assert "; secure" in cookie_header(response, "cortege_locale").lower()


    def test_https_post_from_another_origin_is_refused(self, make_testapp):
        browser = make_testapp(**{"wsgi.url_scheme": "https"})
        token = csrf_token(browser.get("/login"))
        for headers in ({"Origin": "https://evil.example"}, {}):  # a foreign or no origin
            browser.post("/language", {"locale": "fr", "csrf_token": token}, headers=headers,
                         status=400)
        assert "cortege_locale" not in browser.cookies
        browser.post("/language", {"locale": "fr", "csrf_token": token},
                     headers={"Origin": "https://localhost"}, status=303)


def test_logout_without_csrf_token_changes_nothing(make_user, login):
    browser = login(make_user(display_name="Camille Martin"))
    browser.post("/logout", status=400)
    assert "Welcome, Camille Martin" in browser.get("/").text
    browser.post("/logout", {"csrf_token": "forged"}, status=400)
    assert "Welcome, Camille Martin" in browser.get("/").text
    browser.post("/logout", {"csrf_token": csrf_token(browser.get("/"))}, status=303)
    assert "Welcome" not in browser.get("/").text


def test_stale_form_gets_a_page_that_says_what_to_do(make_user, login):
    browser = login(make_user(locale="fr"))
    page = browser.post("/logout", {"csrf_token": "stale"}, status=400)
    assert page.html.h1.text == "Le formulaire a expiré"
    assert "rechargez la page" in page.text
    assert page.html.find("footer", class_="site-footer") is not None  # the site's own page
    check_headers(page)
    check_no_inline_code(page.text, "the 400 page")


def test_language_without_csrf_token_changes_nothing(make_user, login, dbsession):
    user = make_user(locale="en")
    browser = login(user)
    response = browser.post("/language", {"locale": "fr", "next": "/"}, status=400)
    assert "cortege_locale" not in response.headers.get("Set-Cookie", "")
    dbsession.refresh(user)
    assert user.locale == "en"
    assert browser.get("/").html.html["lang"] == "en"


def test_token_of_another_session_is_refused(make_testapp):
    first, second = make_testapp(), make_testapp()
    token = csrf_token(first.get("/login"))
    second.get("/login")
    second.post("/language", {"locale": "fr", "csrf_token": token}, status=400)
    assert "cortege_locale" not in second.cookies


def test_production_settings_read_the_environment(production_settings):
    from core.settings import coerce_core_settings

    database = "postgresql://cortege:secret@db.internal:5432/cortege"
    secret = "a-long-random-production-secret-" + "y" * 32
    settings = coerce_core_settings(production_settings(
        CORTEGE_DATABASE_URL=database, CORTEGE_SESSION_SECRET=secret))
    assert settings["sqlalchemy.url"] == database
    assert settings["cortege.session_secret"] == secret
    assert settings["cortege.secure_cookies"] is True
    assert settings["cortege.mail_backend"] == "smtp"
    assert settings["cortege.ratelimit_storage"].startswith("redis://")
    assert settings["pyramid.default_locale_name"] == "fr"
    assert settings["cortege.locales"] == ["fr", "en"]


def test_production_settings_name_a_missing_variable(production_settings, monkeypatch):
    from core.settings import coerce_core_settings

    settings = production_settings()
    monkeypatch.delenv("CORTEGE_SESSION_SECRET")
    with pytest.raises(StartupError) as caught:
        coerce_core_settings(settings)
    message = str(caught.value)
    assert "CORTEGE_SESSION_SECRET" in message and "cortege.session_secret" in message
    assert "\n" not in message


def test_production_app_serves_pages(production_settings, cortege_engine, connection):
    app = make_config(production_settings(), engine=cortege_engine).make_wsgi_app()
    browser = webtest.TestApp(app, extra_environ={
        "cortege.test_connection": connection, "HTTP_HOST": "cortege.example.org",
        "wsgi.url_scheme": "https"})
    page = browser.get("/login")
    assert page.html.html["lang"] == "fr"  # the deployment's language
    check_headers(page)
    assert "Strict-Transport-Security" in page.headers
    assert "; secure" in cookie_header(page, "cortege_session").lower()


def test_what_an_actor_may_do_is_checked_without_their_request(registry, make_user):
    """Services given the actor ask ``actor_may``: the same answer from a job's request."""
    from pyramid.authorization import Allow

    from core.jobs import job_request
    from core.security import ACCOUNT, ADMIN, actor_may, site_acl

    member, admin = make_user(), make_user(role="admin")
    suspended = make_user(status="suspended")
    with job_request(registry) as request, request.tm:

        class Owned:
            __acl__ = ((Allow, f"user:{member.id}", "owner.edit"), *site_acl(request))

        assert actor_may(request, member, ACCOUNT) and not actor_may(request, member, ADMIN)
        assert actor_may(request, admin, ADMIN) and actor_may(request, admin, "anything")
        assert not actor_may(request, suspended, ACCOUNT)
        assert not actor_may(request, None, ACCOUNT)
        assert actor_may(request, member, "owner.edit", Owned())
        assert not actor_may(request, make_user(), "owner.edit", Owned())
