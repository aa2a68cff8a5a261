"""``python -m bench.writes``: members writing at the same time, counting what they get back.

The site is served as ``pserve development.ini`` serves it (waitress, 4 threads, the same
settings, on a scratch database: a SQLite file by default), seeded with ``cortege seed``.
Each member logs in through the login form from an address of their own (127.0.0.x), then,
until the time is up, goes round: read a forum topic (which marks it read) and reply to it;
open an event and say they are going, or no longer; open a public group and join it, or leave
it; read the member directory. Every fifteen seconds a member logs in again. Answers are
counted by status; a 500 is a failure of the site. Rate limits on posting are lifted, so that
every reply is a write. ``python -m bench.writes --help`` lists the options.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import math
import re
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlencode

from bench import BenchError
from bench.database import PROJECT, prepare, scratch_database, write_bench_ini
from bench.load import HOST, SOCKET_TIMEOUT, Browser
from bench.report import load_average, machine, revision
from bench.servers import ServerProcess

RESULTS = PROJECT / "bench" / "results"
RELOGIN_SECONDS = 15
ACTIONS = ("login", "read topic", "reply", "read event", "answer event", "read group",
           "join or leave", "directory")


class Tally:
    """Statuses and times per action, from every member's thread."""

    def __init__(self):
        self.lock = threading.Lock()
        self.statuses: dict[str, Counter] = defaultdict(Counter)
        self.times: dict[str, list[float]] = defaultdict(list)

    def add(self, action: str, status: int | str, seconds: float) -> None:
        with self.lock:
            self.statuses[action][status] += 1
            self.times[action].append(seconds)

    def rows(self) -> list[dict]:
        rows = []
        for action in ACTIONS:
            times = sorted(self.times.get(action, []))
            if not times:
                continue
            rows.append({"action": action, "requests": len(times),
                         "p50_ms": round(_percentile(times, 0.5) * 1000, 1),
                         "p95_ms": round(_percentile(times, 0.95) * 1000, 1),
                         "max_ms": round(times[-1] * 1000, 1),
                         "statuses": {str(k): v for k, v in sorted(
                             self.statuses[action].items(), key=lambda item: str(item[0]))}})
        return rows

    def count(self, test) -> int:
        return sum(n for counter in self.statuses.values() for status, n in counter.items()
                   if test(status))


def _percentile(ordered: list[float], fraction: float) -> float:
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)] if ordered else math.nan


class Member:
    """One member's browser: cookies, and connections from the member's own address."""

    def __init__(self, port: int, number: int, username: str, password: str, tally: Tally):
        self.port, self.username, self.password, self.tally = port, username, password, tally
        self.address = f"127.0.{1 + number // 250}.{1 + number % 250}"
        self.browser = Browser()
        self.connection = self._connect()

    def _connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(HOST, self.port, timeout=SOCKET_TIMEOUT,
                                          source_address=(self.address, 0))

    def request(self, action: str, method: str, path: str, form: dict | None = None) -> str:
        """Send one request; count its status and time; return the page's text."""
        headers = self.browser.headers()
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as exc:
            self.tally.add(action, exc.__class__.__name__, time.perf_counter() - started)
            self.connection.close()
            self.connection = self._connect()
            return ""
        self.tally.add(action, response.status, time.perf_counter() - started)
        self.browser.keep(response)
        if response.will_close:
            self.connection.close()
            self.connection = self._connect()
        return text

    def read_then_post(self, reading: str, writing: str, path: str, action: str,
                       form: dict) -> None:
        page = self.request(reading, "GET", path)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        if token:
            self.request(writing, "POST", action, {"csrf_token": token.group(1), **form})

    def log_in(self) -> None:
        self.browser = Browser()
        self.read_then_post("login", "login", "/login", "/login",
                            {"login": self.username, "password": self.password})

    def run(self, places: dict, deadline: float) -> None:
        self.log_in()
        logged_at = time.monotonic()
        round_ = 0
        while time.monotonic() < deadline:
            if time.monotonic() - logged_at >= RELOGIN_SECONDS:
                self.log_in()
                logged_at = time.monotonic()
            self.read_then_post("read topic", "reply", places["topic_path"],
                                f"/forums/topic/{places['topic_id']}/reply",
                                {"body": f"Round {round_} from {self.username}"})
            self.read_then_post("read event", "answer event", f"/agenda/{places['event_id']}",
                                f"/agenda/{places['event_id']}/rsvp",
                                {"status": ("going", "not_going")[round_ % 2], "guests": "0"})
            self.read_then_post("read group", "join or leave", f"/groups/{places['group']}",
                                f"/groups/{places['group']}/membership",
                                {"action": ("join", "leave")[round_ % 2]})
            self.request("directory", "GET", "/members")
            round_ += 1
        self.connection.close()


def find_places(url: str, members: int) -> tuple[dict, list[str]]:
    """A forum topic, an open event and a public group from the seeded content, and the
    usernames of seeded members (who all have the demo password)."""
    from sqlalchemy import create_engine, text

    from core.db import normalise_url

    engine = create_engine(normalise_url(url))
    try:
        with engine.connect() as connection:
            topic = connection.execute(text(
                "SELECT t.id, t.slug, f.slug FROM forums_topic t JOIN forums_forum f "
                "ON f.id = t.forum_id WHERE f.group_id IS NULL AND NOT f.closed "
                "AND NOT t.closed AND NOT t.hidden ORDER BY t.id LIMIT 1")).first()
            event = connection.execute(text(
                "SELECT id FROM agenda_event WHERE status = 'scheduled' AND group_id IS NULL "
                "AND starts_at > CURRENT_TIMESTAMP AND rsvp_deadline IS NULL "
                "ORDER BY starts_at LIMIT 1")).scalar()
            group = connection.execute(text(
                "SELECT slug FROM groups_group WHERE status = 'public' ORDER BY id "
                "LIMIT 1")).scalar()
            usernames = connection.execute(text(
                "SELECT username FROM users WHERE username LIKE 'member%' AND status = "
                "'active' ORDER BY id LIMIT :n"), {"n": members}).scalars().all()
    finally:
        engine.dispose()
    if topic is None or event is None or group is None:
        raise BenchError("The seeded site has no open forum topic, upcoming event or public "
                         "group to write in; are forums, agenda and groups enabled?")
    if len(usernames) < members:
        raise BenchError(f"Only {len(usernames)} seeded members to log in as.")
    return {"topic_id": topic[0], "topic_path": f"/forums/{topic[2]}/{topic[0]}-{topic[1]}",
            "event_id": event, "group": group}, list(usernames)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bench.writes",
        description="Members writing at the same time against the site served as pserve "
                    "serves it; answers counted by status.")
    parser.add_argument("--ini", default="development.ini",
                        help="settings to start from (default: %(default)s)")
    parser.add_argument("--members", type=int, default=20,
                        help="members writing at the same time (default: %(default)s)")
    parser.add_argument("--seconds", type=float, default=60.0,
                        help="how long they write (default: %(default)s)")
    parser.add_argument("--threads", type=int, default=4,
                        help="waitress threads, 4 as under pserve (default: %(default)s)")
    parser.add_argument("--database-url", default=None,
                        help="a PostgreSQL server URL (default: a temporary SQLite file)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    return parser


def run(args) -> int:
    from core.seeding import DEMO_PASSWORD

    source = (PROJECT / args.ini) if not Path(args.ini).is_absolute() else Path(args.ini)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    out = RESULTS / f"{stamp}-writes"
    out.mkdir(parents=True, exist_ok=True)
    log = out / "bench.log"
    folder = Path(tempfile.mkdtemp(prefix="cortege-writes-"))
    about = machine()
    about["revision"] = revision(PROJECT)
    tally = Tally()
    try:
        with scratch_database(args.database_url, folder) as url:
            backend = url.partition(":")[0].partition("+")[0]
            ini = write_bench_ini(source, folder / "bench.ini", url,
                                  overrides={"forums.post_rate": "100000/minute"})
            print(f"Seeding a {backend} database ...", flush=True)
            prepare(ini, args.members, "", log)
            places, usernames = find_places(url, args.members)
            with ServerProcess("cortege", ["cortege", str(ini)], log, args.threads) as server:
                print(f"{args.members} members writing for {args.seconds:g} s; waitress with "
                      f"{args.threads} threads ...", flush=True)
                members = [Member(server.port, number, username, DEMO_PASSWORD, tally)
                           for number, username in enumerate(usernames)]
                deadline = time.monotonic() + args.seconds
                threads = [threading.Thread(target=member.run, args=(places, deadline),
                                            daemon=True) for member in members]
                started = time.perf_counter()
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join(args.seconds + SOCKET_TIMEOUT * 4)
                elapsed = time.perf_counter() - started
                peak_mb = server.peak_rss_mb()
    finally:
        if args.keep:
            print(f"Kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)

    rows = tally.rows()
    errors = tally.count(lambda status: not isinstance(status, int) or status >= 500)
    posts = {"login": 0.5, "reply": 1, "answer event": 1, "join or leave": 1}  # login: GET+POST
    writes = sum(row["requests"] * posts.get(row["action"], 0) for row in rows)
    summary = {
        "machine": about | {"load_average_after": load_average()},
        "settings": {"database": backend, "members": args.members, "seconds": args.seconds,
                     "threads": args.threads, "ini": str(args.ini)},
        "elapsed_seconds": round(elapsed, 1),
        "requests": sum(row["requests"] for row in rows),
        "server_errors": errors, "server_peak_rss_mb": round(peak_mb, 1),
        "actions": rows,
    }
    lines = [(f"{about['date']} - {about['cpu']}, {about['cores']} cores - {backend} - "
             f"{args.members} members for {args.seconds:g} s, {args.threads} waitress threads "
             f"- revision {about['revision']}"), "",
             "| action | requests | p50 ms | p95 ms | max ms | statuses |",
             "|---|---:|---:|---:|---:|---|"]
    for row in rows:
        statuses = ", ".join(f"{status}: {n}" for status, n in row["statuses"].items())
        lines.append(f"| {row['action']} | {row['requests']} | {row['p50_ms']} | "
                     f"{row['p95_ms']} | {row['max_ms']} | {statuses} |")
    lines += ["", (f"{summary['requests']} requests in {elapsed:.0f} s "
                  f"({summary['requests'] / elapsed:.0f}/s, about {writes / elapsed:.0f} "
                  f"writes/s); answers of 500 and above, or none: {errors}; peak memory of "
                  f"the server process: {peak_mb:.0f} MiB.")]
    print("\n".join(lines))
    (out / "results.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    (out / "results.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"\nSaved in {out.relative_to(PROJECT)}/ (results.json, results.md, bench.log).")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.members < 1 or args.members > 62000 or args.threads < 1 or args.seconds <= 0:
        parser.error("--members, --threads and --seconds must be more than zero")
    try:
        return run(args)
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
