"""The ``cortege`` command: migrations, plugins, seeding, users, catalogues, scaffolds."""

from __future__ import annotations

import argparse
import sys
from importlib.metadata import entry_points
from pathlib import Path

from core.errors import StartupError


def read_settings(ini: str) -> dict:
    from pyramid.paster import get_appsettings, setup_logging

    if not Path(ini).is_file():
        raise StartupError(f"There is no settings file {ini}; give the path of your ini file.")
    setup_logging(ini)
    from core.settings import coerce_core_settings

    return coerce_core_settings(dict(get_appsettings(ini)))


def cmd_db(args) -> int:
    from core.migrate import Migrator

    migrator = Migrator(read_settings(args.ini))
    if args.action == "upgrade":
        migrator.upgrade(args.plugin, args.revision or "heads")
        for name, current, head in migrator.current():
            print(f"{name}: {current or 'empty'}")
    elif args.action == "downgrade":
        if not args.revision and not args.plugin:
            raise StartupError("Say how far to go back: base, or --plugin NAME with -1 or a revision.")
        migrator.downgrade(args.plugin, args.revision or "-1")
        for name, current, head in migrator.current():
            print(f"{name}: {current or 'empty'}")
    elif args.action == "current":
        for name, current, head in migrator.current():
            state = "up to date" if current == head else f"behind (head {head})"
            print(f"{name}: {current or 'empty'} {state}")
    elif args.action == "revision":
        if not args.plugin or not args.message:
            raise StartupError("Name the plugin (--plugin NAME) and a message (-m TEXT).")
        print(migrator.revision(args.plugin, args.message))
    return 0


def cmd_plugins(args) -> int:
    from core.loader import PLUGIN_GROUP, installed
    from core.migrate import Migrator

    settings = read_settings(args.ini)
    migrator = Migrator(settings)
    states = {name: (current, head) for name, current, head in migrator.current()}
    enabled = {plugin.name for plugin in migrator.plugins}
    rows = [("plugin", "enabled", "version", "requires", "migrations")]
    for name, entry_point in installed(PLUGIN_GROUP).items():
        try:
            plugin = entry_point.load()
            version = plugin.version
            requires = " ".join(plugin.requires) or "-"
        except Exception as exc:  # noqa: BLE001 (show a broken third-party plugin, not crash)
            version, requires = f"cannot import: {exc.__class__.__name__}", "?"
        if name in states:
            current, head = states[name]
            migration = "up to date" if current == head else f"{current or 'empty'} -> {head}"
        elif name in enabled:
            migration = "none"
        else:
            migration = "-"
        rows.append((name, "yes" if name in enabled else "no", version, requires, migration))
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())
    return 0


def cmd_seed(args, extra: list[str]) -> int:
    from pyramid.paster import bootstrap, setup_logging

    from core.extensions import SEEDERS, registered
    from core.seeding import SeedContext, is_empty

    if not Path(args.ini).is_file():
        raise StartupError(f"There is no settings file {args.ini}; give the path of your ini file.")
    setup_logging(args.ini)
    with bootstrap(args.ini) as env:
        request = env["request"]
        seeders = registered(env["registry"], SEEDERS)
        parser = argparse.ArgumentParser(prog="cortege seed")
        for seeder in seeders:
            for option, (default, help_text) in seeder.options.items():
                # An option's default says its type: a count, or a text (an address...).
                parser.add_argument(f"--{option.replace('_', '-')}",
                                    type=str if isinstance(default, str) else int,
                                    default=default, help=help_text)
        options = vars(parser.parse_args(extra))
        with request.tm:
            if args.if_empty and not is_empty(request.dbsession):
                print("The database already has content; nothing seeded.")
                return 0
            context = SeedContext(request=request, options=options)
            for seeder in seeders:
                seeder.seed(context)
        for line in context.notes:
            print(line)
    return 0


def cmd_user(args) -> int:
    from pyramid.paster import bootstrap

    from core.accounts.interfaces import AccountError, IAccountService
    from core.accounts.passwords import password_problem
    from core.accounts.services import check_display_name, check_username, normalise_email

    with bootstrap(args.ini) as env:
        request = env["request"]
        try:
            with request.tm:
                accounts = request.find_service(IAccountService)
                if args.action == "add":
                    import getpass

                    email = normalise_email(args.email)
                    username = check_username(args.username or email.split("@")[0])
                    name = check_display_name(args.name)
                    password = args.password or getpass.getpass("Password: ")
                    problem = password_problem(password, username, name, email)
                    if problem:
                        raise AccountError("password", problem)
                    user = accounts.create_user(
                        email, username, name, password, role="admin" if args.admin else "member",
                    )
                    print(f"Created {user.username} ({user.role}); they can log in at /login.")
                else:
                    user = accounts.find_by_login(args.username)
                    if user is None:
                        raise StartupError(f'No member has the username or email "{args.username}".')
                    accounts.set_role(user, args.role)
                    print(f"{user.username} is now {args.role}.")
        except AccountError as exc:
            message = exc.message.interpolate() if hasattr(exc.message, "interpolate") else exc.message
            raise StartupError(f"{exc.field}: {message}") from None
    return 0


def cmd_i18n(args) -> int:
    from core import i18n_catalogs as catalogs

    root = Path(args.root).resolve()
    if (root / "__init__.py").is_file() and root.name != "core":
        domains = [catalogs.Domain(args.domain or root.name, (root,), root / "locale")]
        # A plugin's package: its variants (fr@tu) once it has them, or when named.
        locales = (args.locales or "en fr").split()
    else:
        domains = catalogs.bundled_domains(root)
        locales = (args.locales or "en fr fr@tu").split()
    failed = False
    for domain in domains:
        if args.action == "update":
            catalogs.update(domain, locales)
            print(f"updated {domain.name}")
        elif args.action == "compile":
            catalogs.compile_domain(domain, locales)
        elif args.action == "check":
            for problem in catalogs.problems(domain, locales):
                print(problem)
                failed = True
    return 1 if failed else 0


def _bootstrap(ini: str):
    from pyramid.paster import bootstrap, setup_logging

    if not Path(ini).is_file():
        raise StartupError(f"There is no settings file {ini}; give the path of your ini file.")
    setup_logging(ini)
    return bootstrap(ini)


def cmd_worker(args) -> int:
    """Run the jobs: a Huey consumer, or with --drain the jobs due now, then stop."""
    from core.jobs import drain

    with _bootstrap(args.ini) as env:
        registry = env["registry"]
        if args.drain:
            done = drain(registry)
            print(f"{done} job(s) run.")
            return 0
        consumer = registry["cortege.huey"].create_consumer(
            workers=args.workers, worker_type="thread", periodic=not args.no_periodic,
            check_worker_health=True)
        consumer.run()
    return 0


def cmd_serve(args) -> int:
    """The site and a worker together, stopped together (what `make serve` runs)."""
    import signal
    import subprocess

    from core.migrate import Migrator, check_migrated

    migrator = Migrator(read_settings(args.ini))  # a mistake in the ini stops here,
    check_migrated(migrator.engine, migrator.plugins, args.ini)  # in one sentence
    migrator.engine.dispose()

    def stop(_signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    worker = subprocess.Popen([sys.executable, "-m", "core.cli", "worker", args.ini])
    web = subprocess.Popen([str(Path(sys.executable).with_name("pserve")), args.ini])
    try:
        while worker.poll() is None and web.poll() is None:
            try:
                web.wait(timeout=1)
            except subprocess.TimeoutExpired:
                pass
    except KeyboardInterrupt:
        pass
    finally:
        for process in (web, worker):
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        for process in (web, worker):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
    return web.returncode or worker.returncode or 0


def cmd_scaffold(args) -> int:
    from core.scaffold import scaffold_plugin

    target = scaffold_plugin(args.name, args.directory and Path(args.directory))
    print(f"Wrote the plugin {args.name} in {target}. Next: pip install -e {target}, "
          f"name {args.name} in cortege.plugins, cortege db upgrade INI; its tests: pytest {target}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cortege", description="Run and look after a Cortège site.")
    sub = parser.add_subparsers(dest="command", required=True)

    db = sub.add_parser("db", help="database migrations")
    db.add_argument("action", choices=("upgrade", "downgrade", "current", "revision"))
    db.add_argument("ini")
    db.add_argument("revision", nargs="?", help="target revision (heads, base, -1, an id)")
    db.add_argument("--plugin", help="only this plugin (core for the core)")
    db.add_argument("-m", "--message", help="message of a new revision")
    db.set_defaults(func=cmd_db)

    plugins = sub.add_parser("plugins", help="installed and enabled plugins")
    plugins.add_argument("action", choices=("list",))
    plugins.add_argument("ini")
    plugins.set_defaults(func=cmd_plugins)

    seed = sub.add_parser("seed", help="fill the database with demo content or volume",
                          add_help=False)
    seed.add_argument("ini")
    seed.add_argument("--if-empty", action="store_true", help="only when there is no member yet")
    seed.set_defaults(func=cmd_seed, takes_extra=True)

    user = sub.add_parser("user", help="add members or change their role")
    user_sub = user.add_subparsers(dest="action", required=True)
    add = user_sub.add_parser("add")
    add.add_argument("ini")
    add.add_argument("--email", required=True)
    add.add_argument("--name", required=True, help="display name")
    add.add_argument("--username")
    add.add_argument("--password", help="asked for when left out")
    add.add_argument("--admin", action="store_true")
    role = user_sub.add_parser("role")
    role.add_argument("ini")
    role.add_argument("username")
    role.add_argument("role")
    user.set_defaults(func=cmd_user)

    i18n = sub.add_parser("i18n", help="translation catalogues")
    i18n.add_argument("action", choices=("update", "compile", "check"))
    i18n.add_argument("root", nargs="?", default=".", help="project root or a plugin package")
    i18n.add_argument("--locales", default=None,
                      help='default "en fr fr@tu" for the project, "en fr" for a plugin '
                           "package (with the variants it has)")
    i18n.add_argument("--domain", help="a plugin package's domain: its plugin name, when the "
                      "folder is named otherwise")
    i18n.set_defaults(func=cmd_i18n)

    worker = sub.add_parser("worker", help="run the jobs: mail, notifications, reminders...")
    worker.add_argument("ini")
    worker.add_argument("--workers", type=int, default=2, help="threads running jobs (2)")
    worker.add_argument("--no-periodic", action="store_true",
                        help="leave periodic tasks to another worker (run them in one only)")
    worker.add_argument("--drain", action="store_true",
                        help="run the jobs that are due now, then stop")
    worker.set_defaults(func=cmd_worker)

    serve = sub.add_parser("serve", help="serve the site with a worker beside it")
    serve.add_argument("ini")
    serve.set_defaults(func=cmd_serve)

    scaffold = sub.add_parser("scaffold", help="write a new plugin as its own distribution")
    scaffold.add_argument("kind", choices=("plugin",))
    scaffold.add_argument("name", help="the plugin's name: lower case, digits and underscores")
    scaffold.add_argument("--directory", default=None,
                          help="the distribution's folder, new or empty (default: ./NAME)")
    scaffold.set_defaults(func=cmd_scaffold)

    # Installed plugins add their own commands (`cortege agenda remind INI`).
    for entry_point in entry_points(group="cortege.commands"):
        entry_point.load()(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command == "db" and args.revision is None and len(extra) == 1:
        args.revision = extra.pop()  # `db downgrade INI --plugin NAME REV`
    if extra and not getattr(args, "takes_extra", False):
        parser.error("unrecognised arguments: " + " ".join(extra))
    try:
        if getattr(args, "takes_extra", False):
            return args.func(args, extra)
        return args.func(args)
    except StartupError as exc:
        print(f"cortege: {exc.message}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
