"""A fake of every upstream API, served over real HTTP on a free loopback port.

``FakeUpstream`` is a ``ThreadingHTTPServer`` in a background thread answering realistic
JSON for GitHub, GitLab, Bitbucket, Docker Hub, PyPI, pypistats, npm, YouTube and
Twitter under path prefixes (``config()`` gives the matching ``*_URL`` settings). It
honours ``If-None-Match`` (304), sends GitHub's ``X-RateLimit-*`` headers per token,
counts every request, and can be told to fail: ``fail(pattern, status=500)``,
``fail(pattern, delay=3)``, ``fail(pattern, ratelimit=True)``, ``fail(pattern, status=202)``.

Test modules and conftests make their ``fake_upstream`` fixture from ``serve_fake()``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fake_shields import SHIELDS_ROUTES, shields_config

from badgeapp.upstream import forget_upstreams

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


def iso(delta: dt.timedelta) -> str:
    """A timestamp ``delta`` before now, GitHub style."""
    return (NOW - delta).strftime("%Y-%m-%dT%H:%M:%SZ")


Answer = tuple[int, Any, dict[str, str]]
Handler = Callable[[re.Match, dict[str, list[str]], dict[str, str]], Answer]

#: repositories whose every endpoint answers 404
MISSING = {"missing/repo", "missing/project"}
#: a repository without commits, contributors or releases
EMPTY = "empty/repo"


def ok(body: Any, headers: dict[str, str] | None = None) -> Answer:
    return 200, body, headers or {}


def not_found(_m: re.Match | None = None, *_a: Any) -> Answer:
    return 404, {"message": "Not Found"}, {}


# -- GitHub --------------------------------------------------------------------------


def gh_repo(m: re.Match, q: dict, h: dict) -> Answer:
    full = f"{m['o']}/{m['r']}"
    if full in MISSING:
        return not_found()
    seed = int(hashlib.sha256(full.encode()).hexdigest()[:6], 16)
    stars = 12345 if full in ("pallets/flask", EMPTY) else seed % 50000
    return ok(
        {
            "full_name": full,
            "stargazers_count": stars,
            "watchers_count": stars,
            "subscribers_count": 321,
            "forks_count": 2345,
            "open_issues_count": 57,
            "size": 45678,
            "default_branch": "main",
            "pushed_at": iso(dt.timedelta(days=3)),
            "created_at": "2010-04-06T11:11:11Z",
            "license": None
            if full == EMPTY
            else {"key": "bsd-3-clause", "spdx_id": "BSD-3-Clause"},
        }
    )


def gh_link(base: str, last: int) -> dict[str, str]:
    return {
        "Link": f'<{base}?per_page=1&page=2>; rel="next", '
        f'<{base}?per_page=1&page={last}>; rel="last"'
    }


def gh_pulls(m: re.Match, q: dict, h: dict) -> Answer:
    if f"{m['o']}/{m['r']}" in MISSING:
        return not_found()
    url = "https://api.github.com/repositories/1/pulls"
    return ok([{"number": 1}], gh_link(url, 17))


def gh_contributors(m: re.Match, q: dict, h: dict) -> Answer:
    full = f"{m['o']}/{m['r']}"
    if full in MISSING:
        return not_found()
    if full == EMPTY:
        return 204, None, {}
    if full == "small/repo":
        return ok([{"login": "a"}])  # one page: count the body
    return ok([{"login": "a"}], gh_link("https://api.github.com/repositories/1/contributors", 789))


def gh_commits(m: re.Match, q: dict, h: dict) -> Answer:
    full = f"{m['o']}/{m['r']}"
    if full in MISSING:
        return not_found()
    if full == EMPTY:
        return 409, {"message": "Git Repository is empty."}, {}
    days = 400 if q.get("sha") == ["old"] else 3
    if q.get("since"):  # a count of commits since a date, read from the Link header
        return ok([{"sha": "abc"}], gh_link("https://api.github.com/repositories/1/commits", 42))
    return ok([{"sha": "abc", "commit": {"committer": {"date": iso(dt.timedelta(days=days))}}}])


def gh_release(m: re.Match, q: dict, h: dict) -> Answer:
    full = f"{m['o']}/{m['r']}"
    if full in MISSING or full == EMPTY:
        return not_found()
    return ok(
        {
            "tag_name": "3.1.0",
            "name": "Flask 3.1.0",
            "prerelease": False,
            "published_at": iso(dt.timedelta(days=20)),
            "assets": [
                {"name": "flask.whl", "download_count": 1500},
                {"name": "flask.tar.gz", "download_count": 500},
            ],
        }
    )


def gh_runs(m: re.Match, q: dict, h: dict) -> Answer:
    full = f"{m['o']}/{m['r']}"
    if full in MISSING:
        return not_found()
    if full == EMPTY:
        return ok({"total_count": 0, "workflow_runs": []})
    workflow = m.groupdict().get("wf")
    if workflow == "missing.yml":
        return not_found()
    conclusion = "failure" if workflow == "nightly.yml" else "success"
    if q.get("branch") == ["wip"]:
        run = {"status": "in_progress", "conclusion": None, "head_branch": "wip"}
    else:
        run = {"status": "completed", "conclusion": conclusion, "head_branch": q.get("branch")}
    return ok({"total_count": 1, "workflow_runs": [run]})


def gh_activity(m: re.Match, q: dict, h: dict) -> Answer:
    full = f"{m['o']}/{m['r']}"
    if full in MISSING:
        return not_found()
    if full == EMPTY:
        return 204, None, {}
    start = int((NOW - dt.timedelta(weeks=52)).timestamp())
    weeks = [
        {"week": start + i * 604800, "total": 10, "days": [2, 2, 2, 2, 2, 0, 0]} for i in range(52)
    ]
    return ok(weeks)


def gh_closed_issues(m: re.Match, q: dict, h: dict) -> Answer:
    """Recently closed issues (the issue_resolution insight), from ``fake_github``."""
    from fake_github import closed_issues

    if f"{m['o']}/{m['r']}" in MISSING:
        return not_found()
    return ok(closed_issues(f"{m['o']}/{m['r']}"))


# -- other providers -----------------------------------------------------------------


def gl_project(m: re.Match, q: dict, h: dict) -> Answer:
    if m["id"].replace("%2F", "/").replace("%2f", "/") in MISSING:
        return not_found()
    return ok(
        {
            "id": 278964,
            "path_with_namespace": m["id"].replace("%2F", "/"),
            "star_count": 4567,
            "forks_count": 890,
            "open_issues_count": 12,
            "default_branch": "master",
        }
    )


def gl_pipelines(m: re.Match, q: dict, h: dict) -> Answer:
    status = "failed" if q.get("ref") == ["broken"] else "success"
    return ok([{"id": 1, "status": status, "ref": (q.get("ref") or [""])[0]}])


def bb_repo(m: re.Match, q: dict, h: dict) -> Answer:
    if f"{m['w']}/{m['r']}" in MISSING:
        return not_found()
    return ok({"size": 2345678, "mainbranch": {"name": "main"}})


def bb_pipelines(m: re.Match, q: dict, h: dict) -> Answer:
    return ok(
        {
            "values": [
                {"state": {"name": "IN_PROGRESS"}},
                {"state": {"name": "COMPLETED", "result": {"name": "FAILED"}}},
            ]
        }
    )


def docker_repo(m: re.Match, q: dict, h: dict) -> Answer:
    if f"{m['ns']}/{m['n']}" in MISSING:
        return not_found()
    return ok(
        {
            "pull_count": 1234567890,
            "star_count": 19876,
            "last_updated": iso(dt.timedelta(days=40)),
        }
    )


def pypi_json(m: re.Match, q: dict, h: dict) -> Answer:
    if m["n"] == "missing":
        return not_found()
    classifiers = [
        "License :: OSI Approved :: BSD License",
        "Programming Language :: Python",
        "Programming Language :: Python :: 3",
        "Development Status :: 5 - Production/Stable",
        "Programming Language :: Python :: Implementation :: CPython",
        "Programming Language :: Python :: Implementation :: PyPy",
        *(f"Programming Language :: Python :: 3.{v}" for v in (13, 9, 10, 11, 12)),
    ]
    return ok(
        {
            "info": {
                "name": m["n"],
                "version": "3.1.0",
                "license": "BSD-3-Clause",
                "requires_python": ">=3.9",
                "classifiers": classifiers,
                "downloads": {"last_day": -1, "last_week": -1, "last_month": -1},
            },
            "urls": [{"packagetype": "bdist_wheel"}, {"packagetype": "sdist"}],
        }
    )


def pypistats(m: re.Match, q: dict, h: dict) -> Answer:
    if m["n"] == "missing":
        return not_found()
    return ok(
        {
            "data": {"last_day": 1234567, "last_week": 8765432, "last_month": 34567890},
            "package": m["n"],
            "type": "recent_downloads",
        }
    )


def npm_latest(m: re.Match, q: dict, h: dict) -> Answer:
    name = m["n"].replace("%2F", "/").replace("%2f", "/")
    if name == "missing":
        return not_found()
    version = "7.26.0" if name.startswith("@") else "1.3.0"
    lic = "MIT" if name.startswith("@") else "WTFPL"
    extra = {"types": "index.d.ts"} if name.startswith("@") else {"engines": {"node": ">= 0.10.0"}}
    return ok({"name": name, "version": version, "license": lic, **extra})


def npm_downloads(m: re.Match, q: dict, h: dict) -> Answer:
    if m["n"] == "missing":
        return 404, {"error": "package missing not found"}, {}
    counts = {"day": 5, "week": 3456789, "month": 0}
    return ok({"downloads": counts[m["p"]], "package": m["n"]})


def youtube_channels(m: re.Match, q: dict, h: dict) -> Answer:
    if q.get("key") != ["yt-key"]:
        return 400, {"error": {"code": 400, "message": "API key not valid."}}, {}
    if q.get("id") == ["missing"]:
        return ok({"kind": "youtube#channelListResponse", "items": []})
    stats = {"subscriberCount": "1234567", "viewCount": "987654321", "videoCount": "42"}
    return ok({"items": [{"id": q["id"][0], "statistics": stats}]})


def twitter_user(m: re.Match, q: dict, h: dict) -> Answer:
    if h.get("authorization") != "Bearer tw-token":
        return 401, {"title": "Unauthorized"}, {}
    if m["u"] == "missing":
        return ok({"errors": [{"title": "Not Found Error"}]})
    return ok(
        {"data": {"id": "12", "username": m["u"], "public_metrics": {"followers_count": 6543210}}}
    )


ROUTES: list[tuple[str, Handler]] = [
    (r"/github/repos/(?P<o>[^/]+)/(?P<r>[^/]+)", gh_repo),
    (r"/github/repos/(?P<o>[^/]+)/(?P<r>[^/]+)/pulls", gh_pulls),
    (r"/github/repos/(?P<o>[^/]+)/(?P<r>[^/]+)/contributors", gh_contributors),
    (r"/github/repos/(?P<o>[^/]+)/(?P<r>[^/]+)/commits", gh_commits),
    (r"/github/repos/(?P<o>[^/]+)/(?P<r>[^/]+)/releases/latest", gh_release),
    (r"/github/repos/(?P<o>[^/]+)/(?P<r>[^/]+)/actions/runs", gh_runs),
    (r"/github/repos/(?P<o>[^/]+)/(?P<r>[^/]+)/actions/workflows/(?P<wf>[^/]+)/runs", gh_runs),
    (r"/github/repos/(?P<o>[^/]+)/(?P<r>[^/]+)/stats/commit_activity", gh_activity),
    (r"/github/repos/(?P<o>[^/]+)/(?P<r>[^/]+)/issues", gh_closed_issues),
    (r"/gitlab/api/v4/projects/(?P<id>[^/]+)", gl_project),
    (r"/gitlab/api/v4/projects/(?P<id>\d+)/pipelines", gl_pipelines),
    (r"/bitbucket/2\.0/repositories/(?P<w>[^/]+)/(?P<r>[^/]+)", bb_repo),
    (r"/bitbucket/2\.0/repositories/[^/]+/[^/]+/pullrequests", lambda m, q, h: ok({"size": 3})),
    (r"/bitbucket/2\.0/repositories/[^/]+/[^/]+/issues", lambda m, q, h: ok({"size": 0})),
    (r"/bitbucket/2\.0/repositories/[^/]+/[^/]+/pipelines/", bb_pipelines),
    (r"/docker/v2/repositories/(?P<ns>[^/]+)/(?P<n>[^/]+)/", docker_repo),
    (r"/pypi-org/pypi/(?P<n>[^/]+)/json", pypi_json),
    (r"/pypistats/api/packages/(?P<n>[^/]+)/recent", pypistats),
    (r"/npm-registry/(?P<n>[^/]+)/latest", npm_latest),
    (r"/npm-api/downloads/point/last-(?P<p>day|week|month)/(?P<n>.+)", npm_downloads),
    (r"/youtube/v3/channels", youtube_channels),
    (r"/twitter/2/users/by/username/(?P<u>[^/]+)", twitter_user),
]
ROUTES += SHIELDS_ROUTES  # the shields routes' endpoints (fake_shields.py)
COMPILED = [(re.compile(pattern + r"\Z"), handler) for pattern, handler in ROUTES]


class Fault:
    """One injected failure for paths matching ``pattern``."""

    def __init__(
        self, pattern: str, status: int | None, delay: float, ratelimit: bool, times: int | None
    ):
        self.pattern = re.compile(pattern)
        self.status = status
        self.delay = delay
        self.ratelimit = ratelimit
        self.times = times


class FakeUpstream:
    """The fake server: start(), config(), fail(), count(), stop()."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: list[dict[str, Any]] = []
        self.faults: list[Fault] = []
        #: remaining quota per GitHub token (unknown tokens start at 5000)
        self.quota: dict[str, int] = {}
        #: per-request latency added to every answer (seconds)
        self.latency = 0.0
        self.stopped = False
        #: paths of requests as they arrive (``requests`` records them when answered)
        self.arrivals: list[str] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go out at once, no 40 ms stall

            def log_message(self, *args: Any) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:
                fake._handle(self)

            def do_POST(self) -> None:  # GitHub GraphQL (the rank family's queries)
                fake._handle_graphql(self)

        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 512

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    # -- control ------------------------------------------------------------------------
    def start(self) -> FakeUpstream:
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop accepting, and drop kept-alive connections unanswered (an unreachable host)."""
        self.stopped = True
        self.server.shutdown()
        self.server.server_close()

    def config(self) -> dict[str, str]:
        """The ``*_URL`` settings (and keys) that point every provider at this server."""
        return {
            "GITHUB_API_URL": f"{self.url}/github",
            "GITHUB_GRAPHQL_URL": f"{self.url}/github/graphql",
            "GITLAB_URL": f"{self.url}/gitlab",
            "BITBUCKET_API_URL": f"{self.url}/bitbucket/2.0",
            "DOCKERHUB_API_URL": f"{self.url}/docker/v2",
            "PYPI_URL": f"{self.url}/pypi-org",
            "PYPISTATS_URL": f"{self.url}/pypistats/api",
            "NPM_REGISTRY_URL": f"{self.url}/npm-registry",
            "NPM_API_URL": f"{self.url}/npm-api",
            "YOUTUBE_API_URL": f"{self.url}/youtube/v3",
            "YOUTUBE_API_KEY": "yt-key",
            "TWITTER_API_URL": f"{self.url}/twitter/2",
            "TWITTER_BEARER_TOKEN": "tw-token",
            **shields_config(self.url),
        }

    def fail(
        self,
        pattern: str = ".*",
        *,
        status: int | None = None,
        delay: float = 0.0,
        ratelimit: bool = False,
        times: int | None = None,
    ) -> None:
        """Make paths matching ``pattern`` fail (``times`` answers, or until ``heal``)."""
        with self.lock:
            self.faults.append(Fault(pattern, status, delay, ratelimit, times))

    def heal(self) -> None:
        """Remove every injected failure."""
        with self.lock:
            self.faults.clear()

    def count(self, pattern: str = ".*", status: int | None = None) -> int:
        """How many requests had a path matching ``pattern`` (and answered ``status``)."""
        rx = re.compile(pattern)
        with self.lock:
            return sum(
                1
                for r in self.requests
                if rx.search(r["path"]) and (status is None or r["status"] == status)
            )

    def received(self, pattern: str = ".*") -> int:
        """How many requests matching ``pattern`` arrived (answered or still being answered)."""
        rx = re.compile(pattern)
        with self.lock:
            return sum(1 for path in self.arrivals if rx.search(path))

    def reset_counts(self) -> None:
        with self.lock:
            self.requests.clear()
            self.arrivals.clear()

    # -- serving ------------------------------------------------------------------------
    def _fault_for(self, path: str) -> Fault | None:
        with self.lock:
            for fault in self.faults:
                if fault.pattern.search(path) and (fault.times is None or fault.times > 0):
                    if fault.times is not None:
                        fault.times -= 1
                    return fault
        return None

    def _answer(self, path: str, query: dict, headers: dict[str, str]) -> Answer:
        for rx, handler in COMPILED:
            match = rx.match(path)
            if match:
                return handler(match, query, headers)
        return not_found()

    def _handle(self, req: BaseHTTPRequestHandler) -> None:
        if self.stopped:
            req.close_connection = True
            return
        with self.lock:
            self.arrivals.append(urlsplit(req.path).path)
        parts = urlsplit(req.path)
        path, query = parts.path, parse_qs(parts.query)
        headers = {k.lower(): v for k, v in req.headers.items()}
        extra: dict[str, str] = {}
        token = None
        auth = headers.get("authorization", "")
        if path.startswith("/github/") and auth.lower().startswith(("bearer ", "token ")):
            token = auth.split(" ", 1)[1]
        fault = self._fault_for(path)
        if self.latency:
            time.sleep(self.latency)
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        reset = str(int(time.time()) + 3600)
        if path.startswith("/github/"):
            with self.lock:
                remaining = self.quota.get(token or "", 5000 if token else 60)
            limited = remaining <= 0 or (fault is not None and fault.ratelimit)
            if limited:
                body: Any = {"message": "API rate limit exceeded for user ID 1."}
                status = 403
                extra = {
                    "X-RateLimit-Limit": "5000",
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset": reset,
                }
                self._send(req, path, status, body, extra, headers, token)
                return
        if fault is not None and fault.status is not None:
            self._send(req, path, fault.status, {"message": "injected"}, {}, headers, token)
            return
        if fault is not None and fault.ratelimit:  # non-GitHub: 429
            self._send(
                req,
                path,
                429,
                {"message": "Too Many Requests"},
                {"Retry-After": "60"},
                headers,
                token,
            )
            return
        status, body, extra = self._answer(path, query, headers)
        if path.startswith("/github/"):
            free = status == 200 and headers.get("if-none-match") == _etag(body)
            with self.lock:  # a 304 does not count against the quota, as on GitHub
                left = self.quota.get(token or "", 5000 if token else 60) - (0 if free else 1)
                self.quota[token or ""] = left
            extra = {
                **extra,
                "X-RateLimit-Limit": "5000" if token else "60",
                "X-RateLimit-Remaining": str(max(0, left)),
                "X-RateLimit-Reset": reset,
            }
        self._send(req, path, status, body, extra, headers, token)

    def _handle_graphql(self, req: BaseHTTPRequestHandler) -> None:
        """``POST /github/graphql``, answered by ``fake_github``'s GraphQL executor."""
        from fake_github import graphql_answer

        path = urlsplit(req.path).path
        body = req.rfile.read(int(req.headers.get("Content-Length") or 0))
        with self.lock:
            self.arrivals.append(path)
        headers = {k.lower(): v for k, v in req.headers.items()}
        auth = headers.get("authorization", "")
        token = auth.split(" ", 1)[1] if " " in auth else None
        if path != "/github/graphql":
            self._send(req, path, 404, {"message": "Not Found"}, {}, headers, token)
            return
        reset = str(int(time.time()) + 3600)
        status, answer, extra = graphql_answer(body, token, self.quota, self.lock, reset)
        self._send(req, path, status, answer, extra, headers, token)

    def _send(
        self,
        req: BaseHTTPRequestHandler,
        path: str,
        status: int,
        body: Any,
        extra: dict[str, str],
        headers: dict[str, str],
        token: str | None,
    ) -> None:
        payload = _payload(body)
        etag = _etag(body)
        if status == 200 and headers.get("if-none-match") == etag:
            status, payload = 304, b""
        with self.lock:
            self.requests.append(
                {
                    "path": path,
                    "status": status,
                    "token": token,
                    "headers": headers,
                    "at": time.time(),
                }
            )
        req.send_response(status)
        req.send_header("Content-Type", "application/json; charset=utf-8")
        if status in (200, 304):
            req.send_header("ETag", etag)
        for name, value in extra.items():
            req.send_header(name, value)
        req.send_header("Content-Length", str(len(payload)))
        req.end_headers()
        if payload:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                req.wfile.write(payload)


def _payload(body: Any) -> bytes:
    if isinstance(body, bytes):  # a recorded non-JSON answer (XML), sent as is
        return body
    return b"" if body is None else json.dumps(body).encode()


def _etag(body: Any) -> str:
    return '"' + hashlib.sha256(_payload(body)).hexdigest()[:20] + '"'


@contextlib.contextmanager
def serve_fake() -> Iterator[FakeUpstream]:
    """A running fake upstream server on a free loopback port, stopped afterwards.

    No in-process upstream store outlives a fake: its port may be one an earlier fake had,
    and that fake's answers must not be served as this one's."""
    forget_upstreams()
    fake = FakeUpstream().start()
    try:
        yield fake
    finally:
        fake.stop()
