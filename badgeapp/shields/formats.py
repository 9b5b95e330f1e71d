"""Shields' message and colour rules (services/text-formatters.js, color-formatters.js, ...).

Pure functions; the providers' shields metrics and the route handlers use them so a badge reads
exactly as img.shields.io draws it for the same upstream answer.
"""

from __future__ import annotations

import datetime as dt
import re

from badgeapp.providers.display import age_color, downloads_color, license_color, metric

__all__ = [
    "addv",
    "age_color",
    "age_color_reversed",
    "build_status",
    "contributor_color",
    "downloads_color",
    "downloads_message",
    "format_date",
    "license_color",
    "metric",
    "version_color",
]

_IGNORED_VERSION = re.compile(r"^[^0-9]|[0-9]{4}-[0-9]{2}-[0-9]{2}")
_PRERELEASE = re.compile(r"alpha|beta|snapshot|dev|pre|rc", re.IGNORECASE)
_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def addv(version: object) -> str:
    """``1.2.3`` -> ``v1.2.3``; text that starts with a non-digit or holds a date is kept."""
    text = str(version)
    if text.startswith("v") or _IGNORED_VERSION.search(text):
        return text
    return f"v{text}"


def version_color(version: object) -> str:
    """Orange for 0.x and pre-releases (alpha, beta, rc, dev, pre, snapshot), else blue."""
    text = str(version)
    first = text[1:2] if text.startswith("v") else text[:1]
    if first == "0" or _PRERELEASE.search(text):
        return "orange"
    return "blue"


def age_color_reversed(when: dt.datetime, now: dt.datetime | None = None) -> str:
    """Shields' ``age(date, reversed=true)``: the older, the greener (a repository's age)."""
    now = now or dt.datetime.now(dt.UTC)
    days = (now - when).total_seconds() / 86400
    for limit, color in ((7, "red"), (30, "orange"), (180, "yellow"), (365, "yellowgreen"),
                         (730, "green")):  # fmt: skip
        if days < limit:
            return color
    return "brightgreen"


def downloads_message(n: int | float, interval: str | None = None, suffix: str = "") -> str:
    """``12k``, ``12k/month``, ``1.2k [asset.zip]``."""
    text = metric(n)
    if interval:
        text += f"/{interval}"
    if suffix:
        text += f" {suffix}"
    return text


def contributor_color(n: int) -> str:
    """More than two contributors brightgreen, two yellow, fewer red."""
    if n > 2:
        return "brightgreen"
    return "yellow" if n == 2 else "red"


def format_date(when: dt.datetime, now: dt.datetime | None = None) -> str:
    """dayjs ``calendar``, lower-cased, current year dropped: ``today``, ``yesterday``,
    ``last friday``, ``march``, ``december 2023``."""
    now = now or dt.datetime.now(dt.UTC)
    day, today = when.astimezone(dt.UTC).date(), now.astimezone(dt.UTC).date()
    delta = (today - day).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "yesterday"
    if 1 < delta < 7:
        return f"last {_DAYS[day.weekday()]}"
    text = _MONTHS[day.month - 1]
    return text if day.year == today.year else f"{text} {day.year}"


_GREEN = {"fixed", "passed", "passing", "succeeded", "success", "successful"}
_ORANGE = {"partially succeeded", "unstable", "timeout"}
_RED = {"error", "failed", "failing", "failure", "infrastructure_failure"}


def build_status(status: str) -> tuple[str, str]:
    """Shields' build-status message and colour for an upstream status word."""
    if status in _GREEN:
        return "passing", "brightgreen"
    if status == "building":
        return "building", "yellow"
    if status in _ORANGE:
        return ("passing" if status == "partially succeeded" else status), "orange"
    if status in _RED:
        return ("failing" if status == "failed" else status), "red"
    return status, "lightgrey"
