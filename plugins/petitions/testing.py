"""Test fixtures for petitions, for this plugin's tests and any other's (``pytest11`` entry
point ``cortege_petitions``; installed with Cortège, so nothing to import):

``make_petition``   ``make_petition(title="...", group=None, author=None, **columns)``: an
                    open petition of the site, or of ``group`` (a groups ``Group`` row),
                    flushed; any ``Petition`` column may be given (``status="closed"``,
                    ``goal=10``, ``show_names=False``, ``group_id=...``). Without ``author``,
                    a new member is its author.
``make_signature``  ``make_signature(petition, email=None, confirmed=True, newsletter=False,
                    **columns)``: a signature as the pages would store it, flushed; its
                    address is new unless given; ``confirmed=False`` leaves it waiting for
                    its link.

It also registers the content sample of ``petitions.petition`` for the cross-plugin privacy
test (``core.testing.register_content_sample``): a petition whose title holds the marker,
looked for on its page and on the list of petitions.
"""

from __future__ import annotations

import uuid

import pytest

from core.testing import register_content_sample


def new_petition(owner=None, group=None, **columns):
    """A Petition row, not yet added to a session."""
    from plugins.petitions.models import Petition

    columns.setdefault("title", "Save the river")
    columns.setdefault("text", "We ask the council to **protect** the river.")
    columns.setdefault("addressee", "the city council")
    columns.setdefault("goal", 100)
    if group is not None:
        columns["group_id"] = group.id
    return Petition(author_id=owner.id if owner is not None else None, **columns)


@pytest.fixture
def make_petition(dbsession, make_user):
    def factory(title="Save the river", group=None, author=None, **columns):
        petition = new_petition(author or make_user(), group, title=title, **columns)
        dbsession.add(petition)
        dbsession.flush()
        return petition

    return factory


@pytest.fixture
def make_signature(dbsession):
    from core.db import utcnow
    from plugins.petitions.models import NewsletterConsent, Signature

    def factory(petition, email=None, confirmed=True, newsletter=False, **columns):
        email = email or f"signer-{uuid.uuid4().hex[:8]}@example.org"
        columns.setdefault("name", "Ana Lopez")
        columns.setdefault("consent_text", "I agree.")
        signature = Signature(petition_id=petition.id, email=email, email_key=email.casefold(),
                              confirmed_at=utcnow() if confirmed else None, **columns)
        if newsletter:
            signature.newsletter = NewsletterConsent(consent_text="News, please.")
        dbsession.add(signature)
        dbsession.flush()
        return signature

    return factory


def _sample(dbsession, *, owner, group, marker):
    petition = new_petition(owner, group, title=f"Petition {marker}")
    dbsession.add(petition)
    dbsession.flush()
    return petition


register_content_sample(
    "petitions.petition", _sample,
    lambda petition: [f"/tools/petitions/{petition.id}", "/tools/petitions"])
