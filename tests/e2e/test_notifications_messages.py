"""Notifications and private messages: a member is mentioned, sees the bell's count and opens
it (in French); two members write to each other (in English)."""

from __future__ import annotations

import secrets

from playwright.sync_api import expect
from sqlalchemy.orm import Session

PLUGINS = ("forums", "notifications", "messages")


def _forum(e2e_engine) -> str:
    from plugins.forums.models import Category, Forum

    slug = f"debates-{secrets.token_hex(3)}"
    with Session(e2e_engine) as dbsession, dbsession.begin():
        category = Category(title="General", description="", position=1)
        dbsession.add(category)
        dbsession.flush()
        dbsession.add(Forum(slug=slug, title="Debates", description="", category_id=category.id,
                            position=1, closed=False, topic_count=0, post_count=0))
    return slug


def test_a_member_is_mentioned_sees_the_bell_and_opens_it(page, visit, make_member, log_in,
                                                          other_visitor, e2e_engine):
    slug = _forum(e2e_engine)
    mentioned = make_member(locale="fr", name="Mona Mention")
    author = make_member(name="Ari Author")
    writer = other_visitor("author")
    log_in(author, checks=writer)
    writer.page.goto(f"/forums/{slug}/new")
    writer.check("new-topic")
    form = writer.page.locator("#topic-form")
    form.locator("[name=title]").fill("Housing")
    form.locator("[name=body]").fill(f"What does @{mentioned} think?")
    form.locator("button[type=submit]").click()
    writer.page.wait_for_url(lambda url: "/new" not in url)
    writer.check("topic", foreign="main")

    log_in(mentioned)
    page.goto("/")
    bell = page.locator("#notification-bell")
    expect(page.locator("#notification-count-value")).to_have_text("1")
    visit.check("bell", foreign="main")
    bell.click()
    page.wait_for_url("**/notifications")
    expect(page.locator("li.notification")).to_have_count(1)
    expect(page.locator("li.notification a")).to_contain_text("Ari Author vous a mentionné")
    visit.check("centre", foreign=".notification a")
    page.locator("li.notification a").click()
    page.wait_for_url(lambda url: "/forums/" in url)
    visit.check("post", foreign="main")
    page.goto("/notifications")
    expect(page.locator("li.notification--unread")).to_have_count(0)
    expect(page.locator("#notification-count")).to_be_hidden()
    visit.check("read", foreign=".notification a")


def test_two_members_exchange_messages(page, visit, make_member, log_in, other_visitor):
    ana = make_member(name="Ana Writer")
    bob = make_member(name="Bob Reader")
    log_in(ana)
    page.goto(f"/members/{bob}")
    visit.check("profile", foreign="main h1")
    page.locator("#write-to-member").click()
    page.wait_for_url("**/messages/new*")
    visit.check("new-message")
    form = page.locator("#message-form")
    form.locator("[name=subject]").fill("Leaflets")
    form.locator("[name=body]").fill("Can you bring the leaflets on Saturday?")
    form.locator("button[type=submit]").click()
    page.wait_for_url(lambda url: "/messages/" in url and "/new" not in url)
    expect(page.locator(".message__body")).to_have_text(["Can you bring the leaflets on Saturday?"])
    visit.check("sent", foreign=".message, h1")

    reader = other_visitor("bob")
    log_in(bob, checks=reader)
    them = reader.page
    them.goto("/")
    expect(them.locator("#notification-count-value")).to_have_text("1")
    them.goto("/messages")
    expect(them.locator(".conversation-item--unread")).to_have_count(1)
    reader.check("inbox", foreign=".conversation-item")
    them.locator(".conversation-item a").first.click()
    expect(them.locator(".message__body")).to_have_text(["Can you bring the leaflets on Saturday?"])
    them.locator("#reply-form [name=body]").fill("Yes, see you at ten.")
    them.locator("#reply-form button[type=submit]").click()
    expect(them.locator(".message__body")).to_have_count(2)
    reader.check("replied", foreign=".message, h1")

    page.reload()
    expect(page.locator(".message__body")).to_have_text(
        ["Can you bring the leaflets on Saturday?", "Yes, see you at ten."])
    visit.check("read-reply", foreign=".message, h1")
