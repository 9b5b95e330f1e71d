"""What the built-in API providers share: metric dispatch and a fetcher over the upstream layer.

A provider subclasses ``ApiProvider``, declares ``name``, ``subject_parts`` and
``metrics`` (name -> one-line description) and writes one ``metric_<name>(subject,
fetch)`` method per metric returning a ``Value``. ``Fetcher`` calls
``badgeapp.upstream`` and remembers whether any answer was stale and how old the oldest
was, so the ``Value`` carries ``stale`` and ``fetched_at`` without each method caring.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

from badgeapp.errors import BadgeNotFound, InvalidParameter, InvalidResponse, NotFound
from badgeapp.upstream import Result, TokenPool, base_url, get_upstream, setting

from .base import ResolveContext, Value

log = logging.getLogger(__name__)


class Fetcher:
    """Upstream GETs for one resolve call; tracks staleness and the oldest fetch time."""

    def __init__(self, ctx: ResolveContext) -> None:
        self.ctx = ctx
        self.config: Mapping[str, Any] = ctx.config or {}
        self.upstream = get_upstream(self.config)
        #: one time budget for every upstream call of this badge (monotonic seconds)
        self.deadline = time.monotonic() + self.upstream.timeouts.budget
        self.stale = False
        self.fetched_at: float | None = None

    def url(self, key: str, path: str) -> str:
        """``path`` under the configured base URL ``key`` (e.g. ``GITHUB_API_URL``)."""
        return base_url(self.config, key) + path

    def setting(self, key: str) -> Any:
        """A parsed configuration value (with the upstream layer's default)."""
        return setting(self.config, key)

    def get(
        self,
        url: str,
        *,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        pool: TokenPool | None = None,
        auth_header: Callable[[str], dict[str, str]] | None = None,
        missing: str = "not found",
        ok: tuple[int, ...] = (200,),
    ) -> Result:
        """A cached GET; 404/410 raise ``NotFound(missing)``, other odd statuses ``invalid``."""
        result = self.upstream.get(
            url,
            params=params,
            headers=headers,
            pool=pool,
            auth_header=auth_header,
            fresh=self.ctx.fresh,
            deadline=self.deadline,
        )
        self.stale = self.stale or result.stale
        if self.fetched_at is None or result.fetched_at < self.fetched_at:
            self.fetched_at = result.fetched_at
        if result.status in ok:
            return result
        if result.status in (404, 410):
            raise NotFound(missing)
        raise InvalidResponse(detail=f"upstream answered {result.status}")

    def json(self, url: str, **kwargs: Any) -> Any:
        """``get`` and parse the body as JSON."""
        return self.get(url, **kwargs).json()


def field(data: Any, *path: str | int, kind: type | tuple[type, ...] = object) -> Any:
    """``data[path...]`` checked against ``kind``; anything else is an ``invalid`` answer."""
    value = data
    for step in path:
        try:
            value = value[step]
        except (KeyError, IndexError, TypeError):
            raise InvalidResponse(detail=f"upstream answer lacks {path!r}") from None
    if kind is not object and not isinstance(value, kind):
        raise InvalidResponse(detail=f"upstream field {path!r} has the wrong type")
    return value


def number(data: Any, *path: str | int) -> int:
    """An integer field (numbers sent as strings, as YouTube does, are accepted)."""
    value = field(data, *path)
    if isinstance(value, str) and value.isdigit():
        return int(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidResponse(detail=f"upstream field {path!r} is not a number")
    return int(value)


class ApiProvider:
    """Base of the built-in providers: validates subject and metric, then dispatches."""

    name: str = ""
    subject_parts: int = 1
    metrics: Mapping[str, str] = {}
    #: default badge labels per metric (the metric name with spaces otherwise)
    labels: Mapping[str, str] = {}

    def label_for(self, metric: str) -> str:
        """The default left-hand text of a metric's badge."""
        return self.labels.get(metric, metric.replace("_", " "))

    def check_subject(self, subject: tuple[str, ...]) -> None:
        """Refuse a subject of the wrong shape (override for variable shapes)."""
        if len(subject) != self.subject_parts or not all(subject):
            raise BadgeNotFound()

    def resolve(self, subject: tuple[str, ...], metric: str, ctx: ResolveContext) -> Value:
        """Resolve one metric through its ``metric_<name>`` method."""
        if metric not in self.metrics:
            raise BadgeNotFound()
        self.check_subject(subject)
        for part in subject:
            if len(part) > 200 or part in (".", "..") or any(c in part for c in "\\?#%\x00"):
                raise InvalidParameter(detail="bad subject")
        fetch = Fetcher(ctx)
        try:
            value: Value = getattr(self, f"metric_{metric}")(subject, fetch)
        except (ValueError, TypeError, LookupError, AttributeError, ArithmeticError) as exc:
            # upstream answers are untrusted: a shape we did not expect is "invalid", not a crash
            log.info("%s/%s: unexpected upstream data: %r", self.name, metric, exc)
            raise InvalidResponse(detail="upstream sent data of an unexpected shape") from exc
        changes: dict[str, Any] = {"stale": value.stale or fetch.stale}
        if value.label is None:
            changes["label"] = self.label_for(metric)
        if fetch.fetched_at is not None:
            changes["fetched_at"] = dt.datetime.fromtimestamp(fetch.fetched_at, dt.UTC)
        return dataclasses.replace(value, **changes)
