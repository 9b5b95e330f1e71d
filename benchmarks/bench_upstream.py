"""Benchmark of the upstream layer: upstream calls per 10,000 badge views, cold vs cached latency.

Runs the real app (Flask test client) against the fake upstream server of the test suite
(real HTTP on loopback). Measures:

1. upstream calls per 10,000 GitHub badge views spread over 50 repositories and three metrics
   (stars, forks, watchers share one ``/repos`` resource), beside a client without a cache
   (one call per view, as github-readme-stats behind a cold CDN): a burst (every view within
   the 300 s freshness window) and a steady stream (one view per simulated second, so entries
   go stale and are revalidated with ``If-None-Match``; a 304 does not count against
   GitHub's quota);
2. latency of a cold view (upstream fetched; the fake adds ``BENCH_UPSTREAM_MS``, default 50 ms,
   to stand in for the network) and of a cached view (median and p95).

Exits 1 if a burst needs more than one call per repository or a cached view is not at least
10x faster than a cold one.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "upstream"))

from fake_upstream import serve_fake  # noqa: E402

from badgeapp import create_app  # noqa: E402
from badgeapp.storage import migrate  # noqa: E402
from badgeapp.upstream import get_upstream  # noqa: E402

VIEWS = int(os.environ.get("BENCH_VIEWS", "10000"))
REPOS = [f"org{i}/repo{i}" for i in range(50)]
METRICS = ("stars", "forks", "watchers")
UPSTREAM_MS = float(os.environ.get("BENCH_UPSTREAM_MS", "50"))


class SimClock:
    """Simulated time for the steady-stream run (one view per second)."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def make_app(fake, tmp: str):
    folder = Path(tmp) / uuid.uuid4().hex[:8]
    (folder / "plugins").mkdir(parents=True)
    app = create_app(
        {
            "TESTING": False,
            "INSTANCE_PATH": str(folder / "instance"),
            "BADGEAPP_PLUGINS_DIR": str(folder / "plugins"),
            "DATABASE_URL": f"sqlite:///{folder}/bench.db",
            "REDIS_URL": None,
            "REDIS_PREFIX": f"bench-{uuid.uuid4().hex[:8]}:",
            "RATE_LIMIT_ENABLED": False,
            "GITHUB_TOKEN": "bench-token",
            **fake.config(),
        }
    )
    migrate.upgrade(app)  # as `make run` does: analytics and storage have their tables
    return app


def views(seed: int) -> list[str]:
    rng = random.Random(seed)
    # a skewed popularity, as READMEs are: a few repositories get most views
    weights = [1 / (rank + 1) for rank in range(len(REPOS))]
    picks = rng.choices(REPOS, weights=weights, k=VIEWS)
    return [f"/v2/badge/github/{repo}/{rng.choice(METRICS)}" for repo in picks]


def count_calls(fake, tmp: str, steady: bool) -> tuple[int, int, int]:
    fake.reset_counts()
    fake.quota.clear()
    app = make_app(fake, tmp)
    client = app.test_client()
    up = get_upstream(app.config)
    clock = SimClock()
    if steady:
        up.clock = clock
    for url in views(7):
        if steady:
            clock.now += 1.0
        response = client.get(url)
        assert response.status_code == 200, url
    return (
        fake.count("/github/"),
        fake.count("/github/", status=200),
        fake.count("/github/", status=304),
    )


def latency(fake, tmp: str) -> tuple[list[float], list[float]]:
    fake.quota.clear()
    app = make_app(fake, tmp)
    client = app.test_client()
    fake.latency = UPSTREAM_MS / 1000
    cold: list[float] = []
    for repo in REPOS:
        start = time.perf_counter()
        client.get(f"/v2/badge/github/{repo}/stars")
        cold.append(time.perf_counter() - start)
    fake.latency = 0.0
    warm: list[float] = []
    for i in range(2000):
        url = f"/v2/badge/github/{REPOS[i % len(REPOS)]}/stars"
        start = time.perf_counter()
        client.get(url)
        warm.append(time.perf_counter() - start)
    return cold, warm


def p95(values: list[float]) -> float:
    return sorted(values)[int(len(values) * 0.95) - 1]


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp, serve_fake() as fake:
        burst = count_calls(fake, tmp, steady=False)
        steady = count_calls(fake, tmp, steady=True)
        cold, warm = latency(fake, tmp)
    scale = 10000 / VIEWS
    print(f"upstream calls per 10,000 views ({VIEWS} views, 50 repositories, 3 metrics)")
    print(f"{'client':<48}{'calls':>8}{'200':>8}{'304':>8}{'quota':>8}")
    print(f"{'no cache (one call per view)':<48}{10000:>8}{10000:>8}{0:>8}{10000:>8}")
    for name, (calls, full, not_modified) in (
        ("badgeapp, burst (all views within 300 s)", burst),
        ("badgeapp, 1 view/s for 2.8 h (304 revalidation)", steady),
    ):
        print(
            f"{name:<48}{calls * scale:>8.0f}{full * scale:>8.0f}{not_modified * scale:>8.0f}"
            f"{full * scale:>8.0f}"
        )
    print()
    print(f"latency per badge view (ms; cold: upstream {UPSTREAM_MS:.0f} ms away)")
    print(f"{'view':<16}{'median':>10}{'p95':>10}")
    for name, values in (("cold", cold), ("cached", warm)):
        print(f"{name:<16}{statistics.median(values) * 1000:>10.2f}{p95(values) * 1000:>10.2f}")
    ok = burst[0] <= len(REPOS) and statistics.median(warm) * 10 <= statistics.median(cold)
    if not ok:
        print("FAILED: burst needs more than one call per repository, or cache not 10x faster")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
