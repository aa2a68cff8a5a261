"""Petitions on the visitor's home page: the newest open petitions a visitor may see, with
their progress towards the goal (one query for the page, one for the counts)."""

from __future__ import annotations

from core.security import VIEW

HOME_PETITIONS = 3


def open_petitions(request):
    from plugins.petitions.views import petitions

    service = petitions(request)
    found = service.listing(request.user, limit=HOME_PETITIONS)
    return {"petitions": found, "counts": service.counts(p.id for p in found)}


def includeme(config):
    config.add_region_item("core.home", "petitions.open", "petitions/home.jinja2",
                           open_petitions, order=30, permission=VIEW)
