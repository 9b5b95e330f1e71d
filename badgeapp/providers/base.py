"""The provider protocol: what a plugin returns from ``badgeapp_providers``.

A provider names a source of numbers (``github``, ``pypi``, a drop-in file plugin) and
exposes metrics. ``resolve(subject, metric, ctx)`` turns a subject (the path segments
after the provider name, e.g. ``("pallets", "flask")``) and a metric into a ``Value``.
Providers never render: the families build a badge from the ``Value``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable


def utcnow() -> dt.datetime:
    """Timezone-aware now, the timestamp every ``Value`` carries."""
    return dt.datetime.now(dt.UTC)


@dataclasses.dataclass(frozen=True)
class Value:
    """A resolved metric: the raw number or text, how to show it, and how fresh it is."""

    raw: Any
    display: str
    color: str | None = None
    label: str | None = None
    fetched_at: dt.datetime = dataclasses.field(default_factory=utcnow)
    stale: bool = False
    #: cache lifetime hint in seconds for badges built from this value (None: family default)
    cache_seconds: int | None = None

    def __post_init__(self) -> None:
        """Coerce what third-party providers put here, so families can trust the types.

        ``display`` becomes text; ``fetched_at`` an aware datetime (naive means UTC; an ISO
        string is parsed; anything else means now); ``stale`` a bool; ``cache_seconds`` a
        whole number of seconds from 0 to one year, or None when it is not a number.
        """
        fix = object.__setattr__  # the dataclass is frozen
        if not isinstance(self.display, str):
            fix(self, "display", str(self.display))
        fix(self, "fetched_at", _as_aware_time(self.fetched_at))
        fix(self, "stale", bool(self.stale) and self.stale not in ("0", "false", "no"))
        fix(self, "cache_seconds", _as_seconds(self.cache_seconds))


def _as_aware_time(value: Any) -> dt.datetime:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return utcnow()
    if not isinstance(value, dt.datetime):
        return utcnow()
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _as_seconds(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        seconds = int(float(value))
    except (TypeError, ValueError, OverflowError):
        return None
    return min(max(seconds, 0), 365 * 86400)


@dataclasses.dataclass
class ResolveContext:
    """What a provider may look at besides the subject and metric: query args and config."""

    args: Mapping[str, str] = dataclasses.field(default_factory=dict)
    config: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    #: oldest cached upstream answer (seconds) to use as is; None: the upstream layer's default.
    #: Live pollers and the pre-warm job ask for fresher answers than a badge view does.
    fresh: float | None = None


@runtime_checkable
class Provider(Protocol):
    """A named source of metrics.

    ``subject_parts`` is how many path segments name the subject (``github``: 2 for
    owner/repo, ``pypi``: 1, a drop-in plugin: 0). ``metrics`` maps each metric name to
    a one-line description (shown by ``/plugins/list`` and the README).
    """

    name: str
    subject_parts: int
    metrics: Mapping[str, str]

    def resolve(self, subject: tuple[str, ...], metric: str, ctx: ResolveContext) -> Value: ...
