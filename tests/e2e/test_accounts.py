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
    page.get_by_role("link", name="Join", exact=True).click()
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


def test_account_settings_name_time_zone_language_and_password(page, visit, make_member, log_in):
    username = make_member()
    log_in(username)
    page.get_by_role("navigation", name="Your account").get_by_role("link", name="Your account").click()
    page.wait_for_url("**/account")
    visit.check("account")

    preferences = page.locator("#preferences-form")
    preferences.get_by_label("Name shown to others").fill("Louise Settings")
    preferences.get_by_label("Time zone").select_option("America/Montreal")
    preferences.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_have_text("Your preferences are saved.")
    expect(preferences.get_by_label("Time zone")).to_have_value("America/Montreal")
    visit.check("preferences-saved")

    preferences.get_by_label("Language").select_option("fr")
    preferences.get_by_role("button", name="Save").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("status")).to_have_text("Vos préférences sont enregistrées.")
    visit.check("account-in-french")

    new_password = "a brand new passphrase for the march"
    passwords = page.locator("#password-form")
    passwords.locator("[name=current_password]").fill(TEST_PASSWORD)
    passwords.locator("[name=new_password]").fill(new_password)
    passwords.locator("button[type=submit]").click()
    expect(page.get_by_role("status")).to_be_visible()
    visit.check("password-changed")
    page.locator(".user-nav form button[type=submit]").click()  # log out
    expect(page.locator(".user-nav a[href$='/login']")).to_be_visible()
    visit.check("logged-out")

    log_in(username, new_password)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bienvenue, Louise Settings")


def test_a_stranger_switches_language_and_keeps_it_after_logging_in(page, visit, make_member, log_in):
    username = make_member(name="Nadia Langue")
    page.goto("/")
    visit.check("home-en")
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("button", name="Français")).to_have_attribute("aria-pressed", "true")
    visit.check("home-fr")
    page.locator(".user-nav a[href$='/register']").click()
    page.wait_for_url("**/register")
    visit.check("register-fr")

    log_in(username)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_have_text("Bienvenue, Nadia Langue")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Nadia Langue")
    visit.check("home-en-again")


def test_an_admin_suspends_a_member_who_then_cannot_log_in(page, visit, make_member, log_in,
                                                           other_visitor):
    member = make_member(name="Suspended Soon")
    admin = make_member(role="admin")
    member_view = other_visitor("member")
    log_in(member, checks=member_view)
    expect(member_view.page.get_by_role("heading", level=1)).to_have_text("Welcome, Suspended Soon")

    log_in(admin)
    page.goto("/admin")
    visit.check("admin")
    page.get_by_role("link", name="Members").last.click()
    page.wait_for_url("**/admin/members")
    visit.check("members")
    page.get_by_label("Name, username or email").fill(member)
    page.get_by_role("main").get_by_role("button", name="Search").click()  # not the header's
    page.wait_for_url("**/admin/members?*")
    row = page.get_by_role("row").filter(has_text=f"@{member}")
    expect(row).to_have_count(1)
    visit.check("member-found")
    asked = []  # the browser asks before a destructive action; the admin says yes
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    row.get_by_role("button", name="Suspend").click()
    expect(page.get_by_role("status")).to_have_text(
        "Suspended Soon is suspended and logged out everywhere.")
    expect(row.get_by_role("button", name="Reinstate")).to_be_visible()
    assert asked and asked[0].startswith("Suspend this member?")
    visit.check("suspended")

    member_page = member_view.page
    member_page.reload()
    expect(member_page.locator(".user-nav a[href$='/login']")).to_be_visible()
    member_view.check("logged-out-by-suspension")
    member_page.goto("/login")
    member_view.check("login")
    member_page.locator("#login-form [name=login]").fill(member)
    member_page.locator("#login-form [name=password]").fill(TEST_PASSWORD)
    member_page.locator("#login-form button[type=submit]").click()
    expect(member_page.get_by_role("alert")).to_have_text(
        "This account is suspended. Write to the site's administrators to know more.")
    member_view.check("refused")
    expect(member_page.locator(".user-nav a[href$='/login']")).to_be_visible()
