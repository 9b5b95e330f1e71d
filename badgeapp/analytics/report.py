"""Sums the stored counters over the last hour, day or week (``/api/analytics``, dashboard).

The hour is shown in 5-minute steps, the day in hours, the week in days. The report holds,
per window: renders per family and over time, cache hits and misses (the render cache) with
their ratio, 304 answers, errors per family and over time, the most requested badge paths,
upstream calls (and answers served from the upstream cache) and the last known quota per token.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from badgeapp.analytics.recorder import OTHER
from badgeapp.analytics.store import GAUGES, Row, Store

#: window name -> (length, step)
WINDOWS: dict[str, tuple[dt.timedelta, dt.timedelta]] = {
    "hour": (dt.timedelta(hours=1), dt.timedelta(minutes=5)),
    "day": (dt.timedelta(days=1), dt.timedelta(hours=1)),
    "week": (dt.timedelta(days=7), dt.timedelta(days=1)),
}
#: how many badge paths the report lists
POPULAR = 10


def _steps(now: dt.datetime, window: str) -> list[dt.datetime]:
    length, step = WINDOWS[window]
    seconds = int(step.total_seconds())
    end = int(now.timestamp()) // seconds * seconds
    count = int(length / step)
    return [
        dt.datetime.fromtimestamp(end - seconds * (count - 1 - i), dt.UTC) for i in range(count)
    ]


def summarise(rows: list[Row], window: str, now: dt.datetime | None = None) -> dict[str, Any]:
    """The report of ``window`` (hour | day | week) from stored rows."""
    now = now or dt.datetime.now(dt.UTC)
    steps = _steps(now, window)
    seconds = int(WINDOWS[window][1].total_seconds())
    start = steps[0]
    totals: dict[str, Counter[str]] = {}
    series: dict[str, list[int]] = {m: [0] * len(steps) for m in ("render", "error", "upstream")}
    gauges: dict[str, tuple[dt.datetime, int]] = {}
    for bucket, metric, key, count in rows:
        if bucket < start:
            continue
        if metric in GAUGES:
            if key not in gauges or gauges[key][0] <= bucket:
                gauges[key] = (bucket, count)
            continue
        totals.setdefault(metric, Counter())[key] += count
        if metric in series:
            index = (int(bucket.timestamp()) - int(start.timestamp())) // seconds
            if 0 <= index < len(steps):
                series[metric][index] += count
    renders = totals.get("render", Counter())
    hits = sum(totals.get("cache_hit", Counter()).values())
    misses = sum(totals.get("cache_miss", Counter()).values())
    upstream = totals.get("upstream", Counter())
    popular = [
        {"path": path, "count": n}
        for path, n in totals.get("badge", Counter()).most_common(POPULAR + 1)
        if path != OTHER
    ][:POPULAR]
    return {
        "window": window,
        "since": start.isoformat(),
        "step_seconds": seconds,
        "steps": [step.isoformat() for step in steps],
        "renders": {"total": sum(renders.values()), "by_family": dict(renders.most_common())},
        "renders_series": series["render"],
        "cache": {
            "hits": hits,
            "misses": misses,
            "ratio": round(hits / (hits + misses), 4) if hits + misses else None,
            "not_modified": sum(totals.get("not_modified", Counter()).values()),
        },
        "errors": {
            "total": sum(totals.get("error", Counter()).values()),
            "by_family": dict(totals.get("error", Counter()).most_common()),
        },
        "errors_series": series["error"],
        "popular": popular,
        "upstream": {"calls": upstream.get("calls", 0), "cached": upstream.get("cached", 0)},
        "upstream_series": series["upstream"],
        "quota": {key: value for key, (_, value) in sorted(gauges.items())},
    }


def report(store: Store, window: str, now: dt.datetime | None = None) -> dict[str, Any]:
    """Read the stored counters of ``window`` and summarise them."""
    now = now or dt.datetime.now(dt.UTC)
    length, _ = WINDOWS[window]
    return summarise(store.read(now - length - WINDOWS[window][1]), window, now)
