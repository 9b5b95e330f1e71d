"""Moves the in-process counts to the store from a background thread, every few seconds.

One daemon thread per process, started on the first counted answer (so after a gunicorn fork),
flushing every ``ANALYTICS_FLUSH_SECONDS`` and once more at exit. Each flush also samples what
other layers count themselves: render-cache hits and misses, upstream calls and cache hits, and
the remaining quota of each GitHub token (by its short id, never the token).
"""

from __future__ import annotations

import atexit
import datetime as dt
import logging
import os
import threading
import time
from typing import Any

from flask import Flask

from badgeapp.analytics.recorder import Recorder
from badgeapp.analytics.store import Store, bucket_of

log = logging.getLogger(__name__)

#: how often old buckets are pruned (seconds)
PRUNE_EVERY = 3600.0


class Flusher:
    """Owns the background thread that empties a ``Recorder`` into a ``Store``."""

    def __init__(self, app: Flask, recorder: Recorder, store: Store, interval: float) -> None:
        self.app = app
        self.recorder = recorder
        self.store = store
        self.interval = interval
        self._pid: int | None = None
        self._stop = threading.Event()
        self._flush_lock = threading.Lock()
        self._start_lock = threading.Lock()
        self._last: dict[str, int] = {}
        self._pruned_at = float("-inf")

    def ensure_started(self) -> None:
        """Start the thread in this process if it is not running (cheap when it is)."""
        if self._pid == os.getpid():
            return
        with self._start_lock:
            if self._pid == os.getpid():
                return
            self._pid = os.getpid()
            self._stop = threading.Event()
            thread = threading.Thread(target=self._run, name="analytics-flush", daemon=True)
            thread.start()
            atexit.register(self._flush_at_exit)

    def _storage_present(self) -> bool:
        return "badgeapp.storage" in self.app.extensions or bool(self.app.config.get("REDIS_URL"))

    def _flush_at_exit(self) -> None:
        if self._storage_present():  # an app disposed of has nowhere to write
            self.flush()

    def stop(self) -> None:
        """Stop the thread after one last flush."""
        self._stop.set()
        self.flush()

    def _run(self) -> None:
        had_storage = False
        while not self._stop.wait(self.interval):
            present = self._storage_present()
            if had_storage and not present:  # the app's storage was disposed of: stop
                return
            had_storage = had_storage or present
            self.flush()

    def _delta(self, name: str, value: int) -> int:
        previous = self._last.get(name, 0)
        self._last[name] = value
        return value - previous if value >= previous else value  # counters were reset

    def sample(self) -> None:
        """Add what the render cache and the upstream layer counted since the last sample."""
        from badgeapp.http import render_cache

        info = render_cache.render.cache_info()
        for metric, value in (("cache_hit", info.hits), ("cache_miss", info.misses)):
            delta = self._delta(metric, value)
            if delta:
                self.recorder.count(metric, "render", delta)
        try:
            from badgeapp.upstream import get_upstream, github_pool

            stats = get_upstream(self.app.config).stats
            for key, value in (("calls", stats.upstream_calls), ("cached", stats.fresh_hits)):
                delta = self._delta("upstream:" + key, value)
                if delta:
                    self.recorder.count("upstream", key, delta)
            pool = github_pool(self.app.config)
            from badgeapp.upstream.tokens import token_id

            for token in pool.tokens:
                remaining = int(pool.state(token).get("remaining", 0))
                self.recorder.gauge("quota", "github:" + token_id(token)[:8], remaining)
        except Exception:  # analytics never breaks anything
            log.debug("upstream statistics unavailable", exc_info=True)

    def flush(self) -> int:
        """Write what was counted; returns how many counters were written."""
        with self._flush_lock:
            try:
                self.sample()
            except Exception:
                log.debug("analytics sample failed", exc_info=True)
            counts, gauges = self.recorder.drain()
            if not counts and not gauges:
                return 0
            now = dt.datetime.now(dt.UTC)
            try:
                self.store.add(bucket_of(now), counts, gauges)
                if time.monotonic() - self._pruned_at > PRUNE_EVERY:
                    self._pruned_at = time.monotonic()
                    days = int(self.app.config.get("ANALYTICS_RETENTION_DAYS", 8))
                    self.store.prune(now - dt.timedelta(days=days))
            except Exception as exc:  # the counts of this interval are lost, nothing else
                log.warning("analytics flush failed: %s", exc)
                return 0
            return len(counts) + len(gauges)


def describe(flusher: Any) -> dict[str, Any]:
    """Running state, for tests and the dashboard."""
    return {"pid": flusher._pid, "interval": flusher.interval, "pending": len(flusher.recorder)}
