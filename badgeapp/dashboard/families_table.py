"""The badge builder's table: every badge family it can make, and the fields of each.

Add a family by adding a ``Family`` to ``STATIC_FAMILIES``; live providers and drop-in plugins
are added from the plugin registry by ``provider_families``. A ``Field`` is a path segment
(``{name}`` in ``Family.path``) or a query parameter; ``ENGINE_FIELDS`` are the engine's own
parameters, shown under "Appearance" for families that take them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

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


def _choice(name: str, label: str, choices: tuple[str, ...]) -> Field:
    """An optional query parameter picked from ``choices`` (``""``: leave it out)."""
    return Field(name, label, "query", False, "", None, "", choices)


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
    _choice("animated", "Animated", ("", "true")),
)
ENGINE_NAMES = tuple(f.name for f in ENGINE_FIELDS)

_GH = (
    Field("user", "Owner", placeholder="pallets"),
    Field("repo", "Repository", placeholder="flask"),
)
_GH_USER = Field("username", "GitHub user", placeholder="octocat", pattern=r"[A-Za-z0-9-]{1,39}")

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
            _choice("layout", "Layout", ("", "horizontal", "vertical", "grid")),
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
            _GH_USER,
            _choice("theme", "Card theme", ("", "default", "dark", "light", "minimal")),
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
            _GH_USER,
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
