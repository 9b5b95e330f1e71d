"""In-process counters: what one worker counted since its last flush (bounded memory).

``count(metric, key)`` is a dict increment under a lock (about a microsecond); at most
``max_keys`` distinct (metric, key) pairs are kept between flushes, the rest are summed under
``(other)``. ``drain()`` hands the counts over and starts afresh.
"""

from __future__ import annotations

import threading

OTHER = "(other)"
#: distinct (metric, key) pairs kept between two flushes
DEFAULT_MAX_KEYS = 2000


class Recorder:
    """Counters and gauges keyed by (metric, key)."""

    def __init__(self, max_keys: int = DEFAULT_MAX_KEYS) -> None:
        self.max_keys = max_keys
        self._lock = threading.Lock()
        self._counts: dict[tuple[str, str], int] = {}
        self._gauges: dict[tuple[str, str], int] = {}

    def count(self, metric: str, key: str, n: int = 1) -> None:
        """Add ``n`` to the counter ``metric``/``key``."""
        with self._lock:
            self._add(metric, key, n)

    def count_answer(self, family: str, path: str, status: int, error: bool = False) -> None:
        """Count one badge answer (under one lock): ``render`` by family, ``badge`` by path
        (its first 200 characters), ``not_modified`` for a 304, ``error`` for a 4xx/5xx or an
        answer marked as an error badge."""
        with self._lock:
            self._add("render", family, 1)
            self._add("badge", path[:200], 1)
            if status == 304:
                self._add("not_modified", family, 1)
            elif status >= 400 or error:
                self._add("error", family, 1)

    def _add(self, metric: str, key: str, n: int) -> None:
        pair = (metric, key)
        counts = self._counts
        if pair in counts:
            counts[pair] += n
        elif len(counts) < self.max_keys:
            counts[pair] = n
        else:
            other = (metric, OTHER)
            counts[other] = counts.get(other, 0) + n

    def gauge(self, metric: str, key: str, value: int) -> None:
        """Set the gauge ``metric``/``key`` (the last value wins)."""
        with self._lock:
            if (metric, key) in self._gauges or len(self._gauges) < self.max_keys:
                self._gauges[(metric, key)] = value

    def drain(self) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], int]]:
        """Take every counter and gauge recorded so far."""
        with self._lock:
            counts, self._counts = self._counts, {}
            gauges, self._gauges = self._gauges, {}
        return counts, gauges

    def __len__(self) -> int:
        with self._lock:
            return len(self._counts) + len(self._gauges)
