"""Groups: creating one, inviting a member, who accepts from the mail's link; its forum."""

from __future__ import annotations

import secrets

import pytest
from playwright.sync_api import expect

PLUGINS = ("groups",)


def create_group(visit, name: str, status: str) -> str:
    """Create a group from the directory; returns its path."""
    page = visit.page
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Groups").click()
    page.wait_for_url("**/groups")
    visit.check("directory")
    page.get_by_role("link", name="Create a group").click()
    page.wait_for_url("**/groups/new")
    visit.check("new-group")
    form = page.locator("form").filter(has=page.get_by_label("Name", exact=True))
    form.get_by_label("Name", exact=True).fill(name)
    form.get_by_label("Description").fill("We meet **every month** about the rents.")
    form.locator(f"input[name=status][value={status}]").check()
    form.get_by_role("button").last.click()
    expect(page.get_by_role("status")).to_have_text("The group is created.")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.locator("strong", has_text="every month")).to_be_visible()
    visit.check("created")
    return "/groups/" + page.url.split("/groups/")[1].split("?")[0].split("#")[0]


def invite(visit, username: str, display_name: str) -> None:
    page = visit.page
    page.get_by_role("navigation", name="Group sections").get_by_role("link", name="Members").click()
    page.wait_for_url("**/members")
    visit.check("members")
    page.get_by_label("Invite a member by username").fill(username)
    page.locator("#invite-form button[type=submit]").click()
    expect(page.get_by_role("status")).to_have_text(f"{display_name} is invited.")
    visit.check("invited")


def accept(checks, mail, username: str, group_path: str) -> None:
    page = checks.page
    page.goto(mail.link(f"{username}@example.org", group_path))
    expect(page.get_by_text("You are invited to this group.")).to_be_visible()
    checks.check("invitation")
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_role("status")).to_have_text("Welcome to the group.")
    expect(page.get_by_role("button", name="Leave the group")).to_be_visible()
    checks.check("accepted")


def test_a_hidden_group_is_created_and_an_invited_member_accepts(page, visit, make_member,
                                                                 log_in, other_visitor, mail):
    name = f"Tenants of the east side {secrets.token_hex(3)}"
    founder = make_member(name="Flora Founder")
    guest = make_member(name="Gaston Guest")
    log_in(founder)
    group_path = create_group(visit, name, "hidden")
    invite(visit, guest, "Gaston Guest")

    guest_view = other_visitor("guest")
    guest_page = guest_view.page
    guest_view.expect_status(404)  # hidden: to whoever is not invited, it does not exist
    assert guest_page.goto(group_path).status == 404
    expect(guest_page.get_by_role("heading", level=1)).not_to_have_text(name)
    guest_view.check("hidden-to-strangers")

    log_in(guest, checks=guest_view)
    accept(guest_view, mail, guest, group_path)
    guest_page.get_by_role("link", name="My groups").click()
    expect(guest_page.get_by_role("link", name=name)).to_be_visible()
    guest_view.check("my-groups")


def test_a_topic_and_a_reply_in_a_group_forum(page, visit, make_member, log_in, other_visitor,
                                              mail, e2e_app):
    if "forums" not in {plugin.name for plugin in e2e_app.registry["cortege.plugins"]}:
        pytest.skip("not enabled in development.ini: forums")
    name = f"Night shift nurses {secrets.token_hex(3)}"
    title = f"Strike ballot on the {secrets.token_hex(2)} ward"
    founder = make_member(name="Paula Poster")
    replier = make_member(name="Rémi Replier")
    log_in(founder)
    group_path = create_group(visit, name, "private")
    invite(visit, replier, "Rémi Replier")

    page.goto(group_path)
    sections = page.get_by_role("navigation", name="Group sections")
    sections.get_by_role("link", name="Forum", exact=True).click()
    page.wait_for_url("**/forum")
    visit.check("forum")
    page.get_by_role("link", name="Start a topic").click()
    visit.check("new-topic")
    form = page.locator("#topic-form")
    form.get_by_label("Title").fill(title)
    form.get_by_label("Text").fill("Who can **count the ballots** on Thursday?")
    form.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_have_text("Your topic is published.")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("strong", has_text="count the ballots")).to_be_visible()
    visit.check("topic")
    topic_path = page.url.split("#")[0].removeprefix(page.url.split("/forums/")[0])

    replier_view = other_visitor("replier")
    log_in(replier, checks=replier_view)
    accept(replier_view, mail, replier, group_path)
    them = replier_view.page
    them.goto(topic_path)
    replier_view.check("topic")
    reply = them.locator("#reply")
    reply.get_by_label("Your reply").fill("I can, from *six* in the evening.")
    reply.get_by_role("button", name="Post the reply").click()
    expect(them.locator("em", has_text="six")).to_be_visible()
    replier_view.check("replied")

    page.reload()
    expect(page.locator("em", has_text="six")).to_be_visible()
    visit.check("reply-seen")
