"""The tools hub alone, and an app where two small tools declare themselves."""

from __future__ import annotations

import pytest
from pyramid.httpexceptions import HTTPOk

from tests.plugins.apps import app_including


@pytest.fixture
def cortege_plugins():
    return ["tools"]


def _landing(request):
    return HTTPOk(body="landing of " + request.matched_route.name)


def declare_sample_tools(config):
    """A tool for everyone and a tool for moderators, as two plugins would declare them."""
    config.declare_permission("leaflets.use", "Print leaflets", roles=("moderator",))
    config.add_route("banners", "/tools/banners")
    config.add_route("banners_group", "/tools/banners/group/{slug}")
    config.add_route("leaflets", "/tools/leaflets")
    config.add_view(_landing, route_name="banners")
    config.add_view(_landing, route_name="leaflets", permission="leaflets.use")
    config.add_militant_tool("banners", "Banners", "Paint banners together.", "megaphone",
                             "banners", None, group_instances=True, order=20,
                             group_route_name="banners_group")
    config.add_militant_tool("leaflets", "Leaflets", "Print and hand out leaflets.",
                             "plugins.tools:static/icons/tool.svg", "leaflets", "leaflets.use",
                             order=10)


@pytest.fixture
def app_with_tools(cortege_settings, cortege_engine):
    """The app with the sample tools declared; use it as ``app`` in a test module."""
    return app_including(cortege_settings, cortege_engine, declare_sample_tools)
