"""What a live client can watch: a ``Topic`` (provider, subject, metric) and the messages about it.

A topic is named like a badge path without ``/v2/badge/``: ``github/pallets/flask/stars``.
``parse_topic`` checks it against the plugin registry (provider, metric, subject shape) without
touching the network; ``value_message`` and ``error_message`` are the JSON documents clients
receive (see the README's "Live stats over WebSocket").
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from badgeapp.badges.provider_values import Resolved, find_provider
from badgeapp.errors import BadgeError, BadgeNotFound

#: longest topic name accepted from a client
MAX_TOPIC_CHARS = 400


@dataclasses.dataclass(frozen=True)
class Topic:
    """One live metric: ``github`` + ``("pallets", "flask")`` + ``stars``."""

    provider: str
    subject: tuple[str, ...]
    metric: str

    @property
    def name(self) -> str:
        """``github/pallets/flask/stars``: the key of the topic everywhere (locks, channels)."""
        return "/".join((self.provider, *self.subject, self.metric))

    @property
    def badge(self) -> str:
        """The badge URL path showing this metric."""
        return "/v2/badge/" + self.name

    @property
    def parts(self) -> list[str]:
        """``subject... + metric``, as ``resolve_with`` takes them."""
        return [*self.subject, self.metric]


def parse_topic(name: Any) -> Topic:
    """``"github/pallets/flask/stars"`` -> ``Topic``; ``BadgeError`` saying what is wrong.

    Checks the provider exists and serves live values (not a drop-in plugin), that the metric
    is one of its metrics, and that the subject has the provider's shape.
    """
    if not isinstance(name, str) or not name or len(name) > MAX_TOPIC_CHARS:
        raise BadgeNotFound(detail="a topic is provider/subject.../metric")
    parts = [part for part in name.strip("/").split("/") if part]
    if len(parts) < 2:
        raise BadgeNotFound(detail="a topic is provider/subject.../metric")
    provider = find_provider(parts[0].lower())
    if getattr(provider, "subject_parts", 0) == 0:
        raise BadgeNotFound(detail=f"{provider.name} has no live values")
    metric, subject = parts[-1], tuple(parts[1:-1])
    metrics = getattr(provider, "metrics", None) or {}
    if metric not in metrics:
        raise BadgeNotFound(detail=f"{provider.name} has no metric {metric!r}")
    check = getattr(provider, "check_subject", None)
    if check is not None:
        check(subject)
    elif len(subject) != provider.subject_parts:
        raise BadgeNotFound(detail=f"{provider.name} takes {provider.subject_parts} segments")
    return Topic(provider.name, subject, metric)


def now_iso() -> str:
    """The current UTC time as ISO 8601."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def value_message(topic: Topic, resolved: Resolved) -> dict[str, Any]:
    """``{"type": "value", "metric", "value", "display", "badge", "fetched_at", ...}``."""
    value = resolved.value
    raw = value.raw
    if not isinstance(raw, str | int | float | bool | type(None)):
        raw = str(raw)
    return {
        "type": "value",
        "topic": topic.name,
        "provider": topic.provider,
        "subject": "/".join(topic.subject),
        "metric": topic.metric,
        "value": raw,
        "display": value.display,
        "color": value.color,
        "badge": topic.badge,
        "fetched_at": value.fetched_at.isoformat(),
        "stale": value.stale,
    }


def error_message(name: str, error: BadgeError) -> dict[str, Any]:
    """``{"type": "error", "topic", "error"}``: a subscription refused or a value unavailable."""
    return {
        "type": "error",
        "topic": name[:MAX_TOPIC_CHARS],
        "error": error.message,
        "detail": error.detail[:300],
    }


def same_value(a: dict[str, Any] | None, b: dict[str, Any]) -> bool:
    """Whether two messages show the same thing (``fetched_at`` aside)."""
    if a is None:
        return False
    keys = ("type", "value", "display", "color", "stale", "error")
    return all(a.get(key) == b.get(key) for key in keys)
