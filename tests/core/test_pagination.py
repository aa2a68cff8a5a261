"""The one keyset cursor: what it encodes comes back, anything else is None (the first page)."""

import datetime as dt

import pytest

from core.pagination import decode_cursor, encode_cursor

MOMENT = dt.datetime(2026, 5, 1, 18, 30, 15, 123456, tzinfo=dt.UTC)


@pytest.mark.parametrize(("key", "kind"), [
    ("saint-etienne", "str"), (MOMENT, "date"), (42, "int"),
    (MOMENT.astimezone(dt.timezone(dt.timedelta(hours=2))), "date"),
])
def test_round_trip(key, kind):
    cursor = encode_cursor(key, 7)
    assert cursor.replace("-", "").replace("_", "").isalnum()  # safe in a URL as it is
    assert decode_cursor(cursor, kind) == (key, 7)


@pytest.mark.parametrize("cursor", [
    None, "", "not base64!", "x" * 400, encode_cursor("a", 0), encode_cursor("a", -3),
    encode_cursor("a", True), encode_cursor("a", 2 ** 63), encode_cursor(None, 3),
])
def test_malformed_cursors_give_the_first_page(cursor):
    assert decode_cursor(cursor, "str") is None


def test_the_key_must_be_of_the_kind_asked():
    assert decode_cursor(encode_cursor("2026-05-01", 3), "date") is None  # no time zone
    assert decode_cursor(encode_cursor("soon", 3), "date") is None
    assert decode_cursor(encode_cursor("12", 3), "int") is None
    assert decode_cursor(encode_cursor(12, 3), "str") is None
    with pytest.raises(ValueError):
        decode_cursor("x", "float")
