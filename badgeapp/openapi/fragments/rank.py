"""The rank family (rank cards, statistics), trophies and repository insights."""

from __future__ import annotations

from typing import Any

from badgeapp.openapi.common import badge_get, error, json_response, param

TAG = {
    "name": "rank",
    "description": "GitHub rank cards and statistics (the rank spec), trophies and insights.",
}

_USER = param("username", "path", "A GitHub login.")
_TOKEN = param("token", "query", "A user's GitHub token (ghp_ or github_pat_); answer private.")
_SEASON = param("season", "query", "A calendar year, 2010 to this year.", type="integer")


def _rank_get(summary: str, params: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "get": {
            "tags": ["rank"],
            "summary": summary,
            "parameters": params,
            "responses": {
                "200": {
                    "description": "The card (SVG) or, for JSON clients, the result",
                    "content": {
                        "image/svg+xml": {"schema": {"type": "string"}},
                        "application/json": {"schema": {"type": "object"}},
                    },
                },
                "400": error("Invalid username, season, theme or token"),
                "404": error("No such GitHub user"),
                "429": error("Rate limited (per address, per username, or GitHub's)"),
                "502": error("GitHub failed"),
                "503": error("No GitHub token left"),
            },
        }
    }


def fragment() -> dict[str, Any]:
    common = [_USER, _SEASON, _TOKEN, param("force", "query", "Skip the cache.", type="boolean")]
    return {
        "tags": [TAG],
        "paths": {
            "/rank/{username}": _rank_get(
                "A rank card (400x120): tier, division, Elo, LP, percentile, six stats",
                [
                    *common,
                    param("theme", "query", "default, dark, light, minimal or a plugin's."),
                    param("format", "query", "svg or json.", enum=["svg", "json"]),
                    param("include_orgs", "query", "Count organisations' stars.", type="boolean"),
                ],
            ),
            "/stats/{username}": {
                "get": {
                    **_rank_get("GitHub statistics with a yearly breakdown", common)["get"],
                    "responses": {
                        "200": json_response("The statistics"),
                        "404": error("No such GitHub user"),
                        "429": error("Rate limited"),
                    },
                }
            },
            "/v2/trophies/{username}": badge_get(
                "A grid of trophies (Bronze .. Legendary per category)",
                "rank",
                [
                    _USER,
                    param("columns", "query", "Trophies per row.", type="integer"),
                    param("rows", "query", "Rows.", type="integer"),
                    param("margin", "query", "Gap in pixels.", type="integer"),
                ],
            ),
            "/github/{insight}/{owner}/{repo}": badge_get(
                "An insight badge, shields-style spelling",
                "rank",
                [
                    param(
                        "insight",
                        "path",
                        "The insight.",
                        enum=["commit-velocity", "issue-resolution", "activity-rank"],
                    ),
                    param("owner", "path", "Repository owner."),
                    param("repo", "path", "Repository name."),
                ],
            ),
            "/v2/insights/{owner}/{repo}/{kind}": badge_get(
                "A repository insight picture (heatmap: a 52x7 contribution grid)",
                "rank",
                [
                    param("owner", "path", "Repository owner."),
                    param("repo", "path", "Repository name."),
                    param("kind", "path", "The picture.", enum=["heatmap"]),
                ],
            ),
        },
    }
