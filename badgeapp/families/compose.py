"""The compose family: ``/v2/compose?badges=...&layout=horizontal|vertical|grid&gap=N``.

``badges`` is a comma-separated list of at most ``COMPOSE_MAX_ITEMS`` (20) items, each
either a literal ``label:value`` (optionally ``label:value:color``) or a badge reference
such as ``github/OWNER/REPO/stars``, ``pypi/flask/version`` or ``plugin/system/cpu``.
References are resolved concurrently through the same providers as their own badges; one
failing item becomes that item's error badge, not a failed image. Every item is drawn by
the engine with the common parameters (style, theme, logo ...; label/colour/link apply
to literals only), its ids are namespaced (``-c<i>``), and the items are placed in one SVG:
in a row, a column, or a grid of ``columns`` (default: ceil(sqrt(n))), ``gap`` pixels
apart (0..40, default 4). ``format=png`` (or ``.png``) rasterises the composition;
``format=json`` lists the items instead.

Cost bounds: one request makes at most ``COMPOSE_MAX_COLD_FETCHES`` upstream calls (items past
it are drawn stale, or as ``not fetched``); a PNG has at most ``COMPOSE_MAX_PNG_PIXELS`` pixels
(the scale is lowered to fit; an image too large even at scale 1 is an error badge) and draws
at most ``MAX_PNG_TEXT_CHARS`` characters of text; PNGs are
kept in the render cache (bounded in bytes), and large ones are drawn in the raster helper
processes so they do not hold up cheap badges (``badgeapp.render.raster``).
"""

from __future__ import annotations

import concurrent.futures
import contextvars
import dataclasses
import logging
import math
import re
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Response, current_app, request

from badgeapp.badges.plugin_runner import run_plugin
from badgeapp.badges.provider_values import Resolved, find_provider, resolve_with
from badgeapp.errors import BadgeError, BadgeNotFound, InvalidParameter
from badgeapp.hookspecs import hookimpl
from badgeapp.http import render_cache
from badgeapp.http.badge_response import (
    STATIC_CACHE_SECONDS,
    TRANSIENT_ERROR_CACHE_SECONDS,
    badge_response,
    bytes_response,
    query_too_long,
    value_lifetime,
)
from badgeapp.http.query import BadgeQuery, clip_text, parse_query
from badgeapp.render.markup import escape
from badgeapp.render.spec import BadgeSpec
from badgeapp.upstream import setting
from badgeapp.upstream.fetch_budget import limited_fetches

log = logging.getLogger(__name__)

bp = Blueprint("compose", __name__)
bp.before_request(query_too_long)

LAYOUTS = ("horizontal", "vertical", "grid")
DEFAULT_GAP = 4
MAX_GAP = 40
#: lifetime of a composition of references (the shortest item lifetime wins)
DEFAULT_CACHE_SECONDS = 300
STALE_CACHE_SECONDS = TRANSIENT_ERROR_CACHE_SECONDS  # errors in a composite: short-lived
#: the most text (labels and messages, in characters) a composite PNG may draw: resvg's cost
#: grows with the glyphs as well as the pixels (20 items of 100+100 characters took seconds)
MAX_PNG_TEXT_CHARS = 2000

_pool = concurrent.futures.ThreadPoolExecutor(max_workers=16, thread_name_prefix="compose")
_ROOT = re.compile(r'<svg\b[^>]*?\bwidth="([\d.]+)"[^>]*?\bheight="([\d.]+)"')
_ID = re.compile(r'\bid="([^"]+)"')


@dataclasses.dataclass
class Item:
    """One composed badge: what to draw and what it says."""

    spec: BadgeSpec
    source: str
    stale: bool = False
    cache_seconds: int = STATIC_CACHE_SECONDS
    error: str | None = None
    value: Any = None


def split_items(text: str) -> list[str]:
    """The comma-separated items, trimmed, empty ones dropped."""
    return [item.strip() for item in text.split(",") if item.strip()]


def namespace_ids(svg: str, suffix: str) -> str:
    """Suffix every ``id`` of ``svg`` and its ``url(#..)`` / ``href="#.."`` references."""
    ids = set(_ID.findall(svg))
    for ident in sorted(ids, key=len, reverse=True):
        new = f"{ident}-{suffix}"
        svg = svg.replace(f'id="{ident}"', f'id="{new}"')
        svg = svg.replace(f"url(#{ident})", f"url(#{new})")
        svg = svg.replace(f'href="#{ident}"', f'href="#{new}"')
    return svg


def _literal(item: str, query: BadgeQuery) -> Item:
    label, _, rest = item.partition(":")
    value, _, color = rest.partition(":")
    spec = query.spec(label=clip_text(label), message=clip_text(value), color=color or "blue")
    return Item(spec=dataclasses.replace(spec, label=clip_text(label)), source=item)


def _resolve_ref(item: str, args: Mapping[str, Any], config: Mapping[str, Any]) -> Any:
    """Find the provider in the request thread; return a callable that resolves off-thread."""
    parts = [p for p in item.split("/") if p]
    if len(parts) < 2:
        raise BadgeNotFound(detail=f"bad reference {item!r}")
    if parts[0] == "plugin":
        if len(parts) != 3:
            raise BadgeNotFound(detail=f"bad plugin reference {item!r}")
        provider = find_provider(parts[1])
        if getattr(provider, "subject_parts", None) != 0:
            raise BadgeNotFound(detail=f"{parts[1]} is not a plugin")
        timeout = setting(config, "PLUGIN_TIMEOUT")

        def call_plugin() -> Resolved:
            value = run_plugin(provider, parts[2], args, config, timeout)
            return Resolved(parts[1], (), parts[2], value)

        return call_plugin
    provider = find_provider(parts[0])
    if getattr(provider, "subject_parts", 0) == 0:
        raise BadgeNotFound(detail=f"{parts[0]} is a plugin: use plugin/{parts[0]}/METRIC")
    return lambda: resolve_with(provider, parts[1:], {}, config)


def _ref_item(item: str, outcome: Resolved | BadgeError, query: BadgeQuery) -> Item:
    base = dataclasses.replace(query, label=None, color=None, label_color=None, links=())
    metric = item.rstrip("/").rsplit("/", 1)[-1].replace("_", " ")
    if isinstance(outcome, BadgeError):
        return Item(
            spec=base.error_spec(outcome, label=metric),
            source=item,
            cache_seconds=STALE_CACHE_SECONDS,
            error=outcome.message,
        )
    value = outcome.value
    return Item(
        spec=base.spec(label=value.label or metric, message=value.display, color=value.color),
        source=item,
        stale=value.stale,
        cache_seconds=value_lifetime(value, DEFAULT_CACHE_SECONDS),
        value=value.raw,
    )


def build_items(raw: list[str], query: BadgeQuery, config: Mapping[str, Any]) -> list[Item]:
    """Literal items at once, references resolved concurrently.

    The request's upstream calls are capped at ``COMPOSE_MAX_COLD_FETCHES`` (cached answers are
    free): references resolved after the cap is spent are drawn stale or ``not fetched``.
    """
    slots: list[Item | None] = [None] * len(raw)
    futures: dict[int, tuple[str, concurrent.futures.Future]] = {}
    with limited_fetches(setting(config, "COMPOSE_MAX_COLD_FETCHES")):
        context = contextvars.copy_context()  # the budget, shared by every item's thread
    for index, item in enumerate(raw):
        if ":" in item:
            slots[index] = _literal(item, query)
            continue
        try:
            call = _resolve_ref(item, {}, config)
        except BadgeError as error:
            slots[index] = _ref_item(item, error, query)
            continue
        futures[index] = (item, _pool.submit(context.copy().run, call))
    for index, (item, future) in futures.items():
        try:
            outcome: Resolved | BadgeError = future.result()
        except BadgeError as error:
            outcome = error
        except Exception:
            outcome = BadgeError("internal error")
        slots[index] = _ref_item(item, outcome, query)
    return [slot for slot in slots if slot is not None]


def layout_svg(items: list[Item], layout: str, gap: int, columns: int | None) -> str:
    """Place the items' SVGs in one document; ids namespaced per item."""
    drawn: list[tuple[str, float, float]] = []
    for index, item in enumerate(items):
        spec = dataclasses.replace(item.spec, id_suffix=f"c{index}")
        svg = render_cache.render(spec, "svg").body.decode("utf-8")
        match = _ROOT.search(svg)
        width, height = (float(match.group(1)), float(match.group(2))) if match else (0.0, 20.0)
        drawn.append((namespace_ids(svg, f"c{index}"), width, height))
    if layout == "horizontal":
        columns = len(drawn)
    elif layout == "vertical":
        columns = 1
    else:
        columns = max(1, min(columns or math.ceil(math.sqrt(len(drawn))), len(drawn)))
    rows = [drawn[i : i + columns] for i in range(0, len(drawn), columns)]
    col_widths = [
        max((row[c][1] for row in rows if c < len(row)), default=0.0) for c in range(columns)
    ]
    x_of = [sum(col_widths[:c]) + gap * c for c in range(columns)]
    parts: list[str] = []
    y = 0.0
    for row in rows:
        row_height = max(h for _, _, h in row)
        for c, (svg, _w, _h) in enumerate(row):
            x = x_of[c] if layout == "grid" else sum(w for _, w, _ in row[:c]) + gap * c
            parts.append(svg.replace("<svg ", f'<svg x="{x:g}" y="{y:g}" ', 1))
        y += row_height + gap
    total_w = (
        sum(col_widths) + gap * (columns - 1)
        if layout == "grid"
        else max(sum(w for _, w, _ in row) + gap * (len(row) - 1) for row in rows)
    )
    total_h = y - gap
    title = escape(", ".join(f"{i.spec.label}: {i.spec.message}" for i in items))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total_w:g}" height="{total_h:g}" '
        f'role="img" aria-label="{title}"><title>{title}</title>{"".join(parts)}</svg>'
    )


def _response(body: bytes, fmt: str, seconds: int, requested: int | None, stale: bool) -> Response:
    """The shared response path for the composite (headers, ETag, 304), plus the stale flag."""
    response = bytes_response(body, fmt, cache_seconds=seconds, requested=requested)
    if stale:
        response.headers["X-Badge-Stale"] = "1"
    return response


@bp.get("/v2/compose", defaults={"ext": None})
@bp.get("/v2/compose.<any(svg, png, json):ext>")
def compose(ext: str | None) -> Response:
    """One image holding several badges."""
    query = parse_query(request.args, fmt=ext)
    fmt = query.fmt if query.fmt in ("json", "png") else "svg"
    raw = split_items(",".join(request.args.getlist("badges")))
    limit = setting(current_app.config, "COMPOSE_MAX_ITEMS")
    layout = request.args.get("layout", "horizontal")
    error: BadgeError | None = None
    if not raw:
        error = InvalidParameter(detail="badges is required")
    elif len(raw) > limit:
        error = InvalidParameter(detail=f"at most {limit} badges")
    elif layout not in LAYOUTS:
        error = InvalidParameter(detail=f"layout must be one of {', '.join(LAYOUTS)}")
    try:
        gap = int(request.args.get("gap", DEFAULT_GAP))
        columns = int(request.args["columns"]) if request.args.get("columns") else None
    except ValueError:
        gap, columns = DEFAULT_GAP, None
        error = error or InvalidParameter(detail="gap and columns are whole numbers")
    if error is not None:
        return badge_response(error, query, fmt=fmt, label="compose", cache_seconds=60)
    gap = max(0, min(gap, MAX_GAP))
    items = build_items(raw, query, current_app.config)
    seconds = min(item.cache_seconds for item in items)
    stale = any(item.stale for item in items)
    if fmt == "json":
        doc = {
            "layout": layout,
            "badges": [
                {
                    "source": i.source,
                    "label": i.spec.label,
                    "message": i.spec.message,
                    "color": i.spec.color,
                    "value": i.value,
                    "stale": i.stale,
                    "error": i.error,
                }
                for i in items
            ],
        }
        return _response(render_cache.json_bytes(doc), "json", seconds, query.cache_seconds, stale)
    svg = layout_svg(items, layout, gap, columns)
    if fmt == "png":
        try:
            png = _png(svg, items, (layout, gap, columns), query.scale, current_app.config)
        except BadgeError as error:  # too many pixels, or the raster helpers are busy
            return badge_response(error, query, fmt="png", label="compose", cache_seconds=0)
        except Exception:
            log.exception("composed badge could not be rasterised")
            error = BadgeError("internal error")
            return badge_response(error, query, fmt="png", label="compose", cache_seconds=0)
        return _response(png, "png", seconds, query.cache_seconds, stale)
    return _response(svg.encode("utf-8"), "svg", seconds, query.cache_seconds, stale)


def fitting_scale(svg: str, requested: int, max_pixels: int) -> int:
    """The largest scale up to ``requested`` at which ``svg`` has at most ``max_pixels`` pixels."""
    from badgeapp.render.raster import clamp_scale, png_pixels

    scale = clamp_scale(requested)
    while scale > 1 and png_pixels(svg, scale) > max_pixels:
        scale -= 1
    if png_pixels(svg, scale) > max_pixels:
        raise InvalidParameter(
            "too large", detail=f"the composite PNG would be over {max_pixels} pixels"
        )
    return scale


def _png(
    svg: str, items: list[Item], placement: tuple, requested: int, config: Mapping[str, Any]
) -> bytes:
    """The composite's PNG: scale lowered to the pixel budget, drawn once, kept in the cache."""
    from badgeapp.render.raster import svg_to_png

    max_pixels = setting(config, "COMPOSE_MAX_PNG_PIXELS")
    chars = sum(len(item.spec.label or "") + len(item.spec.message or "") for item in items)
    if chars > MAX_PNG_TEXT_CHARS:
        raise InvalidParameter(
            "too large",
            detail=f"a composite PNG may draw {MAX_PNG_TEXT_CHARS} characters, not {chars}",
        )
    scale = fitting_scale(svg, requested, max_pixels)
    key = ("compose", tuple(item.spec for item in items), placement, scale)

    def draw() -> render_cache.Rendered:
        png = svg_to_png(
            svg,
            scale,
            max_pixels=max_pixels,
            max_heavy=setting(config, "RASTER_MAX_HEAVY"),
            wait=setting(config, "RASTER_WAIT_SECONDS"),
        )
        return render_cache.make_rendered(png, "png")

    return render_cache.render.get_or_make(key, draw).body


@hookimpl
def badgeapp_register_routes(app: object) -> list[Blueprint]:
    """The compose family's blueprint."""
    return [bp]


@hookimpl
def badgeapp_startup(app: Any) -> None:
    """Apply RASTER_MAX_HEAVY and RASTER_WAIT_SECONDS to every PNG this process draws."""
    from badgeapp.render import raster

    raster.configure(
        max_heavy=setting(app.config, "RASTER_MAX_HEAVY"),
        wait=setting(app.config, "RASTER_WAIT_SECONDS"),
    )
