"""A fake GitHub (GraphQL + the REST calls of rank, trophies and insights) on a loopback port.

GraphQL queries are parsed, validated and executed by graphql-core against a schema that is a
faithful subset of GitHub's (same type, field and argument names), so the real query text of
``badgeapp.rank.github_stats`` is exercised: an unknown field or a wrong argument is rejected
the way GitHub rejects it, aliases and variables work, ``repositories`` pages 100 at a time.
Users live in ``USERS``; an unknown login answers GitHub's ``NOT_FOUND`` error.
``repository(owner:, name:)`` finds the repositories of ``REPOS`` (their ``discussions``
count; others are ``NOT_FOUND``); ``repositoryOwner(login:)`` finds users and organisations
(``sponsorshipsAsMaintainer`` from ``SPONSORS``) and, as GitHub does, answers null for others.

Tokens: no ``Authorization`` -> 401; a token starting ``ghp_bad`` -> 401 ``Bad credentials``;
each token has a quota (``quota[token]``, default 5000) and at 0 GraphQL answers GitHub's
``RATE_LIMITED`` error (200) with ``X-RateLimit-Remaining: 0``. ``fail(pattern, status=..,
times=..)`` injects failures; ``stats_pending = N`` makes the next N statistics calls answer
202 (GitHub computing). ``count(pattern)`` counts requests by path (``/graphql`` included).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import json
import re
import threading
import time
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from graphql import GraphQLError, build_schema, graphql_sync

THIS_YEAR = dt.datetime.now(dt.UTC).year
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)

SDL = """
scalar DateTime
enum PullRequestState { OPEN CLOSED MERGED }
enum IssueState { OPEN CLOSED }
enum RepositoryAffiliation { OWNER COLLABORATOR ORGANIZATION_MEMBER }
enum RepositoryOrderField { CREATED_AT UPDATED_AT PUSHED_AT NAME STARGAZERS }
enum OrderDirection { ASC DESC }
enum SearchType { ISSUE REPOSITORY USER DISCUSSION }
input RepositoryOrder { field: RepositoryOrderField! direction: OrderDirection! }
type PageInfo {
  hasNextPage: Boolean! endCursor: String startCursor: String hasPreviousPage: Boolean!
}
type DiscussionConnection { totalCount: Int! }
type SponsorshipConnection { totalCount: Int! }
type Repository {
  name: String! stargazerCount: Int! createdAt: DateTime! isFork: Boolean!
  discussions(first: Int, after: String): DiscussionConnection!
}
interface RepositoryOwner { login: String! }
type RepositoryConnection { totalCount: Int! pageInfo: PageInfo! nodes: [Repository] }
type Organization implements RepositoryOwner {
  login: String!
  sponsorshipsAsMaintainer(first: Int, after: String,
                           includePrivate: Boolean): SponsorshipConnection!
  repositories(first: Int, after: String, orderBy: RepositoryOrder,
               ownerAffiliations: [RepositoryAffiliation], isFork: Boolean): RepositoryConnection!
}
type OrganizationConnection { totalCount: Int! nodes: [Organization] }
type FollowerConnection { totalCount: Int! }
type PullRequestConnection { totalCount: Int! }
type IssueConnection { totalCount: Int! }
type ContributionsCollection {
  contributionYears: [Int!]!
  totalCommitContributions: Int!
  restrictedContributionsCount: Int!
  totalPullRequestContributions: Int!
  totalPullRequestReviewContributions: Int!
  totalIssueContributions: Int!
  totalRepositoryContributions: Int!
}
type User implements RepositoryOwner {
  login: String!
  sponsorshipsAsMaintainer(first: Int, after: String,
                           includePrivate: Boolean): SponsorshipConnection!
  name: String
  createdAt: DateTime!
  followers(first: Int): FollowerConnection!
  contributionsCollection(from: DateTime, to: DateTime): ContributionsCollection!
  pullRequests(states: [PullRequestState!], first: Int): PullRequestConnection!
  issues(states: [IssueState!], first: Int): IssueConnection!
  organizations(first: Int, after: String): OrganizationConnection!
  repositories(first: Int, after: String, ownerAffiliations: [RepositoryAffiliation],
               orderBy: RepositoryOrder, isFork: Boolean): RepositoryConnection!
}
type SearchResultItemConnection { issueCount: Int! }
type RateLimit { cost: Int! remaining: Int! resetAt: DateTime! }
type Query {
  user(login: String!): User
  organization(login: String!): Organization
  repository(owner: String!, name: String!, followRenames: Boolean): Repository
  repositoryOwner(login: String!): RepositoryOwner
  search(query: String!, type: SearchType!, first: Int, after: String): SearchResultItemConnection!
  rateLimit: RateLimit
}
"""
SCHEMA = build_schema(SDL)


def _year_row(commits: int, prs: int, reviews: int, issues: int, merged: int, closed: int):
    return {
        "commits": commits,
        "prs": prs,
        "reviews": reviews,
        "issues": issues,
        "merged": merged,
        "closed": closed,
    }


def _stars(count: int, top: int) -> list[tuple[int, int]]:
    """``count`` repositories, (stars, creation year), most-starred first."""
    return [(max(0, top // (i + 1)), THIS_YEAR - (i % 6)) for i in range(count)]


#: the fake's users: followers, contribution years, repositories and organisations
USERS: dict[str, dict[str, Any]] = {
    "octocat": {
        "login": "octocat",
        "name": "The Octocat",
        "createdAt": "2011-01-25T18:44:36Z",
        "followers": 8900,
        "years": {
            THIS_YEAR - i: _year_row(450 + 30 * i, 85, 120, 35, 60 + i, 20 + i) for i in range(5)
        },
        "merged_all": 890,
        "closed_all": 340,
        # 250 owned repositories: the stars of all of them (past the first 100) must count
        "repos": _stars(250, 6000),
        "orgs": ["octo-org"],
    },
    "newbie": {
        "login": "newbie",
        "name": None,
        "createdAt": f"{THIS_YEAR}-01-02T00:00:00Z",
        "followers": 0,
        "years": {},
        "merged_all": 0,
        "closed_all": 0,
        "repos": [],
        "orgs": [],
    },
    "midway": {
        "login": "midway",
        "name": "Mid Way",
        "createdAt": "2016-03-01T00:00:00Z",
        "followers": 75,
        "years": {THIS_YEAR - i: _year_row(370, 28, 19, 12, 28, 12) for i in range(5)},
        "merged_all": 140,
        "closed_all": 60,
        "repos": [(420, THIS_YEAR - 2)] + [(0, THIS_YEAR - 1)] * 29,
        "orgs": [],
    },
}
ORGS: dict[str, list[tuple[int, int]]] = {"octo-org": _stars(150, 3000), "Homebrew": []}
#: sponsorships of users and organisations as maintainer (``repositoryOwner``); others have 0
SPONSORS: dict[str, int] = {"octocat": 1234, "Homebrew": 217}
#: repositories ``repository(owner:, name:)`` finds, with their discussion counts
REPOS: dict[str, dict[str, Any]] = {
    "vercel/next.js": {"discussions": 6000},
    "pallets/flask": {"discussions": 412},
    "octocat/hello-world": {"discussions": 0},
}


def star_total(login: str, include_orgs: bool = False) -> int:
    """What the rank must report as totalStars (tests compare against it)."""
    user = USERS[login]
    total = sum(s for s, _ in user["repos"])
    if include_orgs:
        total += sum(s for org in user["orgs"] for s, _ in ORGS[org])
    return total


def _page(items: list[tuple[int, int]], first: int | None, after: str | None) -> dict:
    if first is None or not 1 <= first <= 100:
        raise GraphQLError(
            "You must provide a `first` or `last` value between 1 and 100 to properly paginate."
        )
    start = int(base64.b64decode(after).decode().split(":")[1]) if after else 0
    chunk = items[start : start + first]
    end = start + len(chunk)
    cursor = base64.b64encode(f"cursor:{end}".encode()).decode()
    return {
        "totalCount": len(items),
        "pageInfo": {
            "hasNextPage": end < len(items),
            "endCursor": cursor if chunk else None,
            "startCursor": None,
            "hasPreviousPage": start > 0,
        },
        "nodes": [
            {
                "name": f"repo{start + i}",
                "stargazerCount": stars,
                "createdAt": f"{year}-06-01T00:00:00Z",
                "isFork": False,
            }
            for i, (stars, year) in enumerate(chunk)
        ],
    }


class FakeOrg:
    __typename = "Organization"  # graphql-core reads it to resolve ``RepositoryOwner``

    def __init__(self, login: str) -> None:
        self.login = login

    def sponsorshipsAsMaintainer(self, info: Any, **_: Any) -> dict:
        return {"totalCount": SPONSORS.get(self.login, 0)}

    def repositories(self, info: Any, first: int | None = None, after: str | None = None, **_):
        return _page(ORGS[self.login], first, after)


class FakeUser:
    __typename = "User"

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.login = spec["login"]
        self.name = spec["name"]
        self.createdAt = spec["createdAt"]

    def followers(self, info: Any, **_: Any) -> dict:
        return {"totalCount": self.spec["followers"]}

    def sponsorshipsAsMaintainer(self, info: Any, **_: Any) -> dict:
        return {"totalCount": SPONSORS.get(self.login, 0)}

    def contributionsCollection(self, info: Any, **args: Any) -> dict:
        start, end = args.get("from"), args.get("to")
        if start and end:
            a, b = dt.datetime.fromisoformat(start), dt.datetime.fromisoformat(end)
            if b - a > dt.timedelta(days=366):
                raise GraphQLError(
                    "The total time spanned by 'from' and 'to' must not exceed 1 year"
                )
        year = int(str(start)[:4]) if start else THIS_YEAR
        row = self.spec["years"].get(year, _year_row(0, 0, 0, 0, 0, 0))
        return {
            "contributionYears": sorted(self.spec["years"], reverse=True),
            "totalCommitContributions": row["commits"],
            "restrictedContributionsCount": 0,
            "totalPullRequestContributions": row["prs"],
            "totalPullRequestReviewContributions": row["reviews"],
            "totalIssueContributions": row["issues"],
            "totalRepositoryContributions": 1,
        }

    def pullRequests(self, info: Any, states: list[str] | None = None, **_: Any) -> dict:
        merged = self.spec["merged_all"]
        return {"totalCount": merged if states == ["MERGED"] else merged + 10}

    def issues(self, info: Any, states: list[str] | None = None, **_: Any) -> dict:
        closed = self.spec["closed_all"]
        return {"totalCount": closed if states == ["CLOSED"] else closed + 5}

    def organizations(self, info: Any, first: int | None = None, **_: Any) -> dict:
        return {
            "totalCount": len(self.spec["orgs"]),
            "nodes": [FakeOrg(o) for o in self.spec["orgs"]],
        }

    def repositories(self, info: Any, first: int | None = None, after: str | None = None, **_):
        return _page(self.spec["repos"], first, after)


class Root:
    def __init__(self, missing: list[dict[str, Any]]) -> None:
        self.missing = missing  # GitHub's NOT_FOUND errors, added to the answer

    def _not_found(self, field: str, what: str) -> None:
        self.missing.append(
            {"type": "NOT_FOUND", "path": [field], "message": f"Could not resolve to {what}."}
        )

    def user(self, info: Any, login: str) -> FakeUser | None:
        spec = USERS.get(login) or USERS.get(login.lower())
        if spec is None:
            self._not_found("user", f"a User with the login of '{login}'")
            return None
        return FakeUser(spec)

    def organization(self, info: Any, login: str) -> FakeOrg | None:
        if login not in ORGS:
            self._not_found("organization", f"an Organization with the login of '{login}'")
            return None
        return FakeOrg(login)

    def repository(self, info: Any, owner: str, name: str, **_: Any) -> dict | None:
        found = {k.lower(): v for k, v in REPOS.items()}.get(f"{owner}/{name}".lower())
        if found is None:
            self._not_found("repository", f"a Repository with the name '{owner}/{name}'")
            return None
        return {
            "name": name,
            "stargazerCount": 0,
            "createdAt": "2010-04-06T00:00:00Z",
            "isFork": False,
            "discussions": {"totalCount": found["discussions"]},
        }

    def repositoryOwner(self, info: Any, login: str) -> FakeUser | FakeOrg | None:
        # GitHub answers an unknown login here with null and no error
        spec = USERS.get(login) or USERS.get(login.lower())
        if spec is not None:
            return FakeUser(spec)
        return FakeOrg(login) if login in ORGS else None

    def search(self, info: Any, query: str, type: str, **_: Any) -> dict:
        author = re.search(r"author:(\S+)", query)
        year = re.search(r"(?:merged|closed):(\d{4})", query)
        spec = USERS.get(author[1]) if author else None
        if spec is None or year is None:
            return {"issueCount": 0}
        row = spec["years"].get(int(year[1]))
        if row is None:
            return {"issueCount": 0}
        return {"issueCount": row["merged"] if "is:pr" in query else row["closed"]}

    def rateLimit(self, info: Any) -> dict:
        return {"cost": 1, "remaining": 4999, "resetAt": NOW.isoformat()}


def graphql_answer(
    body: bytes, token: str | None, quota: dict[str, int], lock: threading.Lock, reset: str
) -> tuple[int, Any, dict[str, str]]:
    """GitHub's answer to one GraphQL POST: (status, JSON body, headers).

    Shared with ``fake_upstream`` so the general fake answers GraphQL the same way.
    """
    if not token:
        return 401, {"message": "This endpoint requires you to be authenticated."}, {}
    if token.startswith("ghp_bad"):
        return 401, {"message": "Bad credentials"}, {}
    with lock:
        left = quota.get(token, 5000)
        if left > 0:
            quota[token] = left - 1
    limits = {
        "X-RateLimit-Limit": "5000",
        "X-RateLimit-Remaining": str(max(0, left - 1)),
        "X-RateLimit-Reset": reset,
    }
    if left <= 0:
        limits["X-RateLimit-Remaining"] = "0"
        limited = {
            "errors": [
                {"type": "RATE_LIMITED", "message": "API rate limit exceeded for user ID 1."}
            ]
        }
        return 200, limited, limits
    try:
        doc = json.loads(body)
    except ValueError:
        return 400, {"message": "Problems parsing JSON"}, {}
    missing: list[dict[str, Any]] = []
    result = graphql_sync(
        SCHEMA, doc.get("query", ""), Root(missing), variable_values=doc.get("variables")
    )
    answer: dict[str, Any] = {}
    if result.data is not None:
        answer["data"] = result.data
    errors: list[dict[str, Any]] = [{"message": e.message} for e in result.errors or []]
    errors.extend(missing)
    if errors:
        answer["errors"] = errors
    return 200, answer, limits


# -- REST -------------------------------------------------------------------------------


def _weeks(full: str) -> list[dict]:
    start = int((NOW - dt.timedelta(weeks=52)).timestamp())
    weeks = []
    for i in range(52):
        total = 0 if full == "quiet/repo" else (i % 9) + (i // 4)
        days = [total // 7] * 7
        days[(i * 3) % 7] += total - sum(days)
        weeks.append({"week": start + i * 604800, "total": total, "days": days})
    return weeks


def closed_issues(full: str) -> list[dict]:
    issues = []
    for i in range(9):
        created = NOW - dt.timedelta(days=10 + i * 8)
        closed = created + dt.timedelta(hours=6 * (i + 1))
        issues.append(
            {
                "number": i + 1,
                "created_at": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "closed_at": closed.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "state": "closed",
            }
        )
    issues.append(
        {
            "number": 99,
            "pull_request": {"url": "x"},
            "created_at": issues[0]["created_at"],
            "closed_at": issues[0]["closed_at"],
            "state": "closed",
        }
    )
    return issues


class FakeGitHub:
    """The fake server: start(), config(), fail(), count(), stop()."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: list[dict[str, Any]] = []
        self.faults: list[list[Any]] = []
        self.quota: dict[str, int] = {}
        self.stats_pending = 0
        #: seconds every answer waits (to make concurrent requests overlap)
        self.latency = 0.0
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                fake._handle(self, None)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                fake._handle(self, self.rfile.read(length))

        class Server(ThreadingHTTPServer):
            daemon_threads = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def start(self) -> FakeGitHub:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def config(self) -> dict[str, str]:
        return {
            "GITHUB_API_URL": f"{self.url}/github",
            "GITHUB_GRAPHQL_URL": f"{self.url}/github/graphql",
        }

    def fail(self, pattern: str, *, status: int, times: int | None = None) -> None:
        with self.lock:
            self.faults.append([re.compile(pattern), status, times])

    def heal(self) -> None:
        with self.lock:
            self.faults.clear()

    def count(self, pattern: str = ".*") -> int:
        rx = re.compile(pattern)
        with self.lock:
            return sum(1 for r in self.requests if rx.search(r["path"]))

    def queries(self) -> list[str]:
        """The GraphQL query texts received, in order."""
        with self.lock:
            return [r["query"] for r in self.requests if r.get("query")]

    def tokens(self) -> list[str | None]:
        with self.lock:
            return [r["token"] for r in self.requests]

    # -- serving ---------------------------------------------------------------------
    def _fault(self, path: str) -> int | None:
        with self.lock:
            for fault in self.faults:
                if fault[0].search(path) and (fault[2] is None or fault[2] > 0):
                    if fault[2] is not None:
                        fault[2] -= 1
                    return fault[1]
        return None

    def _handle(self, req: BaseHTTPRequestHandler, body: bytes | None) -> None:
        parts = urlsplit(req.path)
        path, query = parts.path, parse_qs(parts.query)
        auth = req.headers.get("Authorization") or ""
        token = auth.split(" ", 1)[1] if " " in auth else None
        record: dict[str, Any] = {"path": path, "token": token}
        if body:
            with contextlib.suppress(ValueError):
                record["query"] = json.loads(body).get("query")
        with self.lock:
            self.requests.append(record)
        if self.latency:
            time.sleep(self.latency)
        reset = str(int(time.time()) + 1800)
        status = self._fault(path)
        if status is not None:
            return self._send(req, status, {"message": "injected"})
        if path == "/github/graphql":
            return self._graphql(req, body or b"", token, reset)
        return self._rest(req, path, query)

    def _graphql(self, req: BaseHTTPRequestHandler, body: bytes, token: str | None, reset: str):
        status, answer, headers = graphql_answer(body, token, self.quota, self.lock, reset)
        return self._send(req, status, answer, headers)

    def _rest(self, req: BaseHTTPRequestHandler, path: str, query: dict) -> None:
        m = re.fullmatch(r"/github/repos/([^/]+)/([^/]+)(/.*)?", path)
        if not m or m[1] == "missing":
            return self._send(req, 404, {"message": "Not Found"})
        full, rest = f"{m[1]}/{m[2]}", m[3] or ""
        if rest == "":
            return self._send(
                req,
                200,
                {
                    "full_name": full,
                    "stargazers_count": 1234,
                    "forks_count": 56,
                    "open_issues_count": 7,
                    "default_branch": "main",
                    "pushed_at": (NOW - dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                },
            )
        if rest == "/stats/commit_activity":
            with self.lock:
                pending = self.stats_pending > 0
                self.stats_pending -= 1 if pending else 0
            if pending:
                return self._send(req, 202, {})
            return self._send(req, 200, _weeks(full))
        if rest == "/issues":
            items = [] if full == "quiet/repo" else closed_issues(full)
            return self._send(req, 200, items)
        return self._send(req, 404, {"message": "Not Found"})

    def _send(
        self,
        req: BaseHTTPRequestHandler,
        status: int,
        body: Any,
        headers: dict[str, str] | None = None,
    ) -> None:
        payload = json.dumps(body).encode()
        req.send_response(status)
        req.send_header("Content-Type", "application/json; charset=utf-8")
        for name, value in (headers or {}).items():
            req.send_header(name, value)
        req.send_header("Content-Length", str(len(payload)))
        req.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            req.wfile.write(payload)


def service_tokens(n: int = 2) -> list[str]:
    """Fresh service tokens (token-pool state is kept per token, so tests never share one)."""
    return [f"ghp_service{uuid.uuid4().hex}" for _ in range(n)]


@contextlib.contextmanager
def serve_fake_github() -> Iterator[FakeGitHub]:
    """A running fake GitHub on a free loopback port, stopped afterwards."""
    fake = FakeGitHub().start()
    try:
        yield fake
    finally:
        fake.stop()
