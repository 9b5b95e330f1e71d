"""The built-in scheduled jobs, registered through ``badgeapp_jobs`` like a plugin's would be.

* ``prewarm`` (``SCHEDULER_PREWARM_INTERVAL``): re-resolves the ``SCHEDULER_PREWARM_COUNT``
  most viewed provider badges whose upstream answers would turn stale before the next run,
  so views keep finding fresh values;
* ``clean_cache`` (``SCHEDULER_CLEANUP_INTERVAL``): sweeps expired entries from the
  in-process upstream store and halves the view counts the pre-warm list comes from;
* ``retention`` (``SCHEDULER_RETENTION_INTERVAL``): deletes quality reports older than
  ``REPORT_RETENTION_DAYS``, keeping the latest report of each project, kind and branch so no
  badge loses its value.

Each job returns a small dict of what it did (shown by ``badgeapp jobs --run NAME``).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from flask import Flask
from sqlalchemy import delete, func, select
from sqlalchemy.exc import SQLAlchemyError

from badgeapp.badges import popular
from badgeapp.badges.provider_values import find_provider, resolve_with
from badgeapp.errors import BadgeError
from badgeapp.hookspecs import hookimpl
from badgeapp.live.topics import parse_topic
from badgeapp.scheduler import Job
from badgeapp.upstream import get_upstream, setting

log = logging.getLogger(__name__)

#: margin (seconds) so an answer due just after the next pre-warm run is refreshed by this one
PREWARM_MARGIN = 5


def prewarm(app: Flask) -> dict[str, int]:
    """Refresh the most viewed provider badges whose upstream answers expire before next run."""
    config = app.config
    names = popular.most_viewed(app, int(config["SCHEDULER_PREWARM_COUNT"]))
    interval = int(config["SCHEDULER_PREWARM_INTERVAL"])
    fresh = max(0.0, float(setting(config, "UPSTREAM_FRESH_SECONDS")) - interval - PREWARM_MARGIN)
    warmed = failed = 0
    with app.app_context():  # the plugin registry belongs to the app
        for name in names:
            try:
                topic = parse_topic(name)
                resolve_with(find_provider(topic.provider), topic.parts, {}, config, fresh=fresh)
                warmed += 1
            except BadgeError:
                failed += 1
    return {"badges": len(names), "warmed": warmed, "failed": failed}


def clean_cache(app: Flask) -> dict[str, int]:
    """Sweep expired upstream entries held in this process; fade the view counts."""
    store = get_upstream(app.config).store
    purge = getattr(store, "purge_expired", None)
    return {"expired": purge() if purge else 0, "views_dropped": popular.trim(app)}


def retention(app: Flask) -> dict[str, int]:
    """Delete reports past ``REPORT_RETENTION_DAYS`` (the latest of each series is kept)."""
    from badgeapp.storage.db import session_scope
    from badgeapp.storage.models import Report

    days = int(app.config["REPORT_RETENTION_DAYS"])
    if days <= 0:
        return {"reports": 0}
    cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    latest = (
        select(func.max(Report.id))
        .group_by(Report.project_id, Report.kind, Report.branch)
        .scalar_subquery()
    )
    try:
        with session_scope(app) as session:
            result: Any = session.execute(
                delete(Report)
                .where(Report.created_at < cutoff)
                .where(Report.id.not_in(latest))
                .execution_options(synchronize_session=False)
            )
            return {"reports": int(result.rowcount or 0)}
    except SQLAlchemyError as exc:  # e.g. a database not migrated yet
        log.warning("retention: %s", exc)
        return {"reports": 0}


@hookimpl
def badgeapp_jobs(app: Flask) -> list[Job]:
    """The built-in jobs, at their configured intervals."""
    config = app.config
    return [
        Job(
            "prewarm",
            config["SCHEDULER_PREWARM_INTERVAL"],
            prewarm,
            "re-resolve the most viewed provider badges before their values expire",
        ),
        Job(
            "clean_cache",
            config["SCHEDULER_CLEANUP_INTERVAL"],
            clean_cache,
            "sweep expired upstream entries; fade view counts",
        ),
        Job(
            "retention",
            config["SCHEDULER_RETENTION_INTERVAL"],
            retention,
            "delete quality reports older than REPORT_RETENTION_DAYS (latest kept)",
        ),
    ]
