"""The ``npm`` provider: version, licence and downloads of a package.

Subject: ``name`` or ``@scope/name`` (two path segments). Versions come from
``NPM_REGISTRY_URL`` (``/NAME/latest``, scoped names as ``@scope%2Fname``), download
counts from ``NPM_API_URL`` (``/downloads/point/last-week/NAME``).
"""

from __future__ import annotations

import re

from badgeapp.errors import BadgeNotFound, InvalidParameter
from badgeapp.hookspecs import hookimpl

from . import display
from .api import ApiProvider, Fetcher, field, number
from .base import Value

_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~-]{0,213}$")


class NpmProvider(ApiProvider):
    """Package metrics from the npm registry."""

    name = "npm"
    subject_parts = 1
    metrics = {
        "version": "latest version (dist-tag latest)",
        "license": "licence",
        "downloads_day": "downloads in the last day",
        "downloads_week": "downloads in the last week",
        "downloads_month": "downloads in the last month",
        # shields routes (npm/v/{pkg}/{tag}, npm/dy, npm/dt, npm/types, npm/node)
        "tag_version": "version of a dist-tag (shields.tag, default latest)",
        "downloads_year": "downloads in the last year",
        "downloads_total": "downloads since the package was published",
        "types": "whether TypeScript types are included",
        "node": "the Node.js versions of engines.node",
    }
    labels = {
        "version": "npm",
        "tag_version": "npm",
        "downloads_year": "downloads",
        "downloads_total": "downloads",
        "node": "node",
        "downloads_day": "downloads",
        "downloads_week": "downloads",
        "downloads_month": "downloads",
    }

    def check_subject(self, subject: tuple[str, ...]) -> None:
        if len(subject) == 2 and subject[0].startswith("@"):
            scope, name = subject[0][1:], subject[1]
            if not (_PART.match(scope) and _PART.match(name)):
                raise InvalidParameter(detail="bad package name")
            return
        if len(subject) != 1:
            raise BadgeNotFound()
        if not _PART.match(subject[0]):
            raise InvalidParameter(detail="bad package name")

    @staticmethod
    def package(subject: tuple[str, ...], encoded: bool = True) -> str:
        """The package name, with the scope's slash URL-encoded for the registry."""
        return (
            (subject[0] + ("%2F" if encoded else "/") + subject[1])
            if len(subject) == 2
            else subject[0]
        )

    def _latest(self, subject: tuple[str, ...], fetch: Fetcher, tag: str = "latest") -> dict:
        url = fetch.url("NPM_REGISTRY_URL", f"/{self.package(subject)}/{tag}")
        data = fetch.json(url, missing="package not found")
        return data if isinstance(data, dict) else {}

    def metric_version(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        version = str(field(self._latest(subject, fetch), "version", kind=str))
        return display.version_value(version)

    def metric_license(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        lic = self._latest(subject, fetch).get("license")
        if isinstance(lic, dict):
            lic = lic.get("type")
        if not isinstance(lic, str) or not lic.strip():
            return Value(raw=None, display="missing", color="red", cache_seconds=3600)
        return display.license_value(lic)

    def _downloads(self, subject: tuple[str, ...], fetch: Fetcher, period: str) -> Value:
        url = fetch.url(
            "NPM_API_URL", f"/downloads/point/last-{period}/{self.package(subject, False)}"
        )
        n = number(fetch.json(url, missing="package not found"), "downloads")
        return Value(
            raw=n,
            display=display.per_period(n, period),
            color=display.downloads_color(n),
            cache_seconds=900,
        )

    def metric_downloads_day(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        return self._downloads(subject, fetch, "day")

    def metric_downloads_week(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        return self._downloads(subject, fetch, "week")

    def metric_downloads_month(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        return self._downloads(subject, fetch, "month")

    def metric_downloads_year(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        return self._downloads(subject, fetch, "year")

    def metric_downloads_total(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        url = fetch.url(
            "NPM_API_URL",
            f"/downloads/range/1000-01-01:3000-01-01/{self.package(subject, False)}",
        )
        days = field(fetch.json(url, missing="package not found"), "downloads", kind=list)
        n = sum(number(day, "downloads") for day in days)
        return Value(
            raw=n, display=display.metric(n), color=display.downloads_color(n), cache_seconds=900
        )

    def metric_tag_version(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        tag = str(fetch.ctx.args.get("shields.tag") or "latest")
        if not _PART.match(tag):
            raise InvalidParameter(detail="bad tag")
        data = self._latest(subject, fetch, tag)
        return display.version_value(str(field(data, "version", kind=str)))

    def metric_types(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        data = self._latest(subject, fetch)
        if data.get("types") or data.get("typings"):
            return Value(raw=True, display="included", color="blue", cache_seconds=3600)
        return Value(raw=False, display="missing", color="lightgrey", cache_seconds=3600)

    def metric_node(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        engines = self._latest(subject, fetch).get("engines")
        wanted = engines.get("node") if isinstance(engines, dict) else None
        if not isinstance(wanted, str) or not wanted.strip():
            return Value(raw=None, display="not specified", color="lightgrey", cache_seconds=3600)
        return Value(raw=wanted, display=wanted.strip(), color="brightgreen", cache_seconds=3600)


@hookimpl
def badgeapp_providers() -> list[NpmProvider]:
    """Register the npm provider."""
    return [NpmProvider()]
