"""``make screenshots``: the main pages, desktop and phone, in French, in docs/screenshots/.

The site is built from development.ini's settings on a scratch SQLite database, filled with
the demo content of every enabled plugin, served on a free loopback port, and photographed by
Debian's Chromium. Nothing outside var/screenshots and docs/screenshots is touched.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
WORK = ROOT / "var" / "screenshots"
CHROMIUM = os.environ.get("CORTEGE_CHROMIUM", "/usr/bin/chromium")
MEMBER = "dominique.durand"  # a French-speaking demo member (core/seeding.py)
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
# (file name, path, as a member?)
PAGES = [
    ("home", "/", False),
    ("agenda", "/agenda", False),
    ("agenda-month", "/agenda/month", False),
    ("groups", "/groups", False),
    ("petitions", "/tools/petitions", False),
    ("dashboard", "/", True),
    ("members", "/members", True),
    ("polls", "/tools/polls", True),
    ("forums", "/forums", True),
]


def build():
    from pyramid.paster import get_appsettings

    from core import make_config
    from core.testing import migrated_engine

    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = dict(get_appsettings(str(ROOT / "development.ini")))
    settings.update({
        "sqlalchemy.url": f"sqlite:///{WORK / 'cortege.sqlite'}",
        "pyramid.includes": "",  # no debug toolbar in the pictures
        "cortege.mail_backend": "memory",
        "cortege.queue_url": "immediate:",
        "cortege.uploads_directory": str(WORK / "uploads"),
        "cortege.site_url": f"http://127.0.0.1:{port}",
        "pyramid.default_locale_name": "fr",
        "cortege.development_pages": "false",
    })
    engine = migrated_engine(settings["sqlalchemy.url"])
    app = make_config(settings, engine=engine).make_wsgi_app()
    return app, port


def seed(app) -> None:
    from pyramid.scripting import prepare

    from core.extensions import registered
    from core.seeding import SeedContext

    env = prepare(registry=app.registry)
    try:
        request = env["request"]
        seeders = registered(app.registry, "cortege seeders")
        options = {option: default for seeder in seeders
                   for option, (default, _help) in seeder.options.items()}
        with request.tm:
            context = SeedContext(request=request, options=options)
            for seeder in seeders:
                seeder.seed(context)
    finally:
        env["closer"]()


def photograph(base: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    from core.seeding import DEMO_PASSWORD

    OUT.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--disable-gpu", "--no-first-run"])
        for member in (False, True):
            context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris",
                                          viewport=SIZES["desktop"])
            page = context.new_page()
            if member:
                page.goto(base + "/login")
                page.locator("#login-form [name=login]").fill(MEMBER)
                page.locator("#login-form [name=password]").fill(DEMO_PASSWORD)
                page.locator("#login-form button[type=submit]").click()
                page.wait_for_url(lambda url: "/login" not in url)
            for name, path, as_member in PAGES:
                if as_member != member:
                    continue
                for size, viewport in SIZES.items():
                    page.set_viewport_size(viewport)
                    answer = page.goto(base + path)
                    if answer is None or answer.status != 200:
                        print(f"skipped {path}: {answer.status if answer else 'no answer'}")
                        break
                    target = OUT / f"{name}-{size}.png"
                    page.screenshot(path=target, full_page=size == "phone")
                    written.append(target)
            context.close()
        browser.close()
    return written


def main() -> int:
    from webtest.http import StopableWSGIServer

    if not os.path.exists(CHROMIUM):
        print(f"No Chromium at {CHROMIUM}: `make chromium` installs Debian's.", file=sys.stderr)
        return 1
    app, port = build()
    seed(app)
    server = StopableWSGIServer(app, host="127.0.0.1", port=port, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        written = photograph(f"http://127.0.0.1:{port}")
    finally:
        server.shutdown()
        thread.join(timeout=10)
    for path in written:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
