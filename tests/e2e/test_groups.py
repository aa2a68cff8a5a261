"""Groups: creating one, inviting a member, who accepts from the mail's link."""

from __future__ import annotations

import secrets

from playwright.sync_api import expect

PLUGINS = ("groups",)


def test_a_hidden_group_is_created_and_an_invited_member_accepts(page, visit, make_member,
                                                                 log_in, other_visitor, mail):
    name = f"Tenants of the east side {secrets.token_hex(3)}"
    founder = make_member(name="Flora Founder")
    guest = make_member(name="Gaston Guest")
    log_in(founder)
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Groups").click()
    page.wait_for_url("**/groups")
    visit.check("directory")
    page.get_by_role("link", name="Create a group").click()
    page.wait_for_url("**/groups/new")
    visit.check("new-group")
    form = page.locator("form").filter(has=page.get_by_label("Name", exact=True))
    form.get_by_label("Name", exact=True).fill(name)
    form.get_by_label("Description").fill("We meet **every month** about the rents.")
    form.locator("input[name=status][value=hidden]").check()
    form.get_by_role("button").last.click()
    expect(page.get_by_role("status")).to_have_text("The group is created.")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.locator("strong", has_text="every month")).to_be_visible()
    visit.check("created")
    group_path = page.url.split("#")[0].split("?")[0].removeprefix(
        page.url.split("/groups/")[0])

    page.get_by_role("navigation").get_by_role("link", name="Members").last.click()
    page.wait_for_url("**/members")
    visit.check("members")
    page.get_by_label("Invite a member by username").fill(guest)
    page.locator("#invite-form button[type=submit]").click()
    expect(page.get_by_role("status")).to_have_text("Gaston Guest is invited.")
    visit.check("invited")

    guest_view = other_visitor("guest")
    guest_page = guest_view.page
    guest_view.expect_status(404)  # hidden: to whoever is not invited, it does not exist
    assert guest_page.goto(group_path).status == 404
    expect(guest_page.get_by_role("heading", level=1)).not_to_have_text(name)
    guest_view.check("hidden-to-strangers")

    log_in(guest, checks=guest_view)
    link = mail.link(f"{guest}@example.org", group_path)
    guest_page.goto(link)
    expect(guest_page.get_by_text("You are invited to this group.")).to_be_visible()
    guest_view.check("invitation")
    guest_page.get_by_role("button", name="Accept").click()
    expect(guest_page.get_by_role("status")).to_have_text("Welcome to the group.")
    expect(guest_page.get_by_role("button", name="Leave the group")).to_be_visible()
    guest_view.check("accepted")
    guest_page.get_by_role("link", name="My groups").click()
    expect(guest_page.get_by_role("link", name=name)).to_be_visible()
    guest_view.check("my-groups")
