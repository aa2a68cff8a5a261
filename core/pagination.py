"""Keyset pagination: the one cursor every list puts in its "next page" link.

A cursor holds the sort key of the last row shown and its id (the tie-breaker), as URL-safe
base64 of a JSON pair. ``decode_cursor`` reads it back, checking the key's kind, and answers
None for anything malformed, so a tampered link shows the first page instead of failing::

    cursor = decode_cursor(request.GET.get("after"), "date")
    if cursor:
        query = query.where(tuple_(Event.starts_at, Event.id) > cursor)
    ...
    next_cursor = encode_cursor(last.starts_at, last.id)
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json

KINDS = ("str", "date", "int")
LONGEST = 300  # characters; a longer cursor was not made here
BIGGEST_ID = 2 ** 63 - 1


def encode_cursor(key, row_id: int) -> str:
    """The cursor after the row whose sort key is ``key`` (text, a number or an aware
    datetime) and whose id is ``row_id``."""
    if isinstance(key, dt.datetime):
        key = key.astimezone(dt.UTC).isoformat()
    raw = json.dumps([key, row_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None, kind: str = "str"):
    """``(key, id)`` from a cursor whose key is of ``kind`` ("str", "date": an aware
    datetime, or "int"); None for anything else."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    if not cursor or len(cursor) > LONGEST:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        key, row_id = json.loads(raw)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        return None
    if not isinstance(row_id, int) or isinstance(row_id, bool) or not 0 < row_id <= BIGGEST_ID:
        return None
    if kind == "date":
        if not isinstance(key, str):
            return None
        try:
            key = dt.datetime.fromisoformat(key)
        except ValueError:
            return None
        if key.tzinfo is None:
            return None
    elif kind == "int":
        if not isinstance(key, int) or isinstance(key, bool):
            return None
    elif not isinstance(key, str):
        return None
    return key, row_id
