"""A GitHub user's statistics for the rank model, fetched with GraphQL through the upstream layer.

Three kinds of queries, each cached by the upstream layer under query + variables:

* ``PROFILE_QUERY``: followers, contribution years, merged pull requests, closed issues, the
  organisations and the first 100 owned repositories (stars and creation dates);
* ``REPOS_QUERY`` / ``ORG_REPOS_QUERY``: the next pages of 100 repositories (a user's own, or an
  organisation's with ``include_orgs=true``), up to ``MAX_REPO_PAGES`` pages per owner;
* ``years_query(login, years)``: one aliased ``contributionsCollection`` per calendar year
  (``y2024: contributionsCollection(from: ..., to: ...)``) plus two searches per year for the
  pull requests merged and the issues closed in that year.

``fetch_stats`` sums them into ``UserStats``: all-time totals, or, with a season, the totals of
that calendar year (stars: of repositories created that year; followers: today's count, GitHub
keeps no history of them). GraphQL failures become the rank catalogue's errors.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Mapping
from typing import Any

from badgeapp.upstream.graphql import GraphQLFailure, github_graphql

from . import errors

#: pages of 100 repositories read per owner (bounds the work for accounts with huge counts)
MAX_REPO_PAGES = 30
#: organisations whose repositories count with include_orgs=true
MAX_ORGS = 20
#: seconds all the queries of one rank may take together
FETCH_BUDGET = 25.0
#: the first season the spec allows
FIRST_SEASON = 2010

_REPO_FIELDS = "totalCount pageInfo { hasNextPage endCursor } nodes { stargazerCount createdAt }"

PROFILE_QUERY = """query($login: String!) {
  user(login: $login) {
    login
    name
    createdAt
    followers { totalCount }
    contributionsCollection { contributionYears }
    mergedPullRequests: pullRequests(states: MERGED) { totalCount }
    closedIssues: issues(states: CLOSED) { totalCount }
    organizations(first: MAX_ORGS) { nodes { login } }
    repositories(first: 100, ownerAffiliations: OWNER,
                 orderBy: {field: STARGAZERS, direction: DESC}) {
      REPO_FIELDS
    }
  }
}""".replace("MAX_ORGS", str(MAX_ORGS)).replace("REPO_FIELDS", _REPO_FIELDS)

REPOS_QUERY = f"""query($login: String!, $after: String) {{
  user(login: $login) {{
    repositories(first: 100, after: $after, ownerAffiliations: OWNER,
                 orderBy: {{field: STARGAZERS, direction: DESC}}) {{
      {_REPO_FIELDS}
    }}
  }}
}}"""

ORG_REPOS_QUERY = f"""query($login: String!, $after: String) {{
  organization(login: $login) {{
    repositories(first: 100, after: $after, orderBy: {{field: STARGAZERS, direction: DESC}}) {{
      {_REPO_FIELDS}
    }}
  }}
}}"""


def years_query(login: str, years: list[int]) -> str:
    """One aliased contributionsCollection (and two searches) per year; ``login`` is validated."""
    parts = []
    for year in years:
        start, end = f"{year}-01-01T00:00:00Z", f"{year}-12-31T23:59:59Z"
        span = f"{year}-01-01..{year}-12-31"
        parts.append(
            f'  y{year}: contributionsCollection(from: "{start}", to: "{end}") {{\n'
            "    totalCommitContributions restrictedContributionsCount\n"
            "    totalPullRequestContributions totalPullRequestReviewContributions\n"
            "    totalIssueContributions\n  }"
        )
        parts.append(
            f'  p{year}: search(query: "author:{login} is:pr is:merged merged:{span}", '
            "type: ISSUE, first: 1) { issueCount }"
        )
        parts.append(
            f'  i{year}: search(query: "author:{login} is:issue is:closed closed:{span}", '
            "type: ISSUE, first: 1) { issueCount }"
        )
    body = "\n".join(p for p in parts if p.lstrip().startswith("y"))
    searches = "\n".join(p for p in parts if not p.lstrip().startswith("y"))
    return (
        "query($login: String!) {\n  user(login: $login) {\n" + body + "\n  }\n" + searches + "\n}"
    )


@dataclasses.dataclass
class YearStats:
    """One calendar year of contributions (the spec's YearlyStats plus /stats' short names)."""

    year: int
    commits: int
    prs: int
    reviews: int
    issues: int
    merged_prs: int
    issues_closed: int

    def to_json(self) -> dict[str, int]:
        return {
            "year": self.year,
            "commits": self.commits,
            "prs": self.prs,
            "reviews": self.reviews,
            "issues": self.issues,
            "mergedPRs": self.merged_prs,
            "codeReviews": self.reviews,
            "issuesClosed": self.issues_closed,
        }


@dataclasses.dataclass
class UserStats:
    """What the rank model and ``/stats`` need about one user."""

    login: str
    totals: dict[str, int]
    first_year: int | None
    last_year: int | None
    yearly: list[YearStats]
    repositories: int
    fetched_at: float
    stale: bool = False
    #: account creation (ISO 8601), owned repositories and organisations (for trophies)
    created_at: str | None = None
    owned_repositories: int = 0
    organizations: int = 0

    def aggregated(self) -> dict[str, int | None]:
        """The spec's AggregatedStats."""
        return {
            **self.totals,
            "firstContributionYear": self.first_year,
            "lastContributionYear": self.last_year,
        }


class _Query:
    """Runs queries for one request, remembering staleness and the oldest fetch."""

    def __init__(
        self, config: Mapping[str, Any], token: str | None, deadline: float, fresh: float | None
    ) -> None:
        self.config = config
        self.fresh = fresh
        self.token = token
        self.deadline = deadline
        self.stale = False
        self.fetched_at = time.time()

    def run(self, query: str, **variables: Any) -> dict[str, Any]:
        try:
            result = github_graphql(
                self.config,
                query,
                variables,
                user_token=self.token,
                fresh=self.fresh,
                deadline=self.deadline,
            )
        except GraphQLFailure as failure:
            raise _catalog_error(failure, variables.get("login", "")) from None
        self.stale = self.stale or result.stale
        self.fetched_at = min(self.fetched_at, result.fetched_at)
        return result.data


def _catalog_error(failure: GraphQLFailure, login: str) -> errors.RankError:
    if failure.kind == "not_found":
        return errors.UserNotFound(
            f"GitHub user '{login}' not found. Please check the username spelling.",
            details={"username": login},
        )
    if failure.kind == "no_tokens":
        return errors.tokens_exhausted(failure.retry_after or 300)
    if failure.kind == "rate_limited":
        return errors.github_rate_limited(failure.retry_after or 300)
    if failure.kind == "bad_credentials":
        return errors.InvalidToken(
            "GitHub rejected the token. Check that it is valid and not expired.",
            details={"reason": "bad credentials"},
        )
    return errors.GitHubAPIError(
        "GitHub API returned an error. Please retry or check GitHub's status.",
        details={"reason": failure.detail[:200]},
    )


def _count(data: Any, *path: str) -> int:
    value = data
    for step in path:
        value = value.get(step) if isinstance(value, dict) else None
    return int(value) if isinstance(value, int) and not isinstance(value, bool) else 0


def _repos(page: Any) -> tuple[list[dict], bool, str | None]:
    if not isinstance(page, dict):
        return [], False, None
    nodes = [n for n in page.get("nodes") or [] if isinstance(n, dict)]
    info = page.get("pageInfo") or {}
    return nodes, bool(info.get("hasNextPage")), info.get("endCursor")


def _all_repos(q: _Query, first_page: Any, query: str, root: str, login: str) -> list[dict]:
    """Every repository of one owner, following ``endCursor`` past the first 100."""
    nodes, more, cursor = _repos(first_page)
    pages = 1
    while more and cursor and pages < MAX_REPO_PAGES:
        data = q.run(query, login=login, after=cursor)
        page, more, cursor = _repos((data.get(root) or {}).get("repositories"))
        nodes.extend(page)
        pages += 1
    return nodes


def _year_of(stamp: Any) -> int | None:
    if isinstance(stamp, str) and len(stamp) >= 4 and stamp[:4].isdigit():
        return int(stamp[:4])
    return None


def fetch_stats(
    config: Mapping[str, Any],
    login: str,
    *,
    season: int | None = None,
    include_orgs: bool = False,
    token: str | None = None,
    force: bool = False,
    deadline: float | None = None,
) -> UserStats:
    """Fetch and sum a user's statistics (all-time, or one season); raise catalogue errors.

    ``force``: ask GitHub even when the upstream cache holds a fresh answer.
    """
    budget = deadline if deadline is not None else time.monotonic() + FETCH_BUDGET
    q = _Query(config, token, budget, 0.0 if force else None)
    profile = q.run(PROFILE_QUERY, login=login)
    user = profile.get("user")
    if not isinstance(user, dict):
        raise _catalog_error(GraphQLFailure("not_found"), login)
    real_login = str(user.get("login") or login)
    repos = _all_repos(q, user.get("repositories"), REPOS_QUERY, "user", login)
    if include_orgs:
        orgs = [
            str(o["login"])
            for o in ((user.get("organizations") or {}).get("nodes") or [])
            if isinstance(o, dict) and isinstance(o.get("login"), str)
        ]
        for org in orgs[:MAX_ORGS]:
            data = q.run(ORG_REPOS_QUERY, login=org, after=None)
            first = (data.get("organization") or {}).get("repositories")
            repos.extend(_all_repos(q, first, ORG_REPOS_QUERY, "organization", org))
    years_raw = (user.get("contributionsCollection") or {}).get("contributionYears") or []
    years = sorted({y for y in years_raw if isinstance(y, int)}, reverse=True)
    if season is not None:
        years = [season]
    yearly: list[YearStats] = []
    if years:
        data = q.run(years_query(real_login, years), login=real_login)
        per_user = data.get("user") or {}
        for year in years:
            c = per_user.get(f"y{year}") or {}
            yearly.append(
                YearStats(
                    year=year,
                    commits=_count(c, "totalCommitContributions")
                    + _count(c, "restrictedContributionsCount"),
                    prs=_count(c, "totalPullRequestContributions"),
                    reviews=_count(c, "totalPullRequestReviewContributions"),
                    issues=_count(c, "totalIssueContributions"),
                    merged_prs=_count(data, f"p{year}", "issueCount"),
                    issues_closed=_count(data, f"i{year}", "issueCount"),
                )
            )
    followers = _count(user, "followers", "totalCount")
    if season is None:
        stars = sum(_count(r, "stargazerCount") for r in repos)
        totals = {
            "totalCommits": sum(y.commits for y in yearly),
            "totalMergedPRs": _count(user, "mergedPullRequests", "totalCount"),
            "totalCodeReviews": sum(y.reviews for y in yearly),
            "totalIssuesClosed": _count(user, "closedIssues", "totalCount"),
            "totalStars": stars,
            "totalFollowers": followers,
        }
    else:
        stars = sum(
            _count(r, "stargazerCount") for r in repos if _year_of(r.get("createdAt")) == season
        )
        only = yearly[0]
        totals = {
            "totalCommits": only.commits,
            "totalMergedPRs": only.merged_prs,
            "totalCodeReviews": only.reviews,
            "totalIssuesClosed": only.issues_closed,
            "totalStars": stars,
            "totalFollowers": followers,
        }
    all_years = sorted(y for y in years_raw if isinstance(y, int))
    return UserStats(
        login=real_login,
        totals=totals,
        first_year=all_years[0] if all_years else None,
        last_year=all_years[-1] if all_years else None,
        yearly=yearly,
        repositories=len(repos),
        fetched_at=q.fetched_at,
        stale=q.stale,
        created_at=user.get("createdAt") if isinstance(user.get("createdAt"), str) else None,
        owned_repositories=_count(user, "repositories", "totalCount"),
        organizations=len((user.get("organizations") or {}).get("nodes") or []),
    )


def current_year() -> int:
    """The calendar year now (UTC): the default and the last allowed season."""
    return dt.datetime.now(dt.UTC).year
