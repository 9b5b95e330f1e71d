"""The ``analytics_prune`` scheduled job drops analytics buckets past the retention."""

from __future__ import annotations

import datetime as dt

from badgeapp import create_app
from badgeapp.analytics.jobs import analytics_retention
from badgeapp.analytics.store import DatabaseStore, bucket_of
from badgeapp.scheduler import collect_jobs
from badgeapp.scheduler.commands import jobs_command


def _fill(app, *days_ago: int) -> DatabaseStore:
    store = DatabaseStore(app)
    now = dt.datetime.now(dt.UTC)
    for days in days_ago:
        store.add(bucket_of(now - dt.timedelta(days=days)), {("render", "custom"): 1}, {})
    return store


def _ages(store: DatabaseStore) -> list[int]:
    now = dt.datetime.now(dt.UTC)
    rows = store.read(now - dt.timedelta(days=365))
    return sorted((now - bucket).days for bucket, _, _, _ in rows)


def test_the_job_deletes_buckets_past_the_retention(app):
    store = _fill(app, 0, 3, 7, 9, 30)  # ANALYTICS_RETENTION_DAYS defaults to 8
    assert analytics_retention(app) == {"analytics_rows": 2}
    assert _ages(store) == [0, 3, 7]
    assert analytics_retention(app) == {"analytics_rows": 0}


def test_the_retention_is_configurable_and_zero_keeps_everything(app_config):
    short = create_app({**app_config, "ANALYTICS_RETENTION_DAYS": 2})
    store = _fill(short, 0, 3, 7)
    assert analytics_retention(short) == {"analytics_rows": 2}
    assert _ages(store) == [0]
    keep = create_app({**app_config, "ANALYTICS_RETENTION_DAYS": 0})
    _fill(keep, 40)
    assert analytics_retention(keep) == {"analytics_rows": 0}
    assert _ages(DatabaseStore(keep)) == [0, 40]


def test_the_job_is_scheduled_through_the_hook_at_the_retention_interval(app_config):
    app = create_app({**app_config, "SCHEDULER_RETENTION_INTERVAL": 7200})
    jobs = {job.name: job for job in collect_jobs(app)}
    assert jobs["analytics_prune"].seconds == 7200
    assert jobs["analytics_prune"].func is analytics_retention


def test_badgeapp_jobs_runs_it(app):
    _fill(app, 20)
    result = app.test_cli_runner().invoke(jobs_command, ["--run", "analytics_prune"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == '{"analytics_rows": 1}'
