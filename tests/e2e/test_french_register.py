"""A member who chooses "tu" reads the whole site in the tutoiement: every page of the
journey says "tu", never "vous", and stays French."""

from __future__ import annotations

import re

from playwright.sync_api import expect

VOUS = re.compile(r"\b(vous|votre|vos)\b", re.IGNORECASE)
PAGES = ("/", "/account", "/groups", "/agenda", "/agenda/new", "/forums", "/tools",
         "/tools/petitions", "/tools/polls", "/members")


def test_a_member_reads_the_site_in_tu(page, visit, make_member, log_in):
    username = make_member(locale="fr", name="Camille Tutoie")
    log_in(username)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.goto("/account")
    preferences = page.locator("#preferences-form")
    preferences.get_by_label("En français, s'adresser à moi avec").select_option("tu")
    preferences.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_have_text("Tes préférences sont enregistrées.")
    visit.check("account-in-tu")
    said = []
    for path in PAGES:
        response = page.goto(path)
        if response is None or response.status == 404:
            continue  # a page of a plugin this site runs without
        expect(page.locator("html")).to_have_attribute("lang", "fr")
        text = page.locator("body").inner_text()
        for naming_the_register in ("vous (vouvoiement)", "« Vous » ou « tu »"):
            text = text.replace(naming_the_register, "")
        said += [f"{path}: {match.group(0)}" for match in VOUS.finditer(text)]
        visit.check("tu-" + (path.strip("/").replace("/", "-") or "home"))
    assert not said, said
    # Back to the site's choice: "vous" again.
    page.goto("/account")
    preferences.get_by_label("En français, s'adresser à moi avec").select_option("")
    preferences.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_have_text("Vos préférences sont enregistrées.")
