"""Text that members write: Markdown rendered by markdown-it-py, then sanitised by nh3;
and the same text made safe for the spreadsheets that exports are opened in."""

from __future__ import annotations

import html

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
