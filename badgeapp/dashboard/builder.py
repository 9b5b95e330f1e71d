"""The badge builder: a table of badge families and their fields, URLs, checks and snippets.

Add a family by adding a ``Family`` to ``STATIC_FAMILIES`` (live providers are added from the
plugin registry). A ``Field`` is a path segment (``{name}`` in ``path``) or a query parameter.
``check(family, values)`` gives the URL and an error per field with the rules the API applies:
path fields by their pattern, the engine parameters by ``badgeapp.http.query``'s parsers.
``snippets(url, alt, link)`` gives Markdown, HTML, reStructuredText, AsciiDoc and the URL.
"""

from __future__ import annotations

import dataclasses
import html
import re
import urllib.parse
from collections.abc import Mapping
from typing import Any

from badgeapp.http.query import (
    MAX_TEXT,
    STYLES,
    parse_cache_seconds,
    parse_links,
    resolve_logo,
    theme_names,
)
from badgeapp.render.colors import normalize_color

_SLUG = r"[A-Za-z0-9_.-]{1,100}"
_OWNER_REPO = r"[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}"


@dataclasses.dataclass(frozen=True)
class Field:
    """One input of a family: a path segment or a query parameter."""

    name: str
    label: str
    where: str = "path"  # path | query
    required: bool = True
    placeholder: str = ""
    pattern: str | None = _SLUG
    help: str = ""
    choices: tuple[str, ...] = ()
    #: path fields: characters kept as they are when quoting (``/`` for owner/repo)
    safe: str = ""

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclasses.dataclass(frozen=True)
class Family:
    """A kind of badge the builder can make."""

    id: str
    title: str
    group: str
    path: str
    fields: tuple[Field, ...]
    description: str = ""
    #: whether the engine parameters (label, color, style, theme, logo, ...) apply
    engine: bool = True
    keywords: str = ""

    def as_dict(self) -> dict[str, Any]:
        doc = dataclasses.asdict(self)
        doc["fields"] = [f.as_dict() for f in self.fields]
        return doc


#: the engine parameters every badge accepts (shown under "Appearance")
ENGINE_FIELDS: tuple[Field, ...] = (
    Field(
        "label", "Label (left text)", "query", False, "build", None, "replaces the default label"
    ),
    Field(
        "color", "Colour", "query", False, "brightgreen or #4c1", None, "name, hex or CSS colour"
    ),
    Field("labelColor", "Label colour", "query", False, "555", None),
    Field("style", "Style", "query", False, "flat", None, "flat, flat-square, plastic, ..."),
    Field("theme", "Theme", "query", False, "neon", None),
    Field("logo", "Logo", "query", False, "github", None, "simple-icons name or plugin icon"),
    Field("logoColor", "Logo colour", "query", False, "white", None),
    Field("link", "Link", "query", False, "https://example.com", None, "http(s) only"),
    Field("cacheSeconds", "Cache seconds", "query", False, "3600", None),
    Field("animated", "Animated", "query", False, "", None, "", ("", "true")),
)
ENGINE_NAMES = tuple(f.name for f in ENGINE_FIELDS)

_GH = (
    Field("user", "Owner", placeholder="pallets"),
    Field("repo", "Repository", placeholder="flask"),
)

#: families that do not come from the provider registry (shields routes, rank, trophies, ...)
STATIC_FAMILIES: tuple[Family, ...] = (
    Family(
        "custom",
        "Custom badge",
        "Static",
        "/v2/badge/custom",
        (Field("value", "Message (right text)", "query", True, "passing", None),),
        "Any label and message you type.",
        keywords="static custom text message",
    ),
    Family(
        "static",
        "Shields static badge",
        "Static",
        "/badge/{text}",
        (
            Field("s_label", "Label", "query", False, "build", None),
            Field("s_message", "Message", "query", True, "passing", None),
            Field("s_color", "Colour", "query", False, "green", None),
        ),
        "Shields' /badge/label-message-color form (dashes and underscores escaped for you).",
        keywords="shields static",
    ),
    Family(
        "shields-github",
        "GitHub (shields route)",
        "Shields routes",
        "/github/{metric}/{user}/{repo}",
        (
            Field(
                "metric",
                "Metric",
                choices=(
                    "stars",
                    "forks",
                    "watchers",
                    "license",
                    "issues",
                    "issues-pr",
                    "last-commit",
                    "contributors",
                    "repo-size",
                    "v/release",
                    "v/tag",
                ),
                pattern=None,
                safe="/",
            ),
            *_GH,
        ),
        "Shields' GitHub paths: swap img.shields.io for this host.",
        keywords="github stars forks shields",
    ),
    Family(
        "shields-pypi",
        "PyPI (shields route)",
        "Shields routes",
        "/pypi/{metric}/{package}",
        (
            Field(
                "metric",
                "Metric",
                choices=("v", "pyversions", "l", "dm", "dw", "dd", "format", "status", "wheel"),
                pattern=None,
            ),
            Field("package", "Package", placeholder="flask"),
        ),
        keywords="pypi python version downloads",
    ),
    Family(
        "shields-npm",
        "npm (shields route)",
        "Shields routes",
        "/npm/{metric}/{package}",
        (
            Field(
                "metric",
                "Metric",
                choices=("v", "dm", "dw", "dy", "dt", "l", "types", "node"),
                pattern=None,
            ),
            Field(
                "package",
                "Package",
                placeholder="@babel/core",
                pattern=r"(@[\w.-]+/)?[\w.-]+",
                safe="@/",
            ),
        ),
        keywords="npm javascript version downloads",
    ),
    Family(
        "endpoint",
        "Endpoint badge",
        "Shields routes",
        "/endpoint",
        (
            Field(
                "url",
                "JSON endpoint URL",
                "query",
                True,
                "https://example.com/badge.json",
                r"https://\S+",
            ),
        ),
        "Shields' endpoint JSON (schemaVersion 1), fetched safely.",
        keywords="endpoint json dynamic",
    ),
    Family(
        "dynamic-json",
        "Dynamic JSON badge",
        "Shields routes",
        "/badge/dynamic/json",
        (
            Field(
                "url",
                "Document URL",
                "query",
                True,
                "https://example.com/data.json",
                r"https://\S+",
            ),
            Field("query", "JSONPath query", "query", True, "$.version", None),
        ),
        keywords="dynamic json jsonpath",
    ),
    Family(
        "quality",
        "Quality (uploaded reports)",
        "Quality",
        "/api/v1/badge/{kind}/{org}/{repo}",
        (
            Field(
                "kind", "Kind", choices=("coverage", "quality", "security", "tests"), pattern=None
            ),
            Field("org", "Organisation", placeholder="acme"),
            Field("repo", "Repository", placeholder="widgets"),
            Field("branch", "Branch", "query", False, "main", None),
        ),
        "Coverage, quality, security and test badges from reports your CI uploads.",
        keywords="coverage tests quality security",
    ),
    Family(
        "nice",
        "Nice button",
        "Counters",
        "/badge/{button}.svg",
        (Field("button", "Button id", placeholder="abc123", pattern=r"[A-Za-z0-9]{1,32}"),),
        keywords="nice counter button",
    ),
    Family(
        "compose",
        "Composition",
        "Composite",
        "/v2/compose",
        (
            Field(
                "badges",
                "Badges",
                "query",
                True,
                "stars:100,forks:50",
                None,
                "label:value[:color] or provider/subject/metric, comma-separated",
            ),
            Field(
                "layout",
                "Layout",
                "query",
                False,
                "",
                None,
                "",
                ("", "horizontal", "vertical", "grid"),
            ),
            Field("gap", "Gap (px)", "query", False, "4", r"\d{1,3}"),
            Field("columns", "Columns (grid)", "query", False, "2", r"\d{1,2}"),
        ),
        "Several badges in one image.",
        keywords="compose multiple layout",
    ),
    Family(
        "rank",
        "Rank card",
        "Profiles",
        "/rank/{username}",
        (
            Field("username", "GitHub user", placeholder="octocat", pattern=r"[A-Za-z0-9-]{1,39}"),
            Field(
                "theme",
                "Card theme",
                "query",
                False,
                "",
                None,
                "",
                ("", "default", "dark", "light", "minimal"),
            ),
            Field("season", "Season (year)", "query", False, "2026", r"\d{4}"),
        ),
        "A 400x120 rank card: tier, Elo, percentile and six stats.",
        engine=False,
        keywords="rank profile elo tier",
    ),
    Family(
        "trophies",
        "Trophies",
        "Profiles",
        "/v2/trophies/{username}",
        (
            Field("username", "GitHub user", placeholder="octocat", pattern=r"[A-Za-z0-9-]{1,39}"),
            Field("columns", "Columns", "query", False, "4", r"\d{1,2}"),
            Field("rows", "Rows", "query", False, "2", r"\d{1,2}"),
            Field("margin", "Margin", "query", False, "8", r"\d{1,3}"),
        ),
        "Bronze to Legendary trophies per category.",
        keywords="trophies profile awards",
    ),
    Family(
        "insights",
        "Repository insight",
        "Profiles",
        "/v2/badge/github/{user}/{repo}/{insight}",
        (
            *_GH,
            Field(
                "insight",
                "Insight",
                choices=("commit_velocity", "issue_resolution", "activity_rank"),
                pattern=None,
            ),
        ),
        keywords="insight velocity activity",
    ),
    Family(
        "heatmap",
        "Contribution heatmap",
        "Profiles",
        "/v2/insights/{user}/{repo}/heatmap",
        _GH,
        engine=False,
        keywords="heatmap contributions",
    ),
)


def provider_families(providers: Mapping[str, Any]) -> list[Family]:
    """One family per live provider of the registry (``/v2/badge/{provider}/...``)."""
    families = []
    for name, provider in sorted(providers.items()):
        metrics = tuple(sorted(getattr(provider, "metrics", {}) or {}))
        parts = int(getattr(provider, "subject_parts", 1) or 0)
        metric = Field("metric", "Metric", choices=metrics, pattern=None if metrics else _SLUG)
        if parts == 0:
            families.append(
                Family(
                    f"plugin-{name}",
                    f"Plugin: {name}",
                    "Plugins",
                    f"/v2/badge/plugin/{name}/{{metric}}",
                    (metric,),
                    keywords=f"plugin {name}",
                )
            )
            continue
        subject = Field(
            "subject",
            "Owner/repository" if parts == 2 else "Name",
            placeholder="pallets/flask" if parts == 2 else "flask",
            pattern=_OWNER_REPO if parts == 2 else r"(@[\w.-]+/)?[\w.-]{1,200}",
            safe="/@",
        )
        families.append(
            Family(
                name,
                f"{name} (v2)",
                "Live providers",
                f"/v2/badge/{name}/{{subject}}/{{metric}}",
                (subject, metric),
                keywords=f"{name} provider live",
            )
        )
    return families


def all_families(providers: Mapping[str, Any]) -> list[Family]:
    """Static families, then one per live provider and plugin."""
    return [*STATIC_FAMILIES, *provider_families(providers)]


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
