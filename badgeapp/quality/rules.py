"""The quality spec's display rules: metrics of one kind -> the badge message and its colour.

Colours are the exact hex values of the spec's tables (classic shields palette). Thresholds:

- coverage: < 60 red, 60..80 yellow, > 80 green (``85%``; one decimal when not whole: ``85.3%``)
- quality: < 70 red, 70..85 yellow, > 85 green (``91``, ``87.5``)

The colour is read from the number as shown, so a badge never disagrees with itself: 80.01%
shows ``80%`` and is yellow like 80%, 80.1% is green.
- security: the grade when one is known (A+ #00b140, A #4c1, B #97ca00, C #dfb317, D #fe7d37,
  F #e05d44), else the worst open severity: ``2 critical`` red, ``5 high`` yellow,
  ``3 medium`` blue, ``passing`` green (low-severity findings alone still read ``passing``)
- tests: always green, ``1,234 passing`` (failures do not change the badge, as the spec says)
"""

from __future__ import annotations

from decimal import ROUND_DOWN, Decimal
from typing import Any

from badgeapp.quality.report import Metrics

RED = "e05d44"
YELLOW = "dfb317"
GREEN = "4c1"
BLUE = "007ec6"

GRADE_COLORS: dict[str, str] = {
    "A+": "00b140",
    "A": "4c1",
    "B": "97ca00",
    "C": "dfb317",
    "D": "fe7d37",
    "F": "e05d44",
}

DEFAULT_LABELS: dict[str, str] = {
    "coverage": "coverage",
    "quality": "quality",
    "security": "security",
    "tests": "tests",
}


def _number(value: float) -> str:
    """``85`` for whole numbers, else one decimal cut down (``85.3``): 99.96 never shows 100."""
    tenths = Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
    return str(int(tenths)) if tenths == int(tenths) else str(tenths)


def three_bands(value: float, low: float, high: float) -> str:
    """Red below ``low``, yellow from ``low`` to ``high`` inclusive, green above ``high``."""
    if value < low:
        return RED
    if value <= high:
        return YELLOW
    return GREEN


def coverage_badge(metrics: Metrics) -> tuple[str, str]:
    """``("85%", "4c1")``: the colour of the shown number."""
    shown = _number(float(metrics["coverage"]))
    return f"{shown}%", three_bands(float(shown), 60, 80)


def quality_badge(metrics: Metrics) -> tuple[str, str]:
    """``("91", "4c1")``: the colour of the shown number."""
    shown = _number(float(metrics["quality"]))
    return shown, three_bands(float(shown), 70, 85)


def security_badge(metrics: Metrics) -> tuple[str, str]:
    """The grade when known, else the vulnerability summary."""
    grade = metrics.get("grade")
    if grade:
        return grade, GRADE_COLORS.get(grade, "9f9f9f")
    counts: dict[str, Any] = metrics.get("vulnerabilities") or {}
    for severity, color in (("critical", RED), ("high", YELLOW), ("medium", BLUE)):
        if int(counts.get(severity, 0) or 0) > 0:
            return f"{int(counts[severity]):,} {severity}", color
    return "passing", GREEN


def tests_badge(metrics: Metrics) -> tuple[str, str]:
    """``("1,234 passing", "4c1")``."""
    passed = int((metrics.get("tests") or {}).get("passed", 0))
    return f"{passed:,} passing", GREEN


_RULES = {
    "coverage": coverage_badge,
    "quality": quality_badge,
    "security": security_badge,
    "tests": tests_badge,
}


def badge_message(kind: str, metrics: Metrics) -> tuple[str, str]:
    """Message and hex colour (without ``#``) for a badge of ``kind`` from that kind's metrics."""
    return _RULES[kind](metrics)
