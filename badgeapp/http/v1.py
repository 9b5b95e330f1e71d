"""V1 compatibility: the platform's V1 URLs answer exactly like their v2 forms.

A WSGI layer in front of Flask's routing rewrites the path, so the v2 route does all the work
(signatures, limits, abuse detection and caches see the v2 request) and the answer gains
``Deprecation: @<date>`` (RFC 9745) and ``Link: <v2 URL>; rel="successor-version"``:

* ``/v1/badge/<anything>`` -> ``/v2/badge/<anything>`` (custom, plugin and provider badges);
  ``/v1/compose`` -> ``/v2/compose``;
* ``/badge/custom?label=&value=`` (suffixes ``.svg``/``.png``/``.json`` when the query names a
  ``value``, ``message`` or ``label``) -> ``/v2/badge/custom``;
* ``/badge/<provider>/<subject...>/<metric>`` for a registered provider (and
  ``/badge/plugin/<name>/<metric>``) -> ``/v2/badge/...``.

Shields' static badge ``/badge/<label>-<message>-<color>`` is one path segment, so it is
never rewritten: ``/badge/github-stars-blue`` stays static, and so does a static badge whose
text holds an encoded slash (``/badge/github%2Fa%2Fb%2Fc-d-blue``): the raw request line
decides, not the decoded path.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask

from badgeapp.hookspecs import hookimpl
from badgeapp.security.signing import ORIGINAL_PATH_KEY

#: when V1 was deprecated (RFC 9745 ``Deprecation`` header value: ``@`` Unix seconds)
DEPRECATED_AT = 1767225600  # 2026-01-01T00:00:00Z
DEPRECATION = f"@{DEPRECATED_AT}"

_CUSTOM_SUFFIXED = re.compile(r"/badge/custom\.(?:svg|png|json)")
_TEXT_PARAMS = re.compile(r"(?:^|&)(?:value|message|label)=")

_RAW_SAFE = "/%:@!$&'()*+,;=-._~"

StartResponse = Callable[..., Any]


def v2_path(path: str, raw_path: str, query: str, providers: Iterable[str]) -> str | None:
    """The v2 path answering the V1 ``path`` (decoded; ``raw_path`` as sent), or None."""
    if path.startswith("/v1/badge/"):
        return "/v2/badge/" + path[len("/v1/badge/") :]
    if path in ("/v1/compose", "/v1/compose.svg", "/v1/compose.png", "/v1/compose.json"):
        return "/v2" + path[len("/v1") :]
    if not path.startswith("/badge/"):
        return None
    if path == "/badge/custom":
        return "/v2/badge/custom"
    if _CUSTOM_SUFFIXED.fullmatch(path) and _TEXT_PARAMS.search(query):
        return "/v2" + path
    # /badge/<provider>/...: only when the request line itself has the slashes
    raw_segments = raw_path[len("/badge/") :].split("/") if raw_path.startswith("/badge/") else []
    if len(raw_segments) < 3 or raw_segments[0] not in (*providers, "plugin"):
        return None
    return "/v2" + path


class V1Rewrite:
    """WSGI middleware: rewrite V1 paths to v2 and mark the answers deprecated."""

    def __init__(self, wsgi_app: Callable[..., Any], app: Flask) -> None:
        self.wsgi_app = wsgi_app
        self.app = app

    def _providers(self) -> Iterable[str]:
        registry = self.app.extensions.get("badgeapp.plugins")
        return registry.providers().keys() if registry is not None else ()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Any:
        path = environ.get("PATH_INFO", "")
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or not (
            path.startswith(("/v1/", "/badge/"))
        ):
            return self.wsgi_app(environ, start_response)
        raw = environ.get("RAW_URI") or environ.get("REQUEST_URI") or path
        raw_path = raw.split("?", 1)[0]
        script = environ.get("SCRIPT_NAME", "")
        if script and raw_path.startswith(script):
            raw_path = raw_path[len(script) :]
        query = environ.get("QUERY_STRING", "")
        target = v2_path(path, raw_path, query, self._providers())
        if target is None:
            return self.wsgi_app(environ, start_response)
        raw_target = script + urllib.parse.quote(_rewrite_raw(raw_path), safe=_RAW_SAFE)
        raw_target += "?" + query if query else ""
        environ[ORIGINAL_PATH_KEY] = path
        environ["PATH_INFO"] = target
        for key in ("RAW_URI", "REQUEST_URI"):
            if key in environ:
                environ[key] = raw_target
        successor = raw_target

        def deprecated_start(status: str, headers: list[tuple[str, str]], *exc: Any) -> Any:
            headers = [*headers, ("Deprecation", DEPRECATION)]
            headers.append(("Link", f'<{successor}>; rel="successor-version"'))
            return start_response(status, headers, *exc)

        return self.wsgi_app(environ, deprecated_start)


def _rewrite_raw(raw_path: str) -> str:
    if raw_path.startswith("/v1/"):
        return "/v2/" + raw_path[len("/v1/") :]
    return "/v2" + raw_path


@hookimpl
def badgeapp_startup(app: Flask) -> None:
    """Put the V1 rewrite in front of the app."""
    app.wsgi_app = V1Rewrite(app.wsgi_app, app)  # type: ignore[method-assign]
