"""What every page a journey visits must pass, whatever the journey."""

from __future__ import annotations

import hashlib
import re
import shutil
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
# At a phone's width, axe looks again at what the narrower layout changes.
PHONE_RULES = {"runOnly": {"type": "rule", "values": [
    "scrollable-region-focusable", "target-size", "meta-viewport"]}}
PLACEHOLDER = re.compile(r"\$\{\w+\}|%\(\w+\)[sd]|\{\w*\}")

# Text nodes (visible or not) and the attributes a person reads or hears, from the parts of
# the page in the page's own language (the language switcher names each language in itself).
PAGE_TEXTS = """(foreign) => {
  const lang = document.documentElement.lang;
  const own = (el) => {
    if (foreign && el.closest(foreign)) return false;
    const tagged = el.closest('[lang]');
    return !tagged || tagged.lang === lang;
  };
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const parent = node.parentElement;
    if (!parent || parent.closest('script, style') || !own(parent)) continue;
    const text = node.textContent.replace(/\\s+/g, ' ').trim();
    if (text) texts.push(text);
  }
  for (const el of document.querySelectorAll('[placeholder], [aria-label], [title], [alt], input[type=submit], input[type=button]')) {
    if (!own(el)) continue;
    for (const name of ['placeholder', 'aria-label', 'title', 'alt', 'value']) {
      if (name === 'value' && !el.matches('input[type=submit], input[type=button]')) continue;
      const value = (el.getAttribute(name) || '').trim();
      if (value) texts.push(value);
    }
  }
  texts.push(document.title.trim());
  return texts;
}"""


# The page as axe sees it, less what changes from one answer to the next (hidden form values
# such as CSRF tokens): a page already found clean in this run need not be examined again.
PAGE_SHAPE = """() => {
  const copy = document.documentElement.cloneNode(true);
  for (const input of copy.querySelectorAll('input[type=hidden]')) input.removeAttribute('value');
  return copy.outerHTML;
}"""
_CLEAN_PAGES: set[str] = set()


@cache
def english_left_in(locale: str, plugins: tuple[str, ...]) -> tuple[frozenset, re.Pattern | None]:
    """English messages whose ``locale`` translation differs, from the catalogues of the core
    and of the enabled ``plugins``: whole texts (a page text equal to one is untranslated) and a pattern of their
    phrases of two words or more (found inside a page text, they are untranslated too)."""
    whole, phrases, translations = set(), set(), []
    folders = ["core", *(f"plugins/{name}" for name in plugins)]
    for po in sorted(p for folder in folders
                     for p in ROOT.glob(f"{folder}/locale/{locale}/LC_MESSAGES/*.po")):
        with po.open("rb") as handle:
            catalogue = read_po(handle, locale=locale)
        for message in catalogue:
            if not message.id or message.fuzzy:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            translations.extend(s for s in strings if s)
            for english in ids:
                if not any(strings) or english in strings:
                    continue
                parts = [p.strip(" .,:;!?·…") for p in PLACEHOLDER.split(english)]
                if len(parts) == 1:
                    whole.add(parts[0])
                phrases.update(p for p in parts if len(p.split()) >= 2 and len(p) >= 8)
    translated = "\n".join(translations)
    # A text that is itself a translation is not English left ("Closes", the French for
    # closed petitions, is also an English message of polls).
    whole -= set(translations)
    phrases = sorted((p for p in phrases if p not in translated), key=len, reverse=True)
    if not phrases:
        return frozenset(whole), None
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, phrases)) + r")(?!\w)")
    return frozenset(whole), pattern


def untranslated(texts: list[str], locale: str, plugins: tuple[str, ...]) -> list[str]:
    whole, pattern = english_left_in(locale, plugins)
    found = []
    for text in texts:
        if text in whole:
            found.append(text)
        elif pattern is not None:
            found.extend(f"{match.group()!r} in {text!r}" for match in pattern.finditer(text))
    return found


class PageChecks:
    """Watches a Playwright page for console errors and failed requests, and checks each
    page the journey reaches: axe-core, English left on a translated page, screenshots."""

    def __init__(self, page, folder: Path, registry):
        self.page = page
        self.folder = folder
        shutil.rmtree(folder, ignore_errors=True)  # no screenshot left from an earlier run
        self.problems: list[str] = []
        self.checked: set[str] = set()
        self.visited: list[str] = []
        self.count = 0
        self.expected_statuses: set[int] = set()
        self.default_locale = registry.settings["pyramid.default_locale_name"]
        self.plugins = tuple(sorted(plugin.name for plugin in registry["cortege.plugins"]))
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        page.on("requestfailed", lambda r: self.problems.append(
            f"request failed: {r.method} {r.url} ({r.failure})"))
        page.on("response", self._response)
        page.on("framenavigated", self._navigated)

    def expect_status(self, status: int) -> None:
        """Until the next check, answers with ``status`` are what the journey wants to see."""
        self.expected_statuses.add(status)

    def _console(self, message) -> None:
        if message.type == "error" and not any(
                f"status of {status}" in message.text for status in self.expected_statuses):
            self.problems.append(f"console error on {self.page.url}: {message.text}")

    def _response(self, response) -> None:
        if response.status >= 400 and response.status not in self.expected_statuses:
            self.problems.append(f"HTTP {response.status} for {response.request.method} {response.url}")

    def _navigated(self, frame) -> None:
        if frame == self.page.main_frame:
            self.visited.append(frame.url.split("#")[0])

    def assert_clean(self) -> None:
        problems, self.problems = self.problems, []
        assert not problems, "the browser saw:\n" + "\n".join(problems)

    def check(self, step: str, foreign: str | None = None) -> None:
        """Check the page the browser shows now, and save it as two screenshots.

        ``foreign``: a CSS selector of parts whose words may stay as their authors wrote them.
        """
        page = self.page
        page.wait_for_load_state("load")
        self.count += 1
        name = f"{self.count:02d}-" + re.sub(r"[^\w.-]+", "-", step)
        self.folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=self.folder / f"{name}-desktop.png", full_page=True)
        page.set_viewport_size(PHONE)
        page.screenshot(path=self.folder / f"{name}-390px.png", full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{page.url} is {width} px wide on a 390 px phone"
        self.assert_accessible(f"{step} at 390 px", PHONE_RULES)
        page.set_viewport_size(DESKTOP)
        self.assert_accessible(step)
        locale = page.evaluate("document.documentElement.lang")
        if locale != self.default_locale:
            left = untranslated(page.evaluate(PAGE_TEXTS, foreign), locale, self.plugins)
            assert not left, f"English left on the {locale} page {page.url}:\n" + "\n".join(left)
        self.checked.add(page.url.split("#")[0])
        self.assert_clean()
        self.expected_statuses.clear()

    def assert_accessible(self, step: str, options: dict | None = None) -> None:
        from axe_playwright_python.sync_playwright import Axe

        page_shape = self.page.evaluate(PAGE_SHAPE) + repr(options)
        shape = hashlib.sha256(page_shape.encode()).hexdigest()
        if shape in _CLEAN_PAGES:
            return
        results = Axe().run(self.page, options=options or {"resultTypes": ["violations"]})
        serious = [v for v in results.response["violations"]
                   if v.get("impact") in ("serious", "critical")]
        report = "\n".join(
            f"{v['impact']}: {v['id']} ({v['help']}): "
            + "; ".join(node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
                        for node in v["nodes"][:5])
            for v in serious
        )
        assert not serious, f"axe on {self.page.url} ({step}):\n{report}"
        _CLEAN_PAGES.add(shape)

    def save_failure(self) -> None:
        """The page as it was when the journey failed, beside the steps' screenshots."""
        if not self.page.is_closed():
            self.folder.mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=self.folder / "failure.png", full_page=True)

    def finish(self) -> None:
        """At the end of the journey: nothing went wrong since the last check, and every page
        the browser showed was checked."""
        self.assert_clean()
        unchecked = [url for url in self.visited if url not in self.checked and url != "about:blank"]
        assert not unchecked, "pages shown but never checked:\n" + "\n".join(unchecked)
