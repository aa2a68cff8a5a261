"""Joining, confirming one's address, logging in and out, account settings, suspension."""

from __future__ import annotations

import secrets

from playwright.sync_api import expect

from core.testing import TEST_PASSWORD


def test_register_confirm_from_the_mail_and_log_in(page, visit, mail, log_in):
    username = f"newcomer-{secrets.token_hex(3)}"
    address = f"{username}@example.org"
    page.goto("/")
    visit.check("home")
    page.get_by_role("link", name="Join").click()
    page.wait_for_url("**/register")
    visit.check("register")
    form = page.locator("#register-form")
    form.get_by_label("Email", exact=True).fill(address)
    form.get_by_label("Name shown to others").fill("Rosa Newcomer")
    form.get_by_label("Username", exact=True).fill(username)
    form.get_by_label("Password", exact=True).fill(TEST_PASSWORD)
    form.get_by_role("button", name="Create my account").click()
    page.wait_for_url("**/register/sent")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    visit.check("sent")

    page.goto(mail.link(address, "/register/confirm/"))
    visit.check("confirm")
    page.get_by_role("button", name="Confirm my address").click()
    page.wait_for_url(lambda url: "/register/confirm/" not in url)
    expect(page.get_by_role("status")).to_contain_text("Your address is confirmed")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Rosa Newcomer")
    visit.check("confirmed")

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in").first).to_be_visible()
    visit.check("logged-out")
    log_in(username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Rosa Newcomer")
