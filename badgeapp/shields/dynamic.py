"""Endpoint and dynamic badges: a document at a user's URL, fetched through safe fetch.

* ``/endpoint?url=`` reads shields' endpoint JSON (schemaVersion 1; every field of
  services/endpoint-common.js: label, message, color, labelColor, isError, namedLogo, logoSvg,
  logoColor, logoSize, logoWidth, logoPosition, style, cacheSeconds; unknown keys refused).
* ``/badge/dynamic/json|yaml|xml?url=&query=`` picks values out of a JSON, YAML or XML document
  with a JSONPath (jsonpath-ng) or XPath 1.0 (lxml) query; ``prefix``/``suffix`` wrap them.

Documents are fetched with ``cached_fetch`` (https only, address checks, 64 KiB, 5 s, reused for
``FRESH_SECONDS``, stale on failure), parsed with bounded parsers (YAML ``safe_load`` with the
expanded alias graph capped; XML without entities, DTDs or network). Each function returns the
``BadgeSpec`` to draw (or the ``BadgeError`` to show) and the cache lifetime.
"""

from __future__ import annotations

import base64
import functools
import json
import math
from collections.abc import Mapping
from typing import Any

from badgeapp.errors import BadgeError, Inaccessible, InvalidParameter, InvalidResponse, NotFound
from badgeapp.http.query import BadgeQuery, parse_style, resolve_logo
from badgeapp.net.cached import cached_fetch
from badgeapp.net.safefetch import SafeFetchError
from badgeapp.render.spec import BadgeSpec

KINDS = ("json", "yaml", "xml")
DEFAULT_LABEL = "custom badge"
#: endpoint badges live at least this long (shields' endpoint _cacheLength)
ENDPOINT_CACHE_SECONDS = 300
DYNAMIC_CACHE_SECONDS = 300
FRESH_SECONDS = 300
MAX_DOCUMENT = 64 * 1024
FETCH_TIMEOUT = 5.0
MAX_QUERY = 1000
#: nodes a YAML document may expand to through aliases before it is refused
MAX_YAML_NODES = 100_000
#: elements an XML document may hold (XPath cost grows with it)
MAX_XML_ELEMENTS = 10_000

ENDPOINT_KEYS = {
    "schemaVersion", "label", "message", "color", "labelColor", "isError", "namedLogo",
    "logoSvg", "logoColor", "logoSize", "logoWidth", "logoPosition", "style", "cacheSeconds",
}  # fmt: skip
_ACCEPT = {
    "json": "application/json",
    "yaml": "application/yaml, text/yaml, text/plain",
    "xml": "application/xml, text/xml",
}


def fetch_error(exc: SafeFetchError) -> BadgeError:
    """The badge error for a refused or failed fetch, in shields' words where shields has them."""
    if exc.reason in ("invalid url", "scheme not allowed"):
        return InvalidParameter("invalid query parameter: url", detail=str(exc))
    if exc.reason == "address not allowed":
        return InvalidParameter("address not allowed", detail=str(exc))
    if exc.reason == "too large":
        return InvalidResponse("response too large", detail=str(exc))
    if exc.reason == "bad status" and exc.detail == "404":
        return NotFound("resource not found")
    if exc.reason == "bad status" and exc.detail.startswith("4"):
        return InvalidResponse(detail=str(exc))
    return Inaccessible(detail=str(exc))


def _url(args: Mapping[str, Any]) -> str:
    url = args.get("url") or args.get("uri")
    if not url:
        raise InvalidParameter("invalid query parameter: url")
    return str(url)


def _fetch(url: str, kind: str, config: Mapping[str, Any]) -> bytes:
    try:
        return cached_fetch(
            url,
            config=config,
            fresh=FRESH_SECONDS,
            max_bytes=MAX_DOCUMENT,
            timeout=FETCH_TIMEOUT,
            accept=_ACCEPT[kind],
        ).result.body
    except SafeFetchError as exc:
        raise fetch_error(exc) from None


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        raise InvalidResponse("unparseable json response") from None


# -- endpoint --------------------------------------------------------------------------


def _check_endpoint(doc: Any) -> dict[str, Any]:
    if not isinstance(doc, dict):
        raise InvalidResponse("invalid response data")
    unknown = sorted(set(doc) - ENDPOINT_KEYS)
    if unknown:
        raise InvalidResponse(f"invalid properties: {', '.join(unknown)}"[:100])
    if doc.get("schemaVersion") != 1 or isinstance(doc.get("schemaVersion"), bool):
        raise InvalidResponse("invalid properties: schemaVersion")
    if not isinstance(doc.get("label"), str):
        raise InvalidResponse("invalid properties: label")
    if not isinstance(doc.get("message"), str) or not doc["message"].strip():
        raise InvalidResponse("invalid properties: message")
    for key in ("color", "labelColor", "namedLogo", "logoSvg", "logoColor", "style", "logoSize"):
        if key in doc and not isinstance(doc[key], str):
            raise InvalidResponse(f"invalid properties: {key}")
    if "isError" in doc and not isinstance(doc["isError"], bool):
        raise InvalidResponse("invalid properties: isError")
    if "namedLogo" in doc and "logoSvg" in doc:
        raise InvalidResponse("invalid properties: namedLogo, logoSvg")
    if ("logoColor" in doc or "logoSize" in doc) and "namedLogo" not in doc:
        raise InvalidResponse("invalid properties: logoColor")
    seconds = doc.get("cacheSeconds")
    if seconds is not None and (
        isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 0
    ):
        raise InvalidResponse("invalid properties: cacheSeconds")
    width = doc.get("logoWidth")
    if width is not None and (isinstance(width, bool) or not isinstance(width, int | float)):
        raise InvalidResponse("invalid properties: logoWidth")
    return doc


def endpoint_badge(
    args: Mapping[str, Any], query: BadgeQuery, config: Mapping[str, Any]
) -> tuple[BadgeSpec | BadgeError, int]:
    """The endpoint badge for ``?url=``: the document's fields, the user's parameters winning."""
    try:
        doc = _check_endpoint(_json(_fetch(_url(args), "json", config)))
    except BadgeError as error:
        return error, ENDPOINT_CACHE_SECONDS
    seconds = max(ENDPOINT_CACHE_SECONDS, int(doc.get("cacheSeconds") or 0))
    style, theme = query.style, query.theme
    if args.get("style") is None and doc.get("style"):
        style, theme = parse_style(doc["style"])
    logo, logo_color = query.logo, query.logo_color
    if logo is None and args.get("logo") is None:
        logo_color = logo_color or doc.get("logoColor")
        source = doc.get("namedLogo") or doc.get("logoSvg")
        if doc.get("logoSvg") and not str(source).startswith("data:"):
            source = "data:image/svg+xml;base64," + _b64(str(source))
        logo = resolve_logo(source, logo_color, style) if source else None
    is_error = bool(doc.get("isError"))
    color = doc.get("color") if is_error else query.color or doc.get("color")
    label_color = doc.get("labelColor") if is_error else query.label_color or doc.get("labelColor")
    spec = BadgeSpec(
        label=(query.label if query.label is not None else doc["label"])[:255],
        message=doc["message"].strip()[:255],
        color=color or "lightgrey",
        label_color=label_color,
        style=style,
        theme=theme,
        logo=logo,
        logo_color=logo_color,
        links=query.links,
        animated=query.animated,
    )
    return spec, seconds


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode("ascii")


# -- dynamic ---------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    """A scalar the way JavaScript prints it; None for what a badge cannot show."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, str):
        return value
    return None


@functools.lru_cache(maxsize=512)
def _compiled(expression: str) -> Any:
    """A parsed JSONPath (parsing builds a grammar; badges repeat their queries)."""
    from jsonpath_ng.ext import parse

    return parse(expression)


def _jsonpath(doc: Any, expression: str) -> list[Any]:
    try:
        path = _compiled(expression)
    except Exception:  # the parser raises its own lexer/parser errors and plain ones
        raise InvalidParameter("invalid query parameter: query") from None
    try:
        return [match.value for match in path.find(doc)]
    except (RecursionError, TypeError, ValueError, KeyError, IndexError, AttributeError):
        raise InvalidResponse("invalid key value") from None


def _yaml(body: bytes) -> Any:
    import yaml

    try:
        doc = yaml.safe_load(body)
    except (yaml.YAMLError, RecursionError, ValueError):
        raise InvalidResponse("unparseable yaml response") from None
    _bounded(doc)
    return doc


def _bounded(doc: Any) -> None:
    """Refuse a document whose aliases expand past ``MAX_YAML_NODES`` (a billion laughs)."""
    sizes: dict[int, int] = {}

    def size(node: Any, depth: int = 0) -> int:
        if depth > 200:
            raise InvalidResponse("unparseable yaml response")
        key = id(node)
        if key in sizes:
            return sizes[key]
        children: Any = ()
        if isinstance(node, dict):
            children = list(node.values())
        elif isinstance(node, list):
            children = node
        total = 1
        for child in children:
            total += size(child, depth + 1)
            if total > MAX_YAML_NODES:
                raise InvalidResponse("response too large")
        sizes[key] = total
        return total

    size(doc)


def _xpath_cost_ok(expression: str) -> bool:
    """Nested descendant scans multiply (``//*[count(//*[count(//*)>0])>0]`` is cubic): allow
    the shapes badges use (``//version``, ``/a/b[@c='d']/e``) and refuse deep nesting."""
    return expression.count("//") <= 3 and expression.count("[") <= 2


def _xpath(body: bytes, expression: str) -> list[Any]:
    from lxml import etree

    if not _xpath_cost_ok(expression):
        raise InvalidParameter("invalid query parameter: query")

    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(body, parser=parser)
    except (etree.XMLSyntaxError, ValueError):
        raise InvalidResponse("unparseable xml response") from None
    if root is None:
        raise InvalidResponse("unparseable xml response")
    if sum(1 for _ in root.iter()) > MAX_XML_ELEMENTS:
        raise InvalidResponse("response too large")
    try:
        found = root.xpath(expression)
    except (etree.XPathError, TypeError, ValueError):
        raise InvalidParameter("invalid query parameter: query") from None
    if not isinstance(found, list):
        return [found]
    values = []
    for item in found:
        if isinstance(item, etree._Element):
            values.append("".join(item.itertext()))
        else:
            values.append(str(item))
    return values


def dynamic_badge(
    kind: str, args: Mapping[str, Any], query: BadgeQuery, config: Mapping[str, Any]
) -> tuple[BadgeSpec | BadgeError, int]:
    """A dynamic badge: the values ``?query=`` selects in the document at ``?url=``."""
    try:
        url = _url(args)
        expression = args.get("query")
        if not expression or len(str(expression)) > MAX_QUERY:
            raise InvalidParameter("invalid query parameter: query")
        body = _fetch(url, kind, config)
        if kind == "json":
            found = _jsonpath(_json(body), str(expression))
        elif kind == "yaml":
            found = _jsonpath(_yaml(body), str(expression))
        else:
            found = _xpath(body, str(expression))
        if not found:
            raise InvalidResponse("no result")
        texts = [_text(v) for v in found]
        if any(t is None for t in texts):
            raise InvalidResponse("invalid key value")
    except BadgeError as error:
        return error, DYNAMIC_CACHE_SECONDS
    prefix = str(args.get("prefix") or "")
    suffix = str(args.get("suffix") or "")
    message = f"{prefix}{', '.join(t for t in texts if t is not None)}{suffix}"
    return query.spec(label=DEFAULT_LABEL, message=message, color="blue"), DYNAMIC_CACHE_SECONDS
