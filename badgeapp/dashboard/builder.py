"""The badge builder: URLs, checks and snippets for the families of ``families_table``.

``check(family, values)`` gives the URL and an error per field with the rules the API applies:
path fields by their pattern, the engine parameters by ``badgeapp.http.query``'s parsers.
``snippets(url, alt, link)`` gives Markdown, HTML, reStructuredText, AsciiDoc and the URL.
"""

from __future__ import annotations

import html
import re
import urllib.parse
from collections.abc import Mapping
from typing import Any

from badgeapp.dashboard.families_table import (
    ENGINE_FIELDS,
    ENGINE_NAMES,
    STATIC_FAMILIES,
    Family,
    Field,
    all_families,
)
from badgeapp.http.query import (
    MAX_TEXT,
    STYLES,
    parse_cache_seconds,
    parse_links,
    resolve_logo,
    theme_names,
)
from badgeapp.render.colors import normalize_color

__all__ = [
    "ENGINE_FIELDS",
    "ENGINE_NAMES",
    "STATIC_FAMILIES",
    "Family",
    "Field",
    "all_families",
    "build_path",
    "check",
    "find_family",
    "snippets",
]


def find_family(families: list[Family], wanted: str | None) -> Family:
    """The family with id ``wanted``; else the best match of a search text; else the first."""
    text = (wanted or "").strip().lower()
    for family in families:
        if family.id == text:
            return family
    if text:
        for family in families:
            haystack = f"{family.id} {family.title} {family.keywords}".lower()
            if all(word in haystack for word in text.split()):
                return family
    return families[0]


def _shields_escape(text: str) -> str:
    return text.replace("-", "--").replace("_", "__").replace(" ", "_")


def build_path(family: Family, values: Mapping[str, str]) -> str:
    """The badge path and query for ``values`` (empty optional fields are left out)."""
    path = family.path
    query: list[tuple[str, str]] = []
    if family.id == "static":
        parts = [values.get("s_label", ""), values.get("s_message", ""), values.get("s_color", "")]
        text = "-".join(_shields_escape(p.strip()) for p in parts if p.strip() or p is parts[1])
        path = path.replace("{text}", urllib.parse.quote(text, safe=""))
    for field in family.fields:
        value = str(values.get(field.name, "") or "").strip()
        if field.where == "path":
            quoted = urllib.parse.quote(value, safe=field.safe) if value else field.name.upper()
            path = path.replace("{" + field.name + "}", quoted)
        elif value and family.id != "static":
            query.append((field.name, value))
    if family.engine:
        for name in ENGINE_NAMES:
            value = str(values.get(name, "") or "").strip()
            if value:
                query.append((name, value))
    return path + ("?" + urllib.parse.urlencode(query) if query else "")


def _engine_errors(values: Mapping[str, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    get = lambda name: str(values.get(name, "") or "").strip()  # noqa: E731
    names = theme_names()
    if get("style") and get("style").lower() not in STYLES and get("style").lower() not in names:
        errors["style"] = f"unknown style: use one of {', '.join(STYLES)} (or a theme name)"
    if get("theme") and get("theme").lower() not in names:
        errors["theme"] = "unknown theme: see /themes/list"
    for name in ("color", "labelColor", "logoColor"):
        if get(name) and normalize_color(get(name)) is None:
            errors[name] = "not a colour: use a name (blue), hex (#4c1) or rgb(...)"
    if get("logo") and resolve_logo(get("logo")) is None:
        errors["logo"] = "unknown logo: a simple-icons name, a plugin icon or a data: URI"
    if get("link") and not parse_links([get("link")]):
        errors["link"] = "only http:// and https:// links are kept"
    if get("cacheSeconds") and parse_cache_seconds(get("cacheSeconds")) is None:
        errors["cacheSeconds"] = "a whole number of seconds"
    if len(get("label")) > MAX_TEXT:
        errors["label"] = f"longer than {MAX_TEXT} characters: it will be cut"
    return errors


def check(family: Family, values: Mapping[str, str]) -> dict[str, Any]:
    """``{"path", "errors": {field: message}, "ok"}`` for the builder's current values."""
    errors: dict[str, str] = {}
    for field in family.fields:
        value = str(values.get(field.name, "") or "").strip()
        if not value:
            if field.required:
                errors[field.name] = "required"
            continue
        if field.choices and value not in field.choices:
            errors[field.name] = "choose one of the listed values"
        elif field.pattern and not re.fullmatch(field.pattern, value):
            errors[field.name] = (
                f"does not look right (expected {field.placeholder or 'letters, digits, - . _'})"
            )
    if family.engine:
        errors.update(_engine_errors(values))
    return {"path": build_path(family, values), "errors": errors, "ok": not errors}


def snippets(url: str, alt: str, link: str | None = None) -> dict[str, str]:
    """The badge as Markdown, HTML, reStructuredText, AsciiDoc and a plain URL."""
    alt = alt.replace("\n", " ").strip() or "badge"
    md_alt = alt.replace("[", "\\[").replace("]", "\\]")
    markdown = f"![{md_alt}]({url})"
    image = f'<img alt="{html.escape(alt)}" src="{html.escape(url)}">'
    rst = f".. image:: {url}\n   :alt: {alt}"
    asciidoc_alt = alt.replace(",", " ").replace("]", "")
    asciidoc = f"image:{url}[{asciidoc_alt}]"
    if link:
        markdown = f"[{markdown}]({link})"
        image = f'<a href="{html.escape(link)}">{image}</a>'
        rst += f"\n   :target: {link}"
        asciidoc = f"image:{url}[{asciidoc_alt},link={link}]"
    return {"markdown": markdown, "html": image, "rst": rst, "asciidoc": asciidoc, "url": url}
