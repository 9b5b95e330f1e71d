"""Abuse detection: an address that enumerates subjects (many distinct users or repositories
in a few minutes) is refused new ones for a while.

Only expensive work counts. A subject (``github/pallets/flask``, a username) is *warm* for
``ABUSE_WARM_SECONDS`` after anyone asked for it: its answer is cached, so asking again is cheap,
never counted and never refused. A *cold* subject costs upstream calls: each address's distinct
cold subjects are counted over a sliding window (``ABUSE_WINDOW`` seconds); past
``ABUSE_MAX_SUBJECTS`` the address is blocked for ``ABUSE_BLOCK_SECONDS``, logged, and its
requests for cold subjects get a ``rate limited`` badge (429, JSON for JSON clients) while warm
ones are still served. A README page (many badges of a few subjects) stays far below the
threshold; GitHub's image proxy (User-Agent ``github-camo``, which fetches every README's
images from a few addresses) and the addresses in ``ABUSE_ALLOW_ADDRESSES`` are never counted.

Which requests have a subject: ``SUBJECT_EXTRACTORS`` maps a family (blueprint name) to a
function of the route's arguments; families not listed have none (static and locally stored
badges are cheap). ``abuse_report(app)`` returns current blocks, recent block events and
counters for the analytics page. State lives in ``abuse_store`` (Redis, else a SQLite file).
"""

from __future__ import annotations

import dataclasses
import ipaddress
import logging
import time
from collections.abc import Callable, Mapping
from typing import Any

from flask import Flask, Response, current_app, g, request

from badgeapp.config import ConfigError
from badgeapp.errors import RateLimited
from badgeapp.hookspecs import hookimpl
from badgeapp.plugins import get_registry
from badgeapp.security.abuse_store import AbuseStore, make_store
from badgeapp.security.refusal import refuse

log = logging.getLogger(__name__)

#: where the detector lives in ``app.extensions``
EXTENSION = "badgeapp.abuse"
#: label of the refusal badge
ERROR_LABEL = "429"

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Extractor = Callable[[Mapping[str, Any]], str | None]

#: route arguments that name a subject, in the order they are joined (generic families)
SUBJECT_ARGS = ("provider", "owner", "org", "user", "username", "login", "repo", "package")


def generic_subject(view_args: Mapping[str, Any]) -> str | None:
    """The subject of a route with ``owner``/``repo``/``user``/``username``... arguments."""
    parts = [str(view_args[name]) for name in SUBJECT_ARGS if view_args.get(name)]
    return "/".join(parts) or None


def provider_subject(view_args: Mapping[str, Any]) -> str | None:
    """``/v2/badge/<provider>/<rest>``: the provider and every segment but the metric; None
    for what asks no upstream (an unknown provider or metric, a plugin without subject)."""
    name = str(view_args.get("provider", ""))
    segments = [s for s in str(view_args.get("rest", "")).split("/") if s]
    provider = get_registry().providers().get(name)
    if provider is None or len(segments) < 2 or not getattr(provider, "subject_parts", 0):
        return None
    metric = segments[-1].rsplit(".", 1)[0] if "." in segments[-1] else segments[-1]
    metrics = getattr(provider, "metrics", None) or {}
    if metrics and metric not in metrics and segments[-1] not in metrics:
        return None
    return "/".join([name, *segments[:-1]]).lower()


#: format suffixes a shields path may end with (not part of the subject)
SHIELDS_SUFFIXES = (".svg", ".png", ".json")


def shields_subject(view_args: Mapping[str, Any]) -> str | None:
    """Shields' ``/<service>/<rest>`` (``github`` + ``stars/pallets/flask``): the service and
    the segments of ``rest`` after its first (the metric), lower-cased and without a format
    suffix: ``github/pallets/flask``; None when nothing follows the metric."""
    segments = [s for s in str(view_args.get("rest", "")).split("/") if s][1:]
    if segments:
        last = segments[-1].lower()
        for suffix in SHIELDS_SUFFIXES:
            if last.endswith(suffix) and len(last) > len(suffix):
                segments[-1] = segments[-1][: -len(suffix)]
                break
    service = str(view_args.get("service", ""))
    if not service or not segments:
        return None
    return "/".join([service, *segments]).lower()


#: families whose requests name an upstream subject; add a line for a new live family
SUBJECT_EXTRACTORS: dict[str, Extractor] = {
    "providers": provider_subject,
    "shields": shields_subject,
    "rank": generic_subject,
    "stats": generic_subject,
    "trophies": generic_subject,
    "insights": generic_subject,
}


@dataclasses.dataclass(frozen=True)
class Policy:
    """The thresholds, from the ``ABUSE_*`` configuration keys."""

    max_subjects: int
    window: float
    block_seconds: float
    warm_seconds: float
    allow_agents: tuple[str, ...]
    allow_networks: tuple[Network, ...]

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Policy:
        networks = []
        for text in config.get("ABUSE_ALLOW_ADDRESSES", ()):
            try:
                networks.append(ipaddress.ip_network(text, strict=False))
            except ValueError:
                raise ConfigError(
                    f"invalid configuration value for ABUSE_ALLOW_ADDRESSES: {text!r}"
                ) from None
        return cls(
            max_subjects=int(config["ABUSE_MAX_SUBJECTS"]),
            window=float(config["ABUSE_WINDOW"]),
            block_seconds=float(config["ABUSE_BLOCK_SECONDS"]),
            warm_seconds=float(config["ABUSE_WARM_SECONDS"]),
            allow_agents=tuple(a.lower() for a in config.get("ABUSE_ALLOW_AGENTS", ())),
            allow_networks=tuple(networks),
        )

    def exempt(self, address: str, user_agent: str) -> bool:
        """Never counted: an allowed User-Agent substring or address."""
        agent = user_agent.lower()
        if any(allowed in agent for allowed in self.allow_agents):
            return True
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.allow_networks)


@dataclasses.dataclass
class Seen:
    """What ``before_request`` learnt about the current request, for ``after_request``."""

    subject: str
    address: str
    exempt: bool
    cold: bool


class Detector:
    """Counts distinct cold subjects per address and keeps the block list."""

    def __init__(
        self, store: AbuseStore, policy: Policy, clock: Callable[[], float] = time.time
    ) -> None:
        self.store = store
        self.policy = policy
        self.clock = clock

    def before(self, subject: str, address: str, user_agent: str) -> tuple[Seen, bool]:
        """(what to remember, whether to refuse) for a request of ``subject``."""
        now = self.clock()
        seen = Seen(subject, address, self.policy.exempt(address, user_agent), cold=False)
        if self.store.is_warm(subject, now):
            return seen, False
        seen.cold = True
        if seen.exempt or self.store.blocked_until(address, now) is None:
            return seen, False
        self.store.incr("refused")
        return seen, True

    def after(self, seen: Seen) -> None:
        """Account for a served request: warm its subject; count it when it was cold."""
        if not seen.cold:
            return
        now = self.clock()
        self.store.mark_warm(seen.subject, now, self.policy.warm_seconds)
        if seen.exempt:
            self.store.incr("exempt_cold")
            return
        self.store.incr("counted")
        distinct = self.store.note_subject(
            seen.address, seen.subject, now, self.policy.window, self.policy.max_subjects + 1
        )
        if distinct > self.policy.max_subjects:
            until = now + self.policy.block_seconds
            self.store.block(seen.address, now, until, distinct)
            self.store.incr("blocks")
            log.warning(
                "abuse: blocking %s for %ds: %d distinct cold subjects in %ds",
                seen.address,
                self.policy.block_seconds,
                distinct,
                self.policy.window,
            )

    def report(self, limit: int = 50) -> dict[str, Any]:
        """Current blocks, the latest block events and the counters."""
        now = self.clock()
        return {
            "blocks": self.store.blocks(now),
            "events": self.store.events(limit),
            "counters": self.store.counters(),
        }


def subject_of_request() -> str | None:
    """The subject the current request is about (None: not counted)."""
    extractor = SUBJECT_EXTRACTORS.get((request.blueprint or "").split(".", 1)[0])
    if extractor is None or request.view_args is None:
        return None
    subject = extractor(request.view_args)
    return subject[:512] if subject else None


def _detector() -> Detector | None:
    return current_app.extensions.get(EXTENSION)


def before_request() -> Response | None:
    """Refuse a blocked address's cold subjects; remember the request for ``after_request``."""
    detector = _detector()
    if detector is None or request.url_rule is None:
        return None
    subject = subject_of_request()
    if subject is None:
        return None
    address = request.remote_addr or "unknown"
    try:
        seen, refused = detector.before(subject, address, request.user_agent.string or "")
    except Exception:  # a failing store never refuses what would be served
        log.warning("abuse detection store unavailable", exc_info=True)
        return None
    g.abuse_seen = seen
    if refused:
        return refuse(
            RateLimited(detail="too many distinct subjects from this address; try again later"),
            ERROR_LABEL,
        )
    return None


def after_request(response: Response) -> Response:
    """Count the request's subject when it was cold and not refused (403 signature, 429)."""
    seen = g.pop("abuse_seen", None)
    detector = _detector()
    if seen is None or detector is None or response.status_code in (403, 429):
        return response
    try:
        detector.after(seen)
    except Exception:
        log.warning("abuse detection store unavailable", exc_info=True)
    return response


def abuse_report(app: Flask, limit: int = 50) -> dict[str, Any]:
    """For the analytics page: ``{"enabled", "blocks", "events", "counters"}``."""
    detector = app.extensions.get(EXTENSION)
    if detector is None:
        return {"enabled": False, "blocks": [], "events": [], "counters": {}}
    return {"enabled": True, **detector.report(limit)}


@hookimpl
def badgeapp_startup(app: Flask) -> None:
    """Install the detector (unless ``ABUSE_DETECTION`` is off)."""
    if not app.config["ABUSE_DETECTION"]:
        return
    policy = Policy.from_config(app.config)
    app.extensions[EXTENSION] = Detector(make_store(app.config, app.instance_path), policy)
    app.before_request(before_request)
    app.after_request(after_request)
