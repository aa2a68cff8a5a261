"""Page regions: named places on a page where any plugin adds a box.

A page declares the regions it renders (``config.add_region("agenda.event.aside",
_("Beside an event"))``) and puts them in its template::

    {{ region("agenda.event.aside", event=event) }}

Any plugin adds an item to a region with ``config.add_region_item(region, name, template=...,
view=..., order=100, permission=None, condition=None)``:

- ``view(request, **context)`` returns the values for ``template`` (merged with the
  region's context), or None to leave the item out; without a template it returns the HTML
  itself (a ``Markup``);
- ``permission`` is checked against the region's ``context`` value when there is one (an
  ACL context), otherwise against the site's;
- ``condition(request, **context)`` is a cheap test to leave the item out.

Items are rendered in their ``order``. Each is rendered on its own: an item that fails is
logged with its plugin's name and left out, and the page still answers. Regions and items
are listed on /admin/plugins.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jinja2 import pass_context
from markupsafe import Markup
from pyramid.renderers import render

from core.extensions import plugin_of, register_item, registered, registered_map

log = logging.getLogger(__name__)

REGIONS = "cortege regions"
REGION_ITEMS = "cortege region items"


@dataclass(frozen=True)
class Region:
    name: str
    title: Any
    plugin: str = "core"


@dataclass(frozen=True)
class RegionItem:
    region: str
    name: str
    template: str | None = None
    view: Callable | None = None
    order: int = 100
    permission: str | None = None
    condition: Callable | None = None
    plugin: str = "core"


def add_region(config, name: str, title) -> None:
    """Declare a region that a page of this plugin renders (name: ``<plugin>.<page>.<place>``)."""
    register_item(config, REGIONS, name, Region(name, title, plugin_of(config)), title=str(title))


def add_region_item(config, region: str, name: str, template: str | None = None, view=None,
                    order: int = 100, permission: str | None = None, condition=None) -> None:
    """Add a box to ``region``; see the module's docstring."""
    if template is None and view is None:
        raise ValueError("a region item needs a template, a view or both")
    resolve = config.maybe_dotted
    item = RegionItem(region, name, template, resolve(view), order, permission,
                      resolve(condition), plugin_of(config))
    register_item(config, REGION_ITEMS, (region, name), item, title=f"{region}: {name}",
                  order=order)


def region_items(registry, region: str) -> list[RegionItem]:
    cache = registry.get("cortege.region_items")
    if cache is None:
        cache = {}
        for item in registered(registry, REGION_ITEMS):
            cache.setdefault(item.region, []).append(item)
        registry["cortege.region_items"] = cache
    return cache.get(region, [])


def render_region(request, region: str, **context) -> Markup:
    """The HTML of every item of ``region`` the request may see, each rendered apart."""
    parts = []
    for item in region_items(request.registry, region):
        try:
            html = _render_item(request, item, context)
        except Exception:
            log.exception("the item %r of the region %r, from the plugin %r, failed and is "
                          "left out", item.name, region, item.plugin)
            continue
        if html:
            parts.append(html)
    return Markup("\n").join(parts)


def _render_item(request, item: RegionItem, context: dict) -> Markup | None:
    if item.permission is not None:
        target = context.get("context")
        allowed = (request.has_permission(item.permission, target) if target is not None
                   else request.has_permission(item.permission))
        if not allowed:
            return None
    if item.condition is not None and not item.condition(request, **context):
        return None
    values = dict(context)
    if item.view is not None:
        result = item.view(request, **context)
        if result is None:
            return None
        if item.template is None:
            return Markup(result)
        values.update(result)
    return Markup(render(item.template, values, request=request))


def declared_regions(registry) -> dict:
    return registered_map(registry, REGIONS)


@pass_context
def region_global(template_context, name: str, **context) -> Markup:
    """``{{ region("name", key=value) }}`` in templates."""
    request = template_context.get("request")
    if request is None:
        return Markup("")
    return render_region(request, name, **context)


def includeme(config):
    config.add_directive("add_region", add_region, action_wrap=False)
    config.add_directive("add_region_item", add_region_item, action_wrap=False)
