"""Scheduled jobs: APScheduler in every worker, one runner for the whole cluster.

Jobs come from the ``badgeapp_jobs(app)`` hook (the built-in ones in ``jobs.py``, plugins'
alongside) as ``Job(name, seconds, func, description)``. Every worker runs an APScheduler
``BackgroundScheduler`` with every job, but a job only runs in the process holding the
``scheduler`` lease (``badgeapp.leases``: Redis with ``REDIS_URL``, else a PostgreSQL advisory
lock, else a file lock in the instance folder). The holder renews the lease every third of
``SCHEDULER_LOCK_TTL``; if it dies, the lease expires and another worker's next run takes it,
so each job runs once per interval across workers and hosts.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import Any

from flask import Flask

from badgeapp.leases import Lease, make_lease

log = logging.getLogger(__name__)

_EXTENSION_KEY = "badgeapp.scheduler"
#: how many renewals of the lease fit in its lifetime
RENEWALS_PER_TTL = 3


@dataclasses.dataclass(frozen=True)
class Job:
    """One scheduled job: runs ``func(app)`` every ``seconds`` (0 or less: never)."""

    name: str
    seconds: float
    func: Callable[[Flask], Any]
    description: str = ""


def collect_jobs(app: Flask) -> list[Job]:
    """Every job the plugins (built-ins included) declare, in name order."""
    registry = app.extensions["badgeapp.plugins"]
    jobs: dict[str, Job] = {}
    for returned in registry.hook.badgeapp_jobs(app=app):
        for job in returned or []:
            if isinstance(job, Job):
                jobs.setdefault(job.name, job)
            else:
                log.warning("badgeapp_jobs returned %r, not a Job; ignored", job)
    return [jobs[name] for name in sorted(jobs)]


def lease_for(app: Flask) -> Lease:
    """The lease that elects the runner of this deployment."""
    ttl = float(app.config["SCHEDULER_LOCK_TTL"])
    return make_lease(app.config, "scheduler", app.instance_path, ttl)


class Runner:
    """APScheduler with the app's jobs, each run only while this process holds the lease."""

    def __init__(self, app: Flask, jobs: list[Job], lease: Lease) -> None:
        from apscheduler.schedulers.background import BackgroundScheduler
        from apscheduler.triggers.interval import IntervalTrigger

        self.app = app
        self.jobs = jobs
        self.lease = lease
        self.runs: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()
        self.scheduler = BackgroundScheduler(
            timezone=dt.UTC,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 30},
        )
        renew = float(app.config["SCHEDULER_LOCK_TTL"]) / RENEWALS_PER_TTL
        self.scheduler.add_job(
            self.lease.hold, IntervalTrigger(seconds=renew), id="_lease", name="renew lease"
        )
        for job in jobs:
            if job.seconds > 0:
                self.scheduler.add_job(
                    self.run, IntervalTrigger(seconds=job.seconds), args=[job], id=job.name
                )

    def run(self, job: Job) -> bool:
        """Run ``job`` now if this process holds the lease; whether it ran."""
        if not self.lease.hold():
            return False
        started = dt.datetime.now(dt.UTC)
        record: dict[str, Any] = {"started_at": started.isoformat(timespec="seconds")}
        try:
            with self.app.app_context():
                record["result"] = job.func(self.app)
            record["ok"] = True
        except Exception as exc:
            log.exception("scheduled job %s failed", job.name)
            record.update(ok=False, error=f"{type(exc).__name__}: {exc}")
        record["seconds"] = round((dt.datetime.now(dt.UTC) - started).total_seconds(), 3)
        with self._lock:
            self.runs[job.name] = record
        return True

    def start(self) -> None:
        """Try the lease at once, then start the timers."""
        self.lease.hold()
        self.scheduler.start()

    def stop(self) -> None:
        """Stop the timers and give the lease up (another worker takes over at once)."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        self.lease.release()


def enabled(app: Flask) -> bool:
    """``SCHEDULER_ENABLED``; unset means on under gunicorn (and never in tests)."""
    import os
    import sys

    value = app.config.get("SCHEDULER_ENABLED")
    if value is not None:
        return bool(value)
    return not app.testing and os.path.basename(sys.argv[0] or "").startswith("gunicorn")


def start(app: Flask) -> Runner | None:
    """Start the app's runner in this process when enabled (idempotent); the runner or None."""
    runner = app.extensions.get(_EXTENSION_KEY)
    if runner is not None or not enabled(app):
        return runner
    runner = Runner(app, collect_jobs(app), lease_for(app))
    app.extensions[_EXTENSION_KEY] = runner
    runner.start()
    import atexit

    atexit.register(runner.stop)
    return runner


def get_runner(app: Flask) -> Runner | None:
    """The runner started in this process, if any."""
    return app.extensions.get(_EXTENSION_KEY)
