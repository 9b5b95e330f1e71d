"""The analytics retention job, declared through the scheduler's ``badgeapp_jobs`` hook.

``analytics_prune`` (every ``SCHEDULER_RETENTION_INTERVAL``) deletes the
``analytics_counts`` buckets older than ``ANALYTICS_RETENTION_DAYS`` (0: keep everything).
The flusher also prunes now and then, but only in a process that is counting answers; this
job drops old rows on the scheduler's one runner whatever the traffic. With ``REDIS_URL`` the
buckets expire by themselves and the job deletes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from badgeapp.analytics.store import make_store
from badgeapp.hookspecs import hookimpl
from badgeapp.scheduler import Job

log = logging.getLogger(__name__)


def analytics_retention(app: Flask) -> dict[str, int]:
    """Delete analytics buckets past ``ANALYTICS_RETENTION_DAYS``; how many rows went."""
    days = int(app.config["ANALYTICS_RETENTION_DAYS"])
    if days <= 0:
        return {"analytics_rows": 0}
    cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    try:
        return {"analytics_rows": make_store(app).prune(cutoff)}
    except SQLAlchemyError as exc:  # e.g. a database not migrated yet
        log.warning("analytics retention: %s", exc)
        return {"analytics_rows": 0}


@hookimpl
def badgeapp_jobs(app: Flask) -> list[Job]:
    """The analytics retention job, at the retention interval."""
    return [
        Job(
            "analytics_prune",
            app.config["SCHEDULER_RETENTION_INTERVAL"],
            analytics_retention,
            "delete analytics counts older than ANALYTICS_RETENTION_DAYS",
        )
    ]
