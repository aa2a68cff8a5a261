"""Search: one box in every page's header, one results page for every kind of content.

Each kind of content that should be found declares what to index with
``config.add_search_index(kind, events=..., title=None, body=None, names=False)`` (see
``plugins.search.indexes``); this plugin declares the bundled kinds itself
(``plugins.search.kinds``), a third party declares its own in its ``includeme`` after listing
``search`` in ``optional``. The index is one table, ``search_entry``: a ``tsvector`` column
with French and English configurations (accents removed) and GIN indexes on PostgreSQL, an
FTS5 table (``unicode61 remove_diacritics 2``) on SQLite. It holds text only: who may see a
result is decided when the question is asked, by the content contract's condition of each
kind (``core.content``), in the query that finds, counts and quotes the results.

The index follows the domain events (one job per event and kind); ``cortege search reindex
INI`` rebuilds it.
"""

from pyramid.i18n import TranslationStringFactory

from core.plugin import Plugin, Setting, aspositiveint

_ = TranslationStringFactory("search")


plugin = Plugin(
    name="search",
    package=__name__,
    title=_("Search"),
    description=_("A search box in the header of every page, and results from every kind of "
                  "content, each shown only to whoever may see it."),
    version="1.0",
    optional=("profiles", "groups", "forums", "agenda", "petitions", "polls", "social"),
    migrations="plugins.search:migrations",
    settings={
        "page_size": Setting(20, aspositiveint, "Results per page."),
        "count_limit": Setting(1000, aspositiveint,
                               "Results counted per kind at most; beyond, the tab says more."),
        "batch": Setting(500, aspositiveint, "Rows read at a time when the index is rebuilt."),
    },
    includeme="plugins.search.routes:includeme",
)
