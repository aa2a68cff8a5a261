"""The search box in every page's header and the results page, ``/search?q=...&kind=...``."""

from __future__ import annotations

from pyramid.view import view_config

from core.security import VIEW
from plugins.search.interfaces import ISearchService
from plugins.search.query import MAX_QUERY


def search_service(request) -> ISearchService:
    return request.find_service(ISearchService)


@view_config(route_name="search", renderer="search/results.jinja2", permission=VIEW)
def results(request):
    service = search_service(request)
    kinds = service.kinds
    text = " ".join(request.GET.get("q", "").split())[:MAX_QUERY]
    kind = request.GET.get("kind") or None
    if kind not in {name for name, _title in kinds}:
        kind = None
    found = service.search(request.user, text, kind, request.GET.get("after"))
    next_url = None
    if found.next_cursor:
        next_url = request.route_url("search", _query={
            key: value for key, value in (("q", text), ("kind", kind),
                                          ("after", found.next_cursor)) if value})
    return {"q": text, "kind": kind, "kinds": kinds, "found": found, "next_url": next_url,
            "titles": dict(kinds)}


def seed_index(context) -> None:
    """Seeders write in bulk, without events: the index is built from the rows at the end
    (the search plugin comes after every plugin whose content it finds)."""
    if not context.options.get("search_index", 1):
        return
    built = search_service(context.request).rebuild()
    context.note(f"Search index: {sum(built.values())} entries.")
