"""The search service's contract."""

from zope.interface import Attribute, Interface


class ISearchService(Interface):
    """Finding content, and keeping the index that finds it."""

    kinds = Attribute("The kinds of content searched on this site, in order: [(name, title)]")

    def search(viewer, text, kind=None, after=None, limit=None):
        """A ``Results`` of what ``viewer`` may see that matches ``text``: the page's
        results of ``kind`` (every kind when None), by relevance then recency, after the
        cursor ``after``; the count per kind (at most ``search.count_limit``, one over it
        meaning more) and the next page's cursor."""

    def find(viewer, text, kinds=None, kind=None, after=None, limit=None):
        """The same question for a page that shows the rows its own way: a ``Found`` with
        the page's entries as (id, kind, row_id, rank, changed_at), best first, among
        ``kinds`` (every kind when None; ``kind`` alone on the page when given), the counts
        per kind and the next page's cursor."""

    def matching_ids(kind, text):
        """A SELECT of the row ids of ``kind`` whose entries match ``text``, or None: for a
        page that filters these rows by its own conditions, visibility included."""

    def refresh(kind, ids):
        """Write the entries of the rows ``ids`` of ``kind`` again; remove those gone."""

    def rebuild(kind=None):
        """Build the entries of ``kind`` (every kind when None) from their rows; returns
        {kind: number of entries}."""

    def forget(kind, ids):
        """Remove the entries of the rows ``ids`` of ``kind``."""
