"""The common engine query parameters, parsed once for every badge family.

``parse_query(args)`` reads what shields calls the global parameters (``style``, ``label``,
``color``/``labelColor`` and the legacy ``colorB``/``colorA``, ``logo`` (alias ``icon``),
``logoColor``, ``link`` (repeatable), ``cacheSeconds`` (legacy ``maxAge``)) plus badgeapp's own
(``theme``, ``animated``, ``format``, ``scale``) into a ``BadgeQuery``. Parsing never fails:
junk falls back to defaults (unknown style -> flat, unknown format -> svg, a bad colour is left
for the engine to replace by its fallback), so an ``<img>`` always gets a badge.

A family's view reads::

    query = parse_query(request.args, fmt=suffix)         # before the value is known
    spec = query.spec(label="stars", message="1.2k", color="blue")   # the user's overrides win
    return badge_response(spec, query, cache_seconds=300)

``query.error_spec(error, label=...)`` builds the badge for a ``BadgeError``: the user's label,
style, logo and links still apply, their colours do not (shields' ``isError``).
"""

from __future__ import annotations

import dataclasses
import logging
import urllib.parse
from collections.abc import Iterable, Mapping
from typing import Any

from badgeapp.errors import BadgeError
from badgeapp.render.spec import BadgeSpec
from badgeapp.render.themes import THEME_NAMES

log = logging.getLogger(__name__)

#: label and message are trimmed and cut to this many characters (shields' coalesce-badge)
MAX_TEXT = 255
#: colour, logo name and other short parameters are cut to this many characters
MAX_SHORT = 100
#: a logo given inline as a data: URI may be this long (characters)
MAX_LOGO_DATA = 8192
#: longest accepted link
MAX_LINK = 2048
#: the query string is refused beyond this many bytes: under gunicorn's 8190-byte request line
#: with room for the method, a 500-byte path and the version, so the app's 414 badge is the
#: refusal users meet (gunicorn.conf.py's worker draws the same badge past its own limit)
MAX_QUERY_BYTES = 7680
#: a user's cacheSeconds is capped at one year
MAX_CACHE_SECONDS = 365 * 24 * 3600

#: the badge shapes the engine draws
STYLES = ("flat", "flat-square", "plastic", "for-the-badge", "social")
#: the platform's themes; ``style=<theme>`` means that look on the flat shape.
#: Plugin themes (``badgeapp_themes``) are accepted too when an app is running.
BUILTIN_THEMES: tuple[str, ...] = tuple(THEME_NAMES)
BUILTIN_THEME_NAMES: frozenset[str] = frozenset(BUILTIN_THEMES)
FORMATS = ("svg", "json", "png")
DEFAULT_SCALE = 2
_TRUE = frozenset({"1", "true", "yes", "on", "y", "t"})


@dataclasses.dataclass(frozen=True)
class BadgeQuery:
    """The common parameters of one badge request, already validated.

    ``None`` means "not given": the family's own value applies.
    """

    label: str | None = None
    color: str | None = None
    label_color: str | None = None
    style: str = "flat"
    theme: str | None = None
    #: resolved logo as a ``data:`` URI
    logo: str | None = None
    #: the logo name as typed (``github``), reported as ``namedLogo`` in JSON
    logo_name: str | None = None
    logo_color: str | None = None
    links: tuple[str, ...] = ()
    animated: bool = False
    fmt: str = "svg"
    scale: int = DEFAULT_SCALE
    #: the user's ``cacheSeconds``/``maxAge`` (raises the family default, never lowers it)
    cache_seconds: int | None = None

    def spec(
        self,
        *,
        label: str = "",
        message: str = "",
        color: str | None = None,
        label_color: str | None = None,
        title: str | None = None,
    ) -> BadgeSpec:
        """The badge to draw for a resolved value: the user's overrides win over the family's."""
        return BadgeSpec(
            label=clip_text(self.label if self.label is not None else label),
            message=clip_text(message),
            color=self.color or color,
            label_color=self.label_color or label_color,
            style=self.style,
            theme=self.theme,
            logo=self.logo,
            logo_color=self.logo_color,
            links=self.links,
            title=clip_text(title) if title else None,
            animated=self.animated,
        )

    def error_spec(self, error: BadgeError, *, label: str = "") -> BadgeSpec:
        """The badge for ``error``: its message and colour; user colours do not apply."""
        return BadgeSpec(
            label=clip_text(self.label if self.label is not None else label),
            message=clip_text(error.message),
            color=error.color,
            label_color=None,
            style=self.style,
            theme=self.theme,
            logo=self.logo,
            logo_color=self.logo_color,
            links=self.links,
            animated=False,
        )


def clip_text(value: object) -> str:
    """Trim and cut user text to 255 characters (None -> "")."""
    if value is None:
        return ""
    return str(value).strip()[:MAX_TEXT]


def _first(args: Mapping[str, Any], *names: str) -> str | None:
    """The first present parameter among ``names`` (a present empty value counts)."""
    for name in names:
        if name not in args:  # cheap; werkzeug's MultiDict.get raises and catches on a miss
            continue
        value = args.get(name)
        if value is not None:
            return str(value)
    return None


def _getlist(args: Mapping[str, Any], name: str) -> list[str]:
    getlist = getattr(args, "getlist", None)
    if callable(getlist):
        return [str(v) for v in getlist(name)]
    value = args.get(name)
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]


def _short(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()[:MAX_SHORT]
    return value or None


def parse_bool(value: object) -> bool:
    """``1/true/yes/on`` (any case) -> True; anything else -> False."""
    return str(value).strip().lower() in _TRUE if value is not None else False


def parse_format(value: object, default: str = "svg") -> str:
    """``svg``, ``json`` or ``png``; anything else -> ``default``."""
    text = str(value).strip().lower().lstrip(".") if value is not None else ""
    return text if text in FORMATS else default


def parse_scale(value: object) -> int:
    """An integer 1..4 (clamped); junk -> 2."""
    if value is None:
        return DEFAULT_SCALE
    try:
        number = int(str(value).strip())
    except ValueError:
        return DEFAULT_SCALE
    return max(1, min(4, number))


def parse_cache_seconds(value: object) -> int | None:
    """A non-negative whole number of seconds (capped at a year), or None for junk."""
    if value is None:
        return None
    try:
        number = int(float(str(value).strip()))
    except (ValueError, OverflowError):
        return None
    if number < 0:
        return None
    return min(number, MAX_CACHE_SECONDS)


#: (the registry's theme list, the names in it): the registry returns the same list object
#: until a plugin changes, so the names are computed once per plugin generation
_theme_names_memo: tuple[object, frozenset[str]] | None = None


def theme_names() -> frozenset[str]:
    """Theme names known now: the built-in nine plus plugin themes of the running app."""
    global _theme_names_memo
    try:
        from flask import has_app_context

        if not has_app_context():
            return BUILTIN_THEME_NAMES
        from badgeapp.plugins import get_registry

        docs = get_registry().themes()
        memo = _theme_names_memo
        if memo is not None and memo[0] is docs:
            return memo[1]
        names = set(BUILTIN_THEMES)
        for doc in docs:
            name = doc.get("name") if isinstance(doc, Mapping) else None
            if isinstance(name, str) and name:
                names.add(name.lower())
        result = frozenset(names)
        _theme_names_memo = (docs, result)
        return result
    except Exception:  # no registry yet, or a broken plugin: the built-in names still work
        log.debug("theme registry unavailable", exc_info=True)
    return BUILTIN_THEME_NAMES


def parse_style(style: object, theme: object = None) -> tuple[str, str | None]:
    """Return ``(shape, theme)``.

    A real shape name keeps its shape; a theme name means that theme on the flat shape;
    retired or unknown names are drawn flat. An explicit ``theme`` (known names only) wins.
    """
    text = str(style).strip().lower() if style is not None else ""
    names = theme_names()
    shape, chosen = "flat", None
    if text in STYLES:
        shape = text
    elif text in names:
        chosen = text
    if theme is not None:
        wanted = str(theme).strip().lower()
        if wanted in names:
            chosen = wanted
    return shape, chosen


def parse_links(values: Iterable[str]) -> tuple[str, ...]:
    """Keep at most two http(s) links; anything else (javascript:, data:, junk) is dropped."""
    links: list[str] = []
    for raw in values:
        link = raw.strip()
        if not link or len(link) > MAX_LINK or any(ord(c) < 32 or c == "\x7f" for c in link):
            continue
        try:
            parts = urllib.parse.urlsplit(link)
        except ValueError:
            continue
        if parts.scheme.lower() in ("http", "https") and parts.netloc:
            links.append(link)
        if len(links) == 2:
            break
    return tuple(links)


def _registry_icons() -> Mapping[str, str]:
    try:
        from flask import has_app_context

        if has_app_context():
            from badgeapp.plugins import get_registry

            return get_registry().icons()
    except Exception:
        log.debug("icon registry unavailable", exc_info=True)
    return {}


def _registry_theme(name: str) -> Any:
    """The validated plugin theme called ``name``, or None."""
    try:
        from flask import has_app_context

        if has_app_context():
            from badgeapp.plugins import get_registry
            from badgeapp.render.themes import load_theme

            for doc in get_registry().themes():
                if isinstance(doc, Mapping) and doc.get("name") == name:
                    return load_theme(doc)
    except Exception:  # an invalid plugin theme: its logos keep the default colour
        log.debug("plugin theme %r unavailable", name, exc_info=True)
    return None


def theme_logo_color(theme: str | None, style: str = "flat") -> str | None:
    """The default colour of a named logo on ``theme`` (None: shields' brand rule).

    A light theme (``minimal``, ``transparent``, a plugin theme with a light label) draws its
    logos in its text colour, never a near-white mark on white; ``social`` keeps its own button.
    """
    if not theme or style == "social":
        return None
    from badgeapp.render.look import look_logo_color
    from badgeapp.render.themes import BUILTIN_THEMES, compile_look

    found = BUILTIN_THEMES.get(theme) or _registry_theme(theme)
    return look_logo_color(compile_look(found)) if found is not None else None


def resolve_logo(
    name: str | None, logo_color: str | None = None, style: str = "flat"
) -> str | None:
    """Turn ``?logo=`` into a ``data:`` URI, or None when nothing matches.

    Order: a named icon from the plugin registry (``badgeapp_icons``: generic icons such as
    ``star``), then the engine's resolver (data URIs, simple-icons brand slugs). The engine
    sanitises SVG and applies ``logo_color``.
    """
    if not name:
        return None
    try:
        from badgeapp.render import logos
    except ImportError:
        return None
    icons = _registry_icons()
    try:
        return logos.resolve_logo(name, logo_color, icons=icons, style=style)
    except BadgeError:
        return None
    except Exception:  # a logo must never break the badge
        log.warning("logo %r could not be resolved", name[:50], exc_info=True)
        return None


def parse_query(
    args: Mapping[str, Any],
    *,
    fmt: str | None = None,
    style: str | None = None,
) -> BadgeQuery:
    """Parse the common parameters of ``args`` (a werkzeug MultiDict or any mapping).

    ``fmt`` is the format fixed by the path (``.png``); it wins over ``?format=``.
    ``style`` is the family's default style when the user gives none.
    """
    if not args and style is None:  # a README's plain badge URL: nothing to parse
        return _PLAIN_QUERIES.get(fmt) or BadgeQuery(fmt=parse_format(fmt))
    label = _first(args, "label")
    if label is not None:
        label = clip_text(label)
    shape, theme = parse_style(_first(args, "style") or style, _first(args, "theme"))
    logo_color = _short(_first(args, "logoColor"))
    logo_name = _first(args, "logo", "icon")
    logo_name = logo_name.strip() if logo_name else None
    logo = None
    if logo_name:
        if len(logo_name) > MAX_LOGO_DATA:
            logo_name = None
        else:
            logo = resolve_logo(logo_name, logo_color or theme_logo_color(theme, shape), shape)
    named = logo_name if logo and logo_name and not logo_name.startswith("data:") else None
    if named and len(named) > MAX_SHORT:
        named = None
    return BadgeQuery(
        label=label,
        color=_short(_first(args, "color", "colorB")),
        label_color=_short(_first(args, "labelColor", "colorA")),
        style=shape,
        theme=theme,
        logo=logo,
        logo_name=named,
        logo_color=logo_color,
        links=parse_links(_getlist(args, "link")),
        animated=parse_bool(_first(args, "animated")),
        fmt=parse_format(fmt) if fmt else parse_format(_first(args, "format")),
        scale=parse_scale(_first(args, "scale")),
        cache_seconds=parse_cache_seconds(_first(args, "cacheSeconds", "maxAge")),
    )


#: ``parse_query({}, fmt=...)`` for the path suffixes: every setting at its default
_PLAIN_QUERIES: dict[str | None, BadgeQuery] = {
    fmt: BadgeQuery(fmt=parse_format(fmt)) for fmt in (None, *FORMATS)
}


def spec_from_args(
    args: Mapping[str, Any],
    *,
    label: str = "",
    message: str = "",
    color: str | None = None,
    label_color: str | None = None,
    fmt: str | None = None,
) -> tuple[BadgeSpec, BadgeQuery]:
    """Shortcut when the value is already known: ``parse_query`` then ``query.spec``."""
    query = parse_query(args, fmt=fmt)
    return query.spec(label=label, message=message, color=color, label_color=label_color), query
