"""The main menu and the forms, with the keyboard alone: Tab, typing and Enter."""

from __future__ import annotations

from playwright.sync_api import expect

from core.testing import TEST_PASSWORD

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    text: (el.innerText || el.value || '').trim(),
    name: el.getAttribute('name'),
    href: el.getAttribute('href'),
    tag: el.tagName.toLowerCase(),
    outlined: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
    onScreen: box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0
              && box.left < window.innerWidth && box.top < window.innerHeight,
  };
}"""


def tab_to(page, wanted, most: int = 40) -> dict:
    """Press Tab until ``wanted(focused)`` holds; every stop on the way must show its focus."""
    for _ in range(most):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused is not None, "Tab left the page's controls"
        assert focused["outlined"], f"no visible focus on {focused}"
        assert focused["onScreen"], f"the focused control is off screen: {focused}"
        if wanted(focused):
            return focused
    raise AssertionError(f"Tab never reached the control sought in {most} presses")


def test_skip_link_main_menu_and_login_form_with_the_keyboard(page, visit, make_member):
    username = make_member(name="Key Board")
    page.goto("/")
    visit.check("home")
    first = tab_to(page, lambda f: True)
    assert first["href"] == "#content", "the first stop is the link that skips to the content"
    page.keyboard.press("Enter")
    expect(page.locator("#content")).to_be_focused()

    page.goto("/")
    tab_to(page, lambda f: (f["href"] or "").endswith("/login"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/login")
    visit.check("login")
    tab_to(page, lambda f: f["name"] == "login")
    page.keyboard.type(username)
    tab_to(page, lambda f: f["name"] == "password", most=1)
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Key Board")
    visit.check("logged-in")

    # Every item of the main menu opens with Enter.
    items = page.get_by_role("navigation", name="Main menu").get_by_role("link")
    targets = [link.get_attribute("href") for link in items.all()]
    assert targets, "the main menu has items"
    for target in targets:
        page.goto("/")
        tab_to(page, lambda f, target=target: f["href"] == target)
        page.keyboard.press("Enter")
        page.wait_for_url(target)
        visit.check("menu-" + target.rstrip("/").rsplit("/", 1)[-1])


def test_account_preferences_with_the_keyboard(page, visit, make_member, log_in):
    log_in(make_member())
    page.goto("/account")
    visit.check("account")
    tab_to(page, lambda f: f["name"] == "display_name")
    page.keyboard.press("Control+A")
    page.keyboard.type("Typed Name")
    tab_to(page, lambda f: f["name"] == "locale", most=1)
    page.keyboard.press("ArrowDown")  # from English to Français
    expect(page.locator("#preferences-form [name=locale]")).to_have_value("fr")
    tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Save")
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("#preferences-form [name=display_name]")).to_have_value("Typed Name")
    visit.check("saved")
