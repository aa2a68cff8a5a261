"""Personal data held by plugins that are installed but switched off.

A deployer may switch a plugin off and keep its tables, waiting for it to come back. The
data it holds about members is still theirs: deleting an account erases it too, and an
export includes it. Those plugins' personal-data providers run in a dormant copy of the
site: the same settings with those plugins (and what they require) switched on, built once
and never served, so none of their pages answer. When that copy cannot be built (a plugin
that no longer imports, a setting it requires that the ini lacks), deletion is refused with
a sentence for the administrator, and the export names the plugins it could not include.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from alembic.runtime.migration import MigrationContext

from core.extensions import PERSONAL_DATA_PROVIDERS, registered

log = logging.getLogger(__name__)
_building = threading.Lock()


@dataclass(frozen=True)
class Dormant:
    """The switched-off plugins holding data: those whose providers can run in the dormant
    copy of the site (``names``, ``registry``), and those that cannot be set up even there
    (``unreachable``)."""

    names: tuple[str, ...] = ()
    registry: object | None = None
    unreachable: tuple[str, ...] = ()


def switched_off_with_data(request) -> tuple[str, ...]:
    """Installed plugins that are not enabled and whose tables are in the database."""
    from core.loader import PLUGIN_GROUP, installed
    from core.migrate import owners_for

    enabled = {plugin.name for plugin in request.registry["cortege.plugins"]}
    names = []
    connection = request.dbsession.connection()
    for name, entry_point in installed(PLUGIN_GROUP).items():
        if name in enabled:
            continue
        try:
            plugin = entry_point.load()
            (owner,) = owners_for([plugin])[1:] or (None,)
        except Exception:  # noqa: BLE001 (a broken package: its tables, if any, tell)
            owner = None
        table = owner.version_table if owner else f"{name}_alembic_version"
        context = MigrationContext.configure(connection, opts={"version_table": table})
        if context.get_current_heads():
            names.append(name)
    return tuple(names)


def dormant(request) -> Dormant:
    """The dormant copy of the site for the plugins switched off with data (built once)."""
    names = switched_off_with_data(request)
    cache = request.registry.setdefault("cortege.dormant", {})
    if names in cache:
        return cache[names]
    with _building:
        if names not in cache:
            cache[names] = _dormant(request.registry, names)
    return cache[names]


def _dormant(registry, names: tuple[str, ...]) -> Dormant:
    if not names:
        return Dormant()
    built = _build(registry, names)
    if built is not None:
        return Dormant(names, built)
    # Something cannot be set up: find what, and keep the rest.
    reachable = tuple(name for name in names if _build(registry, (name,)) is not None)
    unreachable = tuple(name for name in names if name not in reachable)
    built = _build(registry, reachable) if reachable else None
    if built is None:
        reachable, unreachable = (), names
    return Dormant(reachable, built, unreachable)


def _build(registry, names: tuple[str, ...]):
    """The registry of the site with ``names`` (and what they require) on too, or None."""
    from core import make_config
    from core.loader import PLUGIN_GROUP, installed

    enabled = [plugin.name for plugin in registry["cortege.plugins"]]
    wanted = list(names)
    available = installed(PLUGIN_GROUP)
    settings = dict(registry.settings)
    try:
        for name in wanted:  # what each requires comes along (the list grows as we go)
            plugin = available[name].load()
            wanted.extend(dep for dep in plugin.requires
                          if dep not in wanted and dep not in enabled)
        settings["cortege.plugins"] = " ".join([*enabled, *wanted])
        config = make_config(settings, engine=registry["cortege.engine"])
        config.commit()
    except Exception as exc:  # noqa: BLE001 (whatever the failure: say it, refuse)
        log.error("The personal data of the switched-off plugins %s cannot be reached: %s",
                  ", ".join(names), exc)
        return None
    return config.registry


def dormant_request(request, registry):
    """A request to the dormant copy sharing ``request``'s transaction and session."""
    from pyramid.interfaces import IRequestExtensions
    from pyramid.request import Request, apply_request_extensions

    other = Request.blank("/", base_url=request.application_url)
    other.registry = registry
    apply_request_extensions(other, extensions=registry.queryUtility(IRequestExtensions))
    other.tm = request.tm
    other.dbsession = request.dbsession
    return other


def providers_of(dormant_copy: Dormant) -> list:
    """The switched-off plugins' providers, in the dormant copy."""
    if dormant_copy.registry is None:
        return []
    return [provider for provider in registered(dormant_copy.registry, PERSONAL_DATA_PROVIDERS)
            if provider.plugin in dormant_copy.names]
