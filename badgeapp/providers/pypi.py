"""The ``pypi`` provider: version, licence, supported Pythons and downloads of a package.

Subject: the package name. Metadata from ``PYPI_URL`` (``/pypi/NAME/json``), download
counts from ``PYPISTATS_URL`` (``/packages/NAME/recent``).
"""

from __future__ import annotations

import re

from badgeapp.errors import InvalidParameter, InvalidResponse
from badgeapp.hookspecs import hookimpl

from . import display
from .api import ApiProvider, Fetcher, field, number
from .base import Value

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")
_VERSION = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.+!_-]{0,99}$")
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
        # shields routes (pypi/format, pypi/wheel, pypi/implementation, pypi/status)
        "format": "distribution format: wheel, egg or source",
        "wheel": "whether a wheel is published",
        "implementation": "Python implementations (classifiers; cpython when none)",
        "status": "development status classifier",
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

    def _document(self, subject: tuple[str, ...], fetch: Fetcher) -> dict:
        path = f"/pypi/{subject[0]}/json"
        pinned = fetch.ctx.args.get("shields.version")  # shields' ":egg*" = name/version
        if pinned:
            if not _VERSION.match(str(pinned)):
                raise InvalidParameter(detail="bad version")
            path = f"/pypi/{subject[0]}/{pinned}/json"
        data = fetch.json(fetch.url("PYPI_URL", path), missing="package not found")
        if not isinstance(data, dict):
            raise InvalidResponse(detail="package document is not an object")
        return data

    def _info(self, subject: tuple[str, ...], fetch: Fetcher) -> dict:
        return field(self._document(subject, fetch), "info", kind=dict)

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

    def _files(self, subject: tuple[str, ...], fetch: Fetcher) -> list[str]:
        urls = self._document(subject, fetch).get("urls")
        return [str(u.get("packagetype")) for u in urls or [] if isinstance(u, dict)]

    def metric_format(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        kinds = self._files(subject, fetch)
        if "bdist_wheel" in kinds:
            return Value(raw="wheel", display="wheel", color="brightgreen", cache_seconds=3600)
        if "bdist_egg" in kinds:
            return Value(raw="egg", display="egg", color="red", cache_seconds=3600)
        return Value(raw="source", display="source", color="yellow", cache_seconds=3600)

    def metric_wheel(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        has = "bdist_wheel" in self._files(subject, fetch)
        return Value(
            raw=has,
            display="yes" if has else "no",
            color="brightgreen" if has else "red",
            cache_seconds=3600,
        )

    def _classifiers(self, subject: tuple[str, ...], fetch: Fetcher, prefix: str) -> list[str]:
        items = self._info(subject, fetch).get("classifiers") or []
        return [c[len(prefix) :] for c in items if isinstance(c, str) and c.startswith(prefix)]

    def metric_implementation(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        names = self._classifiers(
            subject, fetch, "Programming Language :: Python :: Implementation :: "
        )
        text = " | ".join(sorted(n.lower() for n in names)) or "cpython"
        return Value(raw=text, display=text, color="blue", cache_seconds=3600)

    def metric_status(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        found = self._classifiers(subject, fetch, "Development Status :: ")
        if not found:
            return Value(raw=None, display="unknown", color="lightgrey", cache_seconds=3600)
        code, _, words = found[0].partition(" - ")
        text = words.split("/")[-1].lower() if words else code.lower()
        text = {"production": "stable"}.get(text, text)
        color = {
            "planning": "red", "pre-alpha": "red", "alpha": "red", "beta": "yellow",
            "stable": "brightgreen", "mature": "brightgreen", "inactive": "red",
        }.get(text, "lightgrey")  # fmt: skip
        return Value(raw=text, display=text, color=color, cache_seconds=3600)

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
