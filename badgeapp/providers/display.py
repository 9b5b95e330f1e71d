"""How provider values are shown: shields' number, size, age and version formats and colours.

Pure functions shared by the built-in providers, so every provider writes ``1.2k`` and
``3 days ago`` the same way and colours carry the same meaning (shields
core/base-service text and colour formatters).
"""

from __future__ import annotations

import datetime as dt
import re

from badgeapp.errors import InvalidResponse
from badgeapp.providers.base import Value

_PREFIXES = ("k", "M", "G", "T", "P", "E", "Z", "Y")


def metric(n: int | float) -> str:
    """Shields' ``metric``: 999, 1k, 1.2k, 12k, 123k, 1.2M ... (one decimal below 10, if not 0)."""
    sign = "-" if n < 0 else ""
    absn = abs(n)
    for i in range(len(_PREFIXES) - 1, -1, -1):
        limit = 1000 ** (i + 1)
        if absn >= limit:
            scaled = absn / limit
            if scaled < 10:
                one = f"{scaled:.1f}"
                if not one.endswith("0"):
                    return f"{sign}{one}{_PREFIXES[i]}"
            rounded = round(scaled)
            if rounded < 1000 or i + 1 == len(_PREFIXES):  # past Y: more digits, never less
                return f"{sign}{rounded}{_PREFIXES[i]}"
            return f"{sign}1{_PREFIXES[i + 1]}"
    if isinstance(n, float) and not n.is_integer():
        return f"{n:.1f}".rstrip("0").rstrip(".")
    return f"{int(n)}"


def per_period(n: float, period: str) -> str:
    """A rate such as ``1.2k/week`` or ``2.5/week``."""
    if 0 < n < 10 and not float(n).is_integer():
        return f"{n:.1f}/{period}"
    return f"{metric(round(n))}/{period}"


def pretty_bytes(n: int | float) -> str:
    """Decimal sizes with three significant digits, like pretty-bytes: ``12.3 MB``."""
    units = ("B", "kB", "MB", "GB", "TB", "PB")
    value = float(n)
    unit = 0
    while unit < len(units) - 1 and abs(float(f"{value:.3g}")) >= 1000:  # 999.5 MB is 1 GB
        value /= 1000
        unit += 1
    text = f"{value:.3g}" if unit else f"{int(value)}"
    if "e" in text:  # only past the largest unit
        text = f"{value:.0f}"
    return f"{text} {units[unit]}"


def parse_time(text: str) -> dt.datetime:
    """An ISO 8601 timestamp as an aware datetime (``Z`` accepted); else ``InvalidResponse``."""
    try:
        value = dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        raise InvalidResponse(detail="upstream sent a bad timestamp") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


def relative_age(when: dt.datetime, now: dt.datetime | None = None) -> str:
    """dayjs ``fromNow`` wording: ``today``-ish precision, ``3 days ago``, ``a year ago``."""
    now = now or dt.datetime.now(dt.UTC)
    seconds = max(0.0, (now - when).total_seconds())
    minutes, hours, days = seconds / 60, seconds / 3600, seconds / 86400
    if seconds < 45:
        return "a few seconds ago"
    if seconds < 90:
        return "a minute ago"
    if minutes < 45:
        return f"{round(minutes)} minutes ago"
    if minutes < 90:
        return "an hour ago"
    if hours < 22:
        return f"{round(hours)} hours ago"
    if hours < 36:
        return "a day ago"
    if days < 26:
        return f"{round(days)} days ago"
    if days < 45:
        return "a month ago"
    if days < 320:
        return f"{max(2, round(days / 30.4))} months ago"
    if days < 548:
        return "a year ago"
    return f"{round(days / 365.25)} years ago"


def age_color(when: dt.datetime, now: dt.datetime | None = None) -> str:
    """Shields' age colours: newer is greener (7, 30, 180, 365, 730 days)."""
    now = now or dt.datetime.now(dt.UTC)
    days = (now - when).total_seconds() / 86400
    for limit, color in ((7, "brightgreen"), (30, "green"), (180, "yellowgreen"), (365, "yellow")):
        if days < limit:
            return color
    return "orange" if days < 730 else "red"


def downloads_color(n: int | float) -> str:
    """Shields' ``downloadCount``: 0 red, then yellow, yellowgreen, green at 10, 100, 1000."""
    if n <= 0:
        return "red"
    if n < 10:
        return "yellow"
    if n < 100:
        return "yellowgreen"
    if n < 1000:
        return "green"
    return "brightgreen"


def count_color(n: int, zero: str = "brightgreen", some: str = "yellow") -> str:
    """Open issues / PRs: none is good news."""
    return zero if n == 0 else some


_PRERELEASE = re.compile(r"(alpha|beta|rc|dev|pre|snapshot|-)", re.IGNORECASE)


def version_color(version: str) -> str:
    """Shields' version colour: pre-releases and 0.x are orange, releases blue."""
    text = version.lstrip("vV")
    if not text or text.startswith("0.") or text == "0" or _PRERELEASE.search(text):
        return "orange"
    return "blue"


def version_text(version: str) -> str:
    """``v1.2.3`` for numeric versions (shields adds the ``v``), the text otherwise."""
    if version[:1].isdigit():
        return f"v{version}"
    return version


_PERMISSIVE = {
    "MIT", "MIT-0", "APACHE-2.0", "BSD-2-CLAUSE", "BSD-3-CLAUSE", "BSD-4-CLAUSE", "ISC",
    "ZLIB", "BSL-1.0", "NCSA", "PSF-2.0", "PYTHON-2.0", "0BSD", "AFL-3.0", "ARTISTIC-2.0",
    "X11", "UPL-1.0", "POSTGRESQL", "MS-PL", "APACHE", "BSD", "APACHE LICENSE 2.0",
}  # fmt: skip
_COPYLEFT = ("GPL", "AGPL", "LGPL", "MPL", "EPL", "EUPL", "OSL", "CDDL", "CECILL", "MS-RL")
_PUBLIC_DOMAIN = {"CC0-1.0", "UNLICENSE", "WTFPL", "PUBLIC DOMAIN"}


def license_color(spdx: str) -> str:
    """Shields' licence colours: permissive green, copyleft orange, public domain 7cd958."""
    key = spdx.strip().upper()
    if key in _PUBLIC_DOMAIN:
        return "7cd958"
    if key in _PERMISSIVE:
        return "green"
    if any(key.startswith(prefix) for prefix in _COPYLEFT):
        return "orange"
    return "lightgrey"


def version_value(version: str) -> Value:
    """A release or package version as providers show it (``v1.2.3``, coloured by maturity)."""
    return Value(
        raw=version, display=version_text(version), color=version_color(version), cache_seconds=300
    )


def license_value(name: str) -> Value:
    """A licence identifier as every provider shows it (coloured by licence family)."""
    return Value(raw=name, display=name, color=license_color(name), cache_seconds=3600)
