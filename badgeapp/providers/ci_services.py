"""CI, coverage, docs and community providers for shields' routes: codecov, coveralls, circleci,
appveyor, codacy, readthedocs, discord and libraries.io.

Built-in provider plugins over the upstream layer, each with its base-URL setting
(``CODECOV_URL``, ``COVERALLS_URL``, ``CIRCLECI_URL``, ``APPVEYOR_URL``, ``CODACY_URL``,
``READTHEDOCS_URL``,
``DISCORD_API_URL``, ``LIBRARIESIO_URL``) and, where the service wants one, a credential
(``CODECOV_TOKEN``, ``CIRCLECI_TOKEN``, ``LIBRARIESIO_API_KEY``; a user's ``?token=`` wins
for codecov and circleci, as on shields). Values carry shields' messages and colours.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import defusedxml.ElementTree as SafeET

from badgeapp.errors import ImproperlyConfigured, InvalidParameter, InvalidResponse, NotFound
from badgeapp.hookspecs import hookimpl
from badgeapp.shields import formats

from .api import ApiProvider, Fetcher, field, number
from .base import Value

VCS = {"gh": "github", "github": "github", "bb": "bitbucket", "bitbucket": "bitbucket",
       "gl": "gitlab", "gitlab": "gitlab"}  # fmt: skip
_TOKEN = re.compile(r"^[A-Za-z0-9_.-]{1,200}$")
_BRANCH = re.compile(r"^[A-Za-z0-9_./@+-]{1,200}$")


def coverage_value(percent: float) -> Value:
    """``91%`` coloured like shields' coveragePercentage (80, 90, 100 steps)."""
    color = "red"
    if percent > 0:
        color = "yellow"
    for bound, name in ((80, "yellowgreen"), (90, "green"), (100, "brightgreen")):
        if percent >= bound:
            color = name
    return Value(raw=percent, display=f"{percent:.0f}%", color=color, cache_seconds=300)


def unknown_coverage() -> Value:
    """``unknown`` in grey: the service answered but has no coverage figure."""
    return Value(raw=None, display="unknown", color="lightgrey", cache_seconds=300)


def build_value(status: str, cache_seconds: int) -> Value:
    """An upstream build status word as shields' build message and colour."""
    text, color = formats.build_status(status)
    return Value(raw=status, display=text, color=color, cache_seconds=cache_seconds)


def _service(vcs: str, served: tuple[str, ...] | None = None) -> str:
    """The code host a route's ``vcs`` names (``gh`` -> ``github``); not found when the
    service does not serve it (``served``: the hosts it serves, default all)."""
    service = VCS.get(vcs)
    if service is None or (served is not None and service not in served):
        raise NotFound()
    return service


def _branch_path(fetch: Fetcher, segment: str) -> str:
    """``/<segment>/<branch>`` for the ``branch`` parameter, checked; empty without one."""
    branch = _arg(fetch, "branch")
    if not branch:
        return ""
    if not _BRANCH.match(branch) or any(p in (".", "..") for p in branch.split("/")):
        raise InvalidParameter(detail="bad branch")
    return f"/{segment}/{quote(branch, safe='')}"


def _token(fetch: Fetcher, setting: str) -> str | None:
    token = fetch.ctx.args.get("token") or fetch.setting(setting) or None
    if token is not None and not _TOKEN.match(str(token)):
        raise InvalidParameter(detail="bad token")
    return token


def _arg(fetch: Fetcher, name: str) -> str | None:
    value = fetch.ctx.args.get(f"shields.{name}", fetch.ctx.args.get(name))
    return str(value) if value else None


class CodecovProvider(ApiProvider):
    """Codecov coverage of a repository (subject vcs/owner/repo; ?branch, ?flag, ?token)."""

    name = "codecov"
    subject_parts = 3
    metrics = {"coverage": "line coverage percentage"}

    def metric_coverage(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        vcs, owner, repo = subject
        service = _service(vcs)
        params = {k: v for k in ("branch", "flag") if (v := _arg(fetch, k))}
        token = _token(fetch, "CODECOV_TOKEN")
        headers = {"Authorization": f"Bearer {token}"} if token else None
        data = fetch.json(
            fetch.url("CODECOV_URL", f"/api/v2/{service}/{owner}/repos/{repo}/totals/"),
            params=params or None,
            headers=headers,
            missing="repository not found",
        )
        coverage = data.get("totals", {}).get("coverage") if isinstance(data, dict) else None
        if not isinstance(coverage, int | float):
            return unknown_coverage()
        return coverage_value(float(coverage))


class CoverallsProvider(ApiProvider):
    """Coveralls coverage (subject vcs/owner/repo; ?branch via shields.branch)."""

    name = "coveralls"
    subject_parts = 3
    metrics = {"coverage": "covered percentage"}

    def metric_coverage(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        vcs, owner, repo = subject
        service = _service(vcs)
        params = {"branch": b} if (b := _arg(fetch, "branch")) else None
        data = fetch.json(
            fetch.url("COVERALLS_URL", f"/{service}/{owner}/{repo}.json"),
            params=params,
            missing="repository not found",
        )
        percent = field(data, "covered_percent")
        if not isinstance(percent, int | float) or isinstance(percent, bool):
            return unknown_coverage()
        return coverage_value(float(percent))


class CircleCIProvider(ApiProvider):
    """CircleCI build status of a project (subject vcs/owner/repo; shields.branch, ?token)."""

    name = "circleci"
    subject_parts = 3
    metrics = {"build": "status of the latest completed build"}
    labels = {"build": "build"}

    def metric_build(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        vcs, owner, repo = subject
        service = _service(vcs, served=("github", "bitbucket"))
        params = {"filter": "completed", "limit": "1"}
        token = _token(fetch, "CIRCLECI_TOKEN")
        headers = {"Circle-Token": token} if token else None
        path = f"/api/v1.1/project/{service}/{owner}/{repo}" + _branch_path(fetch, "tree")
        builds = fetch.json(
            fetch.url("CIRCLECI_URL", path),
            params=params,
            headers=headers,
            missing="project not found",
        )
        if not isinstance(builds, list) or not builds:
            return Value(raw=None, display="no builds", color="lightgrey", cache_seconds=30)
        return build_value(str(field(builds, 0, "status", kind=str)), cache_seconds=30)


class AppVeyorProvider(ApiProvider):
    """AppVeyor build status (subject owner/project; shields.branch)."""

    name = "appveyor"
    subject_parts = 2
    metrics = {"build": "status of the latest build"}

    def metric_build(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        owner, project = subject
        path = f"/api/projects/{owner}/{project}" + _branch_path(fetch, "branch")
        data = fetch.json(fetch.url("APPVEYOR_URL", path), missing="project not found")
        build = data.get("build") if isinstance(data, dict) else None
        if not isinstance(build, dict):
            return Value(raw=None, display="no builds found", color="lightgrey", cache_seconds=30)
        return build_value(str(field(build, "status", kind=str)), cache_seconds=30)


class CodacyProvider(ApiProvider):
    """Codacy grade and coverage of a project id (read from Codacy's own badge, as shields does)."""

    name = "codacy"
    subject_parts = 1
    metrics = {"grade": "code quality grade A-F", "coverage": "coverage percentage"}
    labels = {"grade": "code quality"}
    GRADE_COLORS = {"A": "brightgreen", "B": "green", "C": "yellowgreen", "D": "yellow",
                    "E": "orange", "F": "red"}  # fmt: skip

    def _texts(self, subject: tuple[str, ...], fetch: Fetcher, kind: str) -> list[str]:
        params = {"branch": b} if (b := _arg(fetch, "branch")) else None
        body = fetch.get(
            fetch.url("CODACY_URL", f"/project/badge/{kind}/{subject[0]}"),
            params=params,
            missing="project or branch not found",
        ).body
        try:
            root = SafeET.fromstring(body)
        except Exception:
            raise InvalidResponse() from None
        return [(el.text or "").strip() for el in root.iter() if el.tag.endswith("text")]

    def metric_grade(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        grades = [t for t in self._texts(subject, fetch, "grade") if t in self.GRADE_COLORS]
        if not grades:
            raise InvalidResponse()
        grade = grades[-1]
        return Value(raw=grade, display=grade, color=self.GRADE_COLORS[grade], cache_seconds=300)

    def metric_coverage(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        found = [t for t in self._texts(subject, fetch, "coverage") if re.fullmatch(r"\d+%", t)]
        if not found:
            raise InvalidResponse()
        return coverage_value(float(found[-1].rstrip("%")))


class ReadTheDocsProvider(ApiProvider):
    """Read the Docs build status of a project (shields.version, default latest)."""

    name = "readthedocs"
    subject_parts = 1
    metrics = {"docs": "documentation build status"}
    labels = {"docs": "docs"}

    def metric_docs(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        version = _arg(fetch, "version") or "latest"
        result = fetch.get(
            fetch.url("READTHEDOCS_URL", f"/projects/{subject[0]}/badge/"),
            params={"version": version, "format": "json"},
            missing="project not found",
        )
        status = result.json()
        if not isinstance(status, str):
            status = "unknown"
        if status == "unknown":
            raise NotFound("project or version not found")
        return build_value(status, cache_seconds=300)


class DiscordProvider(ApiProvider):
    """Members online on a Discord server whose widget is enabled."""

    name = "discord"
    subject_parts = 1
    metrics = {"online": "members online"}
    labels = {"online": "chat"}

    def metric_online(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        if not subject[0].isdigit():
            raise NotFound("invalid server")
        # a disabled widget answers 403, which the upstream layer treats as inaccessible
        data = fetch.json(
            fetch.url("DISCORD_API_URL", f"/guilds/{subject[0]}/widget.json"),
            missing="invalid server",
        )
        n = number(data, "presence_count")
        return Value(
            raw=n, display=f"{formats.metric(n)} online", color="brightgreen", cache_seconds=300
        )


class LibrariesIoProvider(ApiProvider):
    """libraries.io: dependents, dependent repos, SourceRank (subject platform/package) and
    GitHub repository dependencies (subject ``github``/owner/repo via ``dependencies``)."""

    name = "librariesio"
    subject_parts = 2
    metrics = {
        "dependents": "packages depending on it",
        "dependent_repos": "repositories depending on it",
        "sourcerank": "SourceRank",
        "dependencies": "outdated or deprecated dependencies of owner/repo on GitHub",
    }
    labels = {"dependent_repos": "dependent repos"}

    def _key(self, fetch: Fetcher) -> dict[str, str]:
        key = fetch.setting("LIBRARIESIO_API_KEY")
        if not key:
            raise ImproperlyConfigured()
        return {"api_key": str(key)}

    def check_subject(self, subject: tuple[str, ...]) -> None:
        """``platform/package``, or ``platform/@scope/package`` for scoped npm packages."""
        if len(subject) == 3 and subject[1].startswith("@"):
            return
        super().check_subject(subject)

    def _project(self, subject: tuple[str, ...], fetch: Fetcher) -> dict:
        platform, package = subject[0], "%2F".join(subject[1:])
        data = fetch.json(
            fetch.url("LIBRARIESIO_URL", f"/api/{platform}/{package}"),
            params=self._key(fetch),
            missing="package not found",
        )
        return data if isinstance(data, dict) else {}

    def _count(self, subject: tuple[str, ...], fetch: Fetcher, key: str) -> Value:
        n = number(self._project(subject, fetch), key)
        return Value(raw=n, display=formats.metric(n), color="brightgreen", cache_seconds=3600)

    def metric_dependents(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        return self._count(subject, fetch, "dependents_count")

    def metric_dependent_repos(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        return self._count(subject, fetch, "dependent_repos_count")

    def metric_sourcerank(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        return self._count(subject, fetch, "rank")

    def metric_dependencies(self, subject: tuple[str, ...], fetch: Fetcher) -> Value:
        owner, repo = subject
        data = fetch.json(
            fetch.url("LIBRARIESIO_URL", f"/api/github/{owner}/{repo}/dependencies"),
            params=self._key(fetch),
            missing="repo not found",
        )
        deps = [d for d in field(data, "dependencies", kind=list) if isinstance(d, dict)]
        deprecated = sum(1 for d in deps if d.get("deprecated"))
        outdated = sum(1 for d in deps if d.get("outdated"))
        if deprecated:
            text, color = f"{deprecated} deprecated", "red"
        elif outdated:
            text, color = f"{outdated} out of date", "orange"
        else:
            text, color = "up to date", "brightgreen"
        return Value(raw=outdated, display=text, color=color, cache_seconds=3600)


@hookimpl
def badgeapp_providers() -> list[ApiProvider]:
    """Register the CI, coverage, docs and community providers."""
    return [
        CodecovProvider(),
        CoverallsProvider(),
        CircleCIProvider(),
        AppVeyorProvider(),
        CodacyProvider(),
        ReadTheDocsProvider(),
        DiscordProvider(),
        LibrariesIoProvider(),
    ]
