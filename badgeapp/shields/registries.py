"""Shields' PyPI and npm routes, answered by the ``pypi`` and ``npm`` provider plugins."""

from __future__ import annotations

import dataclasses

from badgeapp.providers.base import Value

from . import formats
from .routes import DOWNLOADS, LICENSE, VERSION, Call, route, value_label

P = dict[str, str]


def shields_version(value: Value) -> Value:
    """A version drawn the shields way: ``addv`` and the version colour."""
    version = str(value.raw)
    return dataclasses.replace(
        value, display=formats.addv(version), color=formats.version_color(version)
    )


def _egg(p: P) -> tuple[str]:
    # shields' ":egg*" is "name" or "name/version"
    return (p["egg"].split("/", 1)[0],)


def _pin(p: P) -> str | None:
    version = p["egg"].partition("/")[2]
    return version or None


@route("pypi/v/:egg+", "pypi", "/pypi/v/flask", cache=VERSION)
def pypi_version(p: P, call: Call) -> Value:
    return shields_version(call.value("pypi", _egg(p), "version", version=_pin(p)))


@route("pypi/pyversions/:egg+", "python", "/pypi/pyversions/flask", cache=VERSION)
def pypi_pyversions(p: P, call: Call) -> Value:
    value = call.value("pypi", _egg(p), "python", version=_pin(p))
    if value.raw is None:
        return dataclasses.replace(value, color="red")
    return value


@route("pypi/l/:egg+", "license", "/pypi/l/flask", cache=LICENSE)
def pypi_license(p: P, call: Call) -> Value:
    return call.value("pypi", _egg(p), "license", version=_pin(p))


_PERIODS = {"dd": ("downloads_day", "day"), "dw": ("downloads_week", "week"),
            "dm": ("downloads_month", "month")}  # fmt: skip


@route("pypi/:period(dd|dw|dm)/:package", "downloads", "/pypi/dm/flask", cache=DOWNLOADS)
def pypi_downloads(p: P, call: Call) -> Value:
    metric, unit = _PERIODS[p["period"]]
    value = call.value("pypi", (p["package"],), metric)
    n = int(value.raw)
    return dataclasses.replace(
        value, display=formats.downloads_message(n, unit), color=formats.downloads_color(n)
    )


def _pypi_simple(metric: str, label: str):
    @route(f"pypi/{metric}/:egg+", label, f"/pypi/{metric}/flask", cache=VERSION)
    def handler(p: P, call: Call) -> Value:
        return call.value("pypi", _egg(p), metric, version=_pin(p))

    return handler


pypi_format = _pypi_simple("format", "format")
pypi_wheel = _pypi_simple("wheel", "wheel")
pypi_implementation = _pypi_simple("implementation", "implementation")
pypi_status = _pypi_simple("status", "status")


def _npm_subject(p: P) -> tuple[str, ...]:
    scope = p.get("scope")
    return (scope, p["package"]) if scope else (p["package"],)


_SCOPE = r"(?:(?P<scope>@[^/]+)/)?"


def _npm_label(p: P, value: Value | None) -> str:
    return f"npm@{p['tag']}" if p.get("tag") and value is not None else "npm"


@route(
    rf"^npm/v/{_SCOPE}(?P<package>[^/@][^/]*)(?:/(?P<tag>[^/]+))?$",
    _npm_label,
    "/npm/v/express",
    cache=VERSION,
    display="npm/v/:scope(@[^/]+)?/:packageName/:tag?",
)
def npm_version(p: P, call: Call) -> Value:
    return shields_version(call.value("npm", _npm_subject(p), "tag_version", tag=p.get("tag")))


_NPM_PERIODS = {
    "dd": ("downloads_day", "day"),
    "dw": ("downloads_week", "week"),
    "dm": ("downloads_month", "month"),
    "dy": ("downloads_year", "year"),
    "dt": ("downloads_total", None),
}


@route(
    rf"^npm/(?P<period>dd|dw|dm|dy|dt)/{_SCOPE}(?P<package>[^/@][^/]*)$",
    "downloads",
    "/npm/dm/express",
    cache=DOWNLOADS,
    display="npm/:interval(dd|dw|dm|dy|dt)/:scope(@[^/]+)?/:packageName",
)
def npm_downloads(p: P, call: Call) -> Value:
    metric, unit = _NPM_PERIODS[p["period"]]
    value = call.value("npm", _npm_subject(p), metric)
    n = int(value.raw)
    return dataclasses.replace(
        value, display=formats.downloads_message(n, unit), color=formats.downloads_color(n)
    )


def _npm_simple(segment: str, metric: str, label: str, cache: int):
    @route(
        rf"^npm/{segment}/{_SCOPE}(?P<package>[^/@][^/]*)$",
        label,
        f"/npm/{segment}/express",
        cache=cache,
        display=f"npm/{segment}/:scope(@[^/]+)?/:packageName",
    )
    def handler(p: P, call: Call) -> Value:
        return call.value("npm", _npm_subject(p), metric)

    return handler


npm_license = _npm_simple("l", "license", "license", LICENSE)
npm_types = _npm_simple("types", "types", "types", VERSION)
npm_node = _npm_simple("node", "node", "node", VERSION)


ROUTES = (
    pypi_version, pypi_pyversions, pypi_license, pypi_downloads, pypi_format, pypi_wheel,
    pypi_implementation, pypi_status, npm_version, npm_downloads, npm_license, npm_types,
    npm_node,
)  # fmt: skip

__all__ = ["ROUTES", "shields_version", "value_label"]
