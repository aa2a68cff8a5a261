"""``cortege search reindex INI [--kind KIND]``: build the search index again from the rows.

For a site that turns search on with content already there, after restoring a backup, or
when a kind's text changed its form; the events keep the index current otherwise.
"""

from __future__ import annotations

from pathlib import Path

from core.errors import StartupError
from core.extensions import plugin_enabled


def reindex(args) -> int:
    from pyramid.paster import bootstrap, setup_logging

    from core.jobs import job_request
    from plugins.search.interfaces import ISearchService

    if not Path(args.ini).is_file():
        raise StartupError(f"There is no settings file {args.ini}; give the path of your ini file.")
    setup_logging(args.ini)
    with bootstrap(args.ini) as env:
        registry = env["registry"]
        if not plugin_enabled(registry, "search"):
            raise StartupError("The search plugin is not on: add search to cortege.plugins.")
        with job_request(registry) as request, request.tm:
            service = request.find_service(ISearchService)
            known = {name for name, _title in service.kinds}
            if args.kind is not None and args.kind not in known:
                raise StartupError(f"No kind of content {args.kind!r} is searched on this "
                                   f"site; these are: {', '.join(sorted(known))}.")
            built = service.rebuild(args.kind)
    for kind, count in built.items():
        print(f"{kind}: {count} entries")
    return 0


def add_commands(subparsers) -> None:
    """Add ``search`` to the ``cortege`` command (entry point ``cortege.commands``)."""
    search = subparsers.add_parser("search", help="search: rebuild the index")
    search.add_argument("action", choices=("reindex",))
    search.add_argument("ini")
    search.add_argument("--kind", help="only this kind of content (e.g. forums.post)")
    search.set_defaults(func=reindex)
