"""Every page the menus lead to, as a French-speaking administrator reads it."""

from __future__ import annotations

from playwright.sync_api import expect

MENUS = ("Menu principal", "Votre compte", "Administration")


def menu_links(page, menu: str) -> list[str]:
    links = page.get_by_role("navigation", name=menu, exact=True).get_by_role("link")
    return [link.get_attribute("href") for link in links.all()]


def switched_off(app) -> str:
    """The rows of the plugins page for plugins that are installed but off: no catalogue of
    theirs is loaded, so their titles stay as their authors wrote them."""
    enabled = "".join(f":not(#plugin-{plugin.name})" for plugin in app.registry["cortege.plugins"])
    return f'tr[id^="plugin-"]{enabled}'


def test_every_menu_page_in_french(page, visit, make_member, log_in, e2e_app):
    log_in(make_member(role="admin", locale="fr", name="Adèle Admin"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    seen = {page.url}
    to_visit = menu_links(page, MENUS[0]) + menu_links(page, MENUS[1])
    page.goto("/admin")
    visit.check("admin")
    seen.add(page.url)
    to_visit += menu_links(page, MENUS[2])
    assert len(to_visit) >= 4, f"the menus lead somewhere: {to_visit}"
    for target in to_visit:
        if target in seen:
            continue
        seen.add(target)
        response = page.goto(target)
        assert response.ok, f"{target} answered {response.status}"
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        visit.check(target.rstrip("/").split("/", 3)[-1], foreign=switched_off(e2e_app))
