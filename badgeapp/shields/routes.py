"""The shields route table and its dispatcher.

A ``Route`` is one of shields' live routes as shields spells it (``github/stars/:user/:repo``),
compiled to a regular expression, with shields' default label (used on error badges too), the
default cache lifetime of its category, a default named logo (drawn, as on shields, only with
``style=social``), an example path for the README and a handler. A handler gets the route
parameters and a ``Call`` and returns a ``Value``; it asks a provider plugin for the value
with ``call.value(provider, subject, metric, **route_params)`` (route parameters reach the
provider as ``shields.<name>`` args), so every network call goes through the upstream layer.
``metric_route`` makes the common route whose handler does only that, for one metric.

Pattern syntax (shields' path-to-regexp, the parts shields' routes use): ``:name`` one
segment, ``:name(a|b)`` one of the alternatives, ``:name?`` an optional segment, ``:name*``
zero or more segments, ``:name+`` one or more. A pattern starting with ``^`` is a raw regex.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from badgeapp.badges.provider_values import find_provider, resolve_with
from badgeapp.errors import BadgeNotFound
from badgeapp.providers.base import Value

#: shields' category cache lifetimes (core/base-service), seconds
BUILD, LICENSE, VERSION, DOWNLOADS, SOCIAL, OTHER = 30, 3600, 300, 900, 900, 300

_PARAM = re.compile(r"^:(?P<name>\w+)(?:\((?P<alt>[^)]*)\))?(?P<mod>[?*+]?)$")


def compile_pattern(pattern: str) -> re.Pattern:
    """Turn a shields route pattern into an anchored regular expression."""
    if pattern.startswith("^"):
        return re.compile(pattern)
    out = ""
    for i, segment in enumerate(pattern.split("/")):
        sep = "/" if i else ""
        match = _PARAM.match(segment)
        if not match:
            out += sep + re.escape(segment)
            continue
        name, alt, mod = match["name"], match["alt"], match["mod"]
        body = alt if alt else ("[^/]+" if mod in ("", "?") else ".+?")
        group = f"(?P<{name}>{body})"
        if mod in ("?", "*"):
            out += f"(?:{sep}{group})?"
        else:
            out += sep + group
    return re.compile(f"^{out}$")


@dataclasses.dataclass(frozen=True)
class Call:
    """What a handler may use: the request's args and the app config."""

    args: Mapping[str, Any]
    config: Mapping[str, Any]

    def value(self, provider: str, subject: Iterable[str], metric: str, **params: Any) -> Value:
        """Resolve ``metric`` of ``subject`` with the provider plugin ``provider``."""
        args = dict(self.args)
        args.update({f"shields.{k}": v for k, v in params.items() if v is not None})
        found = find_provider(provider)
        return resolve_with(found, [*subject, metric], args, self.config).value


Handler = Callable[[dict[str, str], Call], Value]
Label = str | Callable[[dict[str, str], Value | None], str]


@dataclasses.dataclass(frozen=True)
class Route:
    """One shields route: pattern, default label, handler, cache lifetime, logo, example."""

    pattern: str
    label: Label
    handler: Handler
    example: str
    cache_seconds: int = OTHER
    logo: str | None = None
    #: the route as shields documents it (defaults to ``pattern``; set for raw regexes)
    display: str = ""
    #: the style shields draws when the URL names none (``social`` for twitter)
    style: str | None = None
    regex: re.Pattern = dataclasses.field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "regex", compile_pattern(self.pattern))
        if not self.display:
            object.__setattr__(self, "display", self.pattern)

    def label_for(self, params: dict[str, str], value: Value | None) -> str:
        """The badge's default label (shields computes some from the route or the value)."""
        return self.label(params, value) if callable(self.label) else self.label


def route(
    pattern: str,
    label: Label,
    example: str,
    *,
    cache: int = OTHER,
    logo: str | None = None,
    display: str = "",
    style: str | None = None,
) -> Callable[[Handler], Route]:
    """Decorator: ``@route("pypi/v/:egg*", "pypi", "/pypi/v/flask")`` over a handler."""

    def wrap(handler: Handler) -> Route:
        return Route(pattern, label, handler, example, cache, logo, display, style)

    return wrap


def metric_route(
    pattern: str,
    label: Label,
    example: str,
    provider: str,
    subject: tuple[str, ...],
    metric: str,
    *,
    passes: tuple[str, ...] = (),
    cache: int = OTHER,
    logo: str | None = None,
) -> Route:
    """A route whose handler only asks ``provider`` for ``metric``.

    ``subject`` names the route parameters that make the subject, in order; ``passes`` the
    ones handed on to the provider under their own names (an absent optional one is left out).
    """

    def handler(params: dict[str, str], call: Call) -> Value:
        passed = {name: params.get(name) for name in passes}
        return call.value(provider, tuple(params[name] for name in subject), metric, **passed)

    return Route(pattern, label, handler, example, cache, logo)


def value_label(default: str) -> Label:
    """A label the provider computed (``downloads@v1``, ``python``), else ``default``."""

    def pick(params: dict[str, str], value: Value | None) -> str:
        return value.label if value is not None and value.label else default

    return pick


def match(routes: Iterable[Route], path: str) -> tuple[Route, dict[str, str]]:
    """The first route matching ``path`` (no leading slash, no format suffix) and its params."""
    for candidate in routes:
        found = candidate.regex.match(path)
        if found:
            params = {k: v for k, v in found.groupdict().items() if v is not None}
            return candidate, params
    raise BadgeNotFound(detail=f"no shields route {path[:100]!r}")
