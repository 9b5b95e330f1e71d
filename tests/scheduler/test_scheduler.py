"""The scheduler: leases, one runner, the built-in jobs and ``badgeapp jobs``."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from badgeapp import create_app
from badgeapp.badges import popular
from badgeapp.leases import FileLease, PostgresLease, RedisLease
from badgeapp.scheduler import Job, Runner, collect_jobs, get_runner
from badgeapp.scheduler.commands import jobs_command
from badgeapp.scheduler.jobs import clean_cache, prewarm, retention
from badgeapp.upstream.cache import Entry, MemoryStore

BADGE = "/v2/badge/github/pallets/flask/stars"
REPO_CALLS = r"^/github/repos/pallets/flask$"


# -- leases ----------------------------------------------------------------------------


def test_a_file_lease_has_one_holder(tmp_path):
    first, second = FileLease(tmp_path / "x.lock"), FileLease(tmp_path / "x.lock")
    assert first.hold() and first.hold()  # holding again is a renewal
    assert not second.hold()
    first.release()
    assert second.hold()
    second.release()


@pytest.mark.redis
def test_a_redis_lease_has_one_holder_renews_and_expires(redis_url, redis_prefix):
    key = redis_prefix + "lease"
    first, second = RedisLease(redis_url, key, 0.6), RedisLease(redis_url, key, 0.6)
    assert first.hold()
    assert not second.hold()
    for _ in range(4):  # renewed every 0.3 s, it outlives its 0.6 s lifetime
        time.sleep(0.3)
        assert first.hold()
        assert not second.hold()
    time.sleep(0.8)  # its holder stopped renewing (died): it expires
    assert second.hold()
    assert not first.hold()
    first.release()  # releasing a lease one does not hold changes nothing
    assert not first.hold()
    second.release()
    assert first.hold()


@pytest.mark.postgres
def test_a_postgres_advisory_lease_has_one_holder(postgres_url):
    name = f"test-{uuid.uuid4().hex}"
    first, second = PostgresLease(postgres_url, name), PostgresLease(postgres_url, name)
    try:
        assert first.hold() and first.hold()
        assert not second.hold()
        first.release()
        assert second.hold()
    finally:
        first.release()
        second.release()


# -- the runner ------------------------------------------------------------------------


def test_only_the_lease_holder_runs_jobs(app, tmp_path):
    ran: list[str] = []
    job = Job("probe", 3600, lambda a: ran.append("x"))
    one = Runner(app, [job], FileLease(tmp_path / "s.lock"))
    two = Runner(app, [job], FileLease(tmp_path / "s.lock"))
    assert one.run(job) is True
    assert two.run(job) is False
    assert ran == ["x"]
    assert one.runs["probe"]["ok"] is True
    one.stop()  # gives the lease up: the other takes over
    assert two.run(job) is True
    two.stop()


def test_a_failing_job_is_recorded_and_the_runner_goes_on(app, tmp_path):
    def boom(_app):
        raise RuntimeError("boom")

    runner = Runner(app, [], FileLease(tmp_path / "s.lock"))
    assert runner.run(Job("boom", 60, boom)) is True
    assert runner.runs["boom"]["ok"] is False
    assert "boom" in runner.runs["boom"]["error"]
    runner.stop()


def test_the_runner_runs_jobs_on_time(app_config, tmp_path):
    app = create_app({**app_config, "SCHEDULER_ENABLED": False})
    done = threading.Event()
    runner = Runner(app, [Job("tick", 0.2, lambda a: done.set())], FileLease(tmp_path / "l"))
    runner.start()
    try:
        assert done.wait(5)
    finally:
        runner.stop()


def test_tests_do_not_start_the_scheduler_unless_asked(app, app_config):
    assert get_runner(app) is None
    started = create_app(
        {
            **app_config,
            "SCHEDULER_ENABLED": True,
            "SCHEDULER_PREWARM_INTERVAL": 3600,
        }
    )
    try:
        runner = get_runner(started)
        assert runner is not None and runner.scheduler.running
        assert {job.id for job in runner.scheduler.get_jobs()} >= {
            "prewarm",
            "clean_cache",
            "retention",
        }
    finally:
        get_runner(started).stop()


# -- the built-in jobs -----------------------------------------------------------------


@pytest.fixture
def upstream_app(app_config, fake_upstream):
    return create_app(
        {
            **app_config,
            **fake_upstream.config(),
            "UPSTREAM_FRESH_SECONDS": 300,
            "SCHEDULER_ENABLED": False,
        }
    )


def test_prewarm_refreshes_what_would_expire_before_the_next_run(upstream_app, fake_upstream):
    client = upstream_app.test_client()
    assert client.get(BADGE).status_code == 200
    popular.record_view(upstream_app, "github/pallets/flask/stars")
    popular.record_view(upstream_app, "github/missing/repo/stars")

    upstream_app.config["SCHEDULER_PREWARM_INTERVAL"] = 60  # fresh for 4 more minutes: skip
    assert prewarm(upstream_app) == {"badges": 2, "warmed": 1, "failed": 1}
    assert fake_upstream.count(REPO_CALLS) == 1

    upstream_app.config["SCHEDULER_PREWARM_INTERVAL"] = 600  # would expire before: refresh
    prewarm(upstream_app)
    assert fake_upstream.count(REPO_CALLS) == 2


def test_views_of_provider_badges_feed_the_prewarm_list(app_config, fake_upstream):
    app = create_app(
        {
            **app_config,
            **fake_upstream.config(),
            "SCHEDULER_ENABLED": True,
            "SCHEDULER_PREWARM_INTERVAL": 3600,
        }
    )
    try:
        client = app.test_client()
        for _ in range(3):
            client.get("/v2/badge/pypi/flask/version.svg?style=flat-square")
        client.get(BADGE)
        client.get("/v2/badge/github/pallets/flask/nosuchmetric")
        assert popular.most_viewed(app, 5) == ["pypi/flask/version", "github/pallets/flask/stars"]
    finally:
        get_runner(app).stop()


def test_clean_cache_sweeps_expired_entries(upstream_app):
    from badgeapp.upstream import get_upstream

    store = get_upstream(upstream_app.config).store
    assert isinstance(store, MemoryStore)
    entry = Entry(200, b"{}", {}, None, None, time.time())
    store.put("old", entry, 0.01)
    store.put("new", entry, 600)
    popular.record_view(upstream_app, "github/pallets/flask/stars")
    time.sleep(0.05)
    assert clean_cache(upstream_app)["expired"] >= 1
    assert store.get("new") is not None
    assert popular.most_viewed(upstream_app, 5) == []  # one view halved away


def test_retention_deletes_old_reports_but_keeps_the_latest_of_each_series(app):
    from badgeapp.storage.db import session_scope
    from badgeapp.storage.models import Project, Report

    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
    with session_scope(app) as session:
        project = Project(org="acme", repo="widgets")
        session.add(project)
        session.flush()
        for days, kind in ((500, "coverage"), (450, "coverage"), (400, "tests"), (1, "coverage")):
            when = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
            session.add(Report(project=project, kind=kind, format="summary", created_at=when))
        session.add(
            Report(project=project, kind="coverage", branch="old", format="x", created_at=old)
        )
    assert retention(app) == {"reports": 2}
    with session_scope(app) as session:
        left = sorted((r.kind, r.branch) for r in session.query(Report).all())
    # the newest coverage on main, the only tests report and the only report on "old" stay
    assert left == [("coverage", "main"), ("coverage", "old"), ("tests", "main")]


# -- badgeapp jobs -----------------------------------------------------------------------


def test_jobs_command_lists_every_job(app):
    result = app.test_cli_runner().invoke(jobs_command)
    assert result.exit_code == 0, result.output
    names = [line.split()[0] for line in result.output.splitlines()[:-1]]
    assert names == [job.name for job in collect_jobs(app)]
    assert names == ["analytics_prune", "clean_cache", "prewarm", "retention"]
    assert "prewarm          every 1 min" in result.output
    assert "runner: off" in result.output and "file lease" in result.output


def test_jobs_command_runs_one_job(app):
    result = app.test_cli_runner().invoke(jobs_command, ["--run", "retention"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == '{"reports": 0}'
    result = app.test_cli_runner().invoke(jobs_command, ["--run", "nope"])
    assert result.exit_code != 0 and "no job 'nope'" in result.output


def test_badgeapp_jobs_on_the_command_line(tmp_path):
    env = {
        **os.environ,
        "BADGEAPP_INSTANCE_PATH": str(tmp_path / "instance"),
        "BADGEAPP_PLUGINS_DIR": str(tmp_path),
        "SCHEDULER_PREWARM_INTERVAL": "0",
    }
    result = subprocess.run(
        [str(Path(sys.executable).parent / "badgeapp"), "jobs"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "prewarm          every off" in result.stdout
