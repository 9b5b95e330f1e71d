"""The live badge page's form: which badges to show and which socket updates them.

``live_form(registry, args, max_metrics)`` reads ``provider``, ``subject`` (``owner/repo``, or
a provider's own subject such as a package name) and ``metrics`` (comma-separated) from a query
string and checks each metric as the live socket will (``badgeapp.live.topics.parse_topic``:
known provider with live values, known metric, subject of the right shape), without touching
the network. The page shows one badge per valid metric (its URL draws the current value, so
the page works without JavaScript) and the script updates them from
``WS /ws/live/{provider}/{subject}?metrics=...``.
"""

from __future__ import annotations

import dataclasses
import urllib.parse
from collections.abc import Mapping
from typing import Any

from badgeapp.errors import BadgeError
from badgeapp.live.topics import Topic, parse_topic

#: what the form shows before anything is asked
DEFAULT_PROVIDER = "github"
DEFAULT_METRICS = "stars,forks"
#: longest subject or metrics text read from the query
MAX_FIELD = 200


@dataclasses.dataclass
class LiveForm:
    """The form's values, its errors (per field) and the badges to show."""

    provider: str
    subject: str
    metrics: str
    providers: list[str]
    errors: dict[str, str] = dataclasses.field(default_factory=dict)
    topics: list[Topic] = dataclasses.field(default_factory=list)
    metric_names: list[str] = dataclasses.field(default_factory=list)

    @property
    def socket_path(self) -> str | None:
        """``/ws/live/github/pallets/flask?metrics=stars,forks`` (None: nothing to watch)."""
        if not self.topics:
            return None
        first = self.topics[0]
        subject = "/".join(urllib.parse.quote(part, safe="") for part in first.subject)
        metrics = ",".join(topic.metric for topic in self.topics)
        query = urllib.parse.urlencode({"metrics": metrics}, safe=",")
        return f"/ws/live/{first.provider}/{subject}?{query}"


def live_providers(registry: Any) -> list[str]:
    """Providers whose values can be watched live (those with subjects), sorted."""
    return sorted(
        name
        for name, provider in registry.providers().items()
        if getattr(provider, "subject_parts", 0)
    )


def live_form(registry: Any, args: Mapping[str, str], max_metrics: int) -> LiveForm:
    """The form for ``args``; badges only once a subject is given."""
    providers = live_providers(registry)
    provider = str(args.get("provider") or DEFAULT_PROVIDER)[:MAX_FIELD].strip().lower()
    subject = str(args.get("subject") or "")[:MAX_FIELD].strip().strip("/")
    metrics = str(args.get("metrics") or DEFAULT_METRICS)[:MAX_FIELD]
    form = LiveForm(provider, subject, metrics, providers)
    if provider not in providers:
        form.errors["provider"] = "choose a provider from the list"
        return form
    form.metric_names = sorted(getattr(registry.providers()[provider], "metrics", None) or {})
    if "subject" not in args:
        return form
    if not subject:
        form.errors["subject"] = "enter what to watch, e.g. pallets/flask"
        return form
    names = list(dict.fromkeys(m.strip() for m in metrics.split(",") if m.strip()))
    if not names:
        form.errors["metrics"] = "enter at least one metric"
        return form
    if len(names) > max_metrics:
        form.errors["metrics"] = f"at most {max_metrics} metrics"
        return form
    unknown = [name for name in names if name not in form.metric_names]
    if unknown:
        form.errors["metrics"] = f"{provider} has no metric {', '.join(unknown)}"
    parts = subject.split("/")
    if any(p in ("", ".", "..") or any(c in p for c in "\\?#%\x00") for p in parts):
        form.errors["subject"] = "a subject is names separated by /, e.g. pallets/flask"
    if form.errors:
        return form
    try:
        form.topics = [parse_topic(f"{provider}/{subject}/{name}") for name in names]
    except BadgeError:
        shape = getattr(registry.providers()[provider], "subject_parts", 0)
        form.errors["subject"] = f"{provider} takes {shape} name(s) separated by /"
    return form
