"""What a person types, made safe for each database's full-text syntax; the page's cursor;
and highlighted text made into HTML."""

from __future__ import annotations

import datetime as dt
import math
import re

from markupsafe import Markup, escape

# The marks both databases put around the words found; removed from indexed text first.
START, STOP = "\x02", "\x03"
_MARKS_AND_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TERM = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")
MAX_TERMS = 8
MAX_QUERY = 200


def clean_text(text: str | None, limit: int = 50_000) -> str:
    """Text as the index keeps it: no control characters (so no marks), bounded."""
    return _MARKS_AND_CONTROLS.sub(" ", text or "")[:limit]


def prefix_tsquery(text: str) -> tuple[str, str] | None:
    """For PostgreSQL: what comes before the last word (for ``websearch_to_tsquery``) and
    the last word as the beginning of a word (for ``to_tsquery``: ``'dup':*``), so that
    what is being typed is found too; None when the text does not end with a plain word.
    Only letters and digits of the last word are kept, so none of it is tsquery syntax."""
    text = text[:MAX_QUERY]
    last = None
    for last in _TERM.finditer(text):  # the last one is wanted
        pass
    if last is None or last.group(3) is None or last.group(3).startswith("-") \
            or last.group(3).lower() == "or":
        return None
    words = [word.replace("_", "") for word in _WORD.findall(last.group(3))]
    words = [word for word in words if word]
    if not words:
        return None
    return text[:last.start()], " <-> ".join(
        [*(f"'{word}'" for word in words[:-1]), f"'{words[-1]}':*"])


def fts5_query(text: str) -> str:
    """A query for SQLite's FTS5 from words, "phrases", ``-excluded`` words and ``or``, as
    PostgreSQL's ``websearch_to_tsquery`` reads them; every word is quoted, so no character
    a person types is FTS5 syntax, and the last word, unless it closes a phrase, is also
    the beginning of a word (what is being typed). Empty when nothing is left to look for."""
    parts: list[str] = []
    positive = False
    for match in _TERM.finditer(text[:MAX_QUERY]):
        negative, phrase, word = match.group(1), match.group(2), match.group(3)
        if word is not None:
            if word.lower() == "or":
                if parts and parts[-1] != "OR":
                    parts.append("OR")
                continue
            if word.startswith("-") and len(word) > 1:
                negative, word = "-", word[1:]
        words = _WORD.findall(phrase if phrase is not None else word)
        if not words:
            continue
        quoted = '"' + " ".join(words) + '"'
        if negative:
            if positive and parts[-1] != "OR":
                parts.append("NOT " + quoted)
            continue
        parts.append(quoted)
        positive = True
        if sum(1 for part in parts if part != "OR") >= MAX_TERMS:
            break
    while parts and parts[-1] == "OR":
        parts.pop()
    if parts and not parts[-1].startswith("NOT ") and not text.rstrip().endswith('"'):
        parts[-1] += "*"
    return " ".join(parts)


def highlighted(text: str | None) -> Markup:
    """Text whose found words are between the marks, as HTML with ``<mark>``: everything
    else escaped, every ``<mark>`` closed."""
    if not text:
        return Markup("")
    out, open_ = [], False
    for piece in re.split(f"([{START}{STOP}])", text):
        if piece == START:
            if not open_:
                out.append(Markup("<mark>"))
                open_ = True
        elif piece == STOP:
            if open_:
                out.append(Markup("</mark>"))
                open_ = False
        else:
            out.append(escape(piece))
    if open_:
        out.append(Markup("</mark>"))
    return Markup("").join(out)


EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
MICROSECOND = dt.timedelta(microseconds=1)


def encode_cursor(rank: float, changed_at: dt.datetime, entry_id: int) -> str:
    return f"{float(rank)!r}_{(changed_at - EPOCH) // MICROSECOND}_{entry_id}"


def decode_cursor(cursor: str | None):
    """(rank, changed_at, id) from a cursor, or None for one no page gave."""
    if not cursor or len(cursor) > 100:
        return None
    try:
        rank, stamp, entry_id = cursor.split("_")
        rank, entry_id = float(rank), int(entry_id)
        changed_at = EPOCH + int(stamp) * MICROSECOND
    except (ValueError, OverflowError, OSError):
        return None
    if math.isnan(rank) or not (0 < entry_id < 2**31) or not (1900 <= changed_at.year <= 2999):
        return None
    return rank, changed_at, entry_id
