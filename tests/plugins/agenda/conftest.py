"""The agenda's tests run it alone unless a test asks for more. Its factories (``make_event``,
``make_rsvp``, ``event_type``, ``hold_jobs``) come from ``plugins.agenda.testing``, a pytest
plugin; they are imported here too for the tests of other plugins that import them from this
module."""

from __future__ import annotations

import pytest

from plugins.agenda.testing import event_type, make_event  # noqa: F401


@pytest.fixture
def cortege_plugins():
    return ["agenda"]
