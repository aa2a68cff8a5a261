"""The social layer: a member posts a status update in their group; another member of the
group, who reads the site in French, finds it on their dashboard and favourites it."""

from __future__ import annotations

import secrets

from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.orm import Session

PLUGINS = ("groups", "social")
# Words members wrote stay as they wrote them.
MEMBER_TEXT = ".social-entry__body, .social-entry__actor, .social-entry__subject, " \
              ".social-entry__head a, .groups__widget, .group__name, .group__about"


def make_group_with(e2e_engine, *usernames) -> str:
    from core.accounts.models import User
    from plugins.groups.testing import new_group, put_member

    name = f"Riverside section {secrets.token_hex(2)}"
    with Session(e2e_engine) as dbsession, dbsession.begin():
        group = new_group(dbsession, name, "public")
        for username in usernames:
            user = dbsession.scalar(select(User).where(User.username == username))
            put_member(dbsession, group, user)
        return group.slug


def test_a_status_in_a_group_reaches_another_members_dashboard(page, visit, make_member,
                                                               log_in, other_visitor,
                                                               e2e_engine):
    words = f"Leafleting at the market on Saturday, 10:00 ({secrets.token_hex(2)})"
    poster = make_member(name="Paula Poster")
    reader = make_member(name="Rémi Reader", locale="fr")
    slug = make_group_with(e2e_engine, poster, reader)

    log_in(poster)
    page.goto(f"/groups/{slug}")
    expect(page.locator("#group-activity")).to_be_visible()
    visit.check("group-home", foreign=MEMBER_TEXT)
    form = page.locator("#status-form")
    form.get_by_label("Post to the group").fill(words)
    form.get_by_role("button", name="Post").click()
    expect(page.get_by_role("status").first).to_have_text("Your status update is posted.")
    expect(page.locator("#stream")).to_contain_text(words)
    visit.check("posted", foreign=MEMBER_TEXT)

    them = other_visitor("reader")
    log_in(reader, checks=them)
    their = them.page
    their.goto("/")
    expect(their.locator("html")).to_have_attribute("lang", "fr")
    entry = their.locator("#personal-stream .social-entry").filter(has_text=words)
    expect(entry).to_contain_text("a publié")
    them.check("dashboard-fr", foreign=MEMBER_TEXT)
    favourite = entry.get_by_role("button", name="Favori")
    expect(favourite).to_have_attribute("aria-pressed", "false")
    favourite.click()
    entry = their.locator("#personal-stream .social-entry").filter(has_text=words)
    expect(entry.get_by_role("button", name="Favori")).to_have_attribute("aria-pressed", "true")
    expect(entry.locator(".social-react--favourite .social-react__count")).to_have_text("1")
    them.check("favourited-fr", foreign=MEMBER_TEXT)
    their.goto(f"/members/{reader}/favourites")
    expect(their.locator("#stream")).to_contain_text(words)
    them.check("favourites-fr", foreign=MEMBER_TEXT)

    page.goto("/activity")
    expect(page.locator("#stream .social-entry").filter(has_text=words)
           .locator(".social-react--favourite .social-react__count")).to_have_text("1")
    visit.check("site-stream", foreign=MEMBER_TEXT)
