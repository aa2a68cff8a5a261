"""Searching the index, and keeping it.

A search is three queries whatever the volume, each filtered by the content type's
condition for the viewer (``core.content``), joined to the rows themselves: the counts per
kind (each stopped at ``search.count_limit``), the page of results (a UNION ALL of one
SELECT per kind, ordered by relevance, then recency, then id, after a keyset cursor), and
the highlighted title and snippet of those results. Then one query per kind on the page
loads its rows, for their addresses.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from markupsafe import Markup
from sqlalchemy import (
    Float,
    Integer,
    String,
    and_,
    case,
    cast,
    column,
    delete,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    table,
    tuple_,
    union_all,
)
from sqlalchemy.dialects.postgresql import REGCONFIG
from zope.interface import implementer

from core.content import CONTENT_TYPES
from core.db import UTCDateTime, utcnow
from core.extensions import registered_map
from plugins.search.indexes import search_index, search_indexes
from plugins.search.interfaces import ISearchService
from plugins.search.models import SearchEntry
from plugins.search.query import (
    MAX_QUERY,
    START,
    STOP,
    clean_text,
    decode_cursor,
    encode_cursor,
    fts5_query,
    highlighted,
    prefix_tsquery,
)

log = logging.getLogger(__name__)

CONFIGS = ("cortege_fr", "cortege_en")
FTS = table("search_entry_fts", column("rowid", Integer))
MARKS = f'StartSel="{START}", StopSel="{STOP}"'
TITLE_HEADLINE = MARKS + ", HighlightAll=true"
HEADLINE = MARKS + ', MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "'


def _fts_match(query: str):
    return literal_column("search_entry_fts").op("MATCH")(literal(query, String))


@dataclass
class Result:
    kind: str
    row: object
    url: str
    title: Markup
    snippet: Markup
    changed_at: object


@dataclass
class Found:
    hits: list  # rows of (id, kind, row_id, rank, changed_at), best first
    counts: dict
    next_cursor: str | None
    count_limit: int
    matching: tuple | None


@dataclass
class Results:
    items: list
    counts: dict  # kind -> count, capped at count_limit + 1
    next_cursor: str | None
    count_limit: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _kind_ids(ids) -> list[int]:
    clean = set()
    for value in ids or ():
        try:
            value = int(value)
        except (TypeError, ValueError):
            continue
        if 0 < value < 2**31:
            clean.add(value)
    return sorted(clean)


@implementer(ISearchService)
class SearchService:
    def __init__(self, request):
        self.request = request
        self.db = request.dbsession
        self.settings = request.registry.settings

    # -- which kinds ------------------------------------------------------------------------

    def _content_types(self) -> dict:
        return registered_map(self.request.registry, CONTENT_TYPES)

    @property
    def kinds(self) -> list[tuple[str, object]]:
        types = self._content_types()
        return [(index.kind, types[index.kind].title) for index in
                search_indexes(self.request.registry) if index.kind in types]

    # -- keeping the index ----------------------------------------------------------------

    def _entry_values(self, index, kind, row) -> dict:
        title = clean_text((index.title or kind.label or str)(row), 1000)
        text = index.body or kind.text
        body = clean_text(text(row) if text else "")
        if index.body is None and body.startswith(title):
            body = body[len(title):].lstrip()
        changed = None
        for attribute in (kind.updated, kind.created):
            changed = changed or (getattr(row, attribute, None) if attribute else None)
        return {"kind": index.kind, "row_id": row.id, "title": title, "body": body,
                "is_name": index.names, "changed_at": changed or utcnow()}

    @staticmethod
    def _indexed(index, kind):
        statement = select(kind.model)
        return statement.where(index.where(kind.model)) if index.where else statement

    def refresh(self, kind_name: str, ids) -> None:
        index = search_index(self.request.registry, kind_name)
        kind = self._content_types().get(kind_name)
        ids = _kind_ids(ids)
        if index is None or kind is None or not ids:
            return
        rows = {row.id: row for row in self.db.scalars(
            self._indexed(index, kind).where(kind.model.id.in_(ids)))}
        entries = {entry.row_id: entry for entry in self.db.scalars(
            select(SearchEntry).where(SearchEntry.kind == kind_name,
                                      SearchEntry.row_id.in_(ids)))}
        for row_id in ids:
            row, entry = rows.get(row_id), entries.get(row_id)
            if row is None:
                if entry is not None:
                    self.db.delete(entry)
                continue
            values = self._entry_values(index, kind, row)
            if entry is None:
                self.db.add(SearchEntry(**values))
            else:
                for name, value in values.items():
                    if getattr(entry, name) != value:
                        setattr(entry, name, value)
        self.db.flush()

    def forget(self, kind_name: str, ids) -> None:
        ids = _kind_ids(ids)
        if ids:
            self.db.execute(delete(SearchEntry).where(SearchEntry.kind == kind_name,
                                                      SearchEntry.row_id.in_(ids)))

    def rebuild(self, kind_name: str | None = None) -> dict[str, int]:
        types = self._content_types()
        batch = self.settings.get("search.batch", 500)
        built = {}
        for index in search_indexes(self.request.registry):
            kind = types.get(index.kind)
            if kind is None or (kind_name is not None and index.kind != kind_name):
                continue
            self.db.execute(delete(SearchEntry).where(SearchEntry.kind == index.kind))
            count, last = 0, 0
            while True:
                rows = list(self.db.scalars(self._indexed(index, kind)
                                            .where(kind.model.id > last)
                                            .order_by(kind.model.id).limit(batch)))
                if not rows:
                    break
                self.db.execute(insert(SearchEntry),
                                [self._entry_values(index, kind, row) for row in rows])
                count += len(rows)
                last = rows[-1].id
                self.db.expunge_all()
            built[index.kind] = count
        return built

    # -- searching ------------------------------------------------------------------------

    def _postgresql(self) -> bool:
        return self.db.get_bind().dialect.name == "postgresql"

    def _matching(self, text: str):
        """(match condition, relevance) on ``search_entry``, or None when there is nothing
        to look for."""
        if self._postgresql():
            document = literal_column("search_entry.document")
            words = literal(text, String)
            queries = [func.websearch_to_tsquery(cast(literal(config), REGCONFIG), words)
                       for config in CONFIGS]
            prefix = prefix_tsquery(text)
            if prefix is not None:
                head, last = literal(prefix[0], String), literal(prefix[1], String)
                queries += [func.websearch_to_tsquery(cast(literal(config), REGCONFIG), head)
                            .op("&&")(func.to_tsquery(cast(literal(config), REGCONFIG), last))
                            for config in CONFIGS]
            query = queries[0]
            for other in queries[1:]:
                query = query.op("||")(other)
            name = func.search_unaccent(SearchEntry.title)
            wanted = func.search_unaccent(words)
            matches = or_(document.op("@@")(query),
                          and_(SearchEntry.is_name, name.op("%>")(wanted)))
            rank = func.ts_rank(document, query) + case(
                (SearchEntry.is_name, func.word_similarity(wanted, name)), else_=0.0)
            return matches, cast(rank, Float), query
        query = fts5_query(text)
        if not query:
            return None
        # SQLite's planner would rather walk the entries of a kind and ask FTS5 about each
        # one (seconds at 100,000 members): the matches are found once, first, in a
        # materialised CTE that every kind's branch joins.
        found = (select(FTS.c.rowid.label("entry_id"),
                        cast(-func.bm25(literal_column("search_entry_fts"), 10.0, 1.0), Float)
                        .label("rank"))
                 .where(_fts_match(query)).cte("found").prefix_with("MATERIALIZED"))
        return found, found.c.rank, query

    def _branch(self, kind, viewer, matching, *columns):
        matches, _rank, _query = matching
        if self._postgresql():
            statement = select(*columns).select_from(SearchEntry).where(
                SearchEntry.kind == kind.name, matches)
        else:
            statement = (select(*columns).select_from(matches)
                         .join(SearchEntry, SearchEntry.id == matches.c.entry_id)
                         .where((SearchEntry.kind + "") == kind.name))
        return (statement.join(kind.model, kind.model.id == SearchEntry.row_id)
                .where(kind.condition(self.request, viewer)))

    def find(self, viewer, text: str, kinds=None, kind: str | None = None,
             after: str | None = None, limit: int | None = None) -> Found:
        """The entries (kind, row id) of one page of what ``viewer`` may see among
        ``kinds`` (every kind searched when None; only ``kind`` on the page when given),
        the counts per kind and the next page's cursor: for pages of other plugins that
        show the rows their own way."""
        limit = limit or self.settings.get("search.page_size", 20)
        count_limit = self.settings.get("search.count_limit", 1000)
        text = (text or "").strip()[:MAX_QUERY]
        types = self._content_types()
        searched = [types[name] for name, _title in self.kinds
                    if kinds is None or name in kinds]
        matching = self._matching(text) if text else None
        if matching is None or not searched:
            return Found([], {}, None, count_limit, None)
        counts = self._counts(searched, viewer, matching, count_limit)
        chosen = [k for k in searched if counts.get(k.name) and kind in (None, k.name)]
        if not chosen:
            return Found([], counts, None, count_limit, matching)
        hits = self._hits(chosen, viewer, matching, after, limit)
        next_cursor = None
        if len(hits) > limit:
            hits = hits[:limit]
            last = hits[-1]
            next_cursor = encode_cursor(last.rank, last.changed_at, last.id)
        return Found(hits, counts, next_cursor, count_limit, matching)

    def search(self, viewer, text: str, kind: str | None = None, after: str | None = None,
               limit: int | None = None) -> Results:
        found = self.find(viewer, text, kind=kind, after=after, limit=limit)
        items = self._results(found.hits, found.matching, self._content_types()) \
            if found.hits else []
        return Results(items, found.counts, found.next_cursor, found.count_limit)

    def matching_ids(self, kind_name: str, text: str):
        """A SELECT of the row ids of ``kind_name`` whose entries match ``text`` (None when
        nothing is left to look for), for a page that applies its own conditions on those
        rows (and its kind's visibility: this select holds no privacy rule)."""
        matching = self._matching((text or "").strip()[:MAX_QUERY]) if text else None
        if matching is None:
            return None
        matches, _rank, query = matching
        if self._postgresql():
            return select(SearchEntry.row_id).where(SearchEntry.kind == kind_name, matches)
        return select(SearchEntry.row_id).where(
            SearchEntry.id.in_(select(FTS.c.rowid).where(_fts_match(query))),
            (SearchEntry.kind + "") == kind_name)

    def _counts(self, kinds, viewer, matching, count_limit) -> dict[str, int]:
        selects = []
        for kind in kinds:
            found = self._branch(kind, viewer, matching, SearchEntry.id) \
                .limit(count_limit + 1).subquery()
            selects.append(select(literal(kind.name, String).label("kind"),
                                  select(func.count()).select_from(found).scalar_subquery()
                                  .label("n")))
        statement = selects[0] if len(selects) == 1 else union_all(*selects)
        return {name: n for name, n in self.db.execute(statement) if n}

    def _hits(self, kinds, viewer, matching, after, limit):
        _matches, rank, _query = matching
        branches = [self._branch(kind, viewer, matching, SearchEntry.id.label("id"),
                                 SearchEntry.kind.label("kind"),
                                 SearchEntry.row_id.label("row_id"), rank.label("rank"),
                                 SearchEntry.changed_at.label("changed_at"))
                    for kind in kinds]
        hits = (branches[0] if len(branches) == 1 else union_all(*branches)).subquery("hits")
        statement = select(hits)
        cursor = decode_cursor(after)
        if cursor is not None:
            rank_value, changed_at, entry_id = cursor
            statement = statement.where(
                tuple_(hits.c.rank, hits.c.changed_at, hits.c.id)
                < tuple_(literal(rank_value, Float), literal(changed_at, UTCDateTime),
                         literal(entry_id, Integer)))
        statement = statement.order_by(hits.c.rank.desc(), hits.c.changed_at.desc(),
                                       hits.c.id.desc()).limit(limit + 1)
        return list(self.db.execute(statement))

    def _highlights(self, ids, matching) -> dict[int, tuple[str, str]]:
        """{entry id: (title, snippet)} with the marks around the words found."""
        _matches, _rank, query = matching
        if self._postgresql():
            options = literal(HEADLINE, String)
            titles = {}
            rows = self.db.execute(select(
                SearchEntry.id,
                *(func.ts_headline(cast(literal(config), REGCONFIG), SearchEntry.title, query,
                                   literal(TITLE_HEADLINE, String))
                  for config in CONFIGS),
                *(func.ts_headline(cast(literal(config), REGCONFIG), SearchEntry.body, query,
                                   options)
                  for config in CONFIGS),
            ).where(SearchEntry.id.in_(ids)))
            for entry_id, title_fr, title_en, body_fr, body_en in rows:
                titles[entry_id] = (title_fr if START in title_fr else title_en,
                                    body_fr if START in body_fr else body_en)
            return titles
        rows = self.db.execute(
            select(FTS.c.rowid,
                   func.highlight(literal_column("search_entry_fts"), 0, START, STOP),
                   func.snippet(literal_column("search_entry_fts"), 1, START, STOP, "…", 24))
            .where(_fts_match(query), FTS.c.rowid.in_(ids)))
        return {entry_id: (title, snippet) for entry_id, title, snippet in rows}

    def _results(self, hits, matching, types) -> list[Result]:
        marked = self._highlights([hit.id for hit in hits], matching)
        rows = {}
        for kind_name in {hit.kind for hit in hits}:
            kind = types[kind_name]
            wanted = [hit.row_id for hit in hits if hit.kind == kind_name]
            rows[kind_name] = {row.id: row for row in self.db.scalars(
                select(kind.model).where(kind.model.id.in_(wanted)))}
        results = []
        for hit in hits:
            row = rows[hit.kind].get(hit.row_id)
            if row is None:
                continue
            title, snippet = marked.get(hit.id, ("", ""))
            results.append(Result(hit.kind, row, types[hit.kind].url(self.request, row),
                                  highlighted(title), highlighted(snippet), hit.changed_at))
        return results


def search_service_factory(context, request) -> SearchService:
    return SearchService(request)


def refresh_subscriber(kind: str, ids):
    """The subscriber that writes again the entries of the rows an event names."""

    def refresh(request, event):
        request.find_service(ISearchService).refresh(kind, ids(request, event))

    refresh.__name__ = f"refresh_{kind.replace('.', '_')}"
    return refresh

