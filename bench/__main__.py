"""``python -m bench`` (``make bench``): seed a scratch database, serve the site and a bare
Pyramid view with waitress, load each page from concurrent clients and print the figures next
to the bare view's. ``python -m bench --help`` lists the options."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from bench import BenchError, heavy
from bench.database import PROJECT, prepare, read_app_settings, scratch_database, write_bench_ini
from bench.load import Browser, fetch, log_in, probe, run_load
from bench.pages import (
    ADMIN,
    LOGINS,
    MEMBER,
    STRANGER,
    BenchPage,
    discover,
    linked_pages,
    select_pages,
    unique,
)
from bench.report import Row, load_average, machine, revision
from bench.servers import ServerProcess
from bench.targets import Pair, markdown_table, summary, text_table

RESULTS = PROJECT / "bench" / "results"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Load the main pages of the site and of each enabled plugin, and compare "
                    "them with a bare Pyramid view served the same way.",
    )
    parser.add_argument("--ini", default="development.ini",
                        help="settings to start from (default: %(default)s); the database, "
                             "the debug toolbar and logging are replaced")
    parser.add_argument("--members", type=int, default=2000,
                        help="members the seeders add in bulk (default: %(default)s)")
    parser.add_argument("--seed-args", default="",
                        help='more options for `cortege seed`, e.g. "--groups 200"')
    parser.add_argument("--database-url", default=None,
                        help="a PostgreSQL server URL: the run creates its own database there "
                             "and drops it after (default: a temporary SQLite file)")
    parser.add_argument("--plugins", default=None,
                        help="plugins to enable, separated by spaces or commas (default: "
                             "cortege.plugins of the ini file)")
    parser.add_argument("--pages", nargs="*", metavar="PATTERN",
                        help='only the pages whose name matches, e.g. "core/home" "groups"')
    parser.add_argument("--seconds", type=float, default=5.0,
                        help="measured load per page, in seconds (default: %(default)s)")
    parser.add_argument("--warmup", type=float, default=1.0,
                        help="unmeasured load before each page, in seconds (default: %(default)s)")
    parser.add_argument("--concurrency", type=int, default=8,
                        help="concurrent clients (default: %(default)s)")
    parser.add_argument("--threads", type=int, default=4,
                        help="waitress worker threads in each server (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="times each page is measured, each time right after the bare "
                             "view (default: %(default)s)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary folder (settings, SQLite database, logs)")
    return parser


def settle_login(port: int, page: BenchPage, browsers: dict) -> tuple[BenchPage, int]:
    """Move up from the first guess while the page sends us to log in or refuses us; follow
    other redirections (``/members/me`` to the member's own page) and load where they lead."""
    login = page.login
    for _hop in range(5):
        status, location = probe(port, page.path, browsers[login])
        target = urlsplit(location)
        if status == 403 or (300 <= status < 400 and target.path == "/login"):
            if login == ADMIN:
                break
            login = LOGINS[LOGINS.index(login) + 1]
        elif 300 <= status < 400 and target.path:
            page = BenchPage(page.name, urlunsplit(("", "", target.path, target.query, "")))
        else:
            break
    return page.as_login(login), status


def in_plugin_order(pages: list[BenchPage], plugins: list[str]) -> list[BenchPage]:
    """The core's pages first, then each plugin's in the order the plugins are named."""
    owners = ["core", *plugins]
    return sorted(pages, key=lambda page: owners.index(page.owner)
                  if page.owner in owners else len(owners))


def measure(server: ServerProcess, page: BenchPage, args, browsers: list[Browser]) -> Row:
    """Warm up, then load ``page`` from one client per browser."""
    warmup_errors = 0
    if args.warmup > 0:
        warmup = run_load(server.port, page.path, seconds=args.warmup, browsers=browsers)
        warmup_errors = warmup.errors
    result = run_load(server.port, page.path, seconds=args.seconds, browsers=browsers)
    return Row(page, result, server.rss_mb(), warmup_errors)


def strangers(args) -> list[Browser]:
    return [Browser() for _ in range(args.concurrency)]


def say(line: str = "") -> None:
    print(line, flush=True)


def run(args) -> int:
    from core.seeding import DEMO_PASSWORD

    source = (PROJECT / args.ini) if not Path(args.ini).is_absolute() else Path(args.ini)
    if args.plugins is None:
        plugins = read_app_settings(source).get("cortege.plugins", "").split()
    else:
        plugins = args.plugins.replace(",", " ").split()
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    out = RESULTS / stamp
    out.mkdir(parents=True, exist_ok=True)
    log = out / "bench.log"
    folder = Path(tempfile.mkdtemp(prefix="cortege-bench-"))
    about = machine()
    about["revision"] = revision(PROJECT)
    try:
        with scratch_database(args.database_url, folder) as url:
            backend = url.partition(":")[0].partition("+")[0]
            ini = write_bench_ini(source, folder / "bench.ini", url, plugins)
            say(f"Seeding a {backend} database: {args.members} members, plugins: "
                f"{' '.join(plugins) or 'none'} ...")
            timings = prepare(ini, args.members, args.seed_args, log)
            say(f"  migrated in {timings['upgrade_seconds']:.1f} s, "
                f"seeded in {timings['seed_seconds']:.1f} s")
            pages, member, routes = discover(str(ini))

            say(f"Loading each page for {args.seconds:g} s (after {args.warmup:g} s of warm-up) "
                f"from {args.concurrency} clients; waitress with {args.threads} threads.")
            pairs = []
            with (ServerProcess("hello", ["hello"], log, args.threads) as bare,
                  ServerProcess("cortege", ["cortege", str(ini)], log, args.threads) as server):
                browsers = {
                    STRANGER: Browser(),
                    MEMBER: log_in(server.port, member, DEMO_PASSWORD),
                    ADMIN: log_in(server.port, "admin", DEMO_PASSWORD),
                }
                # One set of clients per login browses every page in turn, cookies kept.
                clients = {login: [browser.copy() for _ in range(args.concurrency)]
                           for login, browser in browsers.items()}
                settled = []
                for page in in_plugin_order(pages, plugins):
                    page, status = settle_login(server.port, page, browsers)
                    if not 200 <= status < 300:
                        say(f"  {page.name} ({page.path}) answers {status} to the "
                            f"{page.login}; measured all the same.")
                    settled.append(page)

                def read(page):
                    return fetch(server.port, page.path, browsers[page.login])[1]

                settled += linked_pages(settled, routes, read)
                settled += heavy.from_database(url) + heavy.from_site(read)
                settled = select_pages(unique(settled), args.pages)
                for page in settled:
                    # The bare view right before the page, every time: the machine's load
                    # changes during a run, and each ratio compares two figures of one moment.
                    pair = Pair()
                    for _round in range(args.repeat):
                        pair.hellos.append(measure(bare, BenchPage("hello", "/"), args,
                                                   strangers(args)))
                        pair.pages.append(measure(server, page, args, clients[page.login]))
                    pairs.append(pair)
                    say(f"  {page.name}: {pair.median(lambda row: row.result.rps):.0f} req/s, "
                        f"{pair.ratio():.1%} of the bare view ({' '.join(pair.verdicts())})")
    finally:
        if args.keep:
            say(f"Kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)

    about["load_average_after"] = load_average()
    settings = {
        "database": backend, "members": args.members, "seed_args": args.seed_args,
        "plugins": plugins, "seconds": args.seconds, "warmup": args.warmup,
        "concurrency": args.concurrency, "threads": args.threads, "repeat": args.repeat,
    }
    heading = (f"{about['date']} - {about['cpu']}, {about['cores']} cores - Python "
               f"{about['python']} - {backend}, {args.members} members - "
               f"{args.concurrency} clients, {args.threads} waitress threads, "
               f"{args.repeat} x {args.seconds:g} s per page, each after the bare view - "
               f"revision {about['revision']} - load average "
               f"{about['load_average']:g} before, {about['load_average_after']:g} after")
    say()
    say(heading)
    say()
    say(text_table(pairs))
    say()
    say(summary(pairs))
    (out / "results.json").write_text(json.dumps({
        "machine": about, "settings": settings, "timings": timings,
        "pairs": [pair.as_dict() for pair in pairs], "summary": summary(pairs),
    }, indent=2) + "\n", encoding="utf-8")
    (out / "results.md").write_text(
        f"{heading}\n\n{markdown_table(pairs)}\n\n{summary(pairs)}\n", encoding="utf-8")
    warmup = ", ".join(f"{row.page.name} {row.warmup_errors}" for pair in pairs
                       for row in pair.pages if row.warmup_errors)
    if warmup or any(row.result.errors for pair in pairs for row in pair.pages):
        say()
        say(f"Some pages answered with errors; {log.relative_to(PROJECT)} says why.")
        if warmup:
            say(f"Errors during the warm-up, not in the table: {warmup}.")
    say()
    say(f"Saved in {out.relative_to(PROJECT)}/ (results.json, results.md, bench.log).")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.members < 0 or args.concurrency < 1 or args.threads < 1 or args.seconds <= 0 \
            or args.repeat < 1:
        parser.error("--members cannot be negative; --concurrency, --threads, --seconds and "
                     "--repeat must be more than zero")
    try:
        return run(args)
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
