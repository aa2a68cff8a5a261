"""The carpooling with the agenda it needs. Fixtures come from the installed pytest plugins:
Cortège's ``core.testing`` (members, browsers, mail, ``committed_site``), the agenda's
(``make_event``, ``make_rsvp``), the groups' (``make_group``, ``add_member``) and this
distribution's ``covoiturage.testing`` (``make_offer``, ``take_seat``).

The catalogues are compiled here, so the tests run from a fresh checkout.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from core.i18n_catalogs import Domain, compile_domain

PACKAGE = Path(__file__).resolve().parents[1] / "covoiturage"


def pytest_configure(config):
    compile_domain(Domain("covoiturage", (PACKAGE,), PACKAGE / "locale"), ("en", "fr"))


@pytest.fixture
def cortege_plugins():
    return ["profiles", "groups", "agenda", "covoiturage"]
