"""``cortege agenda remind INI``: the reminders, sent by a command meant for cron."""

from __future__ import annotations

from pathlib import Path

from core.errors import StartupError
from core.extensions import plugin_enabled


def remind(args) -> int:
    from pyramid.paster import bootstrap, get_appsettings, setup_logging
    from pyramid.request import Request

    from plugins.agenda.interfaces import IAgendaService

    if not Path(args.ini).is_file():
        raise StartupError(f"There is no settings file {args.ini}; give the path of your ini file.")
    setup_logging(args.ini)
    site_url = get_appsettings(args.ini).get("agenda.site_url") or "http://localhost:6543"
    with bootstrap(args.ini, request=Request.blank("/", base_url=site_url)) as env:
        if not plugin_enabled(env["registry"], "agenda"):
            raise StartupError("The agenda plugin is not on: add agenda to cortege.plugins.")
        request = env["request"]
        with request.tm:
            sent = request.find_service(IAgendaService).send_reminders()
    print(f"{sent} reminder(s) sent.")
    return 0


def add_commands(subparsers) -> None:
    """Add ``agenda`` to the ``cortege`` command (entry point ``cortege.commands``)."""
    agenda = subparsers.add_parser("agenda", help="the agenda: send reminders")
    agenda.add_argument("action", choices=("remind",))
    agenda.add_argument("ini")
    agenda.set_defaults(func=remind)
