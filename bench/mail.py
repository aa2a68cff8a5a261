"""``python -m bench.mail`` (``make bench-mail``): do pages that send mail wait for the mail
server? They should not: mail leaves from a worker, after the request has answered.

For each mail mode (``off``: mail written to files; ``smtp-ok``: a local SMTP server that
takes everything; ``smtp-hanging``: a server that accepts connections and never says a word;
``smtp-refusing``: a closed port), the site (waitress, as ``bench.server`` serves it) and a
worker (``cortege worker INI``) run on their own copy of one seeded database. Then
``POST /register`` and replies to a forum topic that several members follow are timed, one
after another and from concurrent clients, the modes taking turns, round after round. Each
row is compared with ``off``. ``python -m bench.mail --help`` lists the options;
bench/README.md explains the run and records its figures.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import itertools
import json
import math
import secrets
import shutil
import socket
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bench import BenchError
from bench.__main__ import RESULTS, say
from bench.database import (
    PROJECT,
    database_copies,
    prepare,
    read_app_settings,
    scratch_database,
    write_bench_ini,
)
from bench.load import HOST, Browser, LoadResult, connect, csrf_token, get_page, log_in, post_form
from bench.report import load_average, machine, render_markdown, render_text, revision
from bench.servers import ChildProcess, ServerProcess, WorkerProcess

OFF, SMTP_OK, SMTP_HANGING, SMTP_REFUSING = "off", "smtp-ok", "smtp-hanging", "smtp-refusing"
MODES = (OFF, SMTP_OK, SMTP_HANGING, SMTP_REFUSING)
REGISTER, REPLY = "register", "reply"
# What "as fast as with mail off" means here: a median within 1.5 times off's, and no
# request slower than a second.
MOST_RATIO = 1.5
MOST_P99 = 1.0
PASSWORD = "violet kettles argue quietly at dawn"
START_SECONDS = 60


# -- mail servers ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def accepting_server(log: Path):
    """A real SMTP server that takes every message and keeps none (aiosmtpd's Sink), in its
    own process, so that it takes no processor time from the clients' process."""
    port = free_port()
    with ChildProcess("smtp", ["aiosmtpd", "-n", "-l", f"{HOST}:{port}",
                               "-c", "aiosmtpd.handlers.Sink"], log) as server:
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                with socket.create_connection((HOST, port), timeout=1) as probe:
                    probe.recv(1)  # its greeting: it is ready
                break
            except OSError:
                if not server.running() or time.monotonic() > deadline:
                    raise BenchError(f"The SMTP server (aiosmtpd) did not start; see {log}. "
                                     "It comes with `make install`.") from None
                time.sleep(0.2)
        yield port


@contextlib.contextmanager
def hanging_server():
    """Accepts connections and never says a word, as a mail server that hangs: the worker
    waits for its greeting until the mailer's timeout."""
    server = socket.socket()
    server.bind((HOST, 0))
    server.listen(128)
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                held.append(server.accept()[0])
            except OSError:  # the server was shut down
                return

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        server.shutdown(socket.SHUT_RDWR)
        server.close()
        thread.join(5)
        for connection in held:
            connection.close()


@contextlib.contextmanager
def refusing_port():
    """A port that is bound and not listening: every connection is refused at once, and no
    other program can start listening there during the run."""
    closed = socket.socket()
    closed.bind((HOST, 0))
    try:
        yield closed.getsockname()[1]
    finally:
        closed.close()


@contextlib.contextmanager
def mail_settings(modes: list[str], folder: Path, log: Path):
    """The mail settings of each mode, with its server running until the end of the block."""
    def smtp(port: int) -> dict:
        return {"cortege.mail_backend": "smtp", "mail.host": HOST, "mail.port": str(port)}

    with contextlib.ExitStack() as stack:
        settings = {}
        for mode in modes:
            if mode == OFF:
                settings[mode] = {"cortege.mail_backend": "file",
                                  "cortege.mail_directory": str(folder / mode / "mail")}
            elif mode == SMTP_OK:
                settings[mode] = smtp(stack.enter_context(accepting_server(log)))
            elif mode == SMTP_HANGING:
                settings[mode] = smtp(stack.enter_context(hanging_server()))
            else:
                settings[mode] = smtp(stack.enter_context(refusing_port()))
        yield settings


# -- the site: a topic that members follow --------------------------------------------------


@dataclass(frozen=True)
class Topic:
    title: str
    path: str
    reply_path: str
    subscribers: tuple[str, ...]


def follow_a_topic(ini: Path, count: int) -> Topic:
    """Subscribe ``count`` demo members to a topic of a forum of the whole site (not a
    group's), through the forums' service, as each of them would with the topic's button."""
    from pyramid.paster import bootstrap
    from sqlalchemy import select

    from core.accounts.models import User
    from plugins.forums.interfaces import IForumService
    from plugins.forums.models import Forum
    from plugins.forums.models import Topic as ForumTopic

    with bootstrap(str(ini)) as env:
        request = env["request"]
        try:
            with request.tm:
                db = request.dbsession
                topic = db.scalars(
                    select(ForumTopic).join(Forum, Forum.id == ForumTopic.forum_id)
                    .where(Forum.group_id.is_(None), Forum.closed.is_(False),
                           ForumTopic.hidden.is_(False), ForumTopic.closed.is_(False))
                    .order_by(ForumTopic.id)).first()
                members = db.scalars(
                    select(User).where(User.status == "active", User.role == "member")
                    .order_by(User.id).limit(count)).all()
                if topic is None or not members:
                    raise BenchError("The seeded site has no open forum topic or no member "
                                     "to follow it; is the forums plugin enabled?")
                service = request.find_service(IForumService)
                for member in members:
                    service.subscribe(member, topic=topic)
                found = Topic(
                    topic.title,
                    urlsplit(service.topic_url(topic)).path,
                    request.route_path("forums_reply", id=topic.id),
                    tuple(member.username for member in members),
                )
        finally:
            env["registry"]["cortege.engine"].dispose()
    return found


def mail_jobs(url: str) -> dict:
    """The mail jobs of a mode's database, by status, and the attempts made."""
    from sqlalchemy import create_engine, func, select

    from core.db import normalise_url
    from core.jobs import Job
    from core.mail import MAIL_TASK

    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(Job.status, func.count(), func.coalesce(func.sum(Job.attempts), 0))
                .where(Job.task == MAIL_TASK).group_by(Job.status)).all()
    finally:
        engine.dispose()
    counts = Counter({status: count for status, count, _attempts in rows})
    counts["attempts"] = sum(int(attempts) for _status, _count, attempts in rows)
    return dict(counts)


# -- clients ----------------------------------------------------------------------------------


class Addresses:
    """Loopback addresses for the clients, a new one each time (127.1.0.1, 127.1.0.2...):
    the site limits registrations per client address, and all of 127.0.0.0/8 is this
    machine."""

    def __init__(self):
        self.numbers = itertools.count(1 << 16)

    def next(self) -> str:
        while True:
            number = next(self.numbers)
            if 0 < number % 256 < 255:
                return f"127.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"


@dataclass
class Site:
    """One mode's site and worker, and a logged-in admin's browser."""

    mode: str
    url: str
    ini: Path
    server: ServerProcess
    worker: WorkerProcess
    admin: Browser | None = None
    token: str = ""
    numbers: itertools.count = field(default_factory=lambda: itertools.count(1))


def register(site: Site, addresses: Addresses, tag: str) -> tuple[int, float]:
    """Fill and send the registration form, from a new client address: the answer's status
    and the seconds the POST took (the form's GET is not counted)."""
    number = next(site.numbers)
    username = f"b{tag}{number}"
    browser = Browser()
    connection = connect(site.server.port, addresses.next())
    try:
        status, page = get_page(connection, "/register", browser)
        token = csrf_token(page)
        if status != 200 or token is None:
            return status, math.nan
        status, location, seconds = post_form(connection, "/register", {
            "csrf_token": token, "invitation": "", "email": f"{username}@example.org",
            "display_name": f"Bench member {number}", "username": username,
            "password": PASSWORD,
        }, browser)
    finally:
        connection.close()
    if status == 303 and not urlsplit(location).path.startswith("/register/"):
        status = 0  # sent elsewhere than "check your email": the form was refused
    return status, seconds


def reply(site: Site, topic: Topic, connection: http.client.HTTPConnection,
          browser: Browser, tag: str) -> tuple[int, float]:
    """Reply to the topic as the admin: the answer's status and the seconds it took."""
    number = next(site.numbers)
    try:
        status, _location, seconds = post_form(connection, topic.reply_path, {
            "csrf_token": site.token,
            "body": f"Reply {number} of benchmark run {tag}: see you at the next meeting.",
        }, browser)
    except (OSError, http.client.HTTPException):
        connection.close()  # the next reply opens it again
        raise
    return status, seconds


def timed(result: LoadResult, lock: threading.Lock, action) -> None:
    """Run ``action()`` (which returns a status and seconds) and record it; 303 is success."""
    try:
        status, seconds = action()
    except (OSError, http.client.HTTPException) as exc:
        with lock:
            result.failures[exc.__class__.__name__] += 1
        return
    with lock:
        result.statuses[status] += 1
        if status == 303:
            result.latencies.append(seconds)


def run_clients(clients: int, requests: int, work) -> LoadResult:
    """``requests`` requests from ``clients`` clients started together, each sending its next
    one when the previous is answered. ``work(send, share)`` is one client: it calls
    ``send(action)`` for each of its ``share`` requests, ``action()`` making one."""
    result = LoadResult()
    lock = threading.Lock()
    shares = [requests // clients + (index < requests % clients) for index in range(clients)]
    barrier = threading.Barrier(clients)

    def client(share: int) -> None:
        barrier.wait()
        work(lambda action: timed(result, lock, action), share)

    threads = [threading.Thread(target=client, args=(share,), daemon=True) for share in shares]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.elapsed = time.perf_counter() - started
    return result


def registrations(site: Site, addresses: Addresses, tag: str, clients: int,
                  requests: int) -> LoadResult:
    def work(send, share: int) -> None:
        for _ in range(share):
            send(lambda: register(site, addresses, tag))

    return run_clients(clients, requests, work)


def replies(site: Site, topic: Topic, tag: str, clients: int, requests: int) -> LoadResult:
    def work(send, share: int) -> None:
        browser = site.admin.copy()
        connection = connect(site.server.port)  # one keep-alive connection per client
        try:
            for _ in range(share):
                send(lambda: reply(site, topic, connection, browser, tag))
        finally:
            connection.close()

    return run_clients(clients, requests, work)


# -- the run --------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.mail",
        description="Time POST /register and forum replies with mail off, with a mail server "
                    "that accepts, one that hangs and one that refuses; the site and a "
                    "worker run for each.",
    )
    parser.add_argument("--ini", default="development.ini",
                        help="settings to start from (default: %(default)s)")
    parser.add_argument("--database-url", default=None,
                        help="a PostgreSQL server URL: the run creates its databases there and "
                             "drops them after (default: temporary SQLite files)")
    parser.add_argument("--queue-url", default=None,
                        help="where jobs wait, e.g. redis://127.0.0.1:6379/1 (default: a "
                             "SQLite queue per mode, in the temporary folder)")
    parser.add_argument("--plugins", default=None,
                        help="plugins to enable (default: cortege.plugins of the ini); "
                             "without forums, only registration is timed")
    parser.add_argument("--members", type=int, default=0,
                        help="members the seeders add in bulk, besides the demo ones "
                             "(default: %(default)s)")
    parser.add_argument("--seed-args", default="", help="more options for `cortege seed`")
    parser.add_argument("--subscribers", type=int, default=8,
                        help="demo members who follow the topic: mails per reply "
                             "(default: %(default)s)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds, each mode measured once in each (default: %(default)s)")
    parser.add_argument("--requests", type=int, default=6,
                        help="requests per action, mode and round, one after another, and as "
                             "many again from concurrent clients (default: %(default)s)")
    parser.add_argument("--concurrency", type=int, default=3,
                        help="concurrent clients (default: %(default)s)")
    parser.add_argument("--threads", type=int, default=4,
                        help="waitress worker threads of each site (default: %(default)s)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary folder (settings, databases, mail)")
    return parser


def common_settings(plugins: list[str]) -> dict:
    """What every mode's site has: no posting limit in the forums, since one admin replies
    many times a minute (registration's limit is met with new client addresses instead)."""
    return {"forums.post_rate": "100000/minute"} if "forums" in plugins else {}


def queue_settings(args, folder: Path, mode: str, tag: str) -> dict:
    """Each mode's jobs wait in a queue of their own, for its own worker."""
    if args.queue_url:
        return {"cortege.queue_url": args.queue_url,
                "cortege.queue_name": f"bench-mail-{tag}-{mode}"}
    return {"cortege.queue_url": f"sqlite:///{folder / mode / 'queue.sqlite'}"}


def wait_for_workers(sites: list[Site], seconds: float = START_SECONDS) -> None:
    """Until each worker has tried to send a mail (the warm-up's): then a hanging server
    holds it already when the timing starts."""
    deadline = time.monotonic() + seconds
    waiting = list(sites)
    while waiting:
        waiting = [site for site in waiting if not mail_jobs(site.url).get("attempts")]
        for site in waiting:
            if not site.worker.running():
                raise BenchError(f"The {site.mode} worker stopped; see the log.")
        if waiting and time.monotonic() > deadline:
            raise BenchError("No mail job was tried within a minute by the workers of "
                             + ", ".join(site.mode for site in waiting) + "; see the log.")
        time.sleep(0.5)


def flush_queues(args, sites: list[Site]) -> None:
    if not args.queue_url:
        return
    from pyramid.paster import get_appsettings

    from core.jobs import make_huey

    for site in sites:
        make_huey(get_appsettings(str(site.ini))).flush()


@dataclass
class Line:
    action: str
    clients: int
    mode: str
    result: LoadResult

    @property
    def key(self) -> tuple[str, int]:
        return self.action, self.clients


def verdict(line: Line, reference: Line) -> tuple[float, float, str]:
    """The ratios of the median and of the 99th percentile to off's, and PASS, or MISS with
    what missed: errors, a median beyond 1.5 times off's ("x off"), a 99th percentile of a
    second or more ("p99")."""
    p50, p99 = line.result.percentile(0.50), line.result.percentile(0.99)
    ratio50 = p50 / reference.result.percentile(0.50)
    ratio99 = p99 / reference.result.percentile(0.99)
    missed = [reason for reason, failed in (
        ("errors", line.result.errors > 0),
        ("x off", not ratio50 <= MOST_RATIO),
        ("p99", not p99 < MOST_P99),
    ) if failed]
    return ratio50, ratio99, f"MISS ({', '.join(missed)})" if missed else "PASS"


HEADINGS = ("action", "mode", "ok", "p50 ms", "x off", "p99 ms", "x off", "errors",
            "verdict")
MAIL_HEADINGS = ("mode", "mail jobs", "sent", "waiting", "under way", "given up",
                 "attempts")


def table_lines(lines: list[Line]) -> list[tuple[str, ...]]:
    reference = {line.key: line for line in lines if line.mode == OFF}
    out = []
    for line in lines:
        result = line.result
        ratio50, ratio99, passed = verdict(line, reference[line.key])
        clients = "one at a time" if line.clients == 1 else f"{line.clients} at once"
        out.append((
            f"{line.action}, {clients}", line.mode, str(result.completed),
            _number(result.percentile(0.50) * 1000), _number(ratio50, 2),
            _number(result.percentile(0.99) * 1000), _number(ratio99, 2),
            str(result.errors) if result.errors else "", passed,
        ))
    return out


def mail_lines(jobs: dict[str, dict]) -> list[tuple[str, ...]]:
    return [(mode, str(sum(v for k, v in counts.items() if k != "attempts")),
             str(counts.get("done", 0)), str(counts.get("pending", 0)),
             str(counts.get("running", 0)),
             str(counts.get("dead", 0) + counts.get("refused", 0)),
             str(counts.get("attempts", 0))) for mode, counts in jobs.items()]


def conclusion(lines: list[Line], table: list[tuple[str, ...]], log: Path) -> str:
    """One paragraph: PASS, or what missed, and whether the errors are the mail's."""
    rule = (f"within {MOST_RATIO:g}x of off's median, 99th percentile under {MOST_P99:g} s, "
            "no errors")
    missed = [line for line, row in zip(lines, table) if row[-1] != "PASS"]
    if not missed:
        return f"PASS: every row {rule}."
    text = f"MISS: {len(missed)} of {len(lines)} rows are not {rule}."
    off_errors = {line.key for line in lines if line.mode == OFF and line.result.errors}
    if any(line.result.errors for line in missed):
        if all(line.key in off_errors for line in missed if line.result.errors):
            text += (" Every action that had errors had some with mail off too: they are not "
                     "the mail's.")
        text += f" {log.relative_to(PROJECT)} has the tracebacks."
    return text


def _number(value: float, digits: int = 1) -> str:
    return "-" if math.isnan(value) else f"{value:.{digits}f}"


class Clock:
    """Seconds since the run started, for the progress lines."""

    def __init__(self):
        self.started = time.perf_counter()

    def seconds(self) -> float:
        return time.perf_counter() - self.started

    def __str__(self) -> str:
        return f"[{self.seconds():.0f} s]"


def start_sites(args, stack: contextlib.ExitStack, source: Path, plugins: list[str],
                folder: Path, urls: dict, mail: dict, log: Path, tag: str) -> list[Site]:
    """A worker, then a site, for each mode; stopped when ``stack`` closes, then their
    queues emptied."""
    sites = []
    stack.callback(flush_queues, args, sites)
    for mode in MODES:
        (folder / mode).mkdir(parents=True, exist_ok=True)
        ini = write_bench_ini(source, folder / mode / "bench.ini", urls[mode], plugins, {
            **common_settings(plugins), **mail[mode], **queue_settings(args, folder, mode, tag)})
        worker = stack.enter_context(WorkerProcess(mode, ini, log))
        sites.append(Site(mode, urls[mode], ini, None, worker))
    for site in sites:
        site.server = stack.enter_context(
            ServerProcess(site.mode, ["cortege", str(site.ini)], log, args.threads))
    return sites


def log_in_admin(site: Site, topic: Topic | None, addresses: Addresses) -> None:
    """The admin's browser, and the CSRF token of the topic's reply form."""
    from core.seeding import DEMO_PASSWORD

    site.admin = log_in(site.server.port, "admin", DEMO_PASSWORD, addresses.next())
    if topic is None:
        return
    connection = connect(site.server.port)
    try:
        status, page = get_page(connection, topic.path, site.admin.copy())
    finally:
        connection.close()
    site.token = csrf_token(page) or ""
    if status != 200 or not site.token:
        raise BenchError(f"The topic {topic.path} answered {status} without a reply form.")


def run_rounds(args, sites: list[Site], topic: Topic | None, addresses: Addresses, tag: str,
               actions: list[str], clock: Clock) -> list[Line]:
    """Each round times every mode in turn, starting one mode further each time."""
    lines: dict[tuple, Line] = {}
    for number in range(args.rounds):
        turn = sites[number % len(sites):] + sites[:number % len(sites)]
        for site in turn:
            for clients in (1, args.concurrency):
                measured = measure(site, topic, addresses, tag, actions, clients,
                                   args.requests)
                for action, result in measured.items():
                    line = lines.setdefault((action, clients, site.mode),
                                            Line(action, clients, site.mode, LoadResult()))
                    line.result.latencies += result.latencies
                    line.result.statuses.update(result.statuses)
                    line.result.failures.update(result.failures)
                    line.result.elapsed += result.elapsed
        say(f"  {clock} round {number + 1} of {args.rounds} done.")
    return sorted(lines.values(), key=lambda line: (
        actions.index(line.action), line.clients, MODES.index(line.mode)))


def run(args) -> int:
    clock = Clock()
    source = (PROJECT / args.ini) if not Path(args.ini).is_absolute() else Path(args.ini)
    if args.plugins is None:
        plugins = read_app_settings(source).get("cortege.plugins", "").split()
    else:
        plugins = args.plugins.replace(",", " ").split()
    actions = [REGISTER, REPLY] if "forums" in plugins else [REGISTER]
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    out = RESULTS / f"mail-{stamp}"
    out.mkdir(parents=True, exist_ok=True)
    log = out / "bench.log"
    folder = Path(tempfile.mkdtemp(prefix="cortege-bench-mail-"))
    tag = secrets.token_hex(3)
    about = machine()
    about["revision"] = revision(PROJECT)
    addresses = Addresses()
    try:
        with scratch_database(args.database_url, folder) as seed_url:
            backend = seed_url.partition(":")[0].partition("+")[0]
            seed_ini = write_bench_ini(source, folder / "seed.ini", seed_url, plugins, {
                **common_settings(plugins),
                "cortege.queue_url": f"sqlite:///{folder / 'seed-queue.sqlite'}"})
            say(f"{clock} Seeding a {backend} database ({args.members} members besides the "
                f"demo ones; plugins: {' '.join(plugins) or 'none'}) ...")
            prepare(seed_ini, args.members, args.seed_args, log)
            topic = None
            if REPLY in actions:
                topic = follow_a_topic(seed_ini, args.subscribers)
                say(f"  {len(topic.subscribers)} members follow the topic "
                    f"\"{topic.title}\": each reply mails them all.")
            with (mail_settings(list(MODES), folder, log) as mail,
                  database_copies(seed_url, list(MODES), folder) as urls,
                  contextlib.ExitStack() as stack):
                say(f"{clock} Starting a site and a worker for each mode: "
                    f"{', '.join(MODES)} ...")
                sites = start_sites(args, stack, source, plugins, folder, urls, mail, log, tag)
                for site in sites:
                    log_in_admin(site, topic, addresses)
                    # Warm-up, not counted: templates compiled, a first mail for the worker.
                    measure(site, topic, addresses, tag, actions, 1, 1)
                wait_for_workers(sites)
                say(f"{clock} Timing {' and '.join(actions)}: {args.rounds} rounds; in each, "
                    f"every mode in turn, {args.requests} requests one at a time, then as many "
                    f"from {args.concurrency} clients at once.")
                lines = run_rounds(args, sites, topic, addresses, tag, actions, clock)
                time.sleep(2)  # the last mails of off and smtp-ok leave
                jobs = {site.mode: mail_jobs(site.url) for site in sites}
    finally:
        if args.keep:
            say(f"Kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)

    about["load_average_after"] = load_average()
    settings = {"database": backend, "plugins": plugins, "rounds": args.rounds,
                "requests": args.requests, "concurrency": args.concurrency,
                "threads": args.threads,
                "subscribers": list(topic.subscribers) if topic else []}
    report(out, log, about, settings, lines, jobs, clock)
    return 0


def report(out: Path, log: Path, about: dict, settings: dict, lines: list[Line],
           jobs: dict[str, dict], clock: Clock) -> None:
    """Print the tables and the verdict; save them with every time measured."""
    heading = (f"{about['date']} - {about['cpu']}, {about['cores']} cores - Python "
               f"{about['python']} - {settings['database']} - {settings['rounds']} rounds of "
               f"{settings['requests']} requests per action and mode, one at a time and from "
               f"{settings['concurrency']} clients - {len(settings['subscribers'])} mails per "
               f"reply - revision {about['revision']} - load average "
               f"{about['load_average']:g} before, {about['load_average_after']:g} after - "
               f"{clock.seconds():.0f} s")
    table = table_lines(lines)
    say()
    say(heading)
    say()
    say(render_text(HEADINGS, table))
    say()
    say("Mail jobs at the end of the run (the worker's side):")
    say()
    say(render_text(MAIL_HEADINGS, mail_lines(jobs), left=1))
    say()
    say(conclusion(lines, table, log))
    (out / "results.json").write_text(json.dumps({
        "machine": about, "settings": settings,
        "lines": [{"action": line.action, "clients": line.clients, "mode": line.mode,
                   "latencies_ms": [round(value * 1000, 2) for value in line.result.latencies],
                   "statuses": {str(k): v for k, v in line.result.statuses.items()},
                   "failures": dict(line.result.failures)} for line in lines],
        "mail_jobs": jobs,
    }, indent=2) + "\n", encoding="utf-8")
    (out / "results.md").write_text(
        f"{heading}\n\n{render_markdown(HEADINGS, table)}\n\n"
        f"{render_markdown(MAIL_HEADINGS, mail_lines(jobs), left=1)}\n", encoding="utf-8")
    say()
    say(f"Saved in {out.relative_to(PROJECT)}/ (results.json, results.md, bench.log).")


def measure(site: Site, topic: Topic | None, addresses: Addresses, tag: str,
            actions: list[str], clients: int, requests: int) -> dict[str, LoadResult]:
    measured = {REGISTER: registrations(site, addresses, tag, clients, requests)}
    if REPLY in actions:
        measured[REPLY] = replies(site, topic, tag, clients, requests)
    return measured


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if min(args.rounds, args.requests, args.concurrency, args.threads, args.subscribers) < 1 \
            or args.members < 0:
        parser.error("--members cannot be negative; the other numbers must be more than zero")
    try:
        return run(args)
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
