"""Petitions: one is opened, a stranger signs it in French and confirms from the mail."""

from __future__ import annotations

import secrets

from playwright.sync_api import expect

PLUGINS = ("petitions",)


def test_a_stranger_signs_a_petition_and_confirms_by_mail(page, visit, make_member, log_in,
                                                          other_visitor, mail):
    title = f"Keep the night buses running {secrets.token_hex(2)}"
    organiser = make_member(role="admin", name="Pierre Petition")
    log_in(organiser)
    page.goto("/tools/petitions")
    visit.check("petitions")
    page.get_by_role("link", name="Start a petition").click()
    page.wait_for_url("**/tools/petitions/new*")
    visit.check("new-petition")
    form = page.locator("main form").filter(has=page.get_by_label("Title", exact=True))
    form.get_by_label("Title", exact=True).fill(title)
    form.get_by_label("Text", exact=True).fill("The last bus leaves at **midnight**: workers need later ones.")
    form.get_by_label("Addressed to").fill("The transport authority")
    form.get_by_label("Signature goal").fill("50")
    form.get_by_role("button", name="Open the petition").click()
    expect(page.get_by_role("status").first).to_have_text("Your petition is open.")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    visit.check("opened")
    petition_path = page.url.split("#")[0].removeprefix(page.url.split("/tools/")[0])

    stranger = other_visitor("stranger")
    them = stranger.page
    them.goto(petition_path)
    stranger.check("petition-en")
    them.get_by_role("button", name="Français").click()
    expect(them.locator("html")).to_have_attribute("lang", "fr")
    expect(them.locator("#petition-count")).to_contain_text("0 signature")
    stranger.check("petition-fr")
    address = f"signer-{secrets.token_hex(3)}@example.org"
    sign = them.locator("#sign-form")
    sign.locator("[name=name]").fill("Simone Signataire")
    sign.locator("[name=email]").fill(address)
    sign.locator("[name=show_name]").check()
    sign.locator("[name=consent]").check()
    sign.locator("button[type=submit]").click()
    expect(them.get_by_role("status").first).to_contain_text("Merci")
    expect(them.locator("#petition-count")).to_contain_text("0 signature")
    stranger.check("signed")

    assert "Bonjour Simone Signataire" in mail.to(address)[-1].body, "the mail is in French"
    them.goto(mail.link(address, "/tools/petitions/confirm/"))
    stranger.check("confirm")
    them.locator("main form button[type=submit]").click()
    them.wait_for_url(f"**{petition_path}")
    expect(them.locator("#petition-count")).to_contain_text("1 signature")
    expect(them.locator("#signers")).to_contain_text("Simone Signataire")
    stranger.check("confirmed")

    page.reload()
    expect(page.locator("#petition-count")).to_contain_text("1 signature")
    visit.check("counted")
