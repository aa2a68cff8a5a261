"""Browser tests: Debian's Chromium, driven by Playwright, against the app served by waitress.

Each xdist worker serves the app from a thread of its own on a free loopback port, on a
database made and migrated for it (SQLite, or PostgreSQL when CORTEGE_TEST_DATABASE_URL is
set). The app sends mail to memory, so a test reads the outbox as a person reads their inbox.
Every page a journey visits goes through ``visit.check``: screenshots at desktop and phone
widths, axe-core, and a search for English left on French pages.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy.orm import Session

from core.testing import TEST_PASSWORD, _ini_plugins, build_app, empty_database, migrated_engine
from tests.e2e.checks import PageChecks

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "e2e"
CHROMIUM = os.environ.get("CORTEGE_CHROMIUM", "/usr/bin/chromium")
expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"No Chromium at {CHROMIUM}: `make e2e` installs Debian's chromium package.")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": ["--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 800},
            "locale": "en-GB", "timezone_id": "Europe/Paris"}


@pytest.fixture(scope="session")
def e2e_engine(tmp_path_factory):
    """A database of its own: the served app commits for real, unlike the other tests."""
    with empty_database(tmp_path_factory.mktemp("e2e-db"), "e2e") as url:
        engine = migrated_engine(url)
        yield engine
        engine.dispose()


@pytest.fixture(scope="session")
def e2e_app(request, e2e_engine, tmp_path_factory):
    # Links in mail are built from cortege.site_url: the address the server will listen on.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = {
        "cortege.site_url": f"http://127.0.0.1:{port}",
        "sqlalchemy.url": e2e_engine.url.render_as_string(hide_password=False),
        "cortege.plugins": " ".join(_ini_plugins(Path(str(request.config.rootpath)))),
        "cortege.theme": "default",
        "cortege.session_secret": "e2e-secret-" + "x" * 32,
        "cortege.mail_backend": "memory",
        # Jobs (mail) run as the request that asks for them commits: no worker to wait for.
        "cortege.queue_url": "immediate:",
        "cortege.uploads_directory": str(tmp_path_factory.mktemp("e2e-uploads")),
        "cortege.default_timezone": "Europe/Paris",
        "pyramid.default_locale_name": "en",
        # The site says "vous"; members may choose "tu" (one journey does).
        "cortege.french_register_choice": "true",
        "mail.default_sender": "cortege@example.org",
    }
    return build_app(settings, e2e_engine)


@pytest.fixture(scope="session")
def live_server(e2e_app):
    """The app served by waitress on 127.0.0.1, on a port the system picks."""
    from webtest.http import StopableWSGIServer

    port = int(e2e_app.registry.settings["cortege.site_url"].rsplit(":", 1)[1])
    server = StopableWSGIServer(e2e_app, host="127.0.0.1", port=port, threads=4,
                                expose_tracebacks=False)
    server.application_url = f"http://127.0.0.1:{server.effective_port}"
    thread = threading.Thread(target=server.run, name="e2e-waitress", daemon=True)
    thread.start()
    yield server
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def base_url(live_server):
    """Playwright resolves ``page.goto("/login")`` against it."""
    return live_server.application_url


@pytest.fixture
def mail(e2e_app):
    """The outbox of the served app: ``mail.wait_for(address)`` returns the newest message."""
    from pyramid_mailer.interfaces import IMailer

    return Outbox(e2e_app.registry.getUtility(IMailer).outbox)


class Outbox:
    def __init__(self, messages: list):
        self.messages = messages

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m.recipients]

    def link(self, address: str, path_part: str) -> str:
        """The first link containing ``path_part`` in the newest message sent to ``address``.

        Mail goes out when the request's transaction commits, before the answer is sent, so
        it is there once the page that follows the form has loaded.
        """
        received = self.to(address)
        assert received, f"no mail was sent to {address}"
        body = received[-1].body
        links = [url for url in re.findall(r"https?://\S+", body) if path_part in url]
        assert links, f"no link with {path_part!r} in the mail to {address}:\n{body}"
        return links[0]


@pytest.fixture(autouse=True)
def needed_plugins(request, e2e_app):
    """A test module's ``PLUGINS`` must be on in development.ini, or its journeys are skipped."""
    enabled = {plugin.name for plugin in e2e_app.registry["cortege.plugins"]}
    missing = [name for name in getattr(request.module, "PLUGINS", ()) if name not in enabled]
    if missing:
        pytest.skip(f"not enabled in development.ini: {', '.join(missing)}")


@pytest.fixture(autouse=True)
def fresh_rate_limits(e2e_app):
    """Every journey comes from 127.0.0.1: limits counted for one journey must not hit the next."""
    e2e_app.registry["cortege.ratelimiter"].reset()


@pytest.fixture
def make_member(e2e_engine):
    """``make_member(role="admin", locale="fr")``: an active member, committed, with
    the password ``TEST_PASSWORD``; returns their username."""
    from core.accounts.services import AccountService

    def factory(role: str = "member", locale: str | None = None, name: str | None = None) -> str:
        username = f"{role}-{secrets.token_hex(4)}"
        with Session(e2e_engine) as dbsession, dbsession.begin():
            AccountService(dbsession).create_user(
                f"{username}@example.org", username, name or username.replace("-", " ").title(),
                TEST_PASSWORD, role=role, locale=locale,
            )
        return username

    return factory


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so fixtures know whether the journey failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _failed(request) -> bool:
    report = getattr(request.node, "report_call", None)
    return report is None or report.failed


@pytest.fixture
def visit(page, request, e2e_app):
    """The page with its checks: ``visit.check("step")`` after each page the journey sees."""
    page.set_default_timeout(10_000)  # a condition that needs longer here is a failure
    checks = PageChecks(page, ARTIFACTS / request.node.originalname, e2e_app.registry)
    yield checks
    if _failed(request):
        checks.save_failure()
    else:
        checks.finish()


@pytest.fixture
def other_visitor(browser, browser_context_args, request, e2e_app):
    """``other_visitor("admin")``: a second person, in a browser of their own, with checks."""
    opened = []

    def open_one(who: str) -> PageChecks:
        context = browser.new_context(**browser_context_args)
        page = context.new_page()
        page.set_default_timeout(10_000)
        checks = PageChecks(page, ARTIFACTS / f"{request.node.originalname}-{who}",
                            e2e_app.registry)
        opened.append((context, checks))
        return checks

    yield open_one
    failed = _failed(request)
    for context, checks in opened:
        try:
            checks.save_failure() if failed else checks.finish()
        finally:
            context.close()


@pytest.fixture
def log_in(visit):
    """``log_in(username)`` through the login form (of ``checks``' page, by default the
    journey's own); leaves the browser on the page the form leads to."""

    def run(username: str, password: str = TEST_PASSWORD, checks: PageChecks = visit) -> None:
        page = checks.page
        page.goto("/login")
        checks.check("login")
        page.locator("#login-form [name=login]").fill(username)
        page.locator("#login-form [name=password]").fill(password)
        page.locator("#login-form button[type=submit]").click()
        page.wait_for_url(lambda url: "/login" not in url)
        checks.check("logged-in")

    return run
