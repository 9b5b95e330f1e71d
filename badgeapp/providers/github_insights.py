"""Repository insights computed from GitHub answers (pure): commit velocity with its trend and
sparkline, the median time to close an issue, and the waiting rule for statistics (202).

* ``velocity(weeks)``: commits per week over the last 4 weeks, the trend against the 4 weeks
  before (``↑`` more than 10% up, ``↓`` more than 10% down, ``→`` otherwise) and a sparkline of
  the last 12 weeks in block characters (``▁▂▃▄▅▆▇█``);
* ``median_resolution(issues, now)``: the median of ``closed_at - created_at`` over issues (pull
  requests excluded) closed in the last 90 days;
* ``STATS_RETRY_DELAYS``: GitHub answers 202 while it computes repository statistics; the
  provider asks again after these pauses (within the badge's time budget), then serves the last
  good answer (stale) or says ``computing``.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable, Sequence
from typing import Any

SPARKS = "▁▂▃▄▅▆▇█"
#: seconds to wait before asking again after each 202
STATS_RETRY_DELAYS = (0.3, 0.6, 1.2)
#: the window of issue_resolution
RESOLUTION_DAYS = 90


def sparkline(values: Sequence[float]) -> str:
    """One block character per value, scaled to the largest (all zero: the lowest block)."""
    top = max(values, default=0)
    if top <= 0:
        return SPARKS[0] * len(values)
    return "".join(SPARKS[min(7, round(7 * v / top))] for v in values)


def velocity(weeks: Sequence[dict[str, Any]]) -> tuple[float, str, str]:
    """(commits per week over the last 4 weeks, trend arrow, 12-week sparkline)."""
    totals = [int(w.get("total") or 0) for w in weeks]
    recent, before = totals[-4:], totals[-8:-4]
    rate = sum(recent) / 4 if recent else 0.0
    previous = sum(before) / 4 if before else 0.0
    if rate > previous * 1.1 and rate - previous >= 0.25:
        arrow = "↑"
    elif rate < previous * 0.9 and previous - rate >= 0.25:
        arrow = "↓"
    else:
        arrow = "→"
    return rate, arrow, sparkline(totals[-12:])


def _when(text: Any) -> dt.datetime | None:
    if not isinstance(text, str):
        return None
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def median_resolution(issues: Iterable[Any], now: dt.datetime) -> dt.timedelta | None:
    """Median time to close of the issues closed in the last 90 days (None: there were none)."""
    horizon = now - dt.timedelta(days=RESOLUTION_DAYS)
    spans = []
    for issue in issues:
        if not isinstance(issue, dict) or "pull_request" in issue:
            continue
        opened, closed = _when(issue.get("created_at")), _when(issue.get("closed_at"))
        if opened and closed and closed >= horizon and closed >= opened:
            spans.append((closed - opened).total_seconds())
    if not spans:
        return None
    return dt.timedelta(seconds=statistics.median(spans))


def duration_text(span: dt.timedelta) -> str:
    """``45 min``, ``6 hours``, ``2.5 days``."""
    seconds = span.total_seconds()
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))} min"
    if seconds < 86400:
        hours = seconds / 3600
        return f"{hours:.1f}".rstrip("0").rstrip(".") + (" hour" if hours < 1.05 else " hours")
    days = seconds / 86400
    return f"{days:.1f}".rstrip("0").rstrip(".") + (" day" if days < 1.05 else " days")


def resolution_color(span: dt.timedelta) -> str:
    """Faster is greener: under a day, a week, a month, then red."""
    days = span.total_seconds() / 86400
    if days < 1:
        return "brightgreen"
    if days < 7:
        return "green"
    if days < 30:
        return "yellow"
    return "red"
