"""One runner across 3 gunicorn workers (Redis lease, and a file lease without Redis)."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

PROBE = """
import os
import time

from badgeapp import hookimpl
from badgeapp.scheduler import Job


def probe(app):
    with open(os.environ["PROBE_FILE"], "a") as out:
        out.write(f"{os.getpid()} {time.time()}\\n")


@hookimpl
def badgeapp_jobs(app):
    return [Job("probe", 0.5, probe, "writes the pid of the process that ran it")]
"""


def runs(path: Path, since: float = 0.0) -> list[tuple[int, float]]:
    if not path.exists():
        return []
    lines = [line.split() for line in path.read_text().splitlines() if line.strip()]
    return [(int(pid), float(at)) for pid, at in lines if float(at) >= since]


def wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.parametrize("lease", ["redis", "file"])
def test_jobs_run_once_across_3_workers(serve_gunicorn, tmp_path, request, lease):
    plugins = tmp_path / "plugins"
    plugins.mkdir()
    (plugins / "probe.py").write_text(PROBE)
    probe_file = tmp_path / "runs.txt"
    env = {
        "BADGEAPP_PLUGINS_DIR": str(plugins),
        "PROBE_FILE": str(probe_file),
        "SCHEDULER_LOCK_TTL": "2",
        "SCHEDULER_PREWARM_INTERVAL": "0",
        "SCHEDULER_CLEANUP_INTERVAL": "0",
        "SCHEDULER_RETENTION_INTERVAL": "0",
    }
    if lease == "redis":
        env["REDIS_URL"] = request.getfixturevalue("redis_url")
        env["REDIS_PREFIX"] = request.getfixturevalue("redis_prefix")
    server = serve_gunicorn(workers=3, **env)  # SCHEDULER_ENABLED unset: on under gunicorn
    assert wait_for(lambda: len(runs(probe_file)) >= 2, 20), server.log()[-2000:]

    start = time.time()
    time.sleep(4)
    window = runs(probe_file, since=start)
    pids = {pid for pid, _ in window}
    assert len(pids) == 1, window  # one runner, not three
    assert 5 <= len(window) <= 10, window  # once per 0.5 s

    # the runner dies: its lease expires (or its lock goes with it) and another worker takes over
    (holder,) = pids
    os.kill(holder, signal.SIGKILL)
    killed = time.time()
    assert wait_for(lambda: any(pid != holder for pid, _ in runs(probe_file, killed)), 15)
    time.sleep(2)
    later = runs(probe_file, since=time.time() - 1.5)
    assert len({pid for pid, _ in later}) == 1, later
