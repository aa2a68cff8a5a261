"""What the search plugin adds to the site: its routes, pages, regions and services."""

from __future__ import annotations

from core.security import VIEW
from plugins.search.indexes import add_search_index
from plugins.search.interfaces import ISearchService
from plugins.search.views import seed_index


def includeme(config):
    from plugins.search.services import search_service_factory

    config.add_directive("add_search_index", add_search_index, action_wrap=False)
    config.register_service_factory(search_service_factory, ISearchService)
    config.include("plugins.search.kinds")
    config.add_route("search", "/search")
    config.add_region_item("core.header", "search.box", template="search/box.jinja2",
                           permission=VIEW, order=10)
    config.add_seeder("search", seed_index, options={"search_index": (
        1, "build the search index after seeding (0: leave it to `cortege search reindex`)")})
    config.scan(".views")
