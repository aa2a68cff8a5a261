"""A real worker process: mail leaves from it, on a SQLite queue and on Redis; a worker
killed in the middle of a job leaves the job to be done again, and the mail arrives once; a
hanging or refusing mail server slows no page."""

import asyncio
import email
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import webtest
from sqlalchemy import create_engine, select

from core import make_config
from core.cli import main as cortege
from core.db import normalise_url
from core.jobs import DONE, Job

CORTEGE = str(Path(sys.executable).with_name("cortege"))
# The worker finds the sample plugins where the tests find them.
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join(
    [str(Path(__file__).parents[1] / "sample_plugins"), os.environ.get("PYTHONPATH", "")])}
REDIS = "redis://127.0.0.1:6379/15"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Recorder:
    """An SMTP server's handler that keeps what it receives; it can stall the first
    ``stall`` recipients for a long time, as a server that stops answering would."""

    def __init__(self, stall: int = 0):
        self.stall = stall
        self.stalled = 0
        self.envelopes = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.stalled < self.stall:
            self.stalled += 1
            await asyncio.sleep(120)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp(request):
    from aiosmtpd.controller import Controller

    recorder = Recorder(stall=getattr(request, "param", 0))
    controller = Controller(recorder, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller.port, recorder
    controller.stop()


def redis_available() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
        return True
    except Exception:  # noqa: BLE001
        return False


@pytest.fixture(params=["sqlite", "redis"])
def queue_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/queue.sqlite"
    if not redis_available():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    return REDIS


class Site:
    """An ini file on a migrated database, the app built from it, and its worker."""

    def __init__(self, tmp_path, database_url, queue_url, mail_port):
        self.queue_name = f"test-{secrets.token_hex(4)}"
        self.log = tmp_path / "worker.log"  # what the workers said, for a failing test
        self.ini = tmp_path / "site.ini"
        self.ini.write_text(
            "[app:main]\nuse = egg:cortege\n"
            f"sqlalchemy.url = {database_url}\n"
            "cortege.plugins = notes\n"
            "cortege.session_secret = worker-test-secret-" + "w" * 32 + "\n"
            "cortege.mail_backend = smtp\n"
            f"mail.host = 127.0.0.1\nmail.port = {mail_port}\n"
            "mail.default_sender = cortege@example.org\n"
            f"cortege.queue_url = {queue_url}\ncortege.queue_name = {self.queue_name}\n"
            "cortege.job_lease = 2\n"
            "cortege.site_url = https://cortege.example.org\n"
            f"cortege.uploads_directory = {tmp_path}/uploads\n",
            encoding="utf-8")
        assert cortege(["db", "upgrade", str(self.ini)]) == 0
        assert cortege(["user", "add", str(self.ini), "--email", "ana@example.org",
                        "--name", "Ana", "--username", "ana",
                        "--password", "a long and unusual passphrase"]) == 0
        from pyramid.paster import get_appsettings

        self.app = make_config(dict(get_appsettings(str(self.ini)))).make_wsgi_app()
        self.engine = create_engine(normalise_url(database_url))
        self.workers = []

    def start_worker(self):
        with open(self.log, "ab") as log:
            worker = subprocess.Popen([CORTEGE, "worker", str(self.ini), "--no-periodic"],
                                      stdout=log, stderr=log, env=ENV)
        self.workers.append(worker)
        return worker

    def browser(self, logged_in=True):
        browser = webtest.TestApp(self.app, extra_environ={"HTTP_HOST": "localhost",
                                                           "REMOTE_ADDR": "127.0.0.1"})
        if logged_in:
            form = browser.get("/login").forms["login-form"]
            form["login"], form["password"] = "ana", "a long and unusual passphrase"
            form.submit(status=303)
        return browser

    def post_note(self, body):
        browser = self.browser()
        token = browser.get("/account").html.select_one('input[name="csrf_token"]')["value"]
        browser.post("/notes", {"body": body, "csrf_token": token}, status=303)

    def jobs(self, task=None):
        with self.engine.connect() as connection:
            query = select(Job.task, Job.status, Job.attempts).order_by(Job.id)
            if task:
                query = query.where(Job.task == task)
            return connection.execute(query).all()

    def close(self):
        for worker in self.workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGINT)
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()
        huey = self.app.registry["cortege.huey"]
        huey.flush()
        self.engine.dispose()
        self.app.registry["cortege.engine"].dispose()


@pytest.fixture
def make_site(tmp_path, scratch_database_url):
    sites = []

    def factory(queue_url, mail_port):
        site = Site(tmp_path, scratch_database_url, queue_url, mail_port)
        sites.append(site)
        return site

    yield factory
    for site in sites:
        site.close()


def wait_for(condition, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_a_worker_sends_the_mail_an_event_asked_for(make_site, queue_url, smtp):
    port, recorder = smtp
    site = make_site(queue_url, port)
    site.start_worker()
    site.post_note("See you at the market")
    assert wait_for(lambda: len(recorder.envelopes) == 1)
    [envelope] = recorder.envelopes
    assert envelope.rcpt_tos == ["ana@example.org"]
    body = email.message_from_bytes(envelope.content).get_payload(decode=True).decode()
    assert "See you at the market" in body
    assert wait_for(lambda: {status for _t, status, _a in site.jobs()} == {DONE})
    assert [task for task, _s, _a in site.jobs()].count("cortege.mail") == 1


@pytest.mark.parametrize("smtp", [1], indirect=True)
def test_a_worker_killed_mid_job_leaves_it_to_be_done_again_once(make_site, smtp, tmp_path):
    port, recorder = smtp  # the first recipient stalls: the worker waits on the server
    site = make_site(f"sqlite:///{tmp_path}/queue.sqlite", port)
    worker = site.start_worker()
    site.post_note("Meeting moved to Thursday")
    assert wait_for(lambda: recorder.stalled == 1 and
                    ("cortege.mail", "running", 1) in site.jobs("cortege.mail"))
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)
    assert recorder.envelopes == []
    time.sleep(2.5)  # the claim lapses (cortege.job_lease = 2)
    result = subprocess.run([CORTEGE, "worker", str(site.ini), "--drain"], capture_output=True,
                            text=True, timeout=60, env=ENV, check=False)
    assert result.returncode == 0, result.stderr
    assert len(recorder.envelopes) == 1
    assert site.jobs("cortege.mail") == [("cortege.mail", DONE, 2)]
    # Nothing is left to send it twice.
    subprocess.run([CORTEGE, "worker", str(site.ini), "--drain"], timeout=60, check=True,
                   capture_output=True, env=ENV)
    assert len(recorder.envelopes) == 1


@pytest.fixture
def hanging_server():
    """Accepts connections and never says a word, as a mail server that hangs."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(50)
    yield server.getsockname()[1]
    server.close()


def timed_reset_request(site) -> float:
    browser = site.browser(logged_in=False)
    form = browser.get("/password/forgot").forms["forgot-form"]
    form["email"] = "ana@example.org"
    started = time.perf_counter()
    form.submit(status=303)
    return time.perf_counter() - started


def test_a_hanging_or_refusing_mail_server_slows_no_page(make_site, hanging_server, tmp_path):
    site = make_site(f"sqlite:///{tmp_path}/queue.sqlite", hanging_server)
    site.start_worker()
    timed_reset_request(site)  # warm up
    durations = [timed_reset_request(site) for _ in range(2)]  # 3 an hour per address
    # Sending to this server takes the mailer's 10 s timeout; the page waits for none of it.
    assert max(durations) < 2, durations
    assert wait_for(lambda: any(status == "running" for task, status, _a
                                in site.jobs("cortege.mail")), timeout=30)


def test_a_refusing_mail_server_leaves_the_mail_to_be_tried_again(make_site, tmp_path):
    site = make_site(f"sqlite:///{tmp_path}/queue.sqlite", free_port())  # nobody listens
    site.start_worker()
    assert timed_reset_request(site) < 2
    assert wait_for(lambda: site.jobs("cortege.mail") and
                    site.jobs("cortege.mail")[0][1:] == ("pending", 1), timeout=15)
