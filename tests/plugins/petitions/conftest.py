"""Petitions with only what they need: the tools hub. The factories (``make_petition``,
``make_signature``) come from ``plugins.petitions.testing``; here, the steps of signing
through the pages."""

from __future__ import annotations

import re

import pytest

from plugins.petitions.models import Signature
from plugins.petitions.testing import make_petition  # noqa: F401  (imported by other tests)


@pytest.fixture
def cortege_plugins():
    return ["tools", "petitions"]


def fill_signature(page, name="Ana Lopez", email="ana@example.org", consent=True, **fields):
    form = page.forms["sign-form"]
    form["name"], form["email"] = name, email
    if consent:
        form["consent"] = True
    for key, value in fields.items():
        form[key] = value
    return form


@pytest.fixture
def sign(testapp):
    """``sign(petition, email=..., show_name=True, browser=...)`` submits the form."""

    def submit(petition, browser=None, status=None, **fields):
        browser = browser or testapp
        page = browser.get(f"/tools/petitions/{petition.id}")
        return fill_signature(page, **fields).submit(status=status)

    return submit


def link_in(message, kind="confirm") -> str:
    match = re.search(rf"http://localhost(/tools/petitions/{kind}/[\w-]+)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def confirm(testapp):
    """``confirm(message)`` follows the mailed link and presses the button."""

    def follow(message, browser=None):
        browser = browser or testapp
        page = browser.get(link_in(message))
        return page.forms["token-form"].submit()

    return follow


def signatures(dbsession, petition):
    from sqlalchemy import select

    dbsession.expire_all()
    return list(dbsession.scalars(
        select(Signature).where(Signature.petition_id == petition.id).order_by(Signature.id)))
