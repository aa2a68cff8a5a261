"""What comes in: the raw request checked once, ids and dates read within bounds.

A bad request never reaches a view and never answers 500:

- ``checked_execution_policy`` wraps the execution policy (pyramid_retry's) and looks at the
  WSGI environ before anything reads it: a body larger than
  ``cortege.max_request_body_size`` is dropped unread (413); a path or query string that is
  not UTF-8, or holds a NUL (or, in the path, another control character), is refused (400).
  A refused request is made safe to render (the undecodable parts replaced) and marked.
- ``refuse_marked_requests`` (a ``NewRequest`` subscriber, so inside the transaction and the
  exception views) raises the marked refusal, and refuses a form body that cannot be parsed
  (``multipart/form-data`` without a boundary) or holds a NUL in a text field. The site's
  own error pages answer, in the reader's language.
- ``ids`` is a route predicate: ``config.add_route(name, r"/things/{id:\\d+}", ids="id")``
  matches only ids a database column can hold and gives them to the view as ``int``;
  ``parse_id`` does the same for ids read from a query string or a form.
- ``parse_date``, ``parse_month`` and ``date_in_bounds`` read dates between ``MIN_DATE`` and
  ``MAX_DATE``, so that date arithmetic and time zone conversions never overflow; forms
  built on ``core.forms.Form`` apply the same bounds to their date fields.
"""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO
from urllib.parse import unquote_to_bytes

from pyramid.events import NewRequest
from pyramid.httpexceptions import HTTPBadRequest, HTTPRequestEntityTooLarge
from pyramid.interfaces import IExecutionPolicy, IRootFactory

INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1
BITS = {32: INT32_MAX, 64: INT64_MAX}

MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2999, 12, 31)

REFUSAL = "cortege.refused"  # environ key: the status a refused request answers with
_PATH_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


# Ids ------------------------------------------------------------------------------------------

def parse_id(text, bits: int = 32) -> int | None:
    """The id written in ``text`` (ASCII digits), or None when no row can have it.

    Columns are 32-bit (``Integer``) unless said otherwise; ``bits=64`` for ``BigInteger``.
    """
    if isinstance(text, int) and not isinstance(text, bool):
        text = str(text)
    if not isinstance(text, str) or not text.isascii() or not text.isdigit():
        return None
    maximum = BITS[bits]
    if len(text) > len(str(maximum)):
        return None
    value = int(text)
    return value if 0 < value <= maximum else None


class IdsPredicate:
    """Route predicate ``ids``: the named placeholders are ids a column can hold.

    ``ids="id"``, ``ids=("id", "user_id")``, or ``ids={"id": 64}`` for a 64-bit column. A
    value out of range makes the route not match (so the URL answers 404), and a value in
    range reaches the view as an ``int``.
    """

    def __init__(self, value, config):
        if isinstance(value, str):
            value = (value,)
        if not isinstance(value, dict):
            value = dict.fromkeys(value, 32)
        if any(bits not in BITS for bits in value.values()):
            raise ValueError("ids: each id is 32 or 64 bits")
        self.names = dict(sorted(value.items()))

    def text(self) -> str:
        return "ids = " + ", ".join(f"{name}:{bits}" for name, bits in self.names.items())

    phash = text

    def __call__(self, info, request) -> bool:
        match = info["match"]
        for name, bits in self.names.items():
            value = parse_id(match.get(name), bits)
            if value is None:
                return False
            match[name] = value
        return True


# Dates ----------------------------------------------------------------------------------------

def date_in_bounds(value) -> bool:
    if isinstance(value, dt.datetime):
        value = value.date()
    return MIN_DATE <= value <= MAX_DATE


def parse_date(text) -> dt.date | None:
    """A date written ``YYYY-MM-DD`` between MIN_DATE and MAX_DATE, or None."""
    if not isinstance(text, str):
        return None
    try:
        value = dt.date.fromisoformat(text.strip())
    except ValueError:
        return None
    return value if date_in_bounds(value) else None


def parse_month(text) -> dt.date | None:
    """The first day of a month written ``YYYY-MM``, within the bounds, or None."""
    match = _MONTH.fullmatch(text.strip()) if isinstance(text, str) else None
    if match is None:
        return None
    try:
        value = dt.date(int(match.group(1)), int(match.group(2)), 1)
    except ValueError:
        return None
    return value if date_in_bounds(value) else None


# The raw request ------------------------------------------------------------------------------

def _utf8(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _check_path(environ) -> bool:
    """Whether PATH_INFO is UTF-8 without control characters; if not, make it so."""
    raw = environ.get("PATH_INFO", "").encode("latin-1", "replace")
    text = _utf8(raw)
    if text is not None and not _PATH_CONTROLS.search(text):
        return True
    safe = _PATH_CONTROLS.sub("\ufffd", raw.decode("utf-8", "replace"))
    environ["PATH_INFO"] = safe.encode("utf-8").decode("latin-1")
    return False


def _check_query(environ) -> bool:
    """Whether QUERY_STRING (raw bytes or percent escapes) is UTF-8 without NUL; if not,
    drop it."""
    raw = environ.get("QUERY_STRING", "").encode("latin-1", "replace")
    for part in re.split(rb"[&;]", raw):
        for piece in part.split(b"=", 1):
            text = unquote_to_bytes(piece.replace(b"+", b" "))
            if b"\x00" in text or _utf8(text) is None:
                environ["QUERY_STRING"] = ""
                return False
    return True


def _content_length(environ) -> int | None:
    text = (environ.get("CONTENT_LENGTH") or "").strip()
    if not text.isascii() or not text.isdigit():
        return None
    return int(text[:19])  # more digits than that is more than any limit anyway


def check_environ(environ, max_body: int) -> None:
    """Mark (in ``environ[REFUSAL]``) a request that must be refused, and make it harmless."""
    length = _content_length(environ)
    if length is not None and length > max_body:
        # Never read: the view sees an empty body.
        environ["wsgi.input"] = BytesIO(b"")
        environ["CONTENT_LENGTH"] = "0"
        environ.setdefault(REFUSAL, 413)
    path_read, query_read = _check_path(environ), _check_query(environ)
    if not (path_read and query_read):
        environ.setdefault(REFUSAL, 400)


def checked_execution_policy(policy, max_body: int):
    """``policy`` (pyramid_retry's, or Pyramid's default) once the environ is checked."""

    def execution_policy(environ, router):
        check_environ(environ, max_body)
        return policy(environ, router)

    return execution_policy


_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _form_refused(request) -> bool:
    """A form body that cannot be parsed, or with a NUL in a text field or a field name."""
    if request.method not in ("POST", "PUT", "PATCH") or request.content_type not in _FORM_TYPES:
        return False
    try:
        items = list(request.POST.items())
    except Exception:  # noqa: BLE001 (WebOb's parsers raise ValueError and others on garbage)
        return True
    return any("\x00" in key or (isinstance(value, str) and "\x00" in value)
               for key, value in items)


def refuse_marked_requests(event) -> None:
    request = event.request
    status = request.environ.get(REFUSAL)
    if status == 413:
        error = HTTPRequestEntityTooLarge()
    elif status == 400 or _form_refused(request):
        error = HTTPBadRequest()
    else:
        return
    # No route was matched yet: the error page sees the site's root, as a page of no route.
    request.context = request.registry.getUtility(IRootFactory)(request)
    raise error


def includeme(config):
    from pyramid.config import PHASE3_CONFIG
    from pyramid.router import default_execution_policy

    config.add_route_predicate("ids", IdsPredicate)
    config.add_subscriber(refuse_marked_requests, NewRequest)
    max_body = config.get_settings()["cortege.max_request_body_size"]
    registry = config.registry

    def wrap_policy():
        # After pyramid_retry registered its policy: the check runs before its retries,
        # and before it copies the body to make it seekable.
        policy = registry.queryUtility(IExecutionPolicy, default=default_execution_policy)
        registry.registerUtility(checked_execution_policy(policy, max_body), IExecutionPolicy)

    config.action(("cortege", "checked execution policy"), wrap_policy, order=PHASE3_CONFIG + 100)
