"""The OpenAPI 3.1 document of the whole HTTP API, served at ``/openapi.json``.

Built from fragments: each is ``{"paths": {...}, "components": {...}, "tags": [...]}`` (any
part optional), returned by the ``badgeapp_openapi()`` hook. The built-in families' fragments
live in ``badgeapp/openapi/fragments/`` (one module per family, listed in
``fragments.BUILTIN``); a plugin or a new family documents its routes by implementing the hook.
``undocumented_rules(app, document)`` lists every ``url_map`` rule (path and method) the
document lacks; a test keeps it empty.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from typing import Any

from flask import Flask

OPENAPI_VERSION = "3.1.0"
_CONVERTER = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
#: methods a rule has that are not documented operations of their own
_IMPLICIT = {"HEAD", "OPTIONS"}


def openapi_path(rule: str) -> str:
    """A werkzeug rule as an OpenAPI path template: ``/a/<path:rest>`` -> ``/a/{rest}``."""
    return _CONVERTER.sub(lambda m: "{" + m.group(1) + "}", rule)


def rule_methods(methods: Iterable[str]) -> set[str]:
    """The documented methods of a rule: HEAD and OPTIONS only when they are all it has."""
    methods = set(methods)
    explicit = methods - _IMPLICIT
    return explicit or (methods - {"HEAD"})


def merge(document: dict[str, Any], fragment: Mapping[str, Any]) -> None:
    """Merge one fragment into ``document`` (paths by method, components by name, tags)."""
    for path, item in (fragment.get("paths") or {}).items():
        document["paths"].setdefault(path, {}).update(copy.deepcopy(item))
    for section, entries in (fragment.get("components") or {}).items():
        document["components"].setdefault(section, {}).update(copy.deepcopy(entries))
    known = {tag["name"] for tag in document["tags"]}
    for tag in fragment.get("tags") or ():
        if tag["name"] not in known:
            document["tags"].append(dict(tag))
            known.add(tag["name"])


def build_document(fragments: Iterable[Mapping[str, Any]], server_url: str = "/") -> dict:
    """The whole document from ``fragments``."""
    document: dict[str, Any] = {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "badgeapp API",
            "version": "2.0.0",
            "summary": "Badges (SVG, PNG, JSON) for READMEs, and the APIs around them.",
            "description": (
                "Every badge answers an image whatever happens (an error is a badge saying "
                "what went wrong); JSON endpoints answer the error body "
                "`{error, code, message, requestId}`. See the README for the details."
            ),
            "license": {"name": "MIT", "identifier": "MIT"},
        },
        "servers": [{"url": server_url}],
        "tags": [],
        "paths": {},
        "components": {},
    }
    for fragment in fragments:
        merge(document, fragment)
    document["paths"] = dict(sorted(document["paths"].items()))
    return document


def app_document(app: Flask, server_url: str = "/") -> dict[str, Any]:
    """The document of ``app``: the fragments every registered plugin returns."""
    registry = app.extensions["badgeapp.plugins"]
    fragments: list[Mapping[str, Any]] = []
    for result in registry.hook.badgeapp_openapi(app=app):
        if isinstance(result, Mapping):
            fragments.append(result)
        else:
            fragments.extend(result or ())
    return build_document(fragments, server_url)


def undocumented_rules(app: Flask, document: Mapping[str, Any]) -> list[str]:
    """``"METHOD /path"`` for every url_map rule and method the document lacks."""
    missing = []
    paths = document.get("paths", {})
    for rule in app.url_map.iter_rules():
        path = openapi_path(rule.rule)
        for method in sorted(rule_methods(rule.methods or ())):
            if method.lower() not in paths.get(path, {}):
                missing.append(f"{method} {path}")
    return sorted(set(missing))
