"""Jobs: work done after the request, by a worker, without losing any of it.

A job is a row of the ``jobs`` table, written in the same database transaction as the change
that asked for it (``defer``), so a request that fails asks for nothing and a request that
commits cannot lose its jobs. Once the transaction commits, the job ids are handed to Huey,
whose consumer (``cortege worker INI``) runs them (``run_job``): it claims the row, runs the
task in a transaction of its own and marks the row done in that same transaction. A task that
fails is tried again later with a growing delay, up to its ``max_attempts``; then it is dead,
listed in the admin area with a button to try again. A task that can never succeed (a refused
mail recipient) raises ``JobRefused`` and is kept, refused, for admins to see.

Huey is only the messenger: a job whose Huey message was lost (a worker killed in the middle,
a queue flushed) is found again by the sweeper, a periodic task that hands over every job
whose time has come and whose claim has lapsed. Storage for Huey is chosen by
``cortege.queue_url``: ``sqlite:///path`` (the embedded default, next to the database),
``redis://host:6379/0`` (production, shared by the workers of several machines) or
``immediate:`` (tests: the job runs as soon as the request commits, in the same thread).

Plugins add tasks with ``config.add_job_task(name, task, max_attempts=8)``, where
``task(request, **args)`` receives a request built for the job (``job_request``: the
registry, a database session joined to the job's transaction, links built from
``cortege.site_url``) and the JSON arguments given to ``defer``; and periodic tasks with
``config.add_periodic_task(name, task, minute="*/5", hour="*", ...)``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import threading
import traceback
from dataclasses import dataclass
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text, func, or_, select, update
from sqlalchemy.orm import Mapped, mapped_column
from zope.sqlalchemy import mark_changed

from core.db import Base, UTCDateTime, utcnow
from core.extensions import plugin_of, register_item, registered, registered_map

log = logging.getLogger(__name__)

TASKS = "cortege job tasks"
PERIODIC_TASKS = "cortege periodic tasks"

PENDING, RUNNING, DONE, DEAD, REFUSED = "pending", "running", "done", "dead", "refused"
STATUSES = (PENDING, RUNNING, DONE, DEAD, REFUSED)
FAILED_STATUSES = (DEAD, REFUSED)

# Keys of a request's environ that the jobs it asks for inherit when they run at once in the
# same thread: the tests' database connection.
INHERITED = ("cortege.test_connection",)
_handing_over = threading.local()

FIRST_DELAY = 30  # seconds before the second attempt; doubles at each attempt
MOST_DELAY = 6 * 3600
KEEP_DONE = dt.timedelta(days=7)  # done jobs are deleted after this


class Job(Base):
    """Work to do after a commit, and what became of it."""

    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_due", "status", "run_after"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task: Mapped[str] = mapped_column(String(100))
    args: Mapped[dict] = mapped_column(JSON, default=dict)
    # Two jobs with the same key are one: the second is not written (delivery keys).
    key: Mapped[str | None] = mapped_column(String(200), unique=True)
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=8)
    run_after: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    lease_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    summary: Mapped[str | None] = mapped_column(String(300))
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class JobRefused(Exception):
    """Raised by a task that can never succeed: the job is not tried again."""


@dataclass(frozen=True)
class JobTask:
    name: str
    task: Any
    max_attempts: int = 8
    plugin: str = "core"


@dataclass(frozen=True)
class PeriodicTask:
    name: str
    task: Any
    schedule: dict
    plugin: str = "core"


def add_job_task(config, name: str, task, max_attempts: int = 8) -> None:
    """``task(request, **args)`` runs for each job deferred under ``name``."""
    item = JobTask(name, config.maybe_dotted(task), max_attempts, plugin_of(config))
    register_item(config, TASKS, name, item)


def add_periodic_task(config, name: str, task, **schedule) -> None:
    """``task(request)`` runs on a schedule given as crontab fields (``minute="*/5"``,
    ``hour="7"``...; a field left out means every), in one transaction, in the worker."""
    item = PeriodicTask(name, config.maybe_dotted(task), schedule, plugin_of(config))
    register_item(config, PERIODIC_TASKS, name, item)


# -- asking for work -----------------------------------------------------------------------


def defer(request, task: str, args: dict | None = None, *, key: str | None = None,
          delay: float = 0, max_attempts: int | None = None, summary: str | None = None,
          ) -> int | None:
    """Write a job in the request's transaction; it runs once the transaction commits.

    ``args`` must be JSON: ids and plain values, never ORM objects. A job whose ``key`` was
    already written is not written again (and None is returned).
    """
    registry = request.registry
    spec = registered_map(registry, TASKS).get(task)
    if spec is None:
        raise LookupError(f"No job task is called {task!r}; register it with add_job_task.")
    now = utcnow()
    values = {
        "task": task, "args": dict(args or {}), "key": key, "status": PENDING, "attempts": 0,
        "max_attempts": max_attempts or spec.max_attempts,
        "run_after": now + dt.timedelta(seconds=delay), "summary": (summary or "")[:300] or None,
        "created_at": now,
    }
    dbsession = request.dbsession
    if key is None:
        job_id = dbsession.execute(Job.__table__.insert().values(**values)
                                   .returning(Job.__table__.c.id)).scalar_one()
    else:
        job_id = dbsession.execute(_insert_ignoring_key(dbsession, values)).scalar()
        if job_id is None:
            return None
    mark_changed(dbsession)
    _hand_over_after_commit(request, job_id, delay)
    return job_id


def _insert_ignoring_key(dbsession, values):
    dialect = dbsession.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return (insert(Job.__table__).values(**values)
            .on_conflict_do_nothing(index_elements=["key"]).returning(Job.__table__.c.id))


def _hand_over_after_commit(request, job_id: int, delay: float) -> None:
    transaction = request.tm.get()
    pending = transaction.data(_hand_over_after_commit) if _has_data(transaction) else None
    if pending is None:
        pending = []
        transaction.set_data(_hand_over_after_commit, pending)
        inherited = {key: request.environ[key] for key in INHERITED if key in request.environ}
        transaction.addAfterCommitHook(_hand_over, args=(request.registry, pending, inherited))
    pending.append((job_id, delay))


def _has_data(transaction) -> bool:
    try:
        transaction.data(_hand_over_after_commit)
    except KeyError:
        return False
    return True


def _hand_over(committed: bool, registry, pending: list, inherited: dict) -> None:
    if not committed:
        return
    # A job run at once (immediate mode, tests) runs with what its request was given.
    saved = getattr(_handing_over, "environ", None)
    _handing_over.environ = inherited
    try:
        for job_id, delay in pending:
            hand_over(registry, job_id, delay)
    finally:
        _handing_over.environ = saved


def hand_over(registry, job_id: int, delay: float = 0) -> None:
    """Give Huey the job's id. When the queue is down the sweeper will find the job later."""
    task = registry["cortege.huey_tasks"]["run_job"]
    try:
        if delay > 0:
            task.schedule((job_id,), delay=delay)
        else:
            task(job_id)
    except Exception:
        log.warning("could not hand job %s to the queue; the sweeper will", job_id,
                    exc_info=True)


# -- doing the work ------------------------------------------------------------------------


@contextlib.contextmanager
def job_request(registry):
    """A request for work done outside any web request: the registry, ``request.tm``,
    ``request.dbsession`` joined to it, and links built from ``cortege.site_url``."""
    from pyramid.request import Request
    from pyramid.scripting import prepare

    request = Request.blank("/", base_url=registry.settings["cortege.site_url"])
    extra = getattr(_handing_over, "environ", None) or registry.get("cortege.job_environ")
    request.environ.update((extra() if callable(extra) else extra) or {})
    env = prepare(request=request, registry=registry)
    try:
        yield env["request"]
    finally:
        env["closer"]()


def backoff(attempts: int) -> int:
    """Seconds to wait after the ``attempts``-th failure: 30 s, 1 min, 2 min... up to 6 h."""
    return min(MOST_DELAY, FIRST_DELAY * 2 ** max(0, attempts - 1))


def run_job(registry, job_id: int) -> str | None:
    """Claim the job, run its task, record the outcome; returns the new status, or None when
    the job was not there to claim (done already, claimed by another worker, not yet due)."""
    now = utcnow()
    settings = registry.settings
    with job_request(registry) as request, request.tm:
        claimed = request.dbsession.execute(
            update(Job)
            .where(Job.id == job_id, or_(
                (Job.status == PENDING) & (Job.run_after <= now),
                (Job.status == RUNNING) & (Job.lease_until < now),
            ))
            .values(status=RUNNING, attempts=Job.attempts + 1,
                    lease_until=now + dt.timedelta(seconds=settings["cortege.job_lease"]))
        ).rowcount
        if not claimed:
            return None
        mark_changed(request.dbsession)
        job = request.dbsession.execute(
            select(Job.task, Job.args, Job.attempts, Job.max_attempts).where(Job.id == job_id)
        ).one()
    spec = registered_map(registry, TASKS).get(job.task)
    try:
        if spec is None:
            raise JobRefused(f"no task is called {job.task!r} (is its plugin switched off?)")
        with job_request(registry) as request, request.tm:
            spec.task(request, **job.args)
            request.dbsession.execute(
                update(Job).where(Job.id == job_id)
                .values(status=DONE, finished_at=utcnow(), lease_until=None, last_error=None)
            )
            mark_changed(request.dbsession)
        return DONE
    except JobRefused as exc:
        log.warning("job %s (%s) refused: %s", job_id, job.task, exc)
        return _failed(registry, job_id, REFUSED, str(exc))
    except Exception:
        error = traceback.format_exc(limit=8)
        log.exception("job %s (%s) failed, attempt %s of %s", job_id, job.task, job.attempts,
                      job.max_attempts)
        if job.attempts >= job.max_attempts:
            return _failed(registry, job_id, DEAD, error)
        delay = backoff(job.attempts)
        _failed(registry, job_id, PENDING, error, run_after=utcnow() + dt.timedelta(seconds=delay))
        hand_over(registry, job_id, delay)
        return PENDING


def _failed(registry, job_id: int, status: str, error: str, run_after=None) -> str:
    values = {"status": status, "lease_until": None, "last_error": error[-4000:]}
    if run_after is not None:
        values["run_after"] = run_after
    else:
        values["finished_at"] = utcnow()
    with job_request(registry) as request, request.tm:
        request.dbsession.execute(update(Job).where(Job.id == job_id).values(**values))
        mark_changed(request.dbsession)
    return status


def sweep(registry, now: dt.datetime | None = None, limit: int = 1000) -> int:
    """Hand over the jobs that are due and not running (their message may have been lost),
    and those whose claim lapsed; delete done jobs older than a week. Returns how many."""
    now = now or utcnow()
    with job_request(registry) as request, request.tm:
        due = request.dbsession.scalars(
            select(Job.id).where(or_(
                (Job.status == PENDING) & (Job.run_after <= now),
                (Job.status == RUNNING) & (Job.lease_until < now),
            )).order_by(Job.id).limit(limit)
        ).all()
        request.dbsession.execute(
            Job.__table__.delete().where(Job.status == DONE, Job.finished_at < now - KEEP_DONE)
        )
        mark_changed(request.dbsession)
    for job_id in due:
        hand_over(registry, job_id)
    return len(due)


def drain(registry, limit: int = 100000) -> int:
    """Run, in this process, every job due now (and those they ask for), then return how
    many ran: ``cortege worker INI --drain``, for a site without a resident worker."""
    done = 0
    while done < limit:
        with job_request(registry) as request, request.tm:
            due = request.dbsession.scalars(
                select(Job.id).where(or_(
                    (Job.status == PENDING) & (Job.run_after <= utcnow()),
                    (Job.status == RUNNING) & (Job.lease_until < utcnow()),
                )).order_by(Job.id).limit(100)
            ).all()
        ran = [job_id for job_id in due if run_job(registry, job_id) is not None]
        if not ran:
            return done
        done += len(ran)
    return done


def retry(request, job_id: int) -> bool:
    """Try a dead or refused job again (the admin's button); True when it was one."""
    changed = request.dbsession.execute(
        update(Job).where(Job.id == job_id, Job.status.in_(FAILED_STATUSES))
        .values(status=PENDING, attempts=0, run_after=utcnow(), finished_at=None)
    ).rowcount
    if changed:
        mark_changed(request.dbsession)
        _hand_over_after_commit(request, job_id, 0)
    return bool(changed)


def queue_counts(dbsession) -> dict[str, int]:
    rows = dbsession.execute(select(Job.status, func.count()).group_by(Job.status)).all()
    counts = dict.fromkeys(STATUSES, 0)
    counts.update({status: count for status, count in rows})
    return counts


# -- Huey ----------------------------------------------------------------------------------


def make_huey(settings: dict):
    """The Huey instance named by ``cortege.queue_url``."""
    import huey

    url = settings["cortege.queue_url"]
    name = settings["cortege.queue_name"]
    if url.startswith("immediate:"):
        return huey.MemoryHuey(name, immediate=True)
    if url.startswith(("redis://", "rediss://", "unix://")):
        return huey.RedisHuey(name, url=url)
    if url.startswith("sqlite:///"):
        path = os.path.abspath(url.removeprefix("sqlite:///"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        return huey.SqliteHuey(name, filename=path)
    raise ValueError(f"cortege.queue_url {url!r} is not sqlite:///, redis:// or immediate:")


def default_queue_url(settings: dict) -> str:
    """A SQLite queue next to a SQLite database file, else ``var/queue.sqlite`` (relative
    to the current folder, like the uploads' default): it serves one machine; production
    names a Redis server that every machine's workers share."""
    from sqlalchemy.engine import make_url

    url = make_url(settings["sqlalchemy.url"])
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        folder = os.path.dirname(os.path.abspath(url.database))
    else:
        folder = "var"
    return "sqlite:///" + os.path.join(folder, "queue.sqlite")


def register_huey_tasks(config) -> None:
    """Huey's tasks and the plugins' schedules; called once every plugin is included."""
    from huey import crontab

    registry = config.registry
    huey = registry["cortege.huey"]

    @huey.task(name="cortege.run_job")
    def run_job_task(job_id):
        run_job(registry, job_id)

    @huey.periodic_task(crontab(), name="cortege.sweep")
    def sweep_task():
        sweep(registry)

    tasks = {"run_job": run_job_task, "sweep": sweep_task}
    for item in registered(registry, PERIODIC_TASKS):
        tasks[item.name] = huey.periodic_task(crontab(**item.schedule), name=item.name)(
            _periodic(registry, item))
    registry["cortege.huey_tasks"] = tasks


def _periodic(registry, item: PeriodicTask):
    def run():
        with job_request(registry) as request, request.tm:
            item.task(request)

    run.__name__ = item.name.replace(".", "_")
    return run


def _deliver_mail(request, **message) -> None:
    from core.mail import deliver

    deliver(request, **message)


def includeme(config):
    from core.errors import StartupError

    settings = config.get_settings()
    if not settings.get("cortege.queue_url"):
        settings["cortege.queue_url"] = default_queue_url(settings)
    try:
        config.registry["cortege.huey"] = make_huey(settings)
    except ValueError as exc:
        raise StartupError(f"{exc}.") from None
    config.add_directive("add_job_task", add_job_task, action_wrap=False)
    config.add_directive("add_periodic_task", add_periodic_task, action_wrap=False)
    config.add_job_task("cortege.mail", _deliver_mail, max_attempts=10)
