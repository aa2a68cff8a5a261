"""``cortege agenda remind INI``: queue the reminders due now, by hand.

The worker does it on its own every five minutes (the periodic task ``agenda.remind``); the
command is for a site that runs ``cortege worker INI --drain`` from cron instead, or to see how
many are due. The mails leave from the worker, with links built from ``cortege.site_url``.
"""

from __future__ import annotations

from pathlib import Path

from core.errors import StartupError
from core.extensions import plugin_enabled


def remind(args) -> int:
    from pyramid.paster import bootstrap, setup_logging

    from core.jobs import job_request
    from plugins.agenda.notices import queue_reminders

    if not Path(args.ini).is_file():
        raise StartupError(f"There is no settings file {args.ini}; give the path of your ini file.")
    setup_logging(args.ini)
    with bootstrap(args.ini) as env:
        registry = env["registry"]
        if not plugin_enabled(registry, "agenda"):
            raise StartupError("The agenda plugin is not on: add agenda to cortege.plugins.")
        with job_request(registry) as request, request.tm:
            queued = queue_reminders(request)
    print(f"{queued} reminder(s) queued; the worker sends them.")
    return 0


def add_commands(subparsers) -> None:
    """Add ``agenda`` to the ``cortege`` command (entry point ``cortege.commands``)."""
    agenda = subparsers.add_parser("agenda", help="the agenda: queue the reminders due now")
    agenda.add_argument("action", choices=("remind",))
    agenda.add_argument("ini")
    agenda.set_defaults(func=remind)
