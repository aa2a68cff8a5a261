"""Text that members write: Markdown rendered by markdown-it-py, then sanitised by nh3;
the same text made safe for the spreadsheets that exports are opened in; and text kept to
one line, or to plain lines, for formats where a stray control character breaks the file;
and text folded for matching (``fold``)."""

from __future__ import annotations

import html
import re
import unicodedata

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_MARKDOWN = MarkdownIt("commonmark", {"html": False, "breaks": True}).enable("strikethrough")

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow ugc noopener"


def fold(text: str | None) -> str:
    """Lower case without accents, and runs of spaces made one: the key that search, sort
    and filters compare, so that "Saint-Étienne" matches "saint-etienne"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


def render_markdown(text: str | None) -> Markup:
    """HTML safe to put in any page: no raw HTML, no scripts, links marked as user content."""
    if not text:
        return Markup("")
    html = _MARKDOWN.render(text)
    return Markup(nh3.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
        link_rel=LINK_REL, strip_comments=True,
    ))


def plain_text(text: str | None) -> str:
    """Markdown as the plain words a reader sees (for search indexes and excerpts)."""
    if not text:
        return ""
    return html.unescape(nh3.clean(_MARKDOWN.render(text), tags=set())).strip()


# A spreadsheet runs a cell that begins with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """``value`` as text for a CSV cell that a spreadsheet shows and never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


# Line breaks of every kind (CR, LF, VT, FF, NEL, the Unicode separators) and the other C0
# controls but the tab.
_BREAKS_AND_CONTROLS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029]+")
_LINE_BREAK = re.compile(r"\r\n|[\r\x85\u2028\u2029]")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def single_line(value):
    """``value`` on one line: line breaks and control characters become one space."""
    return _BREAKS_AND_CONTROLS.sub(" ", value) if isinstance(value, str) else value


def plain_lines(value):
    """``value`` with every line break written LF, and no other control character but tabs."""
    if not isinstance(value, str):
        return value
    return _CONTROLS.sub("", _LINE_BREAK.sub("\n", value))
