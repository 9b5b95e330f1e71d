"""Moves the in-process counts to the store from a background thread, every few seconds.

A task on the process's background thread (``badgeapp.background``), registered on the first
counted answer (so after a gunicorn fork), flushing every ``ANALYTICS_FLUSH_SECONDS`` and once
more at exit. Each flush also samples what
other layers count themselves: render-cache hits and misses, upstream calls and cache hits, and
the remaining quota of each GitHub token (by its short id, never the token).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
from typing import Any

from flask import Flask

from badgeapp import background
from badgeapp.analytics.recorder import Recorder
from badgeapp.analytics.store import Store, bucket_of
from badgeapp.storage.db import has_engine, is_disposed

log = logging.getLogger(__name__)

#: how often old buckets are pruned (seconds)
PRUNE_EVERY = 3600.0


class Flusher:
    """Empties a ``Recorder`` into a ``Store`` from the process's background thread."""

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
        self._last_failure: str | None = None

    def ensure_started(self) -> None:
        """Register the periodic flush in this process if it is not (cheap when it is)."""
        if self._pid == os.getpid():
            return
        with self._start_lock:
            if self._pid == os.getpid():
                return
            self._pid = os.getpid()
            self._stop = threading.Event()
            background.every(self.interval, self._tick)
            background.at_exit(self._flush_at_exit)

    def _storage_present(self) -> bool:
        return has_engine(self.app) or bool(self.app.config.get("REDIS_URL"))

    def _flush_at_exit(self) -> None:
        if self._storage_present():  # an app disposed of has nowhere to write
            self.flush()

    def stop(self) -> None:
        """Stop flushing after one last flush."""
        self._stop.set()
        self.flush()

    def _tick(self) -> bool:
        """One periodic flush; ``False`` (stop) once stopped or the app's database was disposed
        of (with Redis, the counts still have a place to go)."""
        if self._stop.is_set():
            return False
        if is_disposed(self.app) and not self.app.config.get("REDIS_URL"):
            return False
        self.flush()
        return True

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
                message = str(exc).split("\n", 1)[0]
                if message != self._last_failure:  # once per kind of failure, not every interval
                    log.warning("analytics flush failed: %s", message)
                self._last_failure = message
                return 0
            self._last_failure = None
            return len(counts) + len(gauges)


def describe(flusher: Any) -> dict[str, Any]:
    """Running state, for tests and the dashboard."""
    return {"pid": flusher._pid, "interval": flusher.interval, "pending": len(flusher.recorder)}
