"""What each kind of content gives the search index, and when it changes.

A plugin whose content should be found declares it once, in its ``includeme``::

    if plugin_enabled(config.registry, "search"):     # with "search" in Plugin.optional
        config.add_search_index(
            "notes.note",                              # a content type (core.content)
            events={INoteWritten: "note_id",           # event -> attribute holding the id,
                    INoteDeleted: "note_id",           # or a callable (request, event) -> ids
                    INotebookRenamed: notes_of_book},
            title=lambda note: note.title,             # default: the content type's label
            body=lambda note: note.text)               # default: the content type's text

Every event providing one of ``events`` defers a job (an asynchronous subscriber named
``search.<kind>.<interface>``) that reads the rows again and writes their entries, or removes
them when the rows are gone. ``names=True`` marks titles that are names (members, groups),
also found by resemblance on PostgreSQL. ``where=lambda Model: condition`` keeps only some
rows of the kind in the index (the forums leave out opening posts, found as their topics). The index holds words, never a decision: who may see
a result is the content type's condition, asked by every search when it runs, so an entry
that lags behind its row (a group turned hidden, a member removed) shows nobody anything they
may not see. ``cortege search reindex INI`` rebuilds every kind from its rows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core.extensions import plugin_of, register_item, registered, registered_map

INDEXES = "search indexes"


@dataclass(frozen=True)
class SearchIndex:
    kind: str
    title: Callable | None = None  # title(row) -> str; default: the content type's label
    body: Callable | None = None  # body(row) -> str; default: the content type's text
    names: bool = False
    events: dict = field(default_factory=dict)
    where: Callable | None = None  # where(model) -> the condition of the rows indexed
    plugin: str = "core"


def _ids_from(attribute: str):
    def ids(request, event):
        value = getattr(event, attribute, None)
        return [value] if value is not None else []
    ids.__name__ = f"ids_from_{attribute}"
    return ids


def add_search_index(config, kind: str, *, events: dict[Any, Any], title=None, body=None,
                     names: bool = False, where=None) -> None:
    """Index the content type ``kind``; see the module's docstring."""
    from plugins.search.services import refresh_subscriber

    resolve = config.maybe_dotted
    item = SearchIndex(kind, resolve(title), resolve(body), names,
                       {interface: (_ids_from(ids) if isinstance(ids, str) else resolve(ids))
                        for interface, ids in events.items()},
                       resolve(where), plugin_of(config))
    register_item(config, INDEXES, kind, item, title=kind)
    for interface, ids in item.events.items():
        config.add_event_subscriber(
            interface, refresh_subscriber(kind, ids),
            name=f"search.{kind}.{getattr(interface, '__name__', interface)}")


def search_indexes(registry) -> list[SearchIndex]:
    return registered(registry, INDEXES)


def search_index(registry, kind: str) -> SearchIndex | None:
    return registered_map(registry, INDEXES).get(kind)
