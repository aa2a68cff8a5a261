"""The groups plugin's tests run it with what it requires. Their fixtures (``make_group``,
``add_member``, ``group_type``) come from ``plugins.groups.testing``, a pytest plugin; the
names below stay importable for test modules that import them from here."""

from __future__ import annotations

import pytest

from plugins.groups.testing import add_member, group_type, make_group  # noqa: F401
from plugins.profiles.testing import make_member  # noqa: F401
from tests.plugins.profiles.conftest import plugin_request  # noqa: F401


@pytest.fixture
def cortege_plugins():
    return ["profiles", "groups"]
