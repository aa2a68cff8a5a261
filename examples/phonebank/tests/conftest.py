"""The phone bank with what it needs (tools, groups and profiles). Fixtures come from the
installed pytest plugins: Cortège's ``core.testing`` (members, browsers, mail), the groups'
(``make_group``, ``add_member``) and this distribution's ``phonebank.testing`` (``agree``,
``make_campaign``).

The catalogues are compiled here, so the tests run from a fresh checkout.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from core.i18n_catalogs import Domain, compile_domain

PACKAGE = Path(__file__).resolve().parents[1] / "phonebank"


def pytest_configure(config):
    compile_domain(Domain("phonebank", (PACKAGE,), PACKAGE / "locale"), ("en", "fr"))


@pytest.fixture
def cortege_plugins():
    return ["profiles", "groups", "tools", "phonebank"]


