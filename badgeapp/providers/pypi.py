"""The ``pypi`` provider: version, licence, supported Pythons and downloads of a package.

Subject: the package name. Metadata from ``PYPI_URL`` (``/pypi/NAME/json``), download
counts from ``PYPISTATS_URL`` (``/packages/NAME/recent``).
"""

from __future__ import annotations

import re

from badgeapp.errors import InvalidParameter
from badgeapp.hookspecs import hookimpl

from . import display
from .api import ApiProvider, Fetcher, field, number
from .base import Value

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")
_PY_CLASSIFIER = re.compile(r"^Programming Language :: Python :: (\d+(?:\.\d+)?)$")


def _version_key(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split("."))


class PyPIProvider(ApiProvider):
    """Package metrics from PyPI and pypistats.org."""

    name = "pypi"
    subject_parts = 1
    metrics = {
        "version": "latest version",
        "license": "licence",
        "python": "supported Python versions (classifiers, else requires_python)",
        "downloads_day": "downloads yesterday",
        "downloads_week": "downloads in the last week",
        "downloads_month": "downloads in the last month",
    }
    labels = {
        "version": "pypi",
        "python": "python",
        "downloads_day": "downloads",
        "downloads_week": "downloads",
        "downloads_month": "downloads",
    }

    def check_subject(self, subject: tuple[str, ...]) -> None:
        super().check_subject(subject)
        if not _NAME.match(subject[0]):
            raise InvalidParameter(detail="bad package name")

    def _info(self, subject: tuple[str, ...], fetch: Fetcher) -> dict:
        data = fetch.json(
            fetch.url("PYPI_URL", f"/pypi/{subject[0]}/json"), missing="package not found"
        )
        info = field(data, "info", kind=dict)
        return info

    def metric_version(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        version = str(field(self._info(subject, fetch), "version", kind=str))
        return display.version_value(version)

    def metric_license(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        info = self._info(subject, fetch)
        text = info.get("license_expression") or info.get("license")
        if not isinstance(text, str) or not text.strip() or len(text) > 60:
            classifiers = [c for c in info.get("classifiers") or [] if isinstance(c, str)]
            names = [c.rsplit(" :: ", 1)[-1] for c in classifiers if c.startswith("License ::")]
            text = names[0] if names else None
        if not text:
            return Value(raw=None, display="not specified", color="lightgrey", cache_seconds=3600)
        text = text.strip()
        return display.license_value(text)

    def metric_python(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        info = self._info(subject, fetch)
        versions = set()
        for item in info.get("classifiers") or []:
            match = _PY_CLASSIFIER.match(item) if isinstance(item, str) else None
            if match and "." in match.group(1):
                versions.add(match.group(1))
        if versions:
            ordered = sorted(versions, key=_version_key)
            return Value(raw=ordered, display=" | ".join(ordered), color="blue", cache_seconds=3600)
        requires = info.get("requires_python")
        if isinstance(requires, str) and requires.strip():
            return Value(raw=requires, display=requires.strip(), color="blue", cache_seconds=3600)
        return Value(raw=None, display="missing", color="lightgrey", cache_seconds=3600)

    def _downloads(self, subject: tuple[str, ...], fetch: Fetcher, key: str, period: str) -> Value:
        url = fetch.url("PYPISTATS_URL", f"/packages/{subject[0].lower()}/recent")
        n = number(fetch.json(url, missing="package not found"), "data", key)
        return Value(
            raw=n,
            display=display.per_period(n, period),
            color=display.downloads_color(n),
            cache_seconds=900,
        )

    def metric_downloads_day(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        return self._downloads(subject, fetch, "last_day", "day")

    def metric_downloads_week(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        return self._downloads(subject, fetch, "last_week", "week")

    def metric_downloads_month(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        return self._downloads(subject, fetch, "last_month", "month")


@hookimpl
def badgeapp_providers() -> list[PyPIProvider]:
    """Register the PyPI provider."""
    return [PyPIProvider()]
