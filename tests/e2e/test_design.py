"""The main pages, as a visitor and as a member, at desktop and phone widths, in English and
French: axe clean, never wider than a 390 px screen (``visit.check``), and no two text boxes
overlapping in the month grid and the poll results."""

from __future__ import annotations

import datetime as dt
import secrets
from zoneinfo import ZoneInfo

from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.e2e.checks import DESKTOP, PHONE

PLUGINS = ("agenda", "polls", "groups", "petitions", "profiles", "forums")

# The boxes of the text nodes inside ``selector`` (one per line of text), and the pairs of
# them that overlap by more than a pixel.
OVERLAPS = """(selector) => {
  const boxes = [];
  for (const root of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      if (!node.parentElement.checkVisibility({visibilityProperty: true})) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) {
        if (r.width > 0 && r.height > 0) boxes.push({text: node.textContent.trim(), r});
      }
    }
  }
  const found = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i].r, b = boxes[j].r;
      const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (x > 1 && y > 1) found.push(boxes[i].text + " / " + boxes[j].text);
    }
  }
  return found;
}"""

LONG_TITLES = [
    "Assemblée générale extraordinaire du comité de quartier",
    "Distribution de tracts devant la gare",
    "Réunion publique sur le logement et les loyers",
]


def no_overlap(page, selector: str) -> None:
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        overlapping = page.evaluate(OVERLAPS, selector)
        assert not overlapping, f"text overlaps at {viewport['width']} px on {page.url}:\n" + \
            "\n".join(overlapping[:10])
    page.set_viewport_size(DESKTOP)


def month_with_events(e2e_engine, organiser: str) -> str:
    """Three public events on one day of this month, and one on another: the month's path."""
    from core.accounts.models import User
    from plugins.agenda.testing import new_event

    zone = ZoneInfo("Europe/Paris")
    today = dt.datetime.now(zone).date()
    day = today.replace(day=min(today.day + 1, 27)) if today.day < 27 else today.replace(day=27)
    with Session(e2e_engine) as dbsession, dbsession.begin():
        user = dbsession.scalar(select(User).where(User.username == organiser))
        for hour, title in zip((9, 14, 19), LONG_TITLES, strict=True):
            start = dt.datetime.combine(day, dt.time(hour), zone).astimezone(dt.UTC)
            new_event(dbsession, user, title=f"{title} {secrets.token_hex(2)}", starts_at=start,
                      visibility="public", city="Montreuil")
        other = day.replace(day=1 if day.day > 1 else 2)
        new_event(dbsession, user, title="Pique-nique de rentrée", visibility="public",
                  starts_at=dt.datetime.combine(other, dt.time(12), zone).astimezone(dt.UTC))
    return f"/agenda/month?month={day.strftime('%Y-%m')}"


def walk(visit, paths: list[str], locale: str) -> None:
    page = visit.page
    for path in paths:
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", locale)
        visit.check(f"{locale}-{path.strip('/').replace('/', '-') or 'home'}")


def switch_language(visit, name: str) -> None:
    page = visit.page
    page.locator(".language-switcher").get_by_role("button", name=name).click()
    page.wait_for_load_state("load")


VISITOR_PAGES = ["/", "/agenda", "/groups", "/tools/petitions", "/login", "/register"]
MEMBER_PAGES = ["/", "/agenda", "/agenda/mine", "/groups", "/groups/mine", "/members",
                "/tools", "/tools/polls", "/tools/petitions", "/forums", "/account"]


def test_main_pages_in_both_languages_at_both_widths(page, visit, make_member, log_in,
                                                     e2e_engine):
    organiser = make_member(name="Olympe Organisatrice")
    month = month_with_events(e2e_engine, organiser)
    page.goto("/")
    visit.check("en-home-first")
    walk(visit, VISITOR_PAGES + [month], "en")
    switch_language(visit, "Français")
    visit.check("fr-switched")
    walk(visit, VISITOR_PAGES + [month], "fr")
    no_overlap(page, "#grid")

    log_in(organiser)
    walk(visit, MEMBER_PAGES, "fr")
    switch_language(visit, "English")
    visit.check("en-switched")
    walk(visit, MEMBER_PAGES, "en")


def test_phone_menu_opens_without_script(browser, browser_context_args, base_url):
    context = browser.new_context(**{**browser_context_args, "java_script_enabled": False,
                                     "viewport": PHONE})
    page = context.new_page()
    page.goto(base_url + "/")
    header = page.locator(".site-header")
    assert header.bounding_box()["height"] <= 80  # one compact line, not five
    menu_link = page.locator(".main-nav").get_by_role("link", name="Agenda")
    expect(menu_link).to_be_hidden()
    page.locator(".site-menu__toggle").click()
    expect(menu_link).to_be_visible()
    box = menu_link.bounding_box()
    assert box["height"] >= 44  # a finger's target
    menu_link.click()
    page.wait_for_url("**/agenda")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    context.close()


def test_poll_results_fit_a_phone_without_overlap(page, visit, make_member, log_in):
    organiser = make_member(role="admin", name="Odile Organisatrice")
    log_in(organiser)
    page.goto("/tools/polls/new")
    visit.check("new-poll")
    form = page.locator("#poll-form")
    form.get_by_label("Question").fill(f"Quel jour pour l'assemblée ? ({secrets.token_hex(2)})")
    form.get_by_label("Options", exact=True).fill(
        "Samedi matin au local de la section\nDimanche après-midi\nMercredi soir, après le travail")
    closes = dt.datetime.now() + dt.timedelta(days=7)
    form.get_by_label("Closes", exact=True).fill(closes.strftime("%Y-%m-%dT%H:%M"))
    form.get_by_label("Results").select_option("live")
    form.get_by_label("Secret ballot").uncheck()
    form.get_by_role("button", name="Create the poll").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Quel jour")
    visit.check("poll")
    ballot = page.locator("#ballot-form")
    ballot.get_by_label("Dimanche après-midi", exact=True).check()
    ballot.get_by_role("button", name="Vote").click()
    expect(page.locator("#results-table")).to_be_visible()
    visit.check("poll-results")
    no_overlap(page, "#results")
    switch_language(visit, "Français")
    visit.check("poll-results-fr")
    no_overlap(page, "#results")
