"""Parse and validate ``/rank/{username}`` and ``/stats/{username}`` requests (the rank spec).

Every rule raises the catalogue's error: ``InvalidUsername`` (GitHub's rule, 1-39 characters),
``InvalidSeason`` (an integer from 2010 to the current year), ``InvalidTheme`` (a rank theme
name), ``InvalidToken`` (``ghp_...`` or ``github_pat_...``, from ``?token=`` or
``Authorization: Bearer``) and ``ValidationError`` (``force``, ``format``, ``include_orgs``).
A token is never echoed back in an error.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping

from . import errors
from .github_stats import FIRST_SEASON, current_year

USERNAME = re.compile(errors.USERNAME_PATTERN)
#: classic (ghp_) and fine-grained (github_pat_) personal access tokens
TOKEN = re.compile(r"ghp_[A-Za-z0-9]{20,251}|github_pat_[A-Za-z0-9_]{20,244}")
FORMATS = ("svg", "json")
_TRUE = ("true", "1", "yes", "on")
_FALSE = ("false", "0", "no", "off", "")


@dataclasses.dataclass(frozen=True)
class RankRequest:
    """One validated request."""

    username: str
    season: int | None = None
    theme: str = "default"
    token: str | None = None
    force: bool = False
    fmt: str = "svg"
    include_orgs: bool = False


def wants_json(args: Mapping[str, str], accept: str | None) -> bool:
    """``format=json``, or an ``Accept`` header naming JSON before any image type."""
    fmt = str(args.get("format", "")).lower()
    if fmt in FORMATS:
        return fmt == "json"
    if not accept:
        return False
    first_json = accept.find("application/json")
    first_image = min(
        (i for i in (accept.find("image/svg+xml"), accept.find("image/*")) if i >= 0),
        default=-1,
    )
    return first_json >= 0 and (first_image < 0 or first_json < first_image)


def parse_username(username: str) -> str:
    """The username, or ``InvalidUsername`` with the spec's message and details."""
    if not USERNAME.fullmatch(username or ""):
        shown = (username or "")[:80]
        problem = (
            "is longer than 39 characters"
            if len(username or "") > 39 and USERNAME.fullmatch(username[:39])
            else "contains invalid characters"
        )
        raise errors.InvalidUsername(
            f"Username '{shown}' {problem}. GitHub usernames can only contain alphanumeric "
            "characters and hyphens.",
            details={"username": shown, "pattern": errors.USERNAME_PATTERN},
        )
    return username


def _flag(args: Mapping[str, str], name: str) -> bool:
    raw = str(args.get(name, "")).strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise errors.ValidationError(
        f"Parameter '{name}' must be true or false.",
        details={"parameter": name, "value": raw[:40]},
    )


def _season(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    latest = current_year()
    text = str(raw).strip()
    if not re.fullmatch(r"\d{4}", text) or not FIRST_SEASON <= int(text) <= latest:
        raise errors.InvalidSeason(
            f"Season '{text[:20]}' is out of range. Use a year between {FIRST_SEASON} and "
            f"{latest}.",
            details={"season": text[:20], "min": FIRST_SEASON, "max": latest},
        )
    return int(text)


def _token(args: Mapping[str, str], headers: Mapping[str, str]) -> str | None:
    token = args.get("token") or None
    auth = headers.get("Authorization") or ""
    if token is None and auth:
        scheme, _, value = auth.partition(" ")
        if scheme.lower() not in ("bearer", "token") or not value.strip():
            raise errors.InvalidToken(
                "The Authorization header must be 'Bearer <GitHub PAT>'.",
                details={"expected": "Authorization: Bearer ghp_... or github_pat_..."},
            )
        token = value.strip()
    if token is None:
        return None
    if not TOKEN.fullmatch(token):
        raise errors.InvalidToken(
            "The token is not a GitHub personal access token. Classic tokens start with "
            "'ghp_', fine-grained tokens with 'github_pat_'.",
            details={"expected": "ghp_... or github_pat_..."},
        )
    return token


def parse_request(
    username: str,
    args: Mapping[str, str],
    headers: Mapping[str, str],
    themes: Mapping[str, object],
) -> RankRequest:
    """Validate everything the rank and stats endpoints accept."""
    fmt_raw = str(args.get("format", "")).lower()
    if fmt_raw and fmt_raw not in FORMATS:
        raise errors.ValidationError(
            f"Parameter 'format' must be one of: {', '.join(FORMATS)}.",
            details={"parameter": "format", "value": fmt_raw[:40], "allowed": list(FORMATS)},
        )
    username = parse_username(username)
    season = _season(args.get("season"))
    theme = str(args.get("theme") or "default")
    if theme not in themes:
        raise errors.InvalidTheme(
            f"Theme '{theme[:40]}' is not available. Use: {', '.join(themes)}.",
            details={"theme": theme[:40], "allowed": list(themes)},
        )
    return RankRequest(
        username=username,
        season=season,
        theme=theme,
        token=_token(args, headers),
        force=_flag(args, "force"),
        fmt="json" if wants_json(args, headers.get("Accept")) else "svg",
        include_orgs=_flag(args, "include_orgs"),
    )
